"""An epoch has fewer micro-batches than one accumulation window.

Why: the optimizer steps once per gradient_accumulation_steps micro-batches; an epoch shorter
than that either never steps (loops that reset the window each epoch) or mixes gradients across
epochs. Usually a small debugging dataset kept a production accumulation.

Fails:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 3, "steps_per_epoch": 10,
 "gradient_accumulation_steps": 16}
```

Passes:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 3, "steps_per_epoch": 24941,
 "gradient_accumulation_steps": 16}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import number


def check(ctx: RuleContext):
    steps = ctx.steps
    if steps is None or steps.micro_batches_per_epoch is None or steps.accumulation_setting is None:
        return
    micro = steps.micro_batches_per_epoch
    if 0 < micro.value < steps.accumulation:
        yield at_setting(
            steps.accumulation_setting,
            f"an epoch has {micro.describe('micro-batches')}, fewer than one accumulation window of {steps.accumulation}: "
            f"the optimizer may never step within an epoch; lower the accumulation to at most {number(micro.value)}",
            *micro.sources,
        )


RULE = Rule("B003", "epoch-shorter-than-accumulation", Severity.WARNING, "An epoch shorter than one accumulation window.", check, __doc__)
