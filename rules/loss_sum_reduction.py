"""A loss term grows with the batch size: it sums where it should average.

Why: a loss with reduction="sum" (or a sum over positions or layers) doubles when the batch is
duplicated; its scale, and so the effective learning rate and every loss-weight balance, then
depend on the batch size and accumulation. The structure learner's components mixed sums and
means, and its loss started at 16,767. TheDeepChecker detects it the same way: the loss on the
batch duplicated against the loss on the batch. Each term is compared on its own: beside a
penalty that does not depend on the batch (an L1 on the weights), a summed cross-entropy moves
the total by well under 2x and would pass.

Fails:

```json file=probe.json
{"reduction_ratios": {"ce": 2.0, "l1": 1.0}, "weight_keys": {"ce": "loss_weights.ce", "l1": "loss_weights.l1"}}
```

```yaml
loss_weights:
  ce: 1.0
  l1: 0.0001
```

Passes:

```json file=probe.json
{"reduction_ratios": {"ce": 1.0, "l1": 1.0}, "weight_keys": {"ce": "loss_weights.ce", "l1": "loss_weights.l1"}}
```

```yaml
loss_weights:
  ce: 1.0
  l1: 0.0001
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext, top_of


def check(ctx: RuleContext):
    report, doc = ctx.probe, ctx.document
    if report is None or not report.reduction_ratios:
        return
    for name, ratio in report.reduction_ratios.items():
        if not 1.5 <= ratio <= 2.5:
            continue
        key = report.weight_keys.get(name)
        node = doc.node_at(tuple(key.split(".")))[0] if key else None
        term = f"{key} ({node.value:g})" if node is not None else f"{name} (weight 1, not in the config)"
        yield Violation(
            node.span if node is not None else top_of(doc),
            key,
            f"{term}: the {name} term is {ratio:.2f}x as large on the batch duplicated as on the batch: it sums over "
            "samples instead of averaging, so its scale (and the learning rate and loss-weight balance with it) follows "
            "the batch size; use reduction='mean' or divide it by the batch size",
        )


RULE = Rule("P009", "loss-sum-reduction", Severity.WARNING, "The loss sums over the batch instead of averaging.", check, __doc__)
