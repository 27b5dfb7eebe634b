"""What `cfglint schedule` shows: the step arithmetic and the learning rate over the run.

The curve is the schedule the config sets (the scheduler's own length, warmup and floor) over
the run's optimizer steps. Where a rule finds that length wrong, the schedule its fix sets is
shown beside it.
"""

from __future__ import annotations

import copy

from cfglint.finding import Finding
from cfglint.plan import TrainingPlan
from cfglint.record import Record
from cfglint.rule import FileAnalysis
from cfglint.schedule import ROUNDING_NAMES, Quantity, Schedule, StepPlan, configured_schedule, number, sparkline
from cfglint.writer import write_copy

# The rules that judge the scheduler's length (and warmup unit) against the run's optimizer steps:
# scheduler-length-mismatch and schedule-ends-early.
SCHEDULE_CODES = ("T006", "T011")


class ScheduleReport(Record):
    """What `cfglint schedule` shows for one file: the configured schedule, the finding that
    judges its length (if any) and the schedule that finding's fix sets, or why there is no curve."""

    __slots__ = ("path", "analysis", "steps", "configured", "finding", "intended", "missing")

    def __init__(
        self,
        path: str,
        analysis: FileAnalysis,
        steps: StepPlan,
        configured: Schedule | None,
        finding: Finding | None = None,
        intended: Schedule | None = None,
        missing: str = "",
    ) -> None:
        self.path = path
        self.analysis = analysis
        self.steps = steps
        self.configured = configured
        self.finding = finding
        self.intended = intended
        self.missing = missing  # why there is no curve


def build(path: str, analysis: FileAnalysis, findings: list[Finding], *, steps_per_epoch=None, dataset_size=None, world_size=None) -> ScheduleReport:
    """The report, from the file's analysis and the findings cfglint's rules gave it."""
    omitted = {"steps_per_epoch": steps_per_epoch, "dataset_size": dataset_size, "world_size": world_size}
    plan = analysis.plan
    steps = analysis.step_plan(**omitted)
    assert plan is not None and steps is not None
    configured = configured_schedule(plan, steps)
    if configured is None:
        return ScheduleReport(path, analysis, steps, None, missing=_missing(analysis, findings))
    finding = next((f for f in findings if f.code in SCHEDULE_CODES), None)
    intended = None
    if finding is not None and finding.fix is not None:
        fixed = _with_changes(plan, finding)
        fixed_steps = analysis.step_plan(fixed, **omitted) if fixed is not None else None
        intended = configured_schedule(fixed, fixed_steps) if fixed is not None and fixed_steps is not None else None
        if intended is not None and intended.points() == configured.points():
            intended = None
    return ScheduleReport(path, analysis, steps, configured, finding, intended)


def _with_changes(plan: TrainingPlan, finding: Finding) -> TrainingPlan | None:
    """The plan with the values the finding's fix sets (None when it sets none that the plan reads)."""
    sets = {change.path: change.value for change in finding.fix.changes if change.kind == "set"}  # type: ignore[union-attr]
    settings = {name: setting.replace(value=sets[setting.node.path]) if setting.node.path in sets else setting for name, setting in plan.settings.items()}
    if settings == plan.settings:
        return None
    fixed = copy.copy(plan)
    fixed.settings = settings
    return fixed


def _missing(analysis: FileAnalysis, findings: list[Finding]) -> str:
    """Why there is no curve: the learning rate is missing or not a number as the loader reads
    it (under yacs a quoted number is already the number), or no length is known."""
    from cfglint import loaders
    from cfglint.document import Scalar
    from cfglint.schema_check import describe_value

    plan = analysis.plan
    assert plan is not None and analysis.detection is not None
    problem = next((p for p in plan.type_problems if p.field == "learning_rate"), None)
    if problem is not None:
        setting = problem.setting
        loader = loaders.TITLES[loaders.of_file(analysis.detection.dialect.loader, analysis.document)]
        value = setting.value if setting.value is not None or not isinstance(setting.node, Scalar) else setting.node.value
        code = " (S002)" if any(f.code == "S002" and f.key == setting.key for f in findings) else ""
        refusal = "the optimizer would refuse it; write it as a number" if isinstance(value, str) else "not a number"
        return f"{setting.key} is {describe_value(value)} as {loader} reads it{code}: {refusal}"
    if plan.get("learning_rate") is None:
        if "learning_rate" in plan.written:
            return "the learning rate is not known before the run (a placeholder or reference, or text its loader may not read as a number)"
        return "the config states no learning rate"
    return "the config states no length of training (no steps, epochs or scheduler length)"


def _row(label: str, quantity: Quantity | None, missing: str = "unknown") -> str:
    if quantity is None:
        return f"  {label:<28}{missing}"
    how = f"  ({quantity.how})" if quantity.how and quantity.how != number(quantity.value) else ""
    most = "at most " if quantity.bound else ""
    return f"  {label:<28}{most}{number(quantity.value)}{how}"


def intended_label(report: ScheduleReport) -> str:
    assert report.finding is not None  # an intended schedule is the one a finding's fix sets
    return f"intended ({report.finding.code} fix)"


def finding_title(report: ScheduleReport) -> str:
    """`T006: scheduler runs 74,823 steps, training 4,676`: the finding, in the terms of the curve."""
    finding, configured = report.finding, report.configured
    assert finding is not None and configured is not None
    unit = configured.unit
    if configured.run is not None and configured.length != configured.run:
        return f"{finding.code}: scheduler runs {number(configured.length)} {unit}s, training {number(configured.run)}"
    intended = report.intended
    if intended is not None and intended.warmup != configured.warmup:
        return f"{finding.code}: warmup {number(configured.warmup)} {unit}s, {number(intended.warmup)} intended"
    return f"{finding.code}: {finding.name}"


def _rate(schedule: Schedule, position: float) -> str:
    value = schedule.at(position)
    return "unknown" if value is None else f"{value:.3e}"


def _describe(schedule: Schedule) -> str:
    return schedule.length_text + (f", warmup {number(schedule.warmup)}" if schedule.warmup else "")


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
    configured, intended = report.configured, report.intended
    lines.append("")
    if configured is None:
        lines.append(f"Learning rate: unknown ({report.missing})")
        return "\n".join(lines)
    unit = configured.unit
    lines.append(f"Learning rate ({configured.shape}, peak {configured.peak:.3g}, floor {configured.floor:.3g})")
    lines.append(f"  {'configured':<28}{_describe(configured)}")
    if intended is not None:
        lines.append(f"  {intended_label(report):<28}{_describe(intended)}")
    if report.finding is not None:
        lines.append(f"  {'finding':<28}{finding_title(report)}")
    lines.extend(f"  note: {note}" for note in configured.notes)
    schedules = (configured,) if intended is None else (configured, intended)
    if intended is not None:
        lines.append(f"  {'':<28}{'configured':<12}intended")
    if configured.warmup:
        rates = "".join(f"{_rate(s, configured.warmup):<12}" for s in schedules)
        lines.append(f"  {'end of warmup':<28}{rates}({unit} {number(configured.warmup)})")
    whole = "training" if configured.run is not None else "the schedule"
    for share in (25, 50, 75, 100):
        position = configured.span * share / 100
        rates = "".join(f"{_rate(s, position):<12}" for s in schedules)
        lines.append(f"  {f'{share} % of {whole}':<28}{rates}({unit} {number(round(position, 1))})")
    top = max(configured.peak, intended.peak if intended else 0)
    lines.append(f"  {'configured':<12}{sparkline(configured, top)}".rstrip())
    if intended is not None:
        lines.append(f"  {'intended':<12}{sparkline(intended, top)}".rstrip())
    return "\n".join(lines)


class Line(Record):
    """One curve or vertical mark of the plot: its legend label, its points (a mark: one x) and its style."""

    __slots__ = ("label", "points", "color", "style")

    def __init__(self, label: str, points: tuple[tuple[float, float], ...], color: str, style: str) -> None:
        self.label = label
        self.points = points
        self.color = color
        self.style = style  # a matplotlib linestyle: "-", "--", ":"


class Figure(Record):
    """What `--plot` draws, worked out without matplotlib: curves, vertical marks, title, x label."""

    __slots__ = ("title", "xlabel", "curves", "marks")

    def __init__(self, title: str, xlabel: str, curves: tuple[Line, ...], marks: tuple[Line, ...]) -> None:
        self.title = title
        self.xlabel = xlabel
        self.curves = curves
        self.marks = marks


CONFIGURED_COLOR, INTENDED_COLOR = "tab:blue", "tab:green"


def figure(report: ScheduleReport) -> Figure:
    """The configured curve (solid), the intended one (dashed) where a rule's fix sets one, and
    the end of warmup, the end of the scheduler (where it falls inside the run) and the end of the run."""
    configured, intended = report.configured, report.intended
    assert configured is not None
    unit = configured.unit
    curves = [Line(f"configured ({configured.length_text})", configured.points(), CONFIGURED_COLOR, "-")]
    if intended is not None:
        assert report.finding is not None
        curves.append(Line(f"intended ({report.finding.code} fix: {intended.length_text})", intended.points(), INTENDED_COLOR, "--"))
    marks = []
    if configured.warmup:
        marks.append(Line(f"end of warmup ({unit} {number(configured.warmup)})", ((configured.warmup, 0.0),), "tab:orange", ":"))
    if intended is not None and intended.warmup and intended.warmup != configured.warmup:
        marks.append(Line(f"end of intended warmup ({unit} {number(intended.warmup)})", ((intended.warmup, 0.0),), "tab:olive", ":"))
    if configured.run is not None and configured.length < configured.run:
        marks.append(Line(f"end of configured schedule ({unit} {number(configured.length)})", ((configured.length, 0.0),), "tab:purple", ":"))
    if configured.run is not None:
        marks.append(Line(f"end of run ({unit} {number(configured.run)})", ((configured.run, 0.0),), "tab:red", "-."))
    title = report.path + (f"\n{finding_title(report)}" if report.finding is not None else "")
    xlabel = f"optimizer {unit}" if unit == "step" else "epoch"
    return Figure(title, xlabel, tuple(curves), tuple(marks))


def plot(report: ScheduleReport, path: str) -> None:
    """Draw figure(report) to a PNG with matplotlib (the `plot` extra), with epoch boundaries in
    grey; written like every cfglint output (raises cfglint.writer.WriteError)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    drawn = figure(report)
    configured = report.configured
    assert configured is not None
    plotted, axes = plt.subplots(figsize=(8, 4.5))
    for curve in drawn.curves:
        axes.plot([x for x, _ in curve.points], [y for _, y in curve.points], color=curve.color, linestyle=curve.style, label=curve.label)
    for mark in drawn.marks:
        axes.axvline(mark.points[0][0], color=mark.color, linestyle=mark.style, label=mark.label)
    per_epoch = report.steps.optimizer_steps_per_epoch
    if configured.unit == "step" and per_epoch is not None and per_epoch.value > 0 and configured.span / per_epoch.value <= 100:
        epoch = per_epoch.value
        while epoch < configured.span:
            axes.axvline(epoch, color="grey", linewidth=0.5, alpha=0.5)
            epoch += per_epoch.value
    axes.set_xlim(0, configured.span * 1.02)
    axes.set_ylim(0, max(configured.peak, report.intended.peak if report.intended else 0) * 1.08)
    axes.set_xlabel(drawn.xlabel)
    axes.set_ylabel("learning rate")
    axes.set_title(drawn.title, fontsize=9)
    axes.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    plotted.tight_layout()
    image = io.BytesIO()
    plotted.savefig(image, format="png", dpi=100)
    plt.close(plotted)
    write_copy(path, image.getvalue())
