"""A learning rate below 1e-7.

Why: at that rate the weights barely move and the loss looks flat, which reads as a broken model
rather than a typo; a missing digit in the exponent (`1e-9` for `1e-5`) is the usual cause.

Fails:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: cosine
learning_rate: 2.0e-9
```

Passes:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: cosine
learning_rate: 2.0e-5
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting

THRESHOLD = 1e-7


def check(ctx: RuleContext):
    (lr,) = ctx.settings("learning_rate")
    if lr is not None and 0 < lr.value < THRESHOLD:
        yield at_setting(lr, f"{lr} is below {THRESHOLD:g}: the weights barely move and the loss will look flat; check the exponent")


RULE = Rule("O003", "tiny-learning-rate", Severity.WARNING, "A learning rate below 1e-7.", check, __doc__)
