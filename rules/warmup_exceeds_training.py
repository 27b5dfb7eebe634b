"""Warmup lasts as long as training or longer.

Why: the learning rate ramps up during warmup and only then follows its schedule; a warmup as
long as the run means the peak learning rate is never reached and the decay never happens
(Lightning #1476, transformers #18436). The forecasting run in the incident reports warmed up
for 8 epochs: with fewer training epochs than that it would have trained at a fraction of its
learning rate throughout. Warmup and training are compared in epochs when both are given in
epochs, otherwise in optimizer steps (see `cfglint schedule`).

Fix (unsafe): set the warmup to 10 % of training (a ratio to 0.1), rounded down to whole epochs
or steps; when that is under one, none is proposed (a warmup of 0 would switch warmup off).

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

import re

from cfglint.document import Scalar
from cfglint.finding import Severity
from cfglint.fixes import Applicability, Fix, set_value
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import warmup_share

# The warmup a fix sets: 10 % of training (or a ratio of 0.1), the common default.
WARMUP_SHARE = 0.1

# A duration written with its unit (Composer's `100ba`, `2ep`, `0.5dur`): the fix keeps the unit.
_WITH_UNIT = r"^\s*[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?\s*([A-Za-z]+)\s*$"


def check(ctx: RuleContext):
    found = warmup_share(ctx.plan, ctx.steps) if ctx.plan else None
    if found is None or found.share < 1:
        return
    if found.unit == "epochs":
        advice = f"make {found.warmup.name} a small part of {found.duration.name} (typically 1-10 % of the epochs) or train longer"
    else:
        advice = f"warm up for 1-10 % of the {'schedule' if found.unit == 'schedule' else 'run'}"
    node = found.warmup.node
    written = re.match(_WITH_UNIT, node.value) if isinstance(node, Scalar) and isinstance(node.value, str) else None
    suffix = written.group(1) if written else ""
    if found.warmup.name.endswith("ratio") or suffix == "dur":  # `dur` is a share of the run
        target = WARMUP_SHARE
    else:
        tenth = found.warmup.value / found.share * WARMUP_SHARE
        target = int(round(tenth, 6))  # a share in floating point: 10 epochs' tenth is 1, not 0.99...
    if target:
        value = f"{target:g}{suffix}" if suffix else target
        fix = set_value(ctx.document, node, value, f"set {found.warmup.name} to {value} (10 % of training)", Applicability.UNSAFE)
    else:
        unit = "epoch" if found.unit == "epochs" else "step"
        fix = Fix(f"none proposed: 10 % of training is {tenth:g} {unit}s, under one {unit}, and 0 would switch warmup off; shorten {found.warmup.name} by hand or train longer", Applicability.DISPLAY, ())
    yield at_setting(
        found.warmup,
        f"{found.warmup_text} >= {found.duration_text}: the learning rate never reaches its peak and never decays; {advice}",
        *found.related,
        fix=fix,
    )


RULE = Rule("T001", "warmup-exceeds-training", Severity.ERROR, "Warmup lasts as long as training or longer.", check, __doc__)
