"""ReduceLROnPlateau's patience or cooldown is as long as the whole run.

Why: the scheduler cuts the rate only after `patience` epochs without improvement (and waits
`cooldown` epochs after each cut); with patience or cooldown at or above the number of epochs it
can never fire, and the run trains at one learning rate, as the structure learner in the
incident reports did before it added a working plateau schedule (patience 3 of 100 epochs).

Fails:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
epochs: 10
scheduler:
  type: ReduceLROnPlateau
  factor: 0.5
  patience: 10
```

Passes:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
epochs: 100
scheduler:
  type: ReduceLROnPlateau
  factor: 0.5
  patience: 3
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    patience, cooldown = ctx.settings("plateau_patience", "plateau_cooldown")
    epochs = ctx.steps.run_epochs if ctx.steps is not None else None  # not where max_steps may end the run
    if epochs is None or epochs.value <= 0:
        return
    for setting in (patience, cooldown):
        if setting is not None and setting.value >= epochs.value:
            yield at_setting(
                setting,
                f"{setting} >= {epochs}: the plateau scheduler can never cut the learning rate in this run; "
                f"use a few epochs (3-10 % of the run)",
                epochs,
            )


RULE = Rule("T009", "plateau-never-fires", Severity.WARNING, "Plateau patience or cooldown as long as the run.", check, __doc__)
