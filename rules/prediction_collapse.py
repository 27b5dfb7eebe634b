"""Predictions with a small fraction of the targets' spread.

Why: the forecasting model of the incident reports predicted values with a standard deviation of
0.02-0.06 against targets of 0.7-0.9 (1:15 to 1:30): it had collapsed onto the mean and its loss
stayed flat for eight epochs. A fresh model's spread means little, and a healthy one first shrinks
towards the mean (the forecaster example: 0.013 after 10 steps, 0.11 after 60, 0.76 after 120), so
this needs `--steps 50` or more, and is information, not proof: it is reported when predictions
still have under a tenth of the targets' spread and training has not widened them.

Fails:

```json file=probe.json
{"prediction_std_ratio": 0.033, "steps": 60, "prediction_std_after": 0.031}
```

```yaml
seq_len: 250
label_len: 125
pred_len: 10
```

Passes:

```json file=probe.json
{"prediction_std_ratio": 0.033, "steps": 60, "prediction_std_after": 0.35}
```

```yaml
seq_len: 250
label_len: 125
pred_len: 10
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext, top_of

COLLAPSED = 0.1
MIN_STEPS = 50


def check(ctx: RuleContext):
    report = ctx.probe
    if report is None or report.steps < MIN_STEPS or report.prediction_std_ratio is None or report.prediction_std_after is None:
        return
    before, after = report.prediction_std_ratio, report.prediction_std_after
    if after >= COLLAPSED or after > before * 1.5:
        return
    yield Violation(
        top_of(ctx.document),
        None,
        f"after {report.steps} optimizer steps predictions have {after:.3g} of the targets' standard deviation "
        f"(1:{1 / max(after, 1e-12):.0f}; {before:.3g} before): "
        "the model predicts close to a constant; check the output layer's initialisation and scale, the learning rate and "
        "whether regularisation (weight decay, dropout, clipping) holds it back",
    )


RULE = Rule("P008", "prediction-collapse", Severity.INFO, "Predictions with a fraction of the targets' spread.", check, __doc__)
