"""An Adam epsilon that rounds to zero in fp16.

Why: the smallest positive fp16 number is about 6e-8; an epsilon of 1e-8 kept in fp16 becomes 0,
and Adam divides by sqrt(v) + 0, which overflows for parameters with tiny second moments (a
common source of NaN in pure-fp16 training, as in the distillation incident). Frameworks that
keep optimizer state in fp32 under fp16 (AMP, DeepSpeed, torchtune) are not affected and are
not reported.

Fails:

```json
{"kd_top_k": 256, "temperature": 4.0, "fp16": true, "optimizer": "AdamW", "adam_epsilon": 1e-8}
```

Passes:

```json
{"kd_top_k": 256, "temperature": 4.0, "fp16": true, "optimizer": "AdamW", "adam_epsilon": 1e-6}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting

FP16_SMALLEST = 6e-8


def check(ctx: RuleContext):
    eps, fp16 = ctx.settings("eps", "fp16")
    detection = ctx.analysis.detection
    if eps is None or fp16 is None or not fp16.value or detection is None or detection.dialect.fp32_optimizer_state:
        return
    if 0 <= eps.value < FP16_SMALLEST:
        yield at_setting(
            eps,
            f"{eps} rounds to 0 in fp16 ({fp16}): Adam then divides by sqrt(v) alone and overflows for parameters "
            "with tiny second moments; use 1e-6, or keep optimizer state in fp32",
            fp16,
        )


RULE = Rule("O006", "epsilon-underflows-fp16", Severity.WARNING, "An Adam epsilon that rounds to zero in fp16.", check, __doc__)
