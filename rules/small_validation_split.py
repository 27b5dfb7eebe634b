"""A validation split of fewer than 100 samples.

Why: the forecasting run in the incident reports validated on 50 samples; its validation loss
moved by noise more than by learning, so early stopping and model selection followed noise.
With under 100 samples a validation metric is too noisy to select on.

Fails:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
val_size: 50
```

Passes:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
val_size: 500
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting

MINIMUM = 100


def check(ctx: RuleContext):
    (size,) = ctx.settings("val_size")
    if size is not None and 0 < size.value < MINIMUM:
        yield at_setting(
            size,
            f"{size} samples make validation loss mostly noise (its standard error shrinks only as 1/sqrt(n)); "
            f"early stopping and model selection will follow that noise; use at least {MINIMUM}",
        )


RULE = Rule("M005", "small-validation-split", Severity.INFO, "A validation split of fewer than 100 samples.", check, __doc__)
