"""A distillation temperature below 1 or above 20.

Why: KD softens both distributions with softmax(logits / T). Below 1 it sharpens them instead,
amplifying logits (the overflow that gave the distillation incident its NaN is worse there);
above 20 the teacher's distribution is close to uniform and carries almost no information.
Usual values are 1-10 (Hinton et al. used 2-20).

Fails:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": 0.5}
```

Passes:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": 4.0}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting

LOW, HIGH = 1.0, 20.0


def check(ctx: RuleContext):
    (temperature,) = ctx.settings("temperature")
    if temperature is None or temperature.value <= 0:
        return  # value-out-of-range reports T <= 0
    if temperature.value < LOW:
        yield at_setting(
            temperature,
            f"{temperature} is below 1: dividing logits by it sharpens the distributions instead of softening them "
            "and makes overflow to inf/NaN likelier; use 1-10",
        )
    elif temperature.value > HIGH:
        yield at_setting(
            temperature,
            f"{temperature} is above {HIGH:g}: the teacher's softened distribution is nearly uniform and carries "
            "almost no signal; use 1-10",
        )


RULE = Rule("K001", "kd-temperature-unusual", Severity.WARNING, "A distillation temperature below 1 or above 20.", check, __doc__)
