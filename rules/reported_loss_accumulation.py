"""The reported training loss is off from the validation loss by the accumulation factor.

Why: the forecasting run reported a training loss of 0.98 against a validation loss of 0.27 and
was debugged for days as a broken model; with gradient_accumulation_steps 3 the logged training
loss summed the micro-batch losses of each optimizer step without dividing by 3 (the same bug as
transformers #34191). On one batch the two should agree up to dropout; a ratio near the
accumulation factor (or its inverse) means the factor leaked into what is reported.

Fails:

```json file=probe.json
{"reported_ratio": 2.97}
```

```yaml
seq_len: 250
label_len: 125
pred_len: 10
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
from cfglint.rule import Rule, RuleContext, at_setting

TOLERANCE = 0.15


def check(ctx: RuleContext):
    report = ctx.probe
    (accumulation,) = ctx.settings("gradient_accumulation_steps")
    if report is None or report.reported_ratio is None or accumulation is None or accumulation.value <= 1:
        return
    factor, ratio = accumulation.value, report.reported_ratio
    for expected, direction in ((factor, "inflated"), (1 / factor, "deflated")):
        if abs(ratio / expected - 1) <= TOLERANCE:
            yield at_setting(
                accumulation,
                f"on the same batch the reported training loss is {ratio:.3g}x the validation loss, {direction} by about "
                f"{accumulation}: the training loop sums (or divides) micro-batch losses by the accumulation factor when "
                "it logs them; report the mean loss per micro-batch so train and validation compare",
            )


RULE = Rule("P010", "reported-loss-accumulation", Severity.WARNING, "The reported loss is scaled by the accumulation factor.", check, __doc__)
