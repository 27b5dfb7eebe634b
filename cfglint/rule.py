"""What a rule is, and what it sees when it runs.

A rule is a module in rules/ that defines `RULE = Rule(...)` with a check function. The check
reads the RuleContext (the document, its training plan, its schema issues) and yields
Violations; the engine turns them into Findings with the file, code and severity.
"""

from __future__ import annotations

from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from cfglint.document import Span
from cfglint.finding import Related, Severity, Violation
from cfglint.record import Record

if TYPE_CHECKING:
    from cfglint.compose.hydra import Composition
    from cfglint.dialects import Detection
    from cfglint.fixes import Fix
    from cfglint.document import Document
    from cfglint.plan import Setting, TrainingPlan
    from cfglint.references import Reference
    from cfglint.probe.report import ProbeReport
    from cfglint.schedule import StepPlan
    from cfglint.schema_check import SchemaIssue
    from cfglint.suppression import UnusedSuppression


class Rule(Record):
    """A rule's stable identity and its check function."""

    __slots__ = (
        "code",
        "name",
        "severity",
        "summary",
        "check",
        "doc",
        "options",
        "after_suppressions",
        "raised_by_engine",
    )

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        summary: str,
        check: Callable[[RuleContext], Iterable[Violation]],
        doc: str,
        options: Mapping[str, Any] = MappingProxyType({}),
        after_suppressions: bool = False,
        raised_by_engine: bool = False,
    ) -> None:
        self.code = code  # stable, a capital letter and three digits: "T001"
        self.name = name  # stable, kebab-case: "warmup-exceeds-training"
        self.severity = severity
        self.summary = summary
        self.check = check
        # The module docstring: why the rule exists, then "Fails:" and "Passes:" examples.
        self.doc = doc
        # Option name -> default value; settings may override them, with the same type.
        self.options = options
        # Runs after inline suppressions are matched (it reports on the suppressions themselves).
        self.after_suppressions = after_suppressions
        # The engine raises its findings (a rule that failed); it has no check or examples of its own.
        self.raised_by_engine = raised_by_engine

    def help(self, markdown: bool = False) -> str:
        """The rule's documentation as `cfglint explain` prints it (plain text), or as Markdown
        for SARIF viewers and the language server's hover; one rendering, so they never drift apart."""
        if markdown:
            heading = f"**{self.code}** `{self.name}` (default severity: {self.severity})"
            options = "".join(f"\n- `{name}` (default: `{default!r}`)" for name, default in self.options.items())
            return f"{heading}\n\n{self.doc.strip()}\n" + (f"\nOptions:\n{options}\n" if options else "")
        options = "".join(f"\n  {name} (default: {default!r})" for name, default in self.options.items())
        return f"{self.code} ({self.name}) [{self.severity}]\n\n{self.doc.strip()}\n" + (f"\nOptions:{options}\n" if options else "")

    @property
    def reads_probe(self) -> bool:
        """P rules judge what `cfglint probe` measured: under `check` they have nothing to read."""
        return self.code.startswith("P")


class RuleSet:
    """The enabled rules as the engine runs them, split once rather than for every file: those
    that run before inline suppressions are matched and those after, each without the P rules
    when no probe ran; and the engine's own rule for a rule that fails."""

    __slots__ = ("rules", "internal", "_runs")

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.internal = next((rule for rule in rules if rule.raised_by_engine), None)
        self._runs: dict[bool, tuple[list[Rule], list[Rule]]] = {}

    def runs(self, probed: bool) -> tuple[list[Rule], list[Rule]]:
        """(before suppressions, after them): the rules to run on a file, with or without a probe."""
        if probed not in self._runs:
            running = [rule for rule in self.rules if probed or not rule.reads_probe]
            self._runs[probed] = ([r for r in running if not r.after_suppressions], [r for r in running if r.after_suppressions])
        return self._runs[probed]


class FileAnalysis:
    """Everything the rules share about one file, each part computed once."""

    def __init__(
        self,
        document: Document,
        detection: Detection | None,
        plan: TrainingPlan | None,
        family: str | None = None,
        json_schema: dict | None = None,
        schema_problem: SchemaIssue | None = None,
        probe: ProbeReport | None = None,
        tie: tuple[str, ...] = (),
    ) -> None:
        self.document = document
        self.detection = detection
        self.plan = plan
        # A seed family's name (validated against its generated schema), or a user's JSON Schema.
        self.family = family
        self.json_schema = json_schema
        # A schema named by the file that cannot be used (missing, not JSON).
        self.schema_problem = schema_problem
        # What `cfglint probe` measured for this config; None under `check`.
        self.probe = probe
        # Dialects whose markers scored equally high, so none was chosen ("name (score: keys)").
        self.tie = tie
        # The local JSON Schema file read for this document (present or not), for the cache key.
        self.schema_file: str | None = None
        # The files the config names (a DeepSpeed JSON), read with it (cfglint.references).
        self.references: list[Reference] = []
        # Filled by the engine before the after_suppressions rules run.
        self.unused_suppressions: list[UnusedSuppression] = []
        # The Hydra composition (cfglint.compose.hydra.Composition) this document was built by, if any.
        self.composition: Composition | None = None

    @cached_property
    def steps(self) -> StepPlan | None:
        """Optimizer-step arithmetic for the plan, rounded as the dialect's training loop does."""
        return self.step_plan()

    def step_plan(self, plan: TrainingPlan | None = None, **omitted: int | None) -> StepPlan | None:
        """The step arithmetic, given what the config omits (steps_per_epoch, dataset_size, world_size),
        for the file's plan or, under the same dialect, a plan with some values changed."""
        from cfglint.schedule import step_plan

        plan = plan or self.plan
        if plan is None or self.detection is None:
            return None
        dialect = self.detection.dialect
        return step_plan(plan, dialect.rounding, derives_accumulation=dialect.derives_accumulation, max_steps_rule=dialect.max_steps_rule, **omitted)

    @cached_property
    def schema_issues(self) -> list[SchemaIssue]:
        from cfglint import schema_check

        if self.schema_problem is not None:
            return [self.schema_problem]
        if self.document.root is None:
            return []
        if self.json_schema is not None:
            return schema_check.validate_json_schema(self.document, self.json_schema)
        if self.family is not None:
            return schema_check.validate_family(self.document, self.family)
        return []


class RuleContext:
    """What a rule sees of one file: the analysis and the rule's own options (the engine
    reuses one context for every rule of a file, setting each rule's options in turn)."""

    __slots__ = ("analysis", "options")

    def __init__(self, analysis: FileAnalysis, options: Mapping[str, Any]) -> None:
        self.analysis = analysis
        self.options = options

    @property
    def document(self) -> Document:
        return self.analysis.document

    @property
    def plan(self) -> TrainingPlan | None:
        return self.analysis.plan

    @property
    def schema_issues(self) -> list[SchemaIssue]:
        return self.analysis.schema_issues

    @property
    def steps(self) -> StepPlan | None:
        return self.analysis.steps

    @property
    def probe(self) -> ProbeReport | None:
        return self.analysis.probe

    def optimizer_family(self) -> tuple[str | None, str]:
        """("adam", "adamw", "sgd" or None) and the optimizer's name as the config or dialect gives it."""
        (stated,) = self.settings("optimizer")
        detection = self.analysis.detection
        name = str(stated.value) if stated else (detection.dialect.default_optimizer if detection else None)
        if not name:
            return None, ""
        if detection and detection.dialect.adam_is_adamw and name.rsplit(".", 1)[-1].lower() in ("adam", "fusedadam"):
            return "adamw", f"{name} ({detection.dialect.title} decouples its weight decay, as AdamW does)"
        short = name.rsplit(".", 1)[-1].lower()
        if stated is not None and not stated.exact:
            # A name of a project's own (OpenPCDet's `adam_onecycle` decouples its weight decay)
            # says only that it is its own optimizer: only the plain names are known.
            return (short, name) if short in ("adamw", "adam", "sgd") else (None, name)
        for family in ("adamw", "adam", "sgd"):
            if short.startswith((family, f"fused{family}", f"paged_{family}")):
                return family, name
        return None, name

    def settings(self, *fields: str) -> tuple[Setting | None, ...]:
        """The plan's settings for these fields; all None when the file has no plan."""
        plan = self.analysis.plan
        if plan is None:
            return (None,) * len(fields)
        return tuple([plan.get(name) for name in fields])  # a list first: faster than a generator, for a hot call


def composition_problems(ctx: RuleContext, kinds: tuple[str, ...]):
    """Violations for what composing the config found, of these kinds, where each is written."""
    composition = ctx.analysis.composition
    for problem in composition.problems if composition is not None else ():
        if problem.kind in kinds:
            yield Violation(problem.span, problem.key, problem.message)


def top_of(doc: Document) -> Span:
    """Where a finding about the whole config goes: its first key (or the start of the file)."""
    root = doc.mapping
    if root is not None and root.entries:
        return root.entries[0].key.span
    return Span(1, 1, 1, 1, 0, 0)


def at_setting(setting: Setting, message: str, *related: Setting, severity: Severity | None = None, fix: Fix | None = None) -> Violation:
    """A violation at a plan setting's value, naming the other settings involved."""
    others = {id(other): other for other in related if other is not setting}
    return Violation(
        setting.node.span,
        setting.key,
        message,
        tuple(Related(other.key, other.node.span) for other in others.values()),
        severity,
        fix,
    )
