"""Warmup lasts as long as training or longer.

Why: the learning rate ramps up during warmup and only then follows its schedule; a warmup as
long as the run means the peak learning rate is never reached and the decay never happens
(Lightning #1476, transformers #18436). The forecasting run in the incident reports warmed up
for 8 epochs: with fewer training epochs than that it would have trained at a fraction of its
learning rate throughout. Warmup and training are compared in epochs when both are given in
epochs, otherwise in optimizer steps (see `cfglint schedule`).

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

```yaml
per_device_train_batch_size: 8
num_train_epochs: 1
lr_scheduler_type: cosine
max_steps: 400
warmup_steps: 500
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

CONSEQUENCE = "the learning rate never reaches its peak and never decays"


def check(ctx: RuleContext):
    warmup_epochs, epochs = ctx.settings("warmup_epochs", "epochs")
    if warmup_epochs and epochs and epochs.value > 0:
        if warmup_epochs.value >= epochs.value:
            yield at_setting(
                warmup_epochs,
                f"{warmup_epochs} >= {epochs}: {CONSEQUENCE}; make {warmup_epochs.name} a small part of "
                f"{epochs.name} (typically 1-10 % of the epochs) or train longer",
                epochs,
            )
        return
    steps = ctx.steps
    if steps and warmup_in_micro_batches(steps):
        return  # scheduler-length-mismatch names the unit mistake
    if steps and steps.warmup_steps and steps.total_steps and steps.warmup_steps.value >= steps.total_steps.value:
        warmup, total = steps.warmup_steps, steps.total_steps
        yield at_setting(
            warmup.sources[0],
            f"{warmup.describe('warmup steps')} >= {total.describe('optimizer steps of training')}: {CONSEQUENCE}; "
            "warm up for 1-10 % of the run",
            *total.sources,
        )
        return
    warmup_steps, scheduler_steps = ctx.settings("warmup_steps", "scheduler_steps")
    if warmup_steps and scheduler_steps and scheduler_steps.value > 0 and warmup_steps.value >= scheduler_steps.value:
        yield at_setting(
            warmup_steps,
            f"{warmup_steps} >= {scheduler_steps}: {CONSEQUENCE}; warm up for 1-10 % of the schedule",
            scheduler_steps,
        )


RULE = Rule("T001", "warmup-exceeds-training", Severity.ERROR, "Warmup lasts as long as training or longer.", check, __doc__)
