"""Loss weights meant as shares of one loss do not sum to 1.

Why: the distillation run in the incident reports set alpha_kd / alpha_feature /
alpha_attention to 0.7 / 0.1 / 0.1, meant as 70 / 10 / 10 % of the loss; they sum to 0.9, so
either a component is missing from the config or the shares are not what the author thinks
(and the raw loss scales shift them further, which `cfglint probe` measures). Applies to
dialects whose weights are mixtures (distillation `alpha_*`), not to penalty weights
(`lambda_*`).

Fix (display-only): the weights rescaled to sum to 1; only a person knows whether a component is
missing instead.

Fails:

```json
{"kd_top_k": 256, "temperature": 2.0, "alpha_kd": 0.7, "alpha_feature": 0.1, "alpha_attention": 0.1}
```

Passes:

```json
{"kd_top_k": 256, "temperature": 2.0, "alpha_kd": 0.8, "alpha_feature": 0.1, "alpha_attention": 0.1}
```
"""

import math

from cfglint.finding import Severity
from cfglint.fixes import Applicability, Fix, set_value
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    plan = ctx.plan
    weights = plan.loss_weights if plan else {}
    if plan is None or not plan.weights_are_mixture or len(weights) < 2:
        return
    total = sum(setting.value for setting in weights.values())
    if math.isclose(total, 1.0, abs_tol=1e-6) or total <= 0:
        return
    settings = list(weights.values())
    names = " + ".join(setting.key for setting in settings)
    shares = " / ".join(f"{setting.value / total:.0%}" for setting in settings)
    # Only a person knows whether a component is missing, so the rescale is a suggestion.
    parts = [set_value(ctx.document, s.node, round(s.value / total, 4), "", Applicability.DISPLAY) for s in settings]
    fix = Fix("rescale the weights to sum to 1", Applicability.DISPLAY, tuple(e for p in parts for e in p.edits), tuple(c for p in parts for c in p.changes))
    yield at_setting(
        settings[0],
        f"{names} = {total:g}, not 1: as shares of the loss they give {shares}; if {1 - total:+g} belongs to a "
        "component not listed here, add its weight; otherwise rescale them to sum to 1",
        *settings[1:],
        fix=fix,
    )


RULE = Rule("L001", "mixture-weights-sum", Severity.WARNING, "Loss weights meant as shares do not sum to 1.", check, __doc__)
