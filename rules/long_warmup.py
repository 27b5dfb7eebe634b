"""Warmup takes more than a quarter of training.

Why: warmup protects the first updates; past a few percent of the run it only delays learning.
A warmup share above 25 % usually means the warmup was set for a longer run, or counted in the
wrong unit (micro-batches instead of optimizer steps). The forecasting incident kept an 8-epoch
warmup while shortening runs, and its loss looked flat for the whole warmup.

Option `max_share`: the share of training above which warmup is reported (default 0.25).

Fails:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
train_epochs: 20
warmup_epochs: 8
```

Passes:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
train_epochs: 50
warmup_epochs: 8
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import warmup_share


def check(ctx: RuleContext):
    found = warmup_share(ctx.plan, ctx.steps) if ctx.plan else None
    if found is None or not ctx.options["max_share"] < found.share < 1:
        return
    if found.unit == "epochs":
        epochs = found.duration.value
        message = (
            f"{found.warmup_text} is {found.share:.0%} of {found.duration_text}: training spends that long below its peak "
            f"learning rate; warm up for 1-10 % of the run (here {max(1, round(epochs * 0.05))} epochs)"
        )
    else:
        message = f"warmup is {found.share:.0%} of training: {found.warmup_text} of {found.duration_text}; warm up for 1-10 % of the run"
    yield at_setting(found.warmup, message, *found.related)


RULE = Rule("T002", "long-warmup", Severity.WARNING, "Warmup takes more than a quarter of training.", check, __doc__, options={"max_share": 0.25})
