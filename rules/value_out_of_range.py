"""A hyper-parameter outside the range where it means anything.

Why: a learning rate of 0 never moves the weights; dropout 1 zeroes every activation; a
gradient accumulation of 0 never steps the optimizer (and a fractional one is a wrong-type error);
label smoothing of 1 makes every target uniform; a negative clip norm or a warmup ratio
above 1 is a typo that frameworks accept silently; softmax(logits / T) with T <= 0 gives
inf and NaN (the distillation run in the incident reports hit NaN at T = 2 already).

Fails:

```yaml
seq_len: 96
label_len: 48
pred_len: 24
learning_rate: 0
dropout: 1.0
```

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": 0, "warmup_ratio": 1.5}
```

Passes:

```yaml
seq_len: 96
label_len: 48
pred_len: 24
learning_rate: 0.001
dropout: 0.1
```
"""

import math

from cfglint.finding import Severity
from cfglint.plan import format_value
from cfglint.rule import Rule, RuleContext, at_setting

# plan field -> (is the value valid, what the range is, why it matters)
RANGES = {
    "learning_rate": (lambda v: v > 0, "must be above 0", "the weights never move"),
    "min_lr": (lambda v: v >= 0, "must not be negative", "a negative floor makes the schedule ascend the loss"),
    "weight_decay": (lambda v: v >= 0, "must not be negative", "negative decay grows the weights every step"),
    "dropout": (lambda v: 0 <= v < 1, "must be in [0, 1)", "dropout 1 zeroes every activation"),
    "label_smoothing": (lambda v: 0 <= v < 1, "must be in [0, 1)", "at 1 the targets are uniform and carry no label"),
    "gradient_accumulation_steps": (lambda v: v >= 1, "must be at least 1", "the optimizer would never step"),
    "batch_size": (lambda v: v >= 1, "must be at least 1", "no sample would ever be seen"),
    "clip_grad_norm": (lambda v: v >= 0, "must not be negative", "a norm is never negative; use 0 or remove it to disable clipping"),
    "warmup_ratio": (lambda v: 0 <= v <= 1, "must be in [0, 1]", "it is the share of training steps spent warming up"),
    "temperature": (lambda v: v > 0, "must be above 0", "softmax(logits / T) divides by T and gives inf or NaN"),
    "min_temperature": (lambda v: v > 0, "must be above 0", "softmax(logits / T) divides by T and gives inf or NaN"),
}


def check(ctx: RuleContext):
    plan = ctx.plan
    if plan is None:
        return
    for field, (valid, expectation, why) in RANGES.items():
        for setting in plan.all(field):  # every dropout of a model, attention and residual alike
            value = setting.value
            if isinstance(value, float) and not math.isfinite(value):
                yield at_setting(setting, f"{setting.key} ({format_value(value)}) is not a finite number; write the value you intend")
            elif not valid(value):
                yield at_setting(setting, f"{setting.key} ({format_value(value)}) {expectation}: {why}")


RULE = Rule("S003", "value-out-of-range", Severity.ERROR, "A hyper-parameter outside the range where it means anything.", check, __doc__)
