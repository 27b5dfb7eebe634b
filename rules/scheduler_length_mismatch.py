"""The scheduler's own length disagrees with the optimizer steps the run will take.

Why: schedulers count optimizer steps, which under gradient accumulation are micro-batches
divided by gradient_accumulation_steps. The same goes for a warmup given in steps: one that is
implausibly long in optimizer steps but ordinary in micro-batches was counted in micro-batches. The distillation run in the incident reports sized its
cosine schedule at 74,823 (micro-batches) while the optimizer stepped 4,676 times (accumulation
16): the learning rate stayed in warmup for the whole run and the loss was flat. A length that
is the accumulation factor too large is an error; any other disagreement ends the schedule
early or late (warning).

Fix: a length sized in micro-batches is recomputed in optimizer steps (safe); a length that is
otherwise off (unsafe), and a warmup counted in micro-batches (unsafe), are set to the computed steps.

Fails:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 3, "steps_per_epoch": 24941,
 "gradient_accumulation_steps": 16, "warmup_ratio": 0.1,
 "scheduler": {"type": "cosine", "num_training_steps": 74823}}
```

Passes:

```json
{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 3, "steps_per_epoch": 24941,
 "gradient_accumulation_steps": 16, "warmup_ratio": 0.1,
 "scheduler": {"type": "cosine", "num_training_steps": 4676}}
```
"""

from cfglint.finding import Severity
from cfglint.fixes import Applicability, set_value
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import step_unit, warmup_in_micro_batches

# Off by less than this share is rounding (a last partial window, drop_last), not a mismatch.
TOLERANCE = 0.01


def check(ctx: RuleContext):
    steps = ctx.steps
    if steps is not None and warmup_in_micro_batches(steps):
        warmup, total = steps.warmup_steps, steps.total_steps
        optimizer_steps = int(warmup.value // steps.accumulation)
        yield at_setting(
            warmup.sources[0],
            f"{warmup.describe('warmup steps')} looks counted in micro-batches: it is {warmup.value / total.value:.0%} of "
            f"{total.describe('optimizer steps')}, but warmup counts optimizer steps; "
            f"{int(warmup.value)} / {steps.accumulation} = {optimizer_steps}: set it to {optimizer_steps}",
            *total.sources,
            severity=Severity.ERROR if warmup.value >= total.value else Severity.WARNING,
            fix=set_value(ctx.document, warmup.sources[0].node, optimizer_steps, f"count warmup in optimizer steps: {optimizer_steps}", Applicability.UNSAFE),
        )
    yield from _scheduler_length(ctx, steps)


def _scheduler_length(ctx: RuleContext, steps):
    (length,) = ctx.settings("scheduler_steps")
    if length is None or steps is None or steps.total_steps is None or steps.total_steps.value <= 0:
        return
    total = steps.total_steps
    if total.bound or total.unit != step_unit(length):
        return  # the run's exact length, in the scheduler's unit, is not known
    if abs(length.value - total.value) <= max(1, TOLERANCE * total.value):
        return
    accumulation = steps.accumulation
    micro = total.value * accumulation
    if accumulation > 1 and abs(length.value - micro) <= max(accumulation, TOLERANCE * micro):
        yield at_setting(
            length,
            f"{length} counts micro-batches, but the scheduler steps once per optimizer step: "
            f"{total.describe('optimizer steps')}; the schedule would run {accumulation}x too long and the "
            f"learning rate never leave warmup or decay; set it to {int(total.value)}",
            *total.sources,
            fix=set_value(ctx.document, length.node, int(total.value), f"size the scheduler in optimizer steps: {int(total.value)}", Applicability.SAFE),
        )
        return
    ending = "ends early and trains the rest at its final rate" if length.value < total.value else "never finishes: the rate never reaches its floor"
    yield at_setting(
        length,
        f"{length} differs from {total.describe('optimizer steps')}: the schedule {ending}; set it to {int(total.value)}",
        *total.sources,
        severity=Severity.WARNING,
        fix=set_value(ctx.document, length.node, int(total.value), f"set the scheduler length to {int(total.value)}", Applicability.UNSAFE),
    )


RULE = Rule("T006", "scheduler-length-mismatch", Severity.ERROR, "The scheduler's length disagrees with the optimizer steps.", check, __doc__)
