"""After a few optimizer steps, parameters move far too little or far too much, or the loss does not move.

Why: with `--steps K` the probe takes K real optimizer steps at the schedule's first learning
rates. The ratio of each weight matrix's update per step to its size is about 1e-3 in healthy training;
outside 1e-4..1e-1 (TheDeepChecker's log10 range -4..-1) the learning rate (or its warmup) is too
small to learn or large enough to destroy the weights. The forecasting run's warmup started at
1.25e-4 and its loss looked flat.

Fails:

```json file=probe.json
{"steps": 20, "loss_before": 1.0, "loss_after": 1.0, "update_ratios": {"encoder.weight": 0.000003, "head.weight": 0.00001}}
```

```yaml
seq_len: 250
label_len: 125
pred_len: 10
learning_rate: 0.000001
```

Passes:

```json file=probe.json
{"steps": 20, "loss_before": 1.0, "loss_after": 0.6, "update_ratios": {"encoder.weight": 0.002, "head.weight": 0.004}}
```

```yaml
seq_len: 250
label_len: 125
pred_len: 10
learning_rate: 0.001
```
"""

import math

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext, top_of

LOW, HIGH = 1e-4, 1e-1


def check(ctx: RuleContext):
    report = ctx.probe
    if report is None or not report.steps or not report.update_ratios:
        return
    (lr,) = ctx.settings("learning_rate")
    ratios = report.update_ratios
    low = sorted(name for name, r in ratios.items() if r < LOW)
    high = sorted(name for name, r in ratios.items() if r > HIGH)
    moved = report.loss_before is not None and report.loss_after is not None and math.isfinite(report.loss_after) and abs(report.loss_after - report.loss_before) > 1e-3 * abs(report.loss_before)
    if not (len(low) > len(ratios) / 2 or high or not moved):
        return
    parts = []
    if len(low) > len(ratios) / 2:
        parts.append(f"{len(low)} of {len(ratios)} parameter tensors moved by less than {LOW:g} of their size (e.g. {low[0]}: {ratios[low[0]]:.2g})")
    if high:
        parts.append(f"{len(high)} moved by more than {HIGH:g} of their size (e.g. {high[0]}: {ratios[high[0]]:.2g})")
    if not moved:
        parts.append(f"the loss went from {report.loss_before:.4g} to {report.loss_after:.4g}")
    yield Violation(
        lr.node.span if lr else top_of(ctx.document),
        lr.key if lr else None,
        f"after {report.steps} optimizer steps at the schedule's first learning rates: " + "; ".join(parts) + "; healthy updates are about 1e-3 of a tensor's size",
    )


RULE = Rule("P011", "update-ratio-out-of-range", Severity.WARNING, "Parameters move far too little or too much in a few steps.", check, __doc__)
