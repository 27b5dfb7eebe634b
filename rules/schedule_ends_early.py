"""A learning-rate schedule in phases that ends before the run does, or runs past its end.

Why: frameworks that schedule in phases (gpt-neox, nanotron, fairseq's tri-stage, torchtitan)
count the warmup, a constant phase and the decay separately from the run's length. When warmup +
hold + decay is far shorter than the run, the rate reaches its floor early and the rest of the
run trains there: with a floor of 0 (many defaults) those steps learn nothing. When it is longer,
the decay is cut off and the rate never reaches its floor, which the schedule was chosen for.
Only checked where the run's exact length in optimizer steps is known.

Fix (unsafe): set the decay phase to the steps left after warmup and hold.

Fails:

```yaml
tokens:
  train_steps: 10000
  micro_batch_size: 4
  sequence_length: 2048
optimizer:
  learning_rate_scheduler:
    learning_rate: 0.0003
    lr_warmup_steps: 500
    lr_warmup_style: linear
    lr_decay_steps: 1500
    lr_decay_style: cosine
```

Passes:

```yaml
tokens:
  train_steps: 10000
  micro_batch_size: 4
  sequence_length: 2048
optimizer:
  learning_rate_scheduler:
    learning_rate: 0.0003
    lr_warmup_steps: 500
    lr_warmup_style: linear
    lr_decay_steps: 9500
    lr_decay_style: cosine
```
"""

from cfglint.finding import Severity
from cfglint.fixes import Applicability, set_value
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import number, step_unit

# The schedule may end this share of the run early (a short tail at the floor is a choice).
SHORT = 0.9
# Longer than the run by this share is more than rounding.
LONG = 0.01


def check(ctx: RuleContext):
    decay, hold, stated_warmup, ratio, epochs = ctx.settings("decay_steps", "hold_steps", "warmup_steps", "warmup_ratio", "warmup_epochs")
    steps = ctx.steps
    if decay is None or steps is None or steps.total_steps is None:
        return
    total = steps.total_steps
    if total.bound or total.value <= 0 or total.unit != step_unit(decay):
        return  # the run's exact length, in the schedule's unit, is not known
    warmup = steps.warmup_steps
    if warmup is None and (ratio or epochs or (stated_warmup and stated_warmup.value != 0)):
        return  # a warmup the arithmetic cannot place
    warmup_value = warmup.value if warmup is not None else 0
    hold_value = hold.value if hold is not None else 0
    horizon = warmup_value + hold_value + decay.value
    parts = [f"{number(warmup_value)} warmup"] + ([f"{number(hold_value)} hold"] if hold is not None else []) + [f"{number(decay.value)} decay"]
    arithmetic = " + ".join(parts) + f" = {number(horizon)} steps"
    left = total.value - warmup_value - hold_value
    sources = (warmup.sources if warmup is not None else ()) + ((hold,) if hold is not None else ()) + total.sources
    fix = None
    if left > 0:
        target = int(left) if float(left).is_integer() else left
        fix = set_value(ctx.document, decay.node, target, f"decay over the {number(left)} steps left after warmup{' and hold' if hold else ''}", Applicability.UNSAFE)
    if horizon < SHORT * total.value:
        tail = total.value - horizon
        (floor,) = ctx.settings("min_lr")
        rate = f", {floor}" if floor is not None else ""
        yield at_setting(
            decay,
            f"the learning-rate schedule ends at step {number(horizon)} ({arithmetic}), but the run takes "
            f"{total.describe('optimizer steps')}: the last {number(tail)} steps ({tail / total.value:.0%}) train at the floor rate{rate}; "
            f"set {decay.key} to {number(left)}",
            *sources,
            fix=fix,
        )
    elif horizon > total.value + max(1, LONG * total.value):
        advice = f"set {decay.key} to {number(left)}" if left > 0 else "shorten the warmup and hold, which alone outlast the run"
        yield at_setting(
            decay,
            f"the learning-rate schedule takes {arithmetic}, longer than the run's {total.describe('optimizer steps')}: "
            f"the decay is cut off and the rate never reaches its floor; {advice}",
            *sources,
            fix=fix,
        )


RULE = Rule("T011", "schedule-ends-early", Severity.WARNING, "A schedule in phases ends before the run does, or outlasts it.", check, __doc__)
