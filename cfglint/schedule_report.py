"""What `cfglint schedule` shows: the step arithmetic and the learning rate over the run."""

from __future__ import annotations

from cfglint.record import Record
from cfglint.rule import FileAnalysis
from cfglint.schedule import ROUNDING_NAMES, Curve, Quantity, StepPlan, lr_curve, number, sparkline
from cfglint.writer import write_copy


class ScheduleReport(Record):
    """What `cfglint schedule` shows for one file."""

    __slots__ = ("path", "analysis", "steps", "curve")

    def __init__(self, path: str, analysis: FileAnalysis, steps: StepPlan, curve: Curve | None) -> None:
        self.path = path
        self.analysis = analysis
        self.steps = steps
        self.curve = curve


def build(path: str, analysis: FileAnalysis, *, steps_per_epoch=None, dataset_size=None, world_size=None) -> ScheduleReport:
    steps = analysis.step_plan(steps_per_epoch=steps_per_epoch, dataset_size=dataset_size, world_size=world_size)
    assert analysis.plan is not None and steps is not None
    return ScheduleReport(path, analysis, steps, lr_curve(analysis.plan, steps))


def _row(label: str, quantity: Quantity | None, missing: str = "unknown") -> str:
    if quantity is None:
        return f"  {label:<28}{missing}"
    how = f"  ({quantity.how})" if quantity.how and quantity.how != number(quantity.value) else ""
    most = "at most " if quantity.bound else ""
    return f"  {label:<28}{most}{number(quantity.value)}{how}"


def render(report: ScheduleReport) -> str:
    steps, plan = report.steps, report.analysis.plan
    assert plan is not None
    lines = [f"{report.path}: {report.analysis.detection.describe()}", "", "Steps (" + ROUNDING_NAMES[steps.rounding] + ")"]
    lines.append(_row("micro-batches per epoch", steps.micro_batches_per_epoch, "unknown: pass --steps-per-epoch N or --dataset-size N"))
    if steps.epochs is not None:
        lines.append(f"  {'epochs':<28}{number(steps.epochs.value)}  ({steps.epochs.key})")
    lines.append(_row("micro-batches in total", steps.total_micro_batches))
    accumulation = f"  ({steps.accumulation_setting.key})" if steps.accumulation_setting else "  (not set)"
    lines.append(f"  {'gradient accumulation':<28}{steps.accumulation}{accumulation}")
    if steps.world_size > 1:
        lines.append(f"  {'world size':<28}{steps.world_size}")
    lines.append(_row("optimizer steps per epoch", steps.optimizer_steps_per_epoch))
    lines.append(_row("optimizer steps in total", steps.total_steps))
    warmup_epochs = plan.get("warmup_epochs")
    if steps.warmup_steps is None and warmup_epochs is not None:
        lines.append(f"  {'warmup':<28}{number(warmup_epochs.value)} epochs  ({warmup_epochs.key}; optimizer steps unknown)")
    else:
        lines.append(_row("warmup (optimizer steps)", steps.warmup_steps, "none"))
    scheduler_steps = plan.get("scheduler_steps")
    if scheduler_steps is not None:
        lines.append(f"  {'scheduler length':<28}{number(scheduler_steps.value)}  ({scheduler_steps.key})")
    curve = report.curve
    lines.append("")
    if curve is None:
        lines.append("Learning rate: unknown (no learning rate, or no length of training, in the config)")
        return "\n".join(lines)
    unit = curve.unit
    lines.append(f"Learning rate ({curve.shape}, peak {curve.peak:.3g}, floor {curve.floor:.3g}, over {number(curve.length)} {unit}s)")
    if curve.note:
        lines.append(f"  note: {curve.note}")
    if curve.warmup:
        lines.append(f"  {'end of warmup':<28}{curve.at(curve.warmup):.3e}  ({unit} {number(curve.warmup)})")
    for share in (25, 50, 75, 100):
        position = curve.length * share / 100
        lines.append(f"  {f'{share} % of training':<28}{curve.at(position):.3e}  ({unit} {number(round(position, 1))})")
    lines.append(f"  {sparkline(curve)}")
    return "\n".join(lines)


def plot(report: ScheduleReport, path: str) -> None:
    """Draw the curve to a PNG with matplotlib (the `plot` extra), marking warmup end and epochs;
    written like every cfglint output (raises cfglint.writer.WriteError)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = report.curve
    assert curve is not None
    figure, axes = plt.subplots(figsize=(8, 3.5))
    axes.plot([x for x, _ in curve.points], [y for _, y in curve.points], color="tab:blue")
    if curve.warmup:
        axes.axvline(curve.warmup, color="tab:orange", linestyle="--", label=f"end of warmup ({number(curve.warmup)})")
    per_epoch = report.steps.optimizer_steps_per_epoch
    if curve.unit == "step" and per_epoch is not None and per_epoch.value > 0 and curve.length / per_epoch.value <= 100:
        epoch = per_epoch.value
        while epoch < curve.length:
            axes.axvline(epoch, color="grey", linewidth=0.5, alpha=0.5)
            epoch += per_epoch.value
    axes.set_xlabel(f"optimizer {curve.unit}" if curve.unit == "step" else "epoch")
    axes.set_ylabel("learning rate")
    axes.set_title(report.path)
    if curve.warmup:
        axes.legend()
    figure.tight_layout()
    image = io.BytesIO()
    figure.savefig(image, format="png", dpi=100)
    plt.close(figure)
    write_copy(path, image.getvalue())
