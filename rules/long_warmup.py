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
from cfglint.schedule import warmup_in_micro_batches


def check(ctx: RuleContext):
    limit = ctx.options["max_share"]
    warmup_epochs, epochs = ctx.settings("warmup_epochs", "epochs")
    if warmup_epochs and epochs and epochs.value > 0:
        share = warmup_epochs.value / epochs.value
        if limit < share < 1:
            yield at_setting(
                warmup_epochs,
                f"{warmup_epochs} is {share:.0%} of {epochs}: training spends that long below its peak learning rate; "
                f"warm up for 1-10 % of the run (here {max(1, round(epochs.value * 0.05))} epochs)",
                epochs,
            )
        return
    steps = ctx.steps
    if steps and warmup_in_micro_batches(steps):
        return  # scheduler-length-mismatch names the unit mistake
    if steps and steps.warmup_steps and steps.total_steps and steps.total_steps.value > 0:
        share = steps.warmup_steps.value / steps.total_steps.value
        if limit < share < 1:
            warmup, total = steps.warmup_steps, steps.total_steps
            yield at_setting(
                warmup.sources[0],
                f"warmup is {share:.0%} of training: {warmup.describe('warmup steps')} of "
                f"{total.describe('optimizer steps')}; warm up for 1-10 % of the run",
                *total.sources,
            )


RULE = Rule("T002", "long-warmup", Severity.WARNING, "Warmup takes more than a quarter of training.", check, __doc__, options={"max_share": 0.25})
