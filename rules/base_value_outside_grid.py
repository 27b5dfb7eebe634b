"""The config's own value lies outside the range its grid sweeps.

Why: the base value is usually the best known setting; a sweep that does not bracket it cannot
tell whether moving away from it helps. The structure learner moved lambda_recon to 10 while
its grid still swept 1-100 around it; a base of 10 with a grid of [1, 2, 3] sweeps elsewhere.

Fails:

```yaml
lambda_recon: 10.0
lambda_sparse: 0.001
grid:
  lambda_recon: [1, 2, 3]
```

Passes:

```yaml
lambda_recon: 10.0
lambda_sparse: 0.001
grid:
  lambda_recon: [1, 10, 100]
```
"""

from cfglint.document import Scalar
from cfglint.finding import Related, Severity, Violation
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    plan, root = ctx.plan, ctx.document.mapping
    for name, axis in (plan.grids.items() if plan and root else ()):
        base = root.get(name)
        numbers = [v for v in axis.value or () if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if base is None or not isinstance(base.value, Scalar) or len(numbers) < 2:
            continue
        value = base.value.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not min(numbers) <= value <= max(numbers):
            yield Violation(
                base.value.span,
                name,
                f"{name} ({value:g}) is outside its grid [{min(numbers):g}, {max(numbers):g}] ({axis.key}): the sweep "
                "does not bracket the current setting, so it cannot show whether moving away from it helps",
                (Related(axis.key, axis.node.span),),
            )


RULE = Rule("G003", "base-value-outside-grid", Severity.INFO, "The config's value lies outside its grid's range.", check, __doc__)
