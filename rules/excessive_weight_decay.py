"""Weight decay strong enough to erase the weights over the run.

Why: decoupled weight decay multiplies every weight by (1 - lr x wd) each step, so weights
forget on a timescale of 1 / (lr x wd) steps (Wang & Aitchison 2024, "How to set AdamW's weight
decay as you scale model and dataset size"). Published recipes run for a few to a few dozen
timescales (DINOv2: about 19, GPT-3-style pre-training: about 3); a run of more than 50 timescales
is decayed so hard that the weights track only the last few percent of the data. A decay above
0.3 is outside every published recipe (0.01-0.1 is usual).

Options `max_weight_decay` (default 0.3) and `max_timescales` (default 50).

Fails:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: constant
learning_rate: 0.001
weight_decay: 0.5
max_steps: 10000
```

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: constant
learning_rate: 0.001
weight_decay: 0.1
max_steps: 1000000
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
    if lr is None or steps is None or steps.total_steps is None or steps.total_steps.bound:
        return
    curve = lr_curve(ctx.plan, steps)
    mean_lr = sum(value for _, value in curve.points) / len(curve.points) if curve and curve.unit == "step" else lr.value
    if mean_lr <= 0:
        return
    timescale = 1 / (mean_lr * decay.value)
    runs = steps.total_steps.value / timescale
    if runs > ctx.options["max_timescales"]:
        yield at_setting(
            decay,
            f"{decay} with a mean learning rate of {mean_lr:.3g} gives weights a memory of 1 / (lr x wd) = "
            f"{number(round(timescale))} steps, and the run is {runs:.0f} of those ({number(steps.total_steps.value)} "
            "optimizer steps): decay wipes out all but the most recent updates; lower it (0.01-0.1 is usual)",
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
    options={"max_weight_decay": 0.3, "max_timescales": 50.0},
)
