"""softmax(logits / T) is not finite at the configured temperature and precision.

Why: the distillation run saw NaN at temperature 2.0 in fp16, and its next idea was to lower the
temperature, which makes logits / T larger still. The probe divides the measured student and
teacher logits by each candidate temperature in the configured precision and computes the KD
loss; a temperature at which it stays finite, or bf16/fp32, is the fix.

Fix (unsafe): the smallest probed temperature above the configured one at which KD stays finite.

Fails:

```json file=probe.json
{"precision": "fp16", "max_abs_logit": 200000.0, "kd_finite": {"2.0": false, "3.0": false, "4.0": true}}
```

```json
{"alpha_kd": 1.0, "kd_top_k": 256, "temperature": 2.0, "fp16": true}
```

Passes:

```json file=probe.json
{"precision": "fp16", "max_abs_logit": 200000.0, "kd_finite": {"2.0": false, "3.0": false, "4.0": true}}
```

```json
{"alpha_kd": 1.0, "kd_top_k": 256, "temperature": 4.0, "fp16": true}
```
"""

from cfglint.finding import Severity
from cfglint.fixes import Applicability, set_value
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    report = ctx.probe
    (temperature,) = ctx.settings("temperature")
    if report is None or temperature is None or not report.kd_finite:
        return
    current = float(temperature.value)
    if report.kd_finite.get(current, True):
        return
    finite = sorted(t for t, ok in report.kd_finite.items() if ok and t > current)
    fix = None
    advice = "no probed temperature up to 20 keeps it finite: compute the KD loss in fp32 or bf16"
    if finite:
        fix = set_value(ctx.document, temperature.node, finite[0], f"use temperature {finite[0]:g}", Applicability.UNSAFE)
        advice = f"the smallest probed temperature that stays finite is {finite[0]:g}; or compute the KD loss in fp32/bf16"
    yield at_setting(
        temperature,
        f"{temperature}: the KD loss on softmax(logits / T) is NaN or infinite in {report.precision} (largest |logit| "
        f"{report.max_abs_logit:.4g}); a lower temperature makes it worse; {advice}",
        fix=fix,
    )


RULE = Rule("P006", "kd-temperature-overflow", Severity.ERROR, "KD is not finite at the configured temperature.", check, __doc__)
