"""Check one loaded document: choose its dialect, build its plan, run the rules, apply suppressions.

Nothing here reads files or prints; api.py feeds documents in and collects the findings.
"""

from __future__ import annotations

import os
import re

from cfglint import dialects, generic, loaders, rules
from cfglint.dialects import Detection
from cfglint.document import Document, Scalar, Span, format_path
from cfglint.finding import Finding, Related, Severity, Violation
from cfglint.fixes import Applicability
from cfglint.plan import TrainingPlan, build_plan
from cfglint.rule import FileAnalysis, Rule, RuleContext, RuleSet
from cfglint.schema_check import VIOLATION, SchemaIssue
from cfglint.settings import Settings
from cfglint.source import display_path as source_display
from cfglint.suppression import Suppressions, parse_directives

# Compiled on first use (re caches them): most configs name no schema.
_MODELINE = r"(?m)^\s*#\s*yaml-language-server\s*:\s*\$schema=(\S+)"
_FAMILY_SCHEMA = r"([a-z][a-z-]*)\.schema\.json$"


def analyse_file(doc: Document, settings: Settings, family: str | None = None, probe=None, detection: Detection | None = None) -> list[FileAnalysis]:
    """One analysis per YAML document in the file (one for JSON and single-document YAML)."""
    return [analyse(view, settings, family, probe, detection) for view in doc.views()]


def analyse(doc: Document, settings: Settings, family: str | None = None, probe=None, detection: Detection | None = None) -> FileAnalysis:
    """Pick the dialect (and schema) for a document and build its training plan; `detection`
    is one already settled (how a composed config is read, cfglint.compose.checking), which
    --family and the settings still override."""
    json_schema = None
    schema_problem = None
    if family is not None:
        detection = Detection(dialects.get(family), "--family")
    elif (chosen := settings.first_match(settings.families, doc.path)) is not None:
        detection = Detection(dialects.get(chosen), "settings", (settings.path or "",))
    schema_path = settings.first_match(settings.schemas, doc.path) if detection is None else None
    schema_file = None  # the local JSON Schema read for this document, if any: the result depends on it
    if schema_path is not None:
        schema_file = os.path.abspath(schema_path)
        json_schema, schema_problem = _load_schema(doc, schema_path, None)
    elif detection is None:
        reference = _schema_reference(doc)
        if reference is not None:
            source, text, node = reference
            family_name = re.search(_FAMILY_SCHEMA, text.split("?")[0])
            if family_name and family_name.group(1) in dialects.BY_NAME:
                detection = Detection(dialects.get(family_name.group(1)), source, (text,))
            elif "://" not in text:  # never fetched: check reads local files only
                schema_file = os.path.join(os.path.dirname(os.path.abspath(doc.path)), text)
                json_schema, schema_problem = _load_schema(doc, schema_file, node)
    tie: tuple[str, ...] = ()
    if detection is None and json_schema is None:
        detection, tie = dialects.detect(doc)
    detection, plan = _read(doc, detection, settings)
    family = detection.dialect.name if detection is not None and detection.dialect.model and json_schema is None else None
    analysis = FileAnalysis(doc, detection, plan, family, json_schema, schema_problem=schema_problem, probe=probe, tie=tie)
    analysis.schema_file = schema_file
    if detection is not None and detection.dialect.deepspeed_keys:
        from cfglint import references  # only configs that can name a DeepSpeed file need it

        analysis.references = references.read(doc, detection.dialect)
        for reference in analysis.references:
            if reference.document is not None:
                reference.analysis = analyse(reference.document, settings, "deepspeed")
    return analysis


def _read(doc: Document, detection: Detection | None, settings: Settings) -> tuple[Detection | None, TrainingPlan | None]:
    """The plan in two layers: the dialect's exact keys, then the generic reading beneath them.

    With no dialect the generic reading alone applies, and the file counts as read generically
    only if it found a training setting; `--dialect generic` forces it.
    """
    if detection is not None and detection.dialect.name != generic.GENERIC:
        dialect = detection.dialect
        plan = build_plan(doc, dialect)
        if settings.generic:
            plan = generic.merge(plan, generic.read(doc), bool(dialect.loss_weights), bool(dialect.grid_blocks), dialect.not_generic)
        plan = loaders.read_values(plan, doc, dialect.loader)
        return detection, generic.evaluate_strings(plan) if loaders.evaluates_strings(dialect.loader) else plan
    if detection is None and not settings.generic:
        return None, None
    plan = generic.read(doc)
    if detection is None:
        if plan.empty:
            return None, None
        detection = Detection(dialects.get(generic.GENERIC), "generic")
    loader = settings.loader or loaders.recognise(doc)
    plan = loaders.read_values(plan, doc, loader)
    if loaders.evaluates_strings(loader):
        plan = generic.evaluate_strings(plan)
    elif not loaders.knows_strings(loader):
        plan = generic.evaluate_strings(plan, keep_unknown=False)
    if loader != detection.dialect.loader:
        detection = Detection(detection.dialect.replace(loader=loader), detection.source, detection.evidence)
    return detection, plan


def _schema_reference(doc: Document):
    """(source, reference, node) from a top-level `$schema` key or a yaml-language-server modeline."""
    root = doc.mapping
    entry = root.get("$schema") if root is not None else None
    if entry is not None and isinstance(entry.value, Scalar) and isinstance(entry.value.value, str):
        return "$schema", entry.value.value, entry.value
    if doc.format == "yaml" and "yaml-language-server" in doc.text[:4096]:
        match = re.compile(_MODELINE).search(doc.text, 0, 4096)
        if match:
            return "modeline", match.group(1), None
    return None


def _load_schema(doc: Document, path: str, node) -> tuple[dict | None, SchemaIssue | None]:
    """A user's JSON Schema, or the issue (at `node`, else the root) that says why it is unusable."""
    import json

    import jsonschema

    try:
        with open(path, encoding="utf-8") as handle:
            schema = json.load(handle)
        if not isinstance(schema, dict):
            raise ValueError("a JSON Schema must be an object")
        jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator).check_schema(schema)
        return schema, None
    except OSError as error:
        reason = error.strerror or str(error)
    except ValueError as error:  # includes json.JSONDecodeError
        reason = str(error)
    except jsonschema.SchemaError as error:
        reason = f"not a valid JSON Schema: {error.message}"
    where = node if node is not None else doc.root
    if where is None:
        return None, None
    return None, SchemaIssue(VIOLATION, where, "$schema" if node is not None else "", f"cannot use the schema {path}: {reason}")


def run_rules(analyses: list[FileAnalysis], enabled: RuleSet, settings: Settings, display_path: str) -> list[Finding]:
    """Findings for a file's analysed documents, suppressions applied, sorted by position."""
    doc = analyses[0].document
    suppressions = Suppressions(parse_directives(doc, rules.resolve_code), _key_ignores(settings, doc.path))
    # A composed document's findings may lie in the other files it is made of: each is reported
    # in its own file, under that file's own suppressions.
    elsewhere: dict[int, tuple[str, Suppressions]] = {}

    def written_in(span: Span) -> tuple[str, Suppressions]:
        source = doc.source_of(span)
        if source is doc:
            return display_path, suppressions
        if id(source) not in elsewhere:
            shown = source_display(source.path)
            elsewhere[id(source)] = (shown, Suppressions(parse_directives(source, rules.resolve_code), _key_ignores(settings, source.path)))
        return elsewhere[id(source)]
    findings: list[Finding] = []
    internal = enabled.internal

    # Each context's (guessed, derived) value offsets, worked out at its first violation: most
    # files have none, and these walk the whole plan.
    spans: dict[RuleContext, tuple[list[Region], list[Region]]] = {}

    def collect(rule: Rule, context: RuleContext, violations: list[Violation]) -> None:
        """A rule's violations as findings, each in the file it lies in, unless suppressed there."""
        if context not in spans:
            spans[context] = (_guessed_spans(doc, context.plan), _derived_spans(doc, context.plan))
        guessed, derived = spans[context]
        for violation in violations:
            origin = doc.alias_origin(violation.span)
            if origin is not None:  # reached through an alias: name the anchored value it stands for
                violation = violation.replace(related=violation.related + (Related(format_path(origin.path) or "<root>", origin.span),))
            if violation.fix is not None and _writes_over(doc.source_of(violation.span), violation.fix, derived):
                violation = violation.replace(fix=None)  # a value computed from the file has no text of its own to set
            path, suppressing = written_in(violation.span) if doc.sources else (display_path, suppressions)
            if path != display_path:
                violation = violation.replace(fix=None)  # `cfglint fix` edits the file it is given, not the others
            if doc.sources and violation.related:
                violation = violation.replace(related=tuple(_in_file(related, written_in(related.span)[0], path) for related in violation.related))
            finding = _finding(rule, violation, settings, path, _rests_on(doc, violation, guessed))
            if not suppressing.suppresses(finding):
                findings.append(finding)

    def run(group: list[Rule], where: list[RuleContext]) -> None:
        # Every enabled rule on every file, most finding nothing: the loop stays in one frame.
        for rule in group:
            options = settings.rule_options.get(rule.code, rule.options)
            for context in where:
                context.options = options
                try:
                    violations = list(rule.check(context))
                except Exception as error:  # noqa: BLE001 - one failing rule must not hide the others
                    if internal is not None:
                        message = f"rule {rule.code} ({rule.name}) failed on this file: {type(error).__name__}: {error}; please report it"
                        findings.append(_finding(internal, Violation(Span(1, 1, 1, 1, 0, 0), None, message), settings, display_path))
                    continue
                if violations:
                    collect(rule, context, violations)

    before, after = enabled.runs(analyses[0].probe is not None)
    contexts = [RuleContext(analysis, {}) for analysis in analyses]
    run(before, contexts)
    analyses[0].unused_suppressions = suppressions.unused()
    run(after, contexts[:1])
    return sorted(findings, key=lambda f: f.sort_key)


def _in_file(related: Related, file: str, finding_file: str) -> Related:
    """A related key with its file named when it is not the finding's."""
    return related if file == finding_file else related.replace(file=file)


# A region of text: the file it is in (the identity of its Document), its start and end offsets.
Region = tuple[int, int, int]


def _region(doc: Document, span: Span) -> Region:
    return id(doc.source_of(span)), span.offset, span.end_offset


def _guessed_spans(doc: Document, plan: TrainingPlan | None) -> list[Region]:
    """The region of every value the generic reading interpreted."""
    if plan is None:
        return []
    settings = list(plan.every_setting()) + [p.setting for p in plan.type_problems]
    return [_region(doc, s.node.span) for s in settings if not s.exact]


def _derived_spans(doc: Document, plan: TrainingPlan | None) -> list[Region]:
    """The region of every value a dialect computed from what the file writes (tokens converted
    to steps, phases from ratios)."""
    if plan is None:
        return []
    return [_region(doc, s.node.written.span) for s in plan.every_setting() if s.derived]  # where a fix's edit would land


def _writes_over(doc: Document, fix, regions: list[Region]) -> bool:
    """A fix's edits (in `doc`, the file its finding's value is written in) overlap a region."""
    own = id(doc)
    return any(file == own and edit.start < end and start < edit.end for edit in fix.edits for file, start, end in regions)


def _rests_on(doc: Document, violation: Violation, regions: list[Region]) -> bool:
    """The finding's value, or a setting it compares with, is one the generic reading interpreted."""
    spans = (violation.span,) + tuple(related.span for related in violation.related)
    return any(file == id(doc.source_of(span)) and start <= span.offset and span.end_offset <= end for span in spans for file, start, end in regions)


def _finding(rule: Rule, violation: Violation, settings: Settings, path: str, guessed: bool = False) -> Finding:
    severity: Severity = settings.severity.get(rule.code) or violation.severity or rule.severity
    fix = violation.fix
    if guessed:
        if severity is Severity.ERROR and rule.code not in settings.severity:
            severity = Severity.WARNING  # an error needs a key whose meaning is certain
        if fix is not None and fix.applicability is Applicability.SAFE:
            fix = fix.replace(applicability=Applicability.UNSAFE)  # so does a fix applied unasked
    return Finding(path, violation.span, rule.code, rule.name, severity, violation.message, violation.key, violation.related, fix)


def _key_ignores(settings: Settings, path: str) -> list[tuple[str, str | None]]:
    ignores = []
    for pattern, entries in settings.per_file_ignores.items():
        if settings.matches(pattern, path):
            for entry in entries:
                code, _, key = entry.partition(":")
                ignores.append((rules.get(code).code, key or None))
    return ignores
