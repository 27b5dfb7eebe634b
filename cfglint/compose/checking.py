"""Checking Hydra projects as they run: each root composed with its defaults (and the command's
overrides), each group option inside a composition that chooses it, the findings reported in
the files their values are written in.

The Checker hands over the files of one project (those of a folder of roots, checked in one
worker), the roots its workers met without group files, or, with `--override`, every file;
each file is read once per process.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from cfglint.compose.projects import GroupFile, Projects, Unit, has_defaults_list
from cfglint.finding import Finding, Related
from cfglint.source import InputError, display_path

if TYPE_CHECKING:
    from cfglint.api import Checker, FileReport, PassedBy
    from cfglint.compose.hydra import Composition


class ProjectChecker:
    """Composes and checks the deferred files of one run."""

    def __init__(self, checker: Checker, projects: Projects) -> None:
        self.checker = checker
        self.projects = projects
        # Every file the checks read, absolute (the project's own, those its defaults name with
        # `..`, the DeepSpeed files and schemas its configs name): a cached result holds while
        # they are unchanged (see Checker._cached_projects).
        self.read: set[str] = set()

    def load(self, path: str):
        """A file's document, or None when it cannot be read (Projects.load), noted as read."""
        self.read.add(os.path.abspath(path))
        return self.projects.load(path)

    def _document(self, path: str):
        """A file's document (raises InputError: Projects.read), noted as read."""
        self.read.add(os.path.abspath(path))
        return self.projects.read(path)

    def analyse(self, path: str):
        """One file's analysis as it runs, for `schedule` and `probe`: a root (or, with overrides,
        any file) composed, with the composition on the analysis; else the file read alone.
        Raises InputError when the file cannot be read."""
        from cfglint.engine import analyse

        doc = self._document(path)
        checker = self.checker
        settings = checker.settings_for(path)
        hydra = has_defaults_list(doc)
        if not (hydra or checker.options.overrides):
            return analyse(doc, settings, checker.options.family, checker.probe)
        unit = Unit(path, tuple(checker.options.overrides))
        runs: list = []
        self._run(unit, runs, {})
        composition = runs[0][1]
        analysis = analyse(composition.document, settings, checker.options.family, checker.probe, composed_detection(composition, unit, hydra, checker.options.family))
        analysis.composition = composition
        return analysis

    def check(self, paths: list[str]) -> dict[str, FileReport | PassedBy | str]:
        """The outcome of each of `paths` (files that may be roots or group files, or any file
        with overrides), and a report for any other file a finding involving them lies in, by
        path. A file that turns out to be neither (its `defaults:` is not a list) is checked
        alone; one that cannot be read is its input error."""
        checker = self.checker
        overrides = tuple(checker.options.overrides)
        outcomes: dict[str, FileReport | PassedBy | str] = {}
        runs: list[tuple[Unit, Composition]] = []
        composed: dict[str, list[str]] = {}  # a file -> the units that composed it
        groups: list[tuple[str, GroupFile]] = []
        roots: list[str] = []
        for path in paths:
            try:
                doc = self._document(path)
            except InputError as error:
                outcomes[path] = str(error)
                continue
            folder, group = self.projects.place(path, has_defaults_list(doc))
            if group is not None:
                groups.append((path, group))
                roots.extend(root for root in self.projects.roots_in(group.config_dir) if not _among(root, roots))
            elif folder is not None or overrides:
                if not _among(path, roots):
                    roots.append(path)
            else:
                outcomes[path] = self._alone(path, doc)
        for root in roots:
            self._run(Unit(root, overrides), runs, composed)
        for path, group in groups:
            if os.path.abspath(path) not in composed:
                self._reach(path, group, overrides, runs, composed)
        inside = [path for path in paths if path not in outcomes]
        outcomes.update(self._reports(inside, {os.path.abspath(path) for path in inside}, runs, composed))
        return outcomes

    def _alone(self, path: str, doc) -> FileReport | PassedBy:
        """A file checked by itself, as any file outside a project is."""
        outcome = self.checker.passed_by_content(path, doc) or self.checker.check_document(doc, path)
        self.read.update(getattr(outcome, "depends_on", ()))  # a PassedBy depends on nothing else
        return outcome

    def _reach(self, path: str, group: GroupFile, overrides: tuple[str, ...], runs: list, composed: dict[str, list[str]]) -> None:
        """Compose a root with the option `path` is, chosen as a user would (see GroupFile.choice),
        the roots whose defaults list has a choice for its group first; the command's own choice
        of that group gives way."""
        choices = {unit.root: composition.choices for unit, composition in runs if not unit.label}
        top = group.config_path.split("/", 1)[0]
        roots = sorted(self.projects.roots_in(group.config_dir), key=lambda root: top not in {name.split("@", 1)[0] for name in choices.get(root, {})})
        for root in roots:
            name, choice = group.choice(choices.get(root, {}))
            kept = tuple(o for o in overrides if not _chooses(o, name))
            if self._run(Unit(root, kept + (choice,), choice, path), runs, composed) and os.path.abspath(path) in composed:
                return

    def _run(self, unit: Unit, runs: list, composed: dict[str, list[str]]) -> bool:
        """Compose one unit; False when its root cannot be read at all."""
        from cfglint.compose.hydra import compose
        from cfglint.compose.overrides import parse_overrides

        root = self.load(unit.root)
        if root is None:
            return False
        overrides = parse_overrides(list(unit.overrides))
        if not has_defaults_list(root):  # a config of one's own: `key=value` sets the key, written or not
            overrides = [o.replace(kind="force-add") if o.kind in ("change", "add") else o for o in overrides]
        composition = compose(unit.root, overrides, self.load)
        for problem in composition.problems:  # reported where each is written
            if problem.document is not root:
                composition.document.sources[id(problem.span)] = problem.document
        runs.append((unit, composition))
        for path in composition.files:
            composed.setdefault(os.path.abspath(path), []).append(unit.describe())
        return True

    def _reports(self, paths: list[str], selected: set[str], runs: list, composed: dict[str, list[str]]) -> dict[str, FileReport | PassedBy]:
        """Each unit's findings in the file they are written in, once each. A checked root's
        composition keeps them all (the root is the run); a root read only as the context of a
        checked group file keeps those that lie in a checked file or name one; a composition
        made to reach an option keeps only what that option brings (see _in_option)."""
        from cfglint.api import FRAMEWORK, FileReport

        checker = self.checker
        shown = {display_path(path) for path in paths}
        findings: dict[str, list[Finding]] = {}
        seen: set[tuple] = set()
        by_defaults: set[tuple] = set()  # what the roots' own compositions found, wherever it lies
        details: dict[str, tuple] = {}
        for unit, composition in runs:
            report = checker.check_composition(composition, unit, has_defaults_list(self.load(unit.root)))
            self.read.update(report.depends_on)
            if os.path.abspath(unit.root) in selected and not unit.label:
                details[display_path(unit.root)] = (report.dialect, report.fields, report.steps, report.settings_path, report.fail_on)
            # In a composition cfglint made to reach an option, what composing refused may be of its
            # own making (a group the chosen root lacks): only the option's own missing files count.
            missing = {id(p.span) for p in composition.problems if p.kind == "missing-option"} if unit.target is not None else set()
            for finding in report.findings:
                if unit.target is not None:
                    if finding.code in COMPOSITION_CODES and id(finding.span) not in missing:
                        continue
                    if _identity(finding) in by_defaults:
                        continue  # the root's own composition finds it too: the option does not bring it
                    finding = _in_option(finding, display_path(unit.target))
                    if finding is None:
                        continue
                else:
                    by_defaults.add(_identity(finding))
                    involved = {finding.file, *(related.file or finding.file for related in finding.related)}
                    if os.path.abspath(unit.root) not in selected and not {os.path.abspath(file) for file in involved} & selected:
                        continue  # a root read as the context of a checked group file: not its findings
                identity = _identity(finding)
                if identity not in seen:
                    seen.add(identity)
                    findings.setdefault(finding.file, []).append(finding)
        reports: dict[str, FileReport] = {}
        together = self._composed_with(runs)
        done: set[str] = set()
        for path in paths + [name for name in findings if name not in shown]:
            name = display_path(path)
            if name in done:
                continue
            done.add(name)
            if os.path.abspath(path) not in composed and name not in findings:
                doc = self.load(path)
                if doc is not None:  # an option no composition reaches
                    reports[path] = self._alone(path, doc)
                    continue
            settings = checker.settings_for(path)
            dialect, fields, steps, settings_path, fail_on = details.get(name) or (None, (), None, settings.path, checker.fail_level(settings))
            units = composed.get(os.path.abspath(path), [])
            if units and dialect is None:
                dialect = "hydra (composed in " + "; ".join(display_path(u) for u in units[:3]) + (f"; {len(units) - 3} more" if len(units) > 3 else "") + ")"
            own = sorted(findings.get(name, []), key=lambda f: f.sort_key)
            text = self._text(path) if own else ""
            own_path = os.path.abspath(path)
            depends = tuple(sorted(together.get(own_path, set()) - {own_path}))
            reports[path] = FileReport(name, own, fail_on, dialect, settings_path, text, None, steps, FRAMEWORK, fields, depends)
        return reports

    def _text(self, path: str) -> str:
        from cfglint.compose.overrides import OVERRIDES_PATH

        if display_path(path) == OVERRIDES_PATH:  # findings at the overrides: their frames show them
            return "\n".join(self.checker.options.overrides) + "\n"
        doc = self.load(path)
        return doc.text if doc is not None else ""

    @staticmethod
    def _composed_with(runs: list) -> dict[str, set[str]]:
        """Each composed file (absolute) -> every file composed with it: its result holds only
        while they are unchanged."""
        together: dict[str, set[str]] = {}
        for _, composition in runs:
            files = {os.path.abspath(f) for f in composition.files}
            for file in files:
                together.setdefault(file, set()).update(files)
        return together


# The rules that report what composing found (rules/missing_config_option.py, override_refused.py, not_composed.py).
COMPOSITION_CODES = ("H001", "H002", "H003")


def composed_detection(composition: Composition, unit: Unit, hydra: bool, family: str | None):
    """How a composed config is read: by the framework whose keys it holds (NeMo and fairseq
    compose their configs with Hydra too, and their dialects know what their code does with
    the keys), else as Hydra when its root has a defaults list; None leaves it to the engine's
    detection (a config of one's own, with overrides) or to --family."""
    from cfglint import dialects

    if family is not None or not hydra:
        return None
    found, _ = dialects.detect(composition.document)
    if found is not None and found.dialect.name != "hydra":
        return found
    return dialects.Detection(dialects.get("hydra"), "its defaults list", (unit.describe(),))


def _among(path: str, paths: list[str]) -> bool:
    """Whether `path` names one of `paths`, however each is written (relative or absolute)."""
    return os.path.abspath(path) in map(os.path.abspath, paths)


def _identity(finding: Finding) -> tuple:
    return (finding.file, finding.span.offset, finding.span.end_offset, finding.code, finding.message)


def _in_option(finding: Finding, option: str) -> Finding | None:
    """A finding of a composition made to check the option file `option`, as that option's: one
    inside it as it is; one elsewhere that rests on a value the option sets, moved to that value
    (the option is what changed the run; the other key becomes the related one, and its fix,
    which edits another file, goes); any other is the root's, reported by its own composition."""
    if finding.file == option:
        return finding
    for index, related in enumerate(finding.related):
        if related.file == option:
            others = finding.related[:index] + finding.related[index + 1 :]
            moved = Related(finding.key or "", finding.span, finding.file)
            rest = tuple(other if other.file is not None else other.replace(file=finding.file) for other in others)
            return finding.replace(file=option, span=related.span, key=related.key, related=(moved,) + rest, fix=None)
    return None


def _chooses(override: str, group: str) -> bool:
    """Whether a command-line override chooses an option of `group` (`model=x`, `+model=x`)."""
    from cfglint.compose.overrides import parse_override

    return parse_override(override, 0).key == group
