"""A grid axis that is empty, repeats a value, holds a negative weight, or mixes in text.

Why: an empty axis makes the whole grid empty (the product of nothing), a repeated value runs
the same training twice, a negative loss weight maximises its term, and a string in a numeric
axis ("1e-3" quoted, or a typo) fails mid-sweep after hours of runs, or compares as text.

Fails:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
grid:
  lambda_sparse: [1.0e-4, 1.0e-4]
  lambda_acyclic: []
```

Passes:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
grid:
  lambda_sparse: [1.0e-4, 1.0e-3]
  lambda_acyclic: [1.0e-6, 1.0e-5]
```
"""

from cfglint.document import Scalar
from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext

WEIGHT_PREFIXES = ("lambda_", "alpha_")


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check(ctx: RuleContext):
    plan = ctx.plan
    for name, axis in (plan.grids.items() if plan else ()):
        items = axis.node.items
        if not items:
            yield Violation(axis.node.span, axis.key, f"{axis.key} is empty: the grid's product has no combination, so the sweep runs nothing")
            continue
        base = ctx.document.mapping.get(name) if ctx.document.mapping else None
        numeric = base is not None and isinstance(base.value, Scalar) and _is_number(base.value.value)
        seen = set()
        for index, item in enumerate(items):
            value = item.value if isinstance(item, Scalar) else None
            where = f"{axis.key}[{index}]"
            if value in seen and value is not None:
                yield Violation(item.span, where, f"{axis.key} lists {value!r} twice: that combination trains twice; remove one")
            seen.add(value)
            if _is_number(value) and value < 0 and name.startswith(WEIGHT_PREFIXES):
                yield Violation(item.span, where, f"{where} ({value:g}) is a negative loss weight: the optimizer would maximise that term")
            elif numeric and not _is_number(value):
                yield Violation(item.span, where, f"{where} ({value!r}) is not a number, but {name} is: that run fails or compares text; write a number")


RULE = Rule("G002", "invalid-grid-axis", Severity.ERROR, "A grid axis that is empty, repeats, holds a negative weight or text.", check, __doc__)
