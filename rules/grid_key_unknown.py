"""A grid axis that names a key the config does not have.

Why: a sweep over a misspelt key (`lambda_sparsity` for `lambda_sparse`) runs every combination
with the same training settings; the sweep silently sweeps nothing, and its "best" setting is
noise. The structure learner's lambda grids in the incident reports name top-level keys.

Fix (unsafe): rename the axis to the suggested key when the grid has no such axis yet.

Fails:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
grid:
  lambda_sparsity: [1.0e-4, 1.0e-3]
```

Passes:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
grid:
  lambda_sparse: [1.0e-4, 1.0e-3]
```
"""

from cfglint.document import Mapping
from cfglint.finding import Severity, Violation
from cfglint.fixes import Applicability, rename_key
from cfglint.rule import Rule, RuleContext
from cfglint.schema_check import closest


def config_keys(root: Mapping, prefix: str = "", skip: tuple[str, ...] = ()) -> list[str]:
    """Every key path in the config, dotted (`optimizer.lr`), outside the grid blocks."""
    keys = []
    for entry in root.entries:
        name = entry.key.value if hasattr(entry.key, "value") else None
        if not isinstance(name, str) or (not prefix and name in skip):
            continue
        keys.append(prefix + name)
        if isinstance(entry.value, Mapping):
            keys.extend(config_keys(entry.value, f"{prefix}{name}."))
    return keys


def check(ctx: RuleContext):
    plan, root = ctx.plan, ctx.document.mapping
    if plan is None or root is None or not plan.grids:
        return
    known = config_keys(root, skip=ctx.analysis.detection.dialect.grid_blocks)
    for name, axis in plan.grids.items():
        if name in known:
            continue
        close = closest(name, known, cutoff=0.7)
        hint = f"; did you mean '{close[0]}'?" if close else "; add the key or remove the axis"
        fix = None
        if close and close[0] not in plan.grids:
            fix = rename_key(ctx.document, axis.key_node, close[0], f"rename the axis to {close[0]}", Applicability.UNSAFE)
        yield Violation(
            axis.key_node.span,
            axis.key,
            f"grid axis '{name}' names a key the config does not have: the sweep changes nothing the training reads{hint}",
            fix=fix,
        )


RULE = Rule("G001", "grid-key-unknown", Severity.ERROR, "A grid axis that names a key the config does not have.", check, __doc__)
