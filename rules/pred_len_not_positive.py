"""A forecast horizon (pred_len) of zero or less.

Why: the model predicts pred_len future steps; with 0 the target window is empty, the loss is
the mean of nothing (NaN) and the data loader yields no targets.

Fails:

```yaml
seq_len: 96
label_len: 48
pred_len: 0
```

Passes:

```yaml
seq_len: 96
label_len: 48
pred_len: 24
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    (horizon,) = ctx.settings("pred_len")
    if horizon is not None and horizon.value <= 0:
        yield at_setting(horizon, f"{horizon} must be at least 1: the forecast window is empty and the loss averages nothing (NaN)")


RULE = Rule("M004", "pred-len-not-positive", Severity.ERROR, "A forecast horizon of zero or less.", check, __doc__)
