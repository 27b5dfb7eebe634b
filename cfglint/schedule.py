"""Step arithmetic and the learning-rate curve a config implies.

Frameworks count training in different units: micro-batches, optimizer steps (one per
`gradient_accumulation_steps` micro-batches), epochs, ratios of the run. Rules compare
quantities only after converting them here to optimizer steps, and every derived number keeps
how it was derived, so a message can show its arithmetic.

Rounding follows the dialect's training loop (Dialect.rounding):
- "epoch-ceil": Hugging Face Trainer and axolotl: ceil(micro-batches per epoch / accumulation)
  optimizer steps per epoch (the last partial window still steps), ceil for warmup ratios;
- "epoch-floor": torchtune: floor per epoch (a partial window is dropped), capped by
  max_steps_per_epoch;
- "total-floor": hand-written loops (the seed families): floor(all micro-batches /
  accumulation) over the whole run, floor for warmup ratios;
- "unknown": the generic reading, which cannot know the loop: computed as "total-floor", and no
  rule decides on the rounding itself.

Bounds: a cap (`max_steps_per_epoch`, Lightning's `limit_train_batches`, a `max_steps` beside
the epochs where the first to end stops the run) gives an upper bound, "at most N" steps. A rule
may decide with a bound only where the answer holds for every length up to it (a warmup longer
than at most N steps is longer than the run).

Units: a duration read generically knows its unit (steps, iterations, epochs); steps and
iterations are compared only with durations in the same unit.
"""

from __future__ import annotations

import math

from cfglint.plan import Setting, TrainingPlan
from cfglint.record import Record

ROUNDING_NAMES = {
    "epoch-ceil": "rounded up per epoch, as the Hugging Face Trainer does",
    "epoch-floor": "rounded down per epoch, as torchtune does",
    "total-floor": "rounded down over the whole run, as a hand-written accumulation loop does",
    "unknown": "rounded down over the whole run; the training loop's own rounding is not known",
}


class Quantity(Record):
    """A derived number, how it was derived, and the settings it came from."""

    __slots__ = ("value", "how", "sources", "stated", "bound", "unit")

    def __init__(
        self,
        value: float,
        how: str,
        sources: tuple[Setting, ...] = (),
        stated: bool = False,
        bound: bool = False,
        unit: str = "steps",
    ) -> None:
        self.value = value
        self.how = how  # the arithmetic, or for a value the config states, its key
        self.sources = sources
        self.stated = stated
        self.bound = bound  # an upper bound: the true number is at most this
        self.unit = unit  # "steps" (optimizer steps) or "iterations" (a generic *_iters key)

    def describe(self, noun: str) -> str:
        """`warmup_steps (500)` for a stated value, `467 warmup steps (0.1 x 4,676 = ...)` for a derived one."""
        most = "at most " if self.bound else ""
        if self.unit != "steps":
            noun = noun.replace("optimizer steps", self.unit).replace("steps", self.unit)
        if self.stated:
            derived = self.sources[0].derived if self.sources else None
            return f"{most}{self.how} ({derived + ' = ' if derived else ''}{number(self.value)})"
        return f"{most}{number(self.value)} {noun} ({self.how})"


def step_unit(setting: Setting) -> str:
    """What a stated count of steps counts: optimizer steps, or iterations where a generic key says so."""
    return "iterations" if setting.unit == "iterations" else "steps"


def number(value: float) -> str:
    """1234567 -> "1,234,567"; 467.6 -> "467.6"; 3e-05 stays readable."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}" if abs(value) >= 1 else f"{value:.3g}"
    return f"{int(value):,}"


class StepPlan:
    """Optimizer-step arithmetic for one config: how many steps an epoch and the run take.

    step_plan() fills in the derived quantities it can; the rest stay None.
    """

    def __init__(self, rounding: str, accumulation: int, accumulation_setting: Setting | None, world_size: int, epochs: Setting | None) -> None:
        self.rounding = rounding
        self.accumulation = accumulation
        self.accumulation_setting = accumulation_setting
        self.world_size = world_size
        self.epochs = epochs
        # The epochs setting when it bounds the run's length (None where max_steps may decide alone).
        self.run_epochs: Setting | None = epochs
        self.micro_batches_per_epoch: Quantity | None = None
        self.optimizer_steps_per_epoch: Quantity | None = None
        self.total_micro_batches: Quantity | None = None
        self.total_steps: Quantity | None = None
        self.warmup_steps: Quantity | None = None
        self.notes: list[str] = []


def step_plan(
    plan: TrainingPlan,
    rounding: str,
    *,
    derives_accumulation: bool = False,
    max_steps_rule: str = "overrides",
    steps_per_epoch: int | None = None,
    dataset_size: int | None = None,
    world_size: int | None = None,
) -> StepPlan:
    """Optimizer-step arithmetic for a plan; the keyword arguments supply what a config omits."""
    accumulation_setting = plan.get("gradient_accumulation_steps")
    accumulation = accumulation_setting.value if accumulation_setting and accumulation_setting.value >= 1 else 1
    world_setting = plan.get("world_size")
    world = world_size or (world_setting.value if world_setting and world_setting.value >= 1 else 1)
    if derives_accumulation and accumulation_setting is None:
        derived = derived_accumulation(plan, world)
        if derived is not None:
            accumulation, accumulation_setting = derived.value, derived.sources[0]
    epochs = plan.get("epochs")
    steps = StepPlan(rounding, accumulation, accumulation_setting, world, epochs)
    steps.micro_batches_per_epoch = _micro_batches_per_epoch(plan, steps, steps_per_epoch, dataset_size)
    _optimizer_steps(plan, steps, max_steps_rule)
    steps.warmup_steps = _warmup(plan, steps)
    return steps


def derived_accumulation(plan: TrainingPlan, world: int) -> Quantity | None:
    """global_batch_size // (world x micro-batch), as litgpt computes it (the remainder is dropped)."""
    global_batch, micro = plan.get("global_batch_size"), plan.get("batch_size")
    if global_batch is None or micro is None or micro.value <= 0:
        return None
    value = max(global_batch.value // (world * micro.value), 1)
    how = f"{global_batch.value} ({global_batch.key}) // ({world} devices x {micro.value} ({micro.key})) = {value}"
    return Quantity(value, how, (global_batch, micro))


def _micro_batches_per_epoch(plan: TrainingPlan, steps: StepPlan, override: int | None, dataset_size: int | None) -> Quantity | None:
    found = _dataset_batches(plan, steps, override, dataset_size)
    cap = plan.get("max_batches_per_epoch")
    if cap is None or isinstance(cap.value, float) or cap.value < 1 or (found is not None and found.value <= cap.value):
        return found  # a float is a share of the epoch, not a count
    if found is not None:
        return Quantity(cap.value, f"{found.how}, capped at {number(cap.value)} ({cap.key})", found.sources + (cap,))
    return Quantity(cap.value, cap.key, (cap,), stated=True, bound=True)


def _dataset_batches(plan: TrainingPlan, steps: StepPlan, override: int | None, dataset_size: int | None) -> Quantity | None:
    if override:
        return Quantity(override, "--steps-per-epoch", stated=True)
    stated = plan.get("steps_per_epoch")
    if stated and stated.value > 0:
        return Quantity(stated.value, stated.key, (stated,), stated=True)
    size_setting = plan.get("dataset_size")
    size = dataset_size or (size_setting.value if size_setting else None)
    batch = plan.get("batch_size")
    if size and batch and batch.value > 0:
        per_replica = batch.value * steps.world_size
        value = math.ceil(size / per_replica)
        source = "--dataset-size" if dataset_size else size_setting.key
        world = f" x {steps.world_size} replicas" if steps.world_size > 1 else ""
        how = f"ceil({number(size)} samples ({source}) / ({batch.value} per batch ({batch.key}){world})) = {number(value)}"
        return Quantity(value, how, (batch,) + ((size_setting,) if size_setting and not dataset_size else ()))
    return None


def _rounder(rounding: str):
    """How the dialect's loop rounds a partial count of optimizer steps: up for "epoch-ceil", else down."""
    return math.ceil if rounding == "epoch-ceil" else math.floor


def _optimizer_steps(plan: TrainingPlan, steps: StepPlan, max_steps_rule: str) -> None:
    accumulation = steps.accumulation
    acc_text = f"{accumulation} ({steps.accumulation_setting.key})" if steps.accumulation_setting else "1"
    acc_sources = (steps.accumulation_setting,) if steps.accumulation_setting else ()
    micro = steps.micro_batches_per_epoch
    cap = plan.get("max_steps_per_epoch")
    if micro is None and cap is not None and cap.value > 0:
        steps.optimizer_steps_per_epoch = Quantity(cap.value, cap.key, (cap,), stated=True, bound=True)
    if micro is not None:
        if steps.rounding in ("total-floor", "unknown"):
            per_epoch = micro.value / accumulation
            steps.optimizer_steps_per_epoch = Quantity(per_epoch, f"{number(micro.value)} / {acc_text} = {number(per_epoch)}", micro.sources + acc_sources, bound=micro.bound)
        else:
            rounder = _rounder(steps.rounding)
            per_epoch = max(rounder(micro.value / accumulation), 1 if rounder is math.ceil else 0)
            how = f"{'ceil' if rounder is math.ceil else 'floor'}({number(micro.value)} / {acc_text}) = {number(per_epoch)}"
            if cap and 0 < cap.value < per_epoch:
                how += f", capped at {number(cap.value)} ({cap.key})"
                per_epoch = cap.value
            steps.optimizer_steps_per_epoch = Quantity(per_epoch, how, micro.sources + acc_sources, bound=micro.bound)
    by_epochs = _steps_from_epochs(steps, micro, acc_text, acc_sources)
    max_steps = plan.get("max_steps")
    if not (max_steps and max_steps.value > 0):
        steps.total_steps = by_epochs
        return
    stated = Quantity(max_steps.value, max_steps.key, (max_steps,), stated=True, unit=step_unit(max_steps))
    if max_steps_rule == "overrides" or (max_steps_rule == "first" and steps.epochs is None):
        # With no epochs set, Lightning runs max_steps exactly (max_epochs becomes -1).
        steps.total_steps, steps.run_epochs = stated, None
    elif by_epochs is None or stated.unit != by_epochs.unit:
        # Lightning stops at whichever comes first; a loop of one's own may do either: at most max_steps.
        steps.total_steps = stated.replace(bound=True)
        steps.run_epochs = steps.epochs if max_steps_rule == "first" else None
    elif max_steps_rule == "first":
        shorter = by_epochs if by_epochs.value < stated.value else stated
        steps.total_steps = shorter.replace(bound=by_epochs.bound)
    elif not by_epochs.bound and by_epochs.value >= stated.value:
        steps.total_steps, steps.run_epochs = stated, None  # max_steps ends the run either way
    else:  # the epochs may end first, or a loop that honours max_steps alone trains longer
        steps.total_steps, steps.run_epochs = stated.replace(bound=True), None


def _steps_from_epochs(steps: StepPlan, micro: Quantity | None, acc_text: str, acc_sources: tuple) -> Quantity | None:
    """Optimizer steps in the whole run, from the epochs (an upper bound under a per-epoch cap)."""
    epochs = steps.epochs
    accumulation = steps.accumulation
    if epochs is None or epochs.value <= 0:
        return None
    if micro is None:
        per_epoch = steps.optimizer_steps_per_epoch
        if per_epoch is None:
            return None
        total = math.floor(per_epoch.value * epochs.value)
        most = "at most " if per_epoch.bound else ""
        how = f"{most}{number(per_epoch.value)} per epoch ({per_epoch.how}) x {number(epochs.value)} ({epochs.key}) = {number(total)}"
        return Quantity(total, how, per_epoch.sources + (epochs,), bound=per_epoch.bound)
    total_micro = micro.value * epochs.value
    steps.total_micro_batches = Quantity(total_micro, f"{number(micro.value)} x {number(epochs.value)} ({epochs.key}) = {number(total_micro)}", micro.sources + (epochs,), bound=micro.bound)
    sources = micro.sources + (epochs,) + acc_sources
    if steps.rounding in ("total-floor", "unknown"):
        total = math.floor(total_micro / accumulation)
        how = f"{number(total_micro)} micro-batches / {acc_text} = {number(total_micro / accumulation)}, rounded down: {number(total)}"
    else:
        per_epoch = steps.optimizer_steps_per_epoch.value  # type: ignore[union-attr]
        total = _rounder(steps.rounding)(per_epoch * epochs.value)
        how = f"{number(per_epoch)} per epoch x {number(epochs.value)} ({epochs.key}) = {number(total)}"
    return Quantity(total, how, sources, bound=micro.bound)


def _warmup(plan: TrainingPlan, steps: StepPlan) -> Quantity | None:
    warmup = plan.get("warmup_steps")
    if warmup is not None and warmup.value >= 1:
        return Quantity(warmup.value, warmup.key, (warmup,), stated=True, unit=step_unit(warmup))
    ratio = plan.get("warmup_ratio")
    # A ratio outside [0, 1] is reported as out of range; no arithmetic builds on it.
    if ratio is not None and 0 <= ratio.value <= 1 and steps.total_steps is not None:
        exact = ratio.value * steps.total_steps.value
        rounder = _rounder(steps.rounding)
        value = rounder(exact)
        how = f"{ratio.value:g} ({ratio.key}) x {number(steps.total_steps.value)} = {number(exact)}, rounded {'up' if rounder is math.ceil else 'down'}: {number(value)}"
        total = steps.total_steps
        return Quantity(value, how, (ratio,) + total.sources, bound=total.bound, unit=total.unit)
    epochs = plan.get("warmup_epochs")
    if epochs is not None and steps.optimizer_steps_per_epoch is not None:
        per_epoch = steps.optimizer_steps_per_epoch
        value = math.floor(epochs.value * per_epoch.value)
        how = f"{number(epochs.value)} ({epochs.key}) x {number(per_epoch.value)} per epoch = {number(value)}"
        return Quantity(value, how, (epochs,) + per_epoch.sources, bound=per_epoch.bound)
    return None


# A warmup longer than this share of the run is implausible; as a share it is usual below it.
PLAUSIBLE_WARMUP_SHARE = 0.25


def warmup_in_micro_batches(steps: StepPlan) -> bool:
    """A stated warmup too long as optimizer steps, but ordinary once divided by the accumulation."""
    warmup, total = steps.warmup_steps, steps.total_steps
    if warmup is None or not warmup.stated or total is None or total.value <= 0 or steps.accumulation <= 1 or total.bound:
        return False
    share = warmup.value / total.value
    return share > PLAUSIBLE_WARMUP_SHARE and share / steps.accumulation <= PLAUSIBLE_WARMUP_SHARE


class WarmupShare(Record):
    """Warmup against the length of training, in the unit both are known in."""

    __slots__ = ("warmup", "warmup_text", "duration_text", "related", "share", "unit", "duration")

    def __init__(
        self,
        warmup: Setting,
        warmup_text: str,
        duration_text: str,
        related: tuple[Setting, ...],
        share: float,
        unit: str,
        duration: Setting | None = None,
    ) -> None:
        self.warmup = warmup  # where a finding goes
        self.warmup_text = warmup_text  # "warmup_epochs (8)", "467 warmup steps (0.1 x ...)"
        self.duration_text = duration_text
        self.related = related
        self.share = share
        self.unit = unit  # "epochs", "steps" (of training) or "schedule" (the scheduler's own length)
        self.duration = duration  # the epochs setting, when compared in epochs


def warmup_share(plan: TrainingPlan, steps: StepPlan | None) -> WarmupShare | None:
    """Epochs against epochs when both are in epochs, else optimizer steps, else the scheduler's length.

    Against a bound on the run the share is at least the one returned, which is all the rules
    (a warmup longer than the run, or than a quarter of it) need; a warmup that is itself only
    bounded is compared only as a ratio of the run.
    """
    warmup_epochs = plan.get("warmup_epochs")
    epochs = steps.run_epochs if steps is not None else plan.get("epochs")
    if warmup_epochs and epochs and epochs.value > 0:
        return WarmupShare(warmup_epochs, str(warmup_epochs), str(epochs), (epochs,), warmup_epochs.value / epochs.value, "epochs", epochs)
    if steps is not None and warmup_in_micro_batches(steps):
        return None  # a unit mistake, which scheduler-length-mismatch reports
    warmup, total = (steps.warmup_steps, steps.total_steps) if steps else (None, None)
    from_ratio = warmup is not None and plan.get("warmup_ratio") in warmup.sources[:1]
    if warmup and total and total.value > 0 and warmup.unit == total.unit and (from_ratio or not warmup.bound):
        return WarmupShare(
            warmup.sources[0],
            warmup.describe("warmup steps"),
            total.describe("optimizer steps of training"),
            total.sources,
            warmup.value / total.value,
            "steps",
        )
    warmup_steps, length = plan.get("warmup_steps"), plan.get("scheduler_steps")
    if warmup_steps and length and length.value > 0 and warmup_steps.value >= 1 and step_unit(warmup_steps) == step_unit(length):
        return WarmupShare(warmup_steps, str(warmup_steps), str(length), (length,), warmup_steps.value / length.value, "schedule")
    return None


# --- the learning-rate curve -------------------------------------------------------------


class Curve(Record):
    """Learning rate at sample points of the run; `unit` is "step" or "epoch"."""

    __slots__ = ("unit", "length", "warmup", "shape", "peak", "floor", "points", "note")

    def __init__(
        self,
        unit: str,
        length: float,
        warmup: float,
        shape: str,
        peak: float,
        floor: float,
        points: tuple[tuple[float, float], ...],
        note: str = "",
    ) -> None:
        self.unit = unit
        self.length = length
        self.warmup = warmup
        self.shape = shape  # "cosine", "linear", "constant", "plateau"
        self.peak = peak
        self.floor = floor
        self.points = points
        self.note = note

    def at(self, position: float) -> float:
        return _lr(position, self.length, self.warmup, self.shape, self.peak, self.floor)


def _shape(plan: TrainingPlan) -> tuple[str, str]:
    scheduler = plan.get("scheduler")
    text = str(scheduler.value).lower() if scheduler else ""
    if "plateau" in text:
        return "plateau", "ReduceLROnPlateau cuts the rate only when the monitored metric stalls; drawn as constant"
    if "cos" in text:
        return "cosine", ""
    if "linear" in text or "decay" in text or "polynomial" in text:
        return "linear", ""
    if not text:
        return "constant", "no scheduler stated: constant after warmup"
    return "constant", "" if "constant" in text else f"scheduler {scheduler.value!r} drawn as constant after warmup"


def _lr(position: float, length: float, warmup: float, shape: str, peak: float, floor: float, hold: float = 0.0, periodic: bool = False) -> float:
    """Linear warmup, `hold` steps at the peak, then the decay to `floor` at `length`; past it a
    periodic cosine rises again (its progress is not clamped) and anything else stays at the floor."""
    if warmup > 0 and position < warmup:
        return peak * position / warmup
    if shape in ("constant", "plateau") or length <= warmup + hold or position < warmup + hold:
        return peak
    progress = (position - warmup - hold) / (length - warmup - hold)
    if shape == "cosine":
        progress = progress if periodic else min(1.0, progress)
        return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))
    return peak - (peak - floor) * min(1.0, progress)


def lr_curve(plan: TrainingPlan, steps: StepPlan, samples: int = 200) -> Curve | None:
    """The curve sized to the run (the scheduler's length taken as the run's), in optimizer steps
    when they are known, else in epochs; None without a peak LR. `configured_schedule` is the
    one the config sets."""
    rates = _rates(plan)
    if rates is None:
        return None
    peak, floor, shape, note = rates
    if steps.total_steps is not None:
        unit, length = "step", float(steps.total_steps.value)
        warmup = float(steps.warmup_steps.value) if steps.warmup_steps else 0.0
    elif steps.epochs is not None:
        unit, length = "epoch", float(steps.epochs.value)
        warmup = _warmup_epochs(plan)
    else:
        return None
    if length <= 0:
        return None
    points = tuple((length * i / samples, _lr(length * i / samples, length, warmup, shape, peak, floor)) for i in range(samples + 1))
    return Curve(unit, length, warmup, shape, peak, floor, points, note)


def _rates(plan: TrainingPlan) -> tuple[float, float, str, str | None] | None:
    """(peak, floor, shape, note on the shape) of the plan's learning rate; None without a peak."""
    lr = plan.get("learning_rate")
    if lr is None:
        return None
    floor = plan.get("min_lr")
    return (lr.value, floor.value if floor else 0.0, *_shape(plan))


def _warmup_epochs(plan: TrainingPlan) -> float:
    warmup = plan.get("warmup_epochs")
    return float(warmup.value) if warmup else 0.0


# What a scheduler does past its configured length, by the key that sizes it, where the code is
# known: Hugging Face's get_cosine_schedule_with_warmup (transformers optimization.py,
# `max(0.0, 0.5 * (1.0 + cos(pi * num_cycles * 2.0 * progress)))` with progress not clamped) and
# gpt-neox's AnnealingLR (cfglint.dialects.gpt_neox) start a cosine rising again, as PyTorch's
# CosineAnnealingLR does past T_max; their linear schedules stay at the floor (Hugging Face's
# is `max(0.0, ...)`).
RISES_AGAIN = {
    "num_training_steps": "Hugging Face's schedules with warmup",
    "lr_decay_iters": "gpt-neox's AnnealingLR",
}


class Schedule(Record):
    """The learning rate as the config sets it: the scheduler's own length, warmup and floor,
    over the run's optimizer steps (`unit` "step"), or over epochs where steps are unknown.

    `run` is the run's length (None where unknown); `after` is what the scheduler does past
    `length`: "rises" (a cosine that starts again), "floor", or "unknown" (the curve stops there).
    """

    __slots__ = ("unit", "run", "length", "length_text", "warmup", "hold", "shape", "peak", "floor", "after", "notes")

    def __init__(
        self,
        unit: str,
        run: float | None,
        length: float,
        length_text: str,
        warmup: float,
        hold: float,
        shape: str,
        peak: float,
        floor: float,
        after: str,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.unit = unit
        self.run = run
        self.length = length
        self.length_text = length_text  # "scheduler.num_training_steps = 74,823 steps", "the run's 1,000 steps (...)"
        self.warmup = warmup
        self.hold = hold
        self.shape = shape
        self.peak = peak
        self.floor = floor
        self.after = after
        self.notes = notes

    @property
    def span(self) -> float:
        """The x-axis: the run where its length is known, else the scheduler's length."""
        return self.run if self.run is not None else self.length

    @property
    def end(self) -> float:
        """The last position the curve is known at."""
        if self.after == "unknown" and self.shape not in ("constant", "plateau"):
            return min(self.span, self.length)
        return self.span

    def at(self, position: float) -> float | None:
        """The rate at a position; None past the scheduler's end where what it does there is unknown."""
        if position > self.end:
            return None
        return _lr(position, self.length, self.warmup, self.shape, self.peak, self.floor, self.hold, self.after == "rises")

    def points(self, samples: int = 10_000) -> tuple[tuple[float, float], ...]:
        """The rate at up to `samples` + 1 whole steps (every step of a shorter run) up to the end."""
        end = self.end
        count = max(1, min(samples, int(end))) if self.unit == "step" else samples
        positions = sorted({round(end * i / count) if self.unit == "step" else end * i / count for i in range(count + 1)})
        return tuple((float(x), self.at(x)) for x in positions)  # type: ignore[misc]


def configured_schedule(plan: TrainingPlan, steps: StepPlan) -> Schedule | None:
    """The schedule as configured; None without a peak learning rate or any length."""
    rates = _rates(plan)
    if rates is None:
        return None
    peak, floor, shape, note = rates
    notes = (note,) if note else ()
    total, length_setting, decay = steps.total_steps, plan.get("scheduler_steps"), plan.get("decay_steps")
    if total is None and length_setting is None and decay is None:
        epochs = steps.epochs
        if epochs is None or epochs.value <= 0:
            return None
        return Schedule("epoch", float(epochs.value), float(epochs.value), f"the run's {number(epochs.value)} epochs ({epochs.key})", _warmup_epochs(plan), 0.0, shape, peak, floor, "floor", notes)
    warmup = float(steps.warmup_steps.value) if steps.warmup_steps else 0.0
    hold_setting = plan.get("hold_steps") if decay is not None else None
    hold = float(hold_setting.value) if hold_setting else 0.0
    run = float(total.value) if total is not None and total.value > 0 else None
    if total is not None and total.bound:
        notes += (f"the run takes at most {number(total.value)} steps ({total.how}): drawn to that bound",)
    if decay is not None:
        length = warmup + hold + decay.value
        parts = [f"{number(warmup)} warmup"] + ([f"{number(hold)} hold ({hold_setting.key})"] if hold_setting else []) + [f"{number(decay.value)} decay ({decay.key})"]
        length_text, after, unit_setting = " + ".join(parts) + f" = {number(length)} {step_unit(decay)}", "floor", decay
        notes += ("after its decay the schedule trains at the floor rate",)
    elif length_setting is not None and length_setting.value > 0:
        length, unit_setting = float(length_setting.value), length_setting
        length_text = f"{length_setting.key} = {number(length_setting.value)} {step_unit(length_setting)}"
        source = RISES_AGAIN.get(length_setting.name)
        after = "unknown" if source is None else "rises" if shape == "cosine" else "floor"
        if run is not None and length < run and shape not in ("constant", "plateau"):
            if source is None:
                notes += (f"what this scheduler does after its {number(length)} steps is not known: the curve stops there",)
            else:
                then = "the cosine rises again" if after == "rises" else "the rate stays at the floor"
                notes += (f"after its {number(length)} steps {then}, as in {source}",)
    elif run is not None:
        length, after, unit_setting = run, "floor", None
        length_text = f"the run's {number(run)} {total.unit} (no scheduler length stated)"  # type: ignore[union-attr]
    else:
        return None
    if unit_setting is not None and total is not None and step_unit(unit_setting) != total.unit:
        notes += (f"{unit_setting.key} counts {step_unit(unit_setting)} and the run {total.unit}: drawn as one {step_unit(unit_setting)[:-1]} per {total.unit[:-1]}",)
    if run is None:
        notes += ("the run's length in optimizer steps is not known: drawn over the scheduler's length",)
    return Schedule("step", run, length, length_text, warmup, hold, shape, peak, floor, after, notes)


SPARK = "▁▂▃▄▅▆▇█"


def sparkline(schedule: Schedule, top: float, width: int = 60) -> str:
    """The rate across the x-axis in `width` bars scaled to `top`; blank past the curve's end."""
    values = [schedule.at(schedule.span * i / (width - 1)) for i in range(width)]
    top = top or 1.0
    return "".join(" " if value is None else SPARK[min(len(SPARK) - 1, int(value / top * (len(SPARK) - 1) + 0.5))] for value in values)
