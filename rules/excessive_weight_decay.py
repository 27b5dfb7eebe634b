"""Weight decay strong enough to erase the weights over the run.

Why: decoupled weight decay multiplies every weight by (1 - lr x wd) each step; over a run
that is about exp(-mean lr x wd x steps). Below 0.1 the decay alone removes 90 % of every
weight that the gradient does not keep up, and a decay above 0.3 is outside every published
recipe (0.01-0.1 is usual).

Option `max_weight_decay` (default 0.3); `min_budget` (default 0.1).

Fails:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: constant
learning_rate: 0.001
weight_decay: 0.5
max_steps: 10000
```

Passes:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: constant
learning_rate: 0.001
weight_decay: 0.01
max_steps: 10000
```
"""

import math

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import lr_curve, number


def check(ctx: RuleContext):
    decay, lr = ctx.settings("weight_decay", "learning_rate")
    if decay is None or decay.value <= 0:
        return
    if decay.value > ctx.options["max_weight_decay"]:
        yield at_setting(decay, f"{decay} is above {ctx.options['max_weight_decay']:g}: far outside usual recipes (0.01-0.1); check the value")
        return
    steps = ctx.steps
    if lr is None or steps is None or steps.total_steps is None:
        return
    curve = lr_curve(ctx.plan, steps)
    mean_lr = sum(value for _, value in curve.points) / len(curve.points) if curve and curve.unit == "step" else lr.value
    budget = math.exp(-mean_lr * decay.value * steps.total_steps.value)
    if budget < ctx.options["min_budget"]:
        yield at_setting(
            decay,
            f"{decay} with a mean learning rate of {mean_lr:.3g} over {number(steps.total_steps.value)} optimizer steps "
            f"leaves exp(-lr x wd x steps) = {budget:.2g} of each weight: decay alone erases what the gradient does not "
            "renew; lower it (0.01-0.1 is usual)",
            lr,
            *steps.total_steps.sources,
        )


RULE = Rule(
    "O007",
    "excessive-weight-decay",
    Severity.WARNING,
    "Weight decay strong enough to erase the weights over the run.",
    check,
    __doc__,
    options={"max_weight_decay": 0.3, "min_budget": 0.1},
)
