"""A negative loss weight.

Why: a negative weight turns its loss term into something the optimizer maximises: a negative
sparsity penalty rewards dense graphs, a negative KD weight pushes the student away from the
teacher. It is almost always a sign typo (`-1e-4` for `1e-4`).

Fails:

```yaml
lambda_recon: 1.0
lambda_sparse: -0.01
lambda_acyclic: 0.001
```

Passes:

```yaml
lambda_recon: 1.0
lambda_sparse: 0.01
lambda_acyclic: 0.001
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    for setting in (ctx.plan.loss_weights.values() if ctx.plan else ()):
        if setting.value < 0:
            yield at_setting(
                setting,
                f"{setting} is negative: the optimizer would maximise this term instead of minimising it; "
                f"write {-setting.value:g} if the sign is a typo",
            )


RULE = Rule("L002", "negative-loss-weight", Severity.ERROR, "A negative loss weight.", check, __doc__)
