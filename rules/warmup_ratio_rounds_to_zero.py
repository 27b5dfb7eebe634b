"""A warmup ratio so small that it gives no warmup step at all.

Why: frameworks turn `warmup_ratio` into whole optimizer steps; on a short run (or a large
accumulation) 0.01 of a few dozen steps rounds down to 0 and the run starts at the full
learning rate, which is what the warmup was meant to prevent.

Fails:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 1, "steps_per_epoch": 640,
 "gradient_accumulation_steps": 16, "warmup_ratio": 0.01}
```

Passes:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 1, "steps_per_epoch": 640,
 "gradient_accumulation_steps": 16, "warmup_ratio": 0.1}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    (ratio,) = ctx.settings("warmup_ratio")
    steps = ctx.steps
    if ratio is None or ratio.value <= 0 or steps is None or steps.warmup_steps is None or steps.warmup_steps.sources[0] is not ratio:
        return
    if steps.rounding == "unknown":
        return  # a loop that rounds up still warms up for one step
    if steps.warmup_steps.value == 0:
        total = steps.total_steps
        yield at_setting(
            ratio,
            f"{ratio} of {total.describe('optimizer steps')} is {steps.warmup_steps.how.split(', ')[0].split(' = ')[-1]} "
            f"steps, which rounds to 0: the run starts at its full learning rate; use a ratio of at least "
            f"{1 / total.value:.2g} or set warmup_steps",
            *total.sources,
        )


RULE = Rule("T003", "warmup-ratio-rounds-to-zero", Severity.WARNING, "A warmup ratio that gives no warmup step.", check, __doc__)
