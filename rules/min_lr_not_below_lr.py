"""The learning-rate floor (min_lr) is not below the peak learning rate.

Why: a cosine or plateau schedule decays from the peak towards min_lr; a floor at or above the
peak makes the "decay" flat or rising, so the run never anneals. Usually min_lr and the
learning rate were edited separately (the forecasting config has lr 1e-3 and floor 1e-6).

Fails:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
learning_rate: 0.0001
min_lr: 0.001
```

Passes:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
learning_rate: 0.001
min_lr: 1.0e-6
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    floor, lr = ctx.settings("min_lr", "learning_rate")
    if floor and lr and lr.value > 0 and floor.value >= lr.value:
        yield at_setting(
            floor,
            f"{floor} >= {lr}: the schedule cannot decay below its peak; set {floor.name} well below "
            f"{lr.value:g} (commonly 1/100 to 1/1000 of it)",
            lr,
        )


RULE = Rule("T007", "min-lr-not-below-lr", Severity.ERROR, "min_lr is not below the peak learning rate.", check, __doc__)
