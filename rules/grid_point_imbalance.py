"""Points of a lambda grid where one loss term takes over the gradient, or vanishes from it.

Why: component gradients scale linearly with their weights, so one probe predicts the gradient
shares at every point of a grid without running it. The structure learner's grid swept
lambda_sparse 1e-4..1e-2 and lambda_acyclic 1e-6..1e-4; points where a penalty takes over 90 % of
the gradient learn no structure (edges collapse to 0), points where the objective gets under 1 %
learn nothing at all. Knowing them before the sweep saves its most expensive runs. A point is
listed when a term its weights treat as minor takes over 90 % of the gradient, or a term they give
5 % or more gets under 1 %.

Fails:

```json file=probe.json
{"components": {"recon": {"raw": 0.01, "grad_norm": 0.05}, "acyclic": {"raw": 1000.0, "grad_norm": 400.0}},
 "weight_keys": {"recon": "lambda_recon", "acyclic": "lambda_acyclic"}}
```

```yaml
lambda_recon: 1.0
lambda_acyclic: 0.0001
grid:
  lambda_acyclic: [1.0e-6, 1.0e-4, 1.0e-2]
```

Passes:

```json file=probe.json
{"components": {"recon": {"raw": 0.01, "grad_norm": 0.05}, "acyclic": {"raw": 1000.0, "grad_norm": 400.0}},
 "weight_keys": {"recon": "lambda_recon", "acyclic": "lambda_acyclic"}}
```

```yaml
lambda_recon: 1.0
lambda_acyclic: 0.0001
grid:
  lambda_acyclic: [1.0e-6, 1.0e-5, 1.0e-4]
```
"""

import itertools

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    report, plan, doc = ctx.probe, ctx.plan, ctx.document
    if report is None or plan is None or not plan.grids or len(report.components) < 2:
        return
    from cfglint.probe.shares import MATTERS, MINOR, TAKES_OVER, VANISHES, gradient_shares, weighted_components  # only once a probe ran

    components = weighted_components(report, doc)
    by_key = {c.key: c.name for c in components if c.key}
    axes = {key: axis for key, axis in plan.grids.items() if key in by_key}
    if not axes:
        return
    values = [[v for v in axis.value or () if isinstance(v, (int, float)) and not isinstance(v, bool)] for axis in axes.values()]
    bad = []
    points = 0
    for point in itertools.product(*values):
        points += 1
        weights = {c.name: c.weight for c in components} | {by_key[key]: value for key, value in zip(axes, point)}
        shares = gradient_shares(components, weights)
        total = sum(abs(w) for w in weights.values())
        intent = {name: abs(w) / total for name, w in weights.items()} if total else {}
        extreme = [
            f"{name} {share:.0%}"
            for name, share in shares.items()
            if (share > TAKES_OVER and intent.get(name, 0) < MINOR) or (share < VANISHES and intent.get(name, 0) >= MATTERS)
        ]
        if extreme:
            bad.append(", ".join(f"{key}={value:g}" for key, value in zip(axes, point)) + f" ({'; '.join(extreme)})")
    if bad:
        block = next(iter(axes.values()))
        grid_key = doc.key_node_at(block.node.path[:-1]) or block.key_node
        shown = "; ".join(bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
        yield Violation(
            grid_key.span,
            ".".join(str(p) for p in block.node.path[:-1]),
            f"{len(bad)} of {points} grid points let a minor loss term take over 90 % of the gradient, or starve a main "
            f"one below 1 %, measured on one batch: {shown}; narrow those axes before running the sweep",
        )


RULE = Rule("P002", "grid-point-imbalance", Severity.WARNING, "Grid points where one loss term dominates or vanishes.", check, __doc__)
