"""The reported training loss is off from the validation loss by the accumulation factor.

Why: the forecasting run reported a training loss of 0.98 against a validation loss of 0.27 and
was debugged for days as a broken model; with gradient_accumulation_steps 3 the logged training
loss summed the micro-batch losses of each optimizer step without dividing by 3 (the same bug as
transformers #34191). On one batch the two should agree up to dropout; a ratio near the
accumulation factor (or its inverse) means the factor leaked into what is reported.

Fix (unsafe): fold the accumulation into the batch (batch_size x accumulation, accumulation 1):
the same effective batch, and nothing left for the logging to scale by. Fixing the logging in the
training code is the better cure when memory allows either.

Fails:

```json file=probe.json
{"reported_ratio": 2.97}
```

```yaml
seq_len: 250
label_len: 125
pred_len: 10
batch_size: 12
gradient_accumulation_steps: 3
```

Passes:

```json file=probe.json
{"reported_ratio": 1.04}
```

```yaml
seq_len: 250
label_len: 125
pred_len: 10
gradient_accumulation_steps: 3
```
"""

from cfglint.finding import Severity
from cfglint.fixes import Applicability, Fix, set_value
from cfglint.rule import Rule, RuleContext, at_setting

TOLERANCE = 0.15


def check(ctx: RuleContext):
    report = ctx.probe
    accumulation, batch = ctx.settings("gradient_accumulation_steps", "batch_size")
    if report is None or report.reported_ratio is None or accumulation is None or accumulation.value <= 1:
        return
    factor, ratio = accumulation.value, report.reported_ratio
    for expected, direction in ((factor, "inflated"), (1 / factor, "deflated")):
        if abs(ratio / expected - 1) <= TOLERANCE:
            fix = None
            if batch is not None:
                doc, folded = ctx.document, batch.value * factor
                parts = (set_value(doc, batch.node, folded, "", Applicability.UNSAFE), set_value(doc, accumulation.node, 1, "", Applicability.UNSAFE))
                fix = Fix(
                    f"fold the accumulation into the batch: {batch.key} {folded}, {accumulation.key} 1",
                    Applicability.UNSAFE,
                    tuple(e for p in parts for e in p.edits),
                    tuple(c for p in parts for c in p.changes),
                )
            yield at_setting(
                accumulation,
                f"on the same batch the reported training loss is {ratio:.3g}x the validation loss, {direction} by about "
                f"{accumulation}: the training loop sums (or divides) micro-batch losses by the accumulation factor when "
                "it logs them; report the mean loss per micro-batch so train and validation compare",
                *((batch,) if batch else ()),
                fix=fix,
            )


RULE = Rule("P010", "reported-loss-accumulation", Severity.WARNING, "The reported loss is scaled by the accumulation factor.", check, __doc__)
