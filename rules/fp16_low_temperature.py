"""Knowledge distillation in fp16 at a low temperature.

Why: fp16 overflows above 65,504; large logits divided by a small T, then exponentiated by
softmax and scaled by T^2 in the KD loss, overflow to inf and NaN. The distillation incident
saw "lm_loss produced non-finite value (nan)" at T = 2.0 in fp16, and lowering T (as was
proposed) makes it worse. Use bf16, or compute the KD softmax in fp32.

Option `min_temperature` (default 2.0): fp16 KD at or below this temperature is reported.

Fails:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": 2.0, "fp16": true}
```

Passes:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": 2.0, "bf16": true}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    temperature, fp16 = ctx.settings("temperature", "fp16")
    if temperature is None or fp16 is None or not fp16.value or not 0 < temperature.value <= ctx.options["min_temperature"]:
        return
    yield at_setting(
        fp16,
        f"{fp16} with KD at {temperature}: softmax(logits / T) overflows fp16's range (65,504) for large logits, "
        "giving inf and NaN losses; use bf16 or compute the KD softmax in fp32 rather than lowering T",
        temperature,
    )


RULE = Rule(
    "K004",
    "fp16-low-temperature",
    Severity.WARNING,
    "Knowledge distillation in fp16 at a low temperature.",
    check,
    __doc__,
    options={"min_temperature": 2.0},
)
