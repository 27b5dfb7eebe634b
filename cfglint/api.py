"""The Python API: check paths or bytes and get findings back. No printing, no click.

    from cfglint.api import CheckOptions, check
    result = check(["configs/"], CheckOptions(ignore=["S001"]))
    for finding in result.findings: ...
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from cfglint.finding import Finding, Severity
from cfglint.record import Record
from cfglint.settings import Settings, find_settings_file, load_settings
from cfglint.source import YAML_SUFFIXES, InputError, display_path, load_document, read_bytes
from cfglint.walk import iter_config_files, known_content, known_file

if TYPE_CHECKING:
    from cfglint.rule import RuleSet

# The engine, the rules and the dialects are imported on first use, not here: a run whose files
# are all in the cache never needs them.

DEFAULT_FAIL_ON = Severity.WARNING
INTERNAL_ERROR = "C002"

# How a file was read (FileReport.reading).
FRAMEWORK = "framework"  # a framework dialect (or a JSON Schema) claimed it; the generic reading filled the rest
GENERIC = "generic"  # no dialect claimed it; the generic reading found training settings
NOTHING_READ = "none"  # no training setting was found: only syntax and duplicate keys were checked


class CheckOptions(Record):
    """Which rules run and what fails a file: the command line's choices, over the settings file's."""

    __slots__ = ("select", "extend_select", "ignore", "fail_on", "family", "config", "isolated", "force_exclude", "skip_known", "overrides")

    def __init__(
        self,
        select: list[str] | None = None,
        extend_select: list[str] | tuple[str, ...] = (),
        ignore: list[str] | tuple[str, ...] = (),
        fail_on: Severity | None = None,
        family: str | None = None,
        config: str | None = None,
        isolated: bool = False,
        force_exclude: bool = False,
        skip_known: bool = True,
        overrides: list[str] | tuple[str, ...] = (),
    ) -> None:
        self.select = select
        self.extend_select = extend_select
        self.ignore = ignore
        self.fail_on = fail_on
        self.family = family
        # An explicit settings file; otherwise the nearest one above each checked file applies.
        self.config = config
        # Ignore settings files altogether.
        self.isolated = isolated
        # Apply the settings' `exclude` to files named on the command line too (pre-commit names them).
        self.force_exclude = force_exclude
        # Pass by files that are surely not training configs (cfglint.walk), named or walked.
        self.skip_known = skip_known
        # Hydra overrides as typed on a launch command (`experiment=long`, `trainer.max_epochs=3`):
        # every file is checked as composed with them.
        self.overrides = tuple(overrides)


class FileReport(Record):
    """One file's findings, with what a reporter needs to show them (text, dialect, steps)."""

    __slots__ = ("path", "findings", "fail_on", "dialect", "settings_path", "text", "grid", "steps", "reading", "fields", "depends_on")

    def __init__(
        self,
        path: str,
        findings: list[Finding],
        fail_on: Severity,
        dialect: str | None = None,
        settings_path: str | None = None,
        text: str = "",
        grid: str | None = None,
        steps: str | None = None,
        reading: str = NOTHING_READ,
        fields: tuple[str, ...] = (),
        depends_on: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.findings = findings
        self.fail_on = fail_on
        self.dialect = dialect  # how the dialect was chosen, for --verbose
        self.settings_path = settings_path
        self.text = text  # the decoded source, for code frames
        self.grid = grid  # "27 combinations (3 x 3 x 3)", for --verbose
        self.steps = steps  # the optimizer-step arithmetic, for --verbose
        # How the file was read: FRAMEWORK, GENERIC, or NOTHING_READ (no training setting found).
        self.reading = reading
        self.fields = fields  # each plan field and the key it came from, for --verbose
        # Files besides the config and the settings file that the result may depend on (the JSON
        # Schemas it names or the settings assign), as absolute paths: part of its cache key.
        self.depends_on = depends_on

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.severity >= self.fail_on]

    def __repr__(self) -> str:  # without the source text, which Record's repr would print whole
        return f"FileReport({self.path!r}, {len(self.findings)} findings, reading={self.reading!r}, dialect={self.dialect!r})"


class PassedBy(Record):
    """A file named or found that was not checked, and why (shown with -v)."""

    __slots__ = ("path", "reason")

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason


class Deferred(Record):
    """A file a worker found to be part of a Hydra project (a root or a group option), or any
    file when the run has overrides: the main process composes and checks it."""

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        self.path = path


class CheckResult:
    """Every file's report, in file order, the inputs that could not be read, and the files
    passed by (not training configs, or excluded)."""

    def __init__(self, files: list[FileReport] | None = None, input_errors: list[str] | None = None) -> None:
        self.files = files if files is not None else []
        self.input_errors = input_errors if input_errors is not None else []
        self.passed_by: list[PassedBy] = []

    @property
    def findings(self) -> list[Finding]:
        return [finding for report in self.files for finding in report.findings]

    def __repr__(self) -> str:
        return f"CheckResult({len(self.files)} files, {len(self.findings)} findings, {len(self.input_errors)} input errors, exit_code={self.exit_code})"

    @property
    def exit_code(self) -> int:
        """3 when a rule failed (a cfglint bug), 2 when an input could not be read, 1 when a
        finding reaches the fail level, else 0."""
        if any(f.code == INTERNAL_ERROR for f in self.findings):
            return 3
        if self.input_errors:
            return 2
        return 1 if any(report.failing for report in self.files) else 0


class Checker:
    """Checks files with the settings that apply to each; settings and rule sets are built once."""

    def __init__(self, options: CheckOptions | None = None, probe=None) -> None:
        self.options = options or CheckOptions()
        # A ProbeReport that the probe rules read (cfglint probe); None for `check`.
        self.probe = probe
        self._settings: dict[str | None, Settings] = {}
        self._enabled: dict[int, RuleSet] = {}
        if self.options.select or self.options.extend_select or self.options.ignore:
            from cfglint import rules

            # Raises rules.UnknownRule for a selector that names no rule, before any file is read.
            rules.select(self.options.select or [], self.options.extend_select, self.options.ignore)
        if self.options.config is not None:
            self._settings[self.options.config] = load_settings(self.options.config)
        if self.options.overrides:
            from cfglint.compose.overrides import parse_overrides

            parse_overrides(list(self.options.overrides))  # OverrideError before any file is read
        self._projects = None

    def settings_for(self, path: str) -> Settings:
        """Raises SettingsError (exit 2) for a settings file that cannot be used."""
        if self.options.config is not None:
            return self._settings[self.options.config]
        found = None if self.options.isolated else find_settings_file(path)
        if found not in self._settings:
            self._settings[found] = load_settings(found) if found else Settings(root=os.getcwd())
        return self._settings[found]

    def enabled_rules(self, settings: Settings) -> RuleSet:
        key = id(settings)
        if key not in self._enabled:
            from cfglint import rules
            from cfglint.rule import RuleSet

            options = self.options
            select = options.select if options.select is not None else settings.select
            self._enabled[key] = RuleSet(rules.select(select, settings.extend_select + list(options.extend_select), settings.ignore + list(options.ignore)))
        return self._enabled[key]

    def fail_level(self, settings: Settings) -> Severity:
        return self.options.fail_on or settings.fail_on or DEFAULT_FAIL_ON

    @property
    def projects(self):
        """The Hydra projects met so far (cfglint.compose.projects), their folders listed once."""
        if self._projects is None:
            from cfglint.compose.projects import Projects

            self._projects = Projects()
        return self._projects

    def may_compose(self, path: str, data: bytes) -> bool:
        """Whether a file may be checked within a composition, told from its bytes (a top-level
        `defaults:`) and its folder (a group folder), erring on yes: with overrides, every file.
        Such a file has no cache entry of its own, as a root or group file added since may change
        its result: its project's entry holds it (see _cached_projects)."""
        if self.options.overrides:
            return True
        if not path.lower().endswith(YAML_SUFFIXES):
            return False
        from cfglint.compose.projects import may_have_defaults

        return may_have_defaults(data) or self.projects.place(path, False)[1] is not None

    def check_composition(self, composition, unit, hydra: bool) -> FileReport:
        """The report of one composed root (`hydra`: its root has a defaults list, see
        cfglint.compose.checking.composed_detection); its findings lie in whichever files they
        are written in."""
        from cfglint.compose.checking import composed_detection

        detection = composed_detection(composition, unit, hydra, self.options.family)
        return self.check_document(composition.document, unit.root, composition=composition, detection=detection)

    def analyse_file(self, path: str):
        """The dialect, plan and schema of one file as it runs: a Hydra root composed with its
        defaults list and the overrides (raises InputError when it cannot be read)."""
        from cfglint.compose.checking import ProjectChecker

        return ProjectChecker(self, self.projects).analyse(path)

    def check_bytes(self, data: bytes, path: str, settings_path: str | None = None) -> FileReport:
        return self.check_document(load_document(path, data), path, settings_path)

    def check_document(self, doc, path: str, settings_path: str | None = None, composition=None, detection=None) -> FileReport:
        """The report for a document already loaded (from load_document), or composed (with its
        composition and the detection that composing it settled)."""
        from cfglint.engine import analyse_file, run_rules
        from cfglint.plan import grid_size

        settings = self.settings_for(settings_path or path)
        analyses = analyse_file(doc, settings, self.options.family, self.probe, detection)
        analysis = analyses[0]
        analysis.composition = composition
        shown = display_path(path)
        findings = run_rules(analyses, self.enabled_rules(settings), settings, shown)
        fail_on = self.fail_level(settings)
        dialect = analysis.detection.describe() if analysis.detection else None
        if dialect is None and analysis.json_schema is not None:
            dialect = "JSON Schema (no dialect)"
        grid = None
        if analysis.plan is not None and analysis.plan.grids:
            size, shape = grid_size(analysis.plan)
            grid = f"{size:,} combinations ({shape})"
        steps = analysis.steps
        arithmetic = None
        if steps is not None and steps.total_steps is not None:
            arithmetic = steps.total_steps.describe("optimizer steps")
            if steps.warmup_steps is not None:
                arithmetic += f"; warmup {steps.warmup_steps.describe('steps')}"
        reading, fields = _reading(analyses)
        text = doc.text if findings else ""
        return FileReport(shown, findings, fail_on, dialect, settings.path, text, grid, arithmetic, reading, fields, _schema_files(analyses))

    def config_files(self, paths: list[str], errors: list[str], passed_by: list[PassedBy] | None = None):
        """The files to check under `paths`; those passed by by name, or excluded, go to `passed_by`."""
        for path, passed in self._selected(paths, errors):
            if passed is None:
                yield path
            elif passed_by is not None:
                passed_by.append(passed)

    def _selected(self, paths: list[str], errors: list[str]):
        """(path, None) for each file to check under `paths`, (path, PassedBy) for each passed by,
        in walk order. Left out: what git ignores in a folder walk (unless the settings say
        `respect-gitignore = false`) and what the settings exclude from a walk, silently; the files
        named that they exclude, with force_exclude, and files that are surely not training configs
        by name (unless skip_known is off or the settings `include` them), with why."""
        for path, explicit in iter_config_files(paths, errors, lambda folder: self.settings_for(folder).respect_gitignore):
            settings = self.settings_for(path)
            pattern = settings.excluded(path)
            if pattern is not None and (not explicit or self.options.force_exclude):
                if explicit:
                    yield path, PassedBy(display_path(path), f"excluded by {pattern!r} in {settings.path}")
                continue
            yield path, self.passed_by_name(path)

    def passed_by_name(self, path: str) -> PassedBy | None:
        """A file passed by as surely not a training config by its name or folder (see
        cfglint.walk.known_file), or None."""
        return self._not_training(path, known_file(path) if self.options.skip_known else None)

    def passed_by_content(self, path: str, doc) -> PassedBy | None:
        """A parsed file passed by as surely not a training config by what it holds (see
        cfglint.walk.known_content), or None."""
        return self._not_training(path, known_content(doc) if self.options.skip_known else None)

    def _not_training(self, path: str, reason: str | None) -> PassedBy | None:
        """Passed by for `reason`, unless there is none or the settings `include` the file (looked
        up only when there is a reason: most files have none)."""
        if reason is None or self.settings_for(path).included(path):
            return None
        return PassedBy(display_path(path), f"{reason}, not a training config")

    def check(self, paths: list[str], jobs: int | None = None, cache=None) -> CheckResult:
        """Check every config under `paths`, over `jobs` processes (default: by the file count),
        answering unchanged files from `cache` (a cfglint.cache.Cache) when one is given.

        Results come back in file order whatever the jobs, so output is deterministic.
        """
        result = CheckResult()
        selected = list(self._selected(paths, result.input_errors))
        files = [path for path, passed in selected if passed is None]
        outcomes: dict[str, FileReport | PassedBy | str] = {}
        keys: dict[str, str] = {}
        contents: dict[str, bytes] = {}  # read for the cache key: the check does not read them again
        composing: set[str] = set()  # with a cache: the files that may be composed with others
        for path in files:  # settings errors surface here, in this process, before any work
            settings = self.settings_for(path)
            if cache is not None:
                try:
                    data = read_bytes(path)
                except InputError as error:
                    outcomes[path] = str(error)
                    continue
                if self.may_compose(path, data):
                    contents[path] = data  # composed with other files: cached with its project (_cached_projects)
                    composing.add(path)
                    continue
                keys[path] = cache.key(path, data, settings.path)
                entry = cache.get(path, keys[path])
                if entry is not None:
                    outcomes[path] = _report_from_entry(entry, data)
                else:
                    contents[path] = data
        pending = [(path, contents.get(path)) for path in files if path not in outcomes]
        projects, pending = self._projects_among(pending)
        # Each unit: (where its cache entry lies, the folders below which it reads, its files).
        units = [(folder, (folder,), paths) for folder, paths in projects]
        composed: dict[str, FileReport | PassedBy | str] = {}
        unit_keys: list[str] = []
        if cache is not None:
            alone = tuple(path for path, _ in pending if path in composing)  # roots no group file leads to
            if alone and not self.options.overrides:  # one unit, as they are checked without a cache (Deferred, below)
                pending = [item for item in pending if item[0] not in composing]
                units.append((os.path.abspath(alone[0]), _outermost({os.path.dirname(os.path.abspath(path)) for path in alone}), alone))
            units, unit_keys = self._cached_projects(units, cache, contents, composed)
        workers = default_jobs(len(pending)) if jobs is None else max(1, jobs)
        spread = _parallel(self, [paths for _, _, paths in units], pending, workers) if workers > 1 and len(pending) + len(units) > 1 else None
        if spread is not None:
            composed_results, fresh = spread
        else:  # one process (or no fork: Windows)
            composed_results = [self._check_project(paths) for _, _, paths in units]
            fresh = [self._check_path(*item) for item in pending]
        for (path, _), outcome in zip(pending, fresh):
            outcomes[path] = outcome
            if cache is not None and not isinstance(outcome, (str, Deferred)) and path in keys:
                cache.put(path, keys[path], _report_to_entry(outcome), outcome.depends_on if isinstance(outcome, FileReport) else ())
        for index, (project, read) in enumerate(composed_results):
            composed.update(project)
            if cache is not None and all(isinstance(outcome, (FileReport, PassedBy)) for outcome in project.values()):
                cache.put(units[index][0], unit_keys[index], {"outcomes": {name: _report_to_entry(outcome) for name, outcome in project.items()}}, read)
        deferred = [path for path in files if isinstance(outcomes.get(path), Deferred)]  # roots no group file led to
        if deferred:
            composed.update(self._check_project(deferred)[0])
        for path in files:
            if path in composed:
                outcomes[path] = composed.pop(path)
        elsewhere = [report for report in composed.values() if isinstance(report, FileReport)]  # files a finding about a checked one lies in
        for path, passed in selected:
            outcome = passed or outcomes[path]
            if isinstance(outcome, str):
                result.input_errors.append(outcome)
            elif isinstance(outcome, PassedBy):
                result.passed_by.append(outcome)
            else:
                result.files.append(outcome)
        _merge_reports(result.files, elsewhere)
        return result

    def _projects_among(self, pending: list[tuple[str, bytes | None]]) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, bytes | None]]]:
        """The Hydra projects among the files to check, each as its folder of roots (absolute) and
        the files of it (its group files and the files beside its roots), and the files left to
        check alone: a project is checked in one worker while the others check files. Told by
        folders alone, before any file is parsed; with overrides, files are composed in this
        process instead."""
        if self.options.overrides:
            return [], pending
        by_folder: dict[str, list[str]] = {}
        for path, _ in pending:
            group = self.projects.place(path, False)[1]  # None for a file that is not YAML
            if group is not None:
                by_folder.setdefault(os.path.abspath(group.config_dir), []).append(path)
        if not by_folder:
            return [], pending
        for path, _ in pending:
            folder = os.path.dirname(os.path.abspath(path))
            if folder in by_folder:
                by_folder[folder].append(path)  # a root, or a plain config beside the roots
        inside = {path for paths in by_folder.values() for path in paths}
        return [(folder, tuple(paths)) for folder, paths in by_folder.items()], [item for item in pending if item[0] not in inside]

    def _cached_projects(self, units: list, cache, contents: dict[str, bytes], outcomes: dict) -> tuple[list, list[str]]:
        """The units (see check) the cache does not answer, with each one's key; the outcomes of
        those it answers go to `outcomes`. A unit's results hold while its files (as typed), their
        settings, the working folder, every YAML file below its folders (names and bytes: an
        option added or removed misses) and every other file its checks read are unchanged."""
        left, keys = [], []
        for unit in units:
            where, folders, paths = unit
            key = cache.project_key(folders, paths, [self.settings_for(path).path for path in paths])
            entry = cache.get(where, key)
            answered = None
            if entry is not None:
                try:
                    answered = {name: _report_from_entry(stored, contents[name] if name in contents else read_bytes(name)) for name, stored in entry["outcomes"].items()}
                except InputError:  # a file of it went away since: checked afresh
                    pass
            if answered is None:
                left.append(unit)
                keys.append(key)
            else:
                outcomes.update(answered)
        return left, keys

    def _check_project(self, paths) -> tuple[dict, tuple[str, ...]]:
        """The outcomes of a Hydra project's files (cfglint.compose.checking), and the reports of
        other files its findings lie in, by path; and every file the checks read."""
        from cfglint.compose.checking import ProjectChecker

        checker = ProjectChecker(self, self.projects)
        return checker.check(list(paths)), tuple(sorted(checker.read))

    def _check_path(self, path: str, data: bytes | None = None) -> FileReport | PassedBy | Deferred | str:
        """A file's report; or that it was passed by for what it holds (a Kubernetes manifest...),
        or that it is checked in a composition."""
        try:
            data = read_bytes(path) if data is None else data
        except InputError as error:
            return str(error)
        if self.may_compose(path, data):
            return Deferred(path)  # parsed once, where it is composed
        doc = load_document(path, data)
        passed = self.passed_by_content(path, doc)
        return passed if passed is not None else self.check_document(doc, path)


def _outermost(folders: set[str]) -> tuple[str, ...]:
    """The folders that are not inside another of them: each file below them is read once."""
    kept: list[str] = []
    for folder in sorted(folders):
        if not any(folder == outer or folder.startswith(outer.rstrip(os.sep) + os.sep) for outer in kept):
            kept.append(folder)
    return tuple(kept)


def _merge_reports(reports: list[FileReport], more: list[FileReport]) -> None:
    """Add the reports of files a composition's findings lie in: to the report of that file when
    it was checked alone too (a file a root names with `..`), else as a report of its own."""
    by_path = {report.path: report for report in reports}
    for report in more:
        own = by_path.get(report.path)
        if own is None:
            reports.append(report)
            continue
        known = {(f.span, f.code) for f in own.findings}  # the same problem, read alone and composed
        added = [f for f in report.findings if (f.span, f.code) not in known]
        if added:
            own.findings = sorted(own.findings + added, key=lambda f: f.sort_key)
            own.text = own.text or report.text


def _schema_files(analyses) -> tuple[str, ...]:
    """Every local JSON Schema the file's documents were checked against (or looked for), and
    every place a file they name was looked for: a cached result holds only while they are unchanged."""
    files = {analysis.schema_file for analysis in analyses if analysis.schema_file}
    files.update(path for analysis in analyses for reference in analysis.references for path in reference.looked)
    return tuple(sorted(files))


def _written_in(doc, setting) -> str:
    """` in FILE` for a setting of a composed config written in another file than the root."""
    source = doc.source_of(setting.node.span)
    return "" if source is doc else f" in {display_path(source.path)}"


def _reading(analyses) -> tuple[str, tuple[str, ...]]:
    """How a file's documents were read, and each field found with the key it came from."""
    readings = set()
    fields = []
    for index, analysis in enumerate(analyses):
        detection, plan = analysis.detection, analysis.plan
        if analysis.json_schema is not None:
            readings.add(FRAMEWORK)  # validated against the user's own schema
        where = f"document {index + 1}: " if len(analyses) > 1 else ""
        if analysis.tie:
            fields.append(f"{where}no dialect: markers tie between " + " and ".join(analysis.tie))
        if detection is None or plan is None:
            continue
        readings.add(GENERIC if detection.dialect.name == "generic" else FRAMEWORK)
        doc = analysis.document
        for name in plan.settings:
            for setting in plan.all(name):
                how = "exact key" if setting.exact else "generic spelling" + (f", in {setting.unit}" if setting.unit else "")
                fields.append(f"{where}{name} = {setting.value!r} from {setting.key}{_written_in(doc, setting)} ({how})")
        for name, setting in plan.loss_weights.items():
            fields.append(f"{where}loss weight {name} = {setting.value!r} from {setting.key}{_written_in(doc, setting)}")
        for name, keys in plan.ambiguous.items():
            fields.append(f"{where}{name} unknown: {', '.join(keys)} disagree")
        for blocks in plan.side_by_side:
            fields.append(f"{where}not read: separate configs side by side under {blocks}")
        if analysis.references:
            from cfglint.references import describe

            fields.extend(f"{where}{line}" for line in describe(analysis))
    reading = FRAMEWORK if FRAMEWORK in readings else GENERIC if readings else NOTHING_READ
    return reading, tuple(fields)


def _report_to_entry(report: FileReport | PassedBy) -> dict:
    from cfglint.cache import finding_to_entry

    if isinstance(report, PassedBy):
        return {"path": report.path, "passed_by": report.reason}
    return {
        "path": report.path,
        "findings": [finding_to_entry(f) for f in report.findings],
        "fail_on": int(report.fail_on),
        "dialect": report.dialect,
        "settings_path": report.settings_path,
        "grid": report.grid,
        "steps": report.steps,
        "reading": report.reading,
        "fields": list(report.fields),
    }


def _report_from_entry(entry: dict, data: bytes) -> FileReport | PassedBy:
    from cfglint.cache import finding_from_entry
    from cfglint.source import decode

    if "passed_by" in entry:
        return PassedBy(entry["path"], entry["passed_by"])
    findings = [finding_from_entry(f) for f in entry["findings"]]
    text = decode(data) if findings else ""
    return FileReport(
        entry["path"], findings, Severity(entry["fail_on"]), entry["dialect"], entry["settings_path"], text, entry["grid"], entry["steps"], entry["reading"], tuple(entry["fields"])
    )


# Below this many files, starting worker processes costs more than it saves.
FILES_PER_JOB = 150


def collect_garbage_rarely() -> None:
    """For a process that checks many files: the modules imported so far are never garbage, and
    a config's nodes form no cycles, so the collector skips the former and runs less often (about
    8 % of a corpus run). Called by the CLI, which owns its process; the API leaves it alone."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def default_jobs(files: int) -> int:
    return max(1, min(os.cpu_count() or 1, files // FILES_PER_JOB))


def _parallel(checker: Checker, projects: list[tuple[str, ...]], files: list[tuple[str, bytes | None]], workers: int):
    """(each project's outcomes, each file's outcome), from `workers` processes forked from this
    one (cfglint.parallel), which inherit the checker (rules, settings, imports and the projects'
    folders already read); each file is a path and its bytes, when they were already read; None
    where there is no fork (Windows). Projects are handed out first, one task each, so that they
    start at once and the files fill in around them, in small chunks: a process left with a long
    last chunk idles the others (16 per process measured best on the corpus, 10 % faster than 4)."""
    from cfglint import parallel

    if not parallel.can_fork():
        return None
    from cfglint import engine  # noqa: F401 - imported once here, not once per fork

    for path, _ in files[:1]:
        checker.enabled_rules(checker.settings_for(path))  # the rule modules, likewise
    half = parallel.MAX_TASKS // 2  # for projects, and for chunks of files: one each, unless thousands
    per_task = max(1, -(-len(projects) // half))
    size = max(1, len(files) // (workers * 16), -(-len(files) // half))
    tasks = [(projects[start : start + per_task], []) for start in range(0, len(projects), per_task)]
    tasks += [([], files[start : start + size]) for start in range(0, len(files), size)]

    def work(task):
        some_projects, some_files = task
        return [checker._check_project(paths) for paths in some_projects], [checker._check_path(*item) for item in some_files]

    done = parallel.run(tasks, work, workers)
    return [outcome for outcomes, _ in done for outcome in outcomes], [outcome for _, outcomes in done for outcome in outcomes]


def check(paths: list[str], options: CheckOptions | None = None, jobs: int | None = None) -> CheckResult:
    return Checker(options).check(paths, jobs)
