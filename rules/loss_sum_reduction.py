"""The loss grows with the batch size: it sums where it should average.

Why: a loss with reduction="sum" (or a sum over positions or layers) doubles when the batch is
duplicated; its scale, and so the effective learning rate and every loss-weight balance, then
depend on the batch size and accumulation. The structure learner's components mixed sums and
means, and its loss started at 16,767. TheDeepChecker detects it the same way: the loss on the
batch duplicated against the loss on the batch.

Fails:

```json file=probe.json
{"reduction_ratio": 2.0}
```

```yaml
lambda_sparse: 0.01
lambda_acyclic: 0.001
```

Passes:

```json file=probe.json
{"reduction_ratio": 1.0}
```

```yaml
lambda_sparse: 0.01
lambda_acyclic: 0.001
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext, top_of


def check(ctx: RuleContext):
    report = ctx.probe
    if report is None or report.reduction_ratio is None or not 1.5 <= report.reduction_ratio <= 2.5:
        return
    yield Violation(
        top_of(ctx.document),
        None,
        f"the loss on the batch duplicated is {report.reduction_ratio:.2f}x the loss on the batch: it sums over samples "
        "instead of averaging, so its scale (and the learning rate and loss-weight balance with it) follows the batch "
        "size; use reduction='mean' or divide by the batch size",
    )


RULE = Rule("P009", "loss-sum-reduction", Severity.WARNING, "The loss sums over the batch instead of averaging.", check, __doc__)
