"""The temperature floor (min_temperature) is above the starting temperature.

Why: temperature annealing lowers T from `temperature` to `min_temperature`; a floor above the
start makes the schedule rise instead, or clamps T at the floor from the first step, so the
temperature the config shows is never used.

Fails:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": 2.0, "min_temperature": 4.0}
```

Passes:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": 2.0, "min_temperature": 1.0}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    floor, temperature = ctx.settings("min_temperature", "temperature")
    if floor and temperature and floor.value > temperature.value:
        yield at_setting(
            floor,
            f"{floor} > {temperature}: the annealed temperature would rise, or sit at the floor from the start; "
            f"set {floor.name} at or below {temperature.value:g}",
            temperature,
        )


RULE = Rule("K002", "min-temperature-above-temperature", Severity.ERROR, "min_temperature above temperature.", check, __doc__)
