"""A loss weight of 0 on a component the config names.

Why: a zero weight still computes the term (and its memory and time) but trains nothing with it;
sometimes that is a deliberate ablation, often it is a forgotten debug setting. Reported as
information so the choice is visible.

Fails:

```json
{"kd_top_k": 256, "temperature": 2.0, "alpha_kd": 0.9, "alpha_feature": 0.1, "alpha_attention": 0}
```

Passes:

```json
{"kd_top_k": 256, "temperature": 2.0, "alpha_kd": 0.8, "alpha_feature": 0.1, "alpha_attention": 0.1}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    for setting in (ctx.plan.loss_weights.values() if ctx.plan else ()):
        if setting.value == 0:
            yield at_setting(
                setting,
                f"{setting} switches its loss term off, though it is still computed; remove the component if the "
                "ablation is deliberate",
            )


RULE = Rule("L003", "zero-loss-weight", Severity.INFO, "A loss weight of 0 on a named component.", check, __doc__)
