"""Loss weights spanning more than four orders of magnitude.

Why: weights this far apart only make sense if the raw losses differ by as much in the other
direction, and a config cannot show that: the structure learner in the incident reports had an
acyclicity penalty tr(A^3) of 1000+ beside a reconstruction MSE of 0.001, and weights 1 / 0.01 /
0.001 let the penalty drown the objective. cfglint reports the spread as information and points
at `cfglint probe`, which measures each term's share of the loss and of the gradient.

Option `max_ratio`: the largest / smallest non-zero weight above which this is reported
(default 10,000).

Fails:

```yaml
lambda_recon: 10.0
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
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
    weights = [s for s in (ctx.plan.loss_weights.values() if ctx.plan else ()) if s.value > 0]
    if len(weights) < 2:
        return
    largest = max(weights, key=lambda s: s.value)
    smallest = min(weights, key=lambda s: s.value)
    ratio = largest.value / smallest.value
    if ratio > ctx.options["max_ratio"]:
        yield at_setting(
            smallest,
            f"loss weights span a factor of {ratio:,.0f} ({smallest} to {largest}): whether that balances the terms "
            "depends on their raw scales, which a config cannot show; run `cfglint probe` to measure each term's "
            "share of the loss and the gradient",
            largest,
        )


RULE = Rule("L004", "loss-weight-spread", Severity.INFO, "Loss weights spanning more than four orders of magnitude.", check, __doc__, options={"max_ratio": 10000.0})
