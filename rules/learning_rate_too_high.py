"""A learning rate above the usual range for its optimizer.

Why: Adam-family optimizers normalise the step size, so their learning rate is the step itself:
above 1e-2 the first updates are large enough to wreck pretrained weights or diverge; SGD rates
above 1 are as unusual. Usually a typo in the exponent (`1e-2` for `1e-4`).

Options `adam_max` (default 0.01) and `sgd_max` (default 1.0).

Fails:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: cosine
learning_rate: 0.05
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


def check(ctx: RuleContext):
    (lr,) = ctx.settings("learning_rate")
    family, name = ctx.optimizer_family()
    if lr is None or family is None:
        return
    limit = ctx.options["sgd_max"] if family == "sgd" else ctx.options["adam_max"]
    if lr.value > limit:
        yield at_setting(
            lr,
            f"{lr} is above the usual range for {name} (up to {limit:g}): the first updates may diverge or wreck "
            "pretrained weights; check the exponent",
        )


RULE = Rule(
    "O002",
    "learning-rate-too-high",
    Severity.WARNING,
    "A learning rate above the usual range for its optimizer.",
    check,
    __doc__,
    options={"adam_max": 0.01, "sgd_max": 1.0},
)
