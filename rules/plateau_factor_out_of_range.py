"""A ReduceLROnPlateau factor outside (0, 1).

Why: on a plateau the learning rate is multiplied by `factor`; 1 never reduces it, above 1 it
grows the rate exactly when training stalls, and 0 or below zeroes or flips it. PyTorch
raises "Factor should be < 1.0" only when the scheduler is built.

Fails:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
scheduler:
  type: ReduceLROnPlateau
  factor: 2
```

Passes:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
scheduler:
  type: ReduceLROnPlateau
  factor: 0.5
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    (factor,) = ctx.settings("plateau_factor")
    if factor is not None and not 0 < factor.value < 1:
        yield at_setting(
            factor,
            f"{factor} must be in (0, 1): the learning rate is multiplied by it when the loss stalls, so it has to "
            "shrink the rate; 0.1-0.5 is usual",
        )


RULE = Rule("T008", "plateau-factor-out-of-range", Severity.ERROR, "A ReduceLROnPlateau factor outside (0, 1).", check, __doc__)
