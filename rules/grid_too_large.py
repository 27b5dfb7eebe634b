"""A grid with more combinations than a sweep can afford.

Why: a grid runs the product of its axes; three lambda axes of 11 values are 1,331 training runs,
usually not what was budgeted. The structure learner's sweeps in the incident reports were 3 x 3
grids. The size is also shown by `cfglint check --verbose`.

Option `max_combinations` (default 1000).

Fails:

```yaml
lambda_sparse: 0.001
lambda_acyclic: 0.0001
grid:
  lambda_sparse: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  lambda_acyclic: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
```

Passes:

```yaml
lambda_sparse: 0.001
lambda_acyclic: 0.0001
grid:
  lambda_sparse: [1.0e-4, 1.0e-3, 1.0e-2]
  lambda_acyclic: [1.0e-6, 1.0e-5, 1.0e-4]
```
"""

from cfglint.finding import Severity, Violation
from cfglint.plan import grid_size
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    plan = ctx.plan
    if plan is None or not plan.grids:
        return
    size, shape = grid_size(plan)
    limit = ctx.options["max_combinations"]
    if size > limit:
        block = next(iter(plan.grids.values())).node
        parent_key = ctx.document.key_node_at(block.path[:-1]) or block
        yield Violation(
            parent_key.span,
            ".".join(str(p) for p in block.path[:-1]) or None,
            f"the grid has {size:,} combinations ({shape}), above the limit of {limit:,}: each is a training run; "
            "sample it (random search) or sweep fewer axes at a time",
        )


RULE = Rule("G004", "grid-too-large", Severity.WARNING, "A grid with more combinations than a sweep can afford.", check, __doc__, options={"max_combinations": 1000})
