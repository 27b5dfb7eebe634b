"""Warmup lasts as long as training or longer.

Why: the learning rate ramps up during warmup and only then follows its schedule; a warmup as
long as the run means the peak learning rate is never reached and the decay never happens
(Lightning #1476, transformers #18436). The forecasting run in the incident reports warmed up
for 8 epochs: with fewer training epochs than that it would have trained at a fraction of its
learning rate throughout.

Fails:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
train_epochs: 6
warmup_epochs: 8
```

```json
{"zero_optimization": {"stage": 2}, "train_micro_batch_size_per_gpu": 4,
 "scheduler": {"type": "WarmupDecayLR", "params": {"warmup_num_steps": 5000, "total_num_steps": 4676}}}
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

# (warmup field, duration field, unit)
PAIRS = (("warmup_epochs", "epochs", "epochs"), ("warmup_steps", "max_steps", "steps"))


def check(ctx: RuleContext):
    for warmup_field, duration_field, unit in PAIRS:
        warmup, duration = ctx.settings(warmup_field, duration_field)
        if warmup and duration and duration.value > 0 and warmup.value >= duration.value:
            yield at_setting(
                warmup,
                f"{warmup} >= {duration}: the learning rate never reaches its peak and never decays; "
                f"make {warmup.name} a small part of {duration.name} (typically 1-10 % of the {unit}) or train longer",
                duration,
            )


RULE = Rule("T001", "warmup-exceeds-training", Severity.ERROR, "Warmup lasts as long as training or longer.", check, __doc__)
