"""The command line: parse options, call the API, print, exit. No linting logic lives here.

Exit codes: 0 nothing at or above the fail level, 1 findings, 2 usage or settings error or an
unreadable input, 3 internal error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import sys
from collections import Counter

import click

from cfglint import __version__

EXIT_INTERNAL = 3
EXIT_USAGE = 2


def _codes(values: tuple[str, ...]) -> list[str]:
    """`--select S001,T001 --select M` -> ["S001", "T001", "M"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"cfglint: error: {message}", err=True)
    sys.exit(code)


def _exits(body):
    """Exit with the code a command body returns; a bug becomes one line and exit 3, never a traceback."""

    @functools.wraps(body)
    def command(**arguments):
        try:
            code = body(**arguments)
        except (SystemExit, BrokenPipeError):
            raise  # click ends a closed pipe (`cfglint check | head`) quietly with exit 1
        except Exception as error:  # noqa: BLE001 - the one place that turns a bug into exit 3
            _fail(f"internal error: {type(error).__name__}: {error} (please report this)", EXIT_INTERNAL)
        sys.exit(code)

    return command


def _unified_diff(before: str, after: str, path: str) -> str:
    import difflib  # only `fix --diff` needs it

    return "".join(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"))


def _known_dialect(context, parameter, value):
    """Validate --dialect only when it is given, so a plain run never imports every dialect."""
    if value is not None:
        from cfglint.dialects import BY_NAME

        if value not in BY_NAME:
            raise click.BadParameter(f"{value!r} is not a dialect; known: {', '.join(BY_NAME)}")
    return value


def _dialect_option(subject: str):
    return click.option("--family", "--dialect", "family", callback=_known_dialect, help=f"Treat {subject} as this dialect (`cfglint dialects` lists them) instead of detecting it.")


_CONFIG_OPTION = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Settings file to use instead of the nearest one.")
_ISOLATED_OPTION = click.option("--isolated", is_flag=True, help="Ignore all settings files.")


def _file_options(command):
    """The options `check` and `fix` share: which rules, which settings, which dialect, stdin."""
    for option in reversed(
        (
            click.option("--select", multiple=True, help="Rules to use: codes, code prefixes or names, comma-separated (default: all)."),
            click.option("--extend-select", multiple=True, help="Rules to add to the selection."),
            click.option("--ignore", multiple=True, help="Rules to leave out."),
            _dialect_option("every file"),
            _CONFIG_OPTION,
            _ISOLATED_OPTION,
            click.option("--stdin-filename", help="Name to report and match settings against when reading `-` (stdin)."),
        )
    ):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cfglint")
def main() -> None:
    """Lint machine-learning training configs (YAML and JSON)."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif"]), default="text", show_default=True, help="Output format.")
@_file_options
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no code frames, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Say which settings and dialect apply to each file, and why.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes to spread files over (default: 1 per 150 files, up to the CPU count).")
@click.option("--no-cache", is_flag=True, help="Check every file afresh and leave the cache alone.")
@click.option("--files-from", type=click.File("r"), help="Read the paths to check from this file, one per line (`-` for stdin): for sharding CI.")
@_exits
def check(paths, output_format, select, extend_select, ignore, fail_on, exit_zero, statistics, family, config_path, isolated, stdin_filename, quiet, verbose, jobs, no_cache, files_from) -> int:
    """Check config files (folders are searched for *.yaml, *.yml, *.json; `-` reads stdin)."""
    from cfglint.api import CheckOptions, CheckResult, Checker
    from cfglint.finding import Severity, UnknownRule
    from cfglint.reporters import REPORTERS
    from cfglint.settings import SettingsError
    from cfglint.source import InputError, read_limited

    options = CheckOptions(
        select=_codes(select) or None,
        extend_select=_codes(extend_select),
        ignore=_codes(ignore),
        fail_on=Severity.parse(fail_on) if fail_on else None,
        family=family,
        config=config_path,
        isolated=isolated,
    )
    try:
        checker = Checker(options)
        named = list(paths) + ([line.strip() for line in files_from if line.strip()] if files_from else [])
        named = named or ["."]
        result = CheckResult()
        if "-" in named:
            data = read_limited(sys.stdin.buffer, stdin_filename or "-")
            result.files.append(checker.check_bytes(data, stdin_filename or "-", settings_path=stdin_filename or os.getcwd()))
            named = [p for p in named if p != "-"]
        if named:
            cache = None
            if not no_cache:
                from cfglint.cache import Cache, cache_folder

                cache = Cache(cache_folder(), (options, output_format))
            more = checker.check(named, jobs, cache)
            if cache is not None:
                cache.save()
            result.files.extend(more.files)
            result.input_errors.extend(more.input_errors)
    except (SettingsError, UnknownRule, InputError) as error:
        _fail(str(error))
    for message in result.input_errors:
        click.echo(f"cfglint: error: {message}", err=True)
    if verbose:
        for report in result.files:
            grid = f"; grid of {report.grid}" if report.grid else ""
            click.echo(f"{report.path}: dialect {report.dialect or 'none detected'}; settings {report.settings_path or 'defaults'}{grid}", err=True)
            if report.steps:
                click.echo(f"{report.path}: {report.steps}", err=True)
    if statistics:
        counter = Counter((f.code, f.name) for f in result.findings)
        for (code, name), count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
            click.echo(f"{count:5d}  {code}  {name}")
    else:
        color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        output = REPORTERS[output_format](color=color, quiet=quiet).render(result)
        if output:
            click.echo(output, color=color)
    return result.exit_code(exit_zero)


@main.command()
@click.argument("config")
@click.option("--steps-per-epoch", type=click.IntRange(min=1), help="Micro-batches per epoch, if the config does not say.")
@click.option("--dataset-size", type=click.IntRange(min=1), help="Training samples, if the config does not say.")
@click.option("--world-size", type=click.IntRange(min=1), help="Data-parallel replicas (default: the config's, else 1).")
@_dialect_option("the file")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="Also draw the learning rate to this PNG (needs the `plot` extra).")
@_exits
def schedule(config, steps_per_epoch, dataset_size, world_size, family, plot_path) -> None:
    """Show a config's step arithmetic and learning-rate schedule."""
    from cfglint import schedule_report
    from cfglint.api import CheckOptions, Checker
    from cfglint.source import InputError
    from cfglint.writer import WriteError

    try:
        analysis = Checker(CheckOptions(family=family)).analyse_file(config)
    except InputError as error:
        _fail(str(error))
    if analysis.document.problems and analysis.document.root is None:
        _fail(f"{config}: {analysis.document.problems[0].message}")
    if analysis.plan is None:
        from cfglint.dialects import BY_NAME

        _fail(f"{config}: no known dialect detected; name one with --dialect ({', '.join(BY_NAME)})")
    report = schedule_report.build(config, analysis, steps_per_epoch=steps_per_epoch, dataset_size=dataset_size, world_size=world_size)
    click.echo(schedule_report.render(report))
    if plot_path:
        if report.curve is None:
            _fail("nothing to plot: the config states no learning rate or no length of training")
        try:
            schedule_report.plot(report, plot_path)
        except ImportError:
            _fail("--plot needs matplotlib: pip install 'cfglint[plot]'")
        except WriteError as error:
            _fail(str(error))
        click.echo(f"wrote {plot_path}")


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--write", is_flag=True, help="Write the fixes into the files (default: print a diff).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False), help="Write the fixed copy of the one input here.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change the training (see `cfglint explain`).")
@click.option("--show-fixes", is_flag=True, help="List each fix applied.")
@_file_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@_exits
def fix(paths, write, output_path, unsafe_fixes, show_fixes, select, extend_select, ignore, family, config_path, isolated, stdin_filename, quiet) -> int:
    """Fix findings, keeping every comment and the file's formatting.

    Without --write, print a diff and exit 1 when anything would change (like `black --diff`);
    `-` reads stdin and writes the fixed text to stdout;
    with --write, exit 1 when files were changed (pre-commit's convention). Exit 3 means a fix
    failed verification: it names the rule, and the file was left untouched.
    """
    from cfglint import rules
    from cfglint.api import CheckOptions, Checker
    from cfglint.settings import SettingsError
    from cfglint.source import read_limited

    named = list(paths) or ["."]
    if output_path and (len(named) != 1 or os.path.isdir(named[0])):
        _fail("--output takes exactly one input file")
    options = CheckOptions(select=_codes(select) or None, extend_select=_codes(extend_select), ignore=_codes(ignore), family=family, config=config_path, isolated=isolated)
    tally = _FixTally()
    try:
        checker = Checker(options)
        if named == ["-"]:
            data = read_limited(sys.stdin.buffer, stdin_filename or "-")
            _fix_one(checker, stdin_filename or "-", data, unsafe_fixes, show_fixes, None, False, tally)
        else:
            for path in checker.config_files(named, tally.errors):
                _fix_one(checker, path, None, unsafe_fixes, show_fixes, output_path, write, tally)
    except (SettingsError, rules.UnknownRule) as error:
        _fail(str(error))
    for message in tally.errors:
        click.echo(f"cfglint: error: {message}", err=True)
    if not quiet and named != ["-"]:
        verb = "Fixed" if write or output_path else "Would fix"
        summary = f"{verb} {tally.applied} finding{'s' if tally.applied != 1 else ''} in {tally.changed} file{'s' if tally.changed != 1 else ''}"
        left = f"; {tally.remaining} remaining" + (f" ({tally.unsafe_left} fixable with --unsafe-fixes)" if tally.unsafe_left else "") if tally.remaining else ""
        click.echo(summary + left + ".", err=True)
    if tally.errors:
        return max(tally.status, EXIT_USAGE)
    return max(tally.status, 1 if tally.changed else 0)


@dataclasses.dataclass
class _FixTally:
    """Counts over the files `fix` touched, for its summary line and exit code."""

    status: int = 0
    changed: int = 0
    applied: int = 0
    remaining: int = 0
    unsafe_left: int = 0
    errors: list = dataclasses.field(default_factory=list)


def _fix_one(checker, path: str, stdin_data: bytes | None, unsafe: bool, show_fixes: bool, output_path: str | None, write: bool, tally: _FixTally) -> None:
    """Fix one file (or stdin) and print, write or show the result; the lock makes read, fix and
    write one step against parallel fixers of the same folder."""
    from cfglint.fixes import Applicability
    from cfglint.fixer import FixVerificationError, UnfixableInput, fix_bytes
    from cfglint.source import InputError, read_bytes
    from cfglint.writer import WriteError, locked, write_atomic, write_copy

    with locked(path) if write and stdin_data is None else contextlib.nullcontext():
        try:
            data = stdin_data if stdin_data is not None else read_bytes(path)
            outcome = fix_bytes(checker, data, path, unsafe=unsafe)
        except InputError as error:
            tally.errors.append(str(error))
            return
        except UnfixableInput as error:
            click.echo(f"cfglint: {error}", err=True)
            tally.status = max(tally.status, 1)
            return
        except FixVerificationError as error:
            click.echo(f"cfglint: error: {path}: fix by {error}", err=True)
            tally.status = EXIT_INTERNAL
            return
        if stdin_data is None and outcome.changed and (output_path or write):
            try:
                if output_path:
                    write_copy(output_path, outcome.encoded())
                else:
                    write_atomic(path, outcome.encoded(), expected=data)
            except WriteError as error:  # nothing was fixed in this file: nothing to count
                tally.errors.append(str(error))
                return
        tally.applied += len(outcome.applied)
        tally.remaining += len(outcome.remaining)
        tally.unsafe_left += sum(1 for f in outcome.remaining if f.fix and f.fix.applicability == Applicability.UNSAFE)
        if show_fixes:
            for finding in outcome.applied:
                click.echo(f"{path}:{finding.span.line}:{finding.span.column}: {finding.code} fixed: {finding.fix.description}")
        if stdin_data is not None:  # stdin: the fixed (or unchanged) text goes to stdout
            click.echo(outcome.fixed_text, nl=False)
            tally.changed += outcome.changed
            return
        if not outcome.changed:
            return
        if not (output_path or write):
            click.echo(_unified_diff(outcome.original_text, outcome.fixed_text, path), nl=False)
        tally.changed += 1


@main.command()
@click.argument("config")
@click.option("--entry", help="MODULE:FUNCTION or path/to/file.py:FUNCTION returning a cfglint.probe.ProbeTarget (default: the probe.entry setting).")
@click.option("--batches", default=1, show_default=True, type=click.IntRange(min=1), help="Batches to measure (clipping fraction and percentiles need several).")
@click.option("--steps", default=0, show_default=True, type=click.IntRange(min=0), help="Also take this many optimizer steps at the schedule's first learning rates.")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), help="Where to run the model (default: cuda when available).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json: the full measurement report and the findings.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the patch the probe proposes.")
@click.option("--write", is_flag=True, help="Apply the proposed patch to CONFIG (verified, like `cfglint fix --unsafe-fixes`).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False), help="Write the patched config here instead.")
@_dialect_option("the file")
@_CONFIG_OPTION
@_ISOLATED_OPTION
@click.option("-q", "--quiet", is_flag=True, help="No progress and no measurement table.")
@_exits
def probe(config, entry, batches, steps, device, output_format, show_diff, write, output_path, family, config_path, isolated, quiet) -> int:
    """Run one real batch of your model under CONFIG and check the scales the config assumes.

    Imports only the entry you name. Exit 0: nothing found; 1: findings; 2: the probe could not
    run (no torch, a failing entry); 3: the proposed patch failed verification.
    """
    import json

    from cfglint.api import CheckOptions, CheckResult, Checker
    from cfglint.fixer import FixVerificationError, fix_bytes
    from cfglint.probe.entry import ProbeError
    from cfglint.probe.runner import ProbeOptions, run_probe
    from cfglint.probe.summary import render
    from cfglint.reporters import REPORTERS
    from cfglint.reporters.json import finding_to_dict
    from cfglint.settings import SettingsError
    from cfglint.source import InputError
    from cfglint.writer import WriteError, write_atomic, write_copy

    options = CheckOptions(family=family, config=config_path, isolated=isolated)
    try:
        entry = entry or Checker(options).settings_for(config).probe_entry
        if not entry:
            _fail("name the probe entry: --entry MODULE:FUNCTION or path/to/file.py:FUNCTION (or the probe.entry setting)")
        progress = (lambda message: None) if quiet or output_format == "json" else (lambda message: click.echo(f"probe: {message} ...", err=True))
        run = run_probe(config, ProbeOptions(entry, batches, steps, device), options, progress)
    except (ProbeError, InputError, SettingsError) as error:
        _fail(str(error))
    result = CheckResult(files=[run.findings])
    if output_format == "json":
        data = {"measurements": run.report.to_dict(), "findings": [finding_to_dict(f, run.findings.text) for f in run.findings.findings]}
        click.echo(json.dumps(data, indent=2))
    else:
        if not quiet:
            clip = run.plan.get("clip_grad_norm")
            click.echo(render(run.report, run.document, clip.value if clip else None))
            click.echo("")
        text = REPORTERS["text"](color=False, quiet=quiet).render(result)
        if text:
            click.echo(text)
    status = result.exit_code()
    if show_diff or write or output_path:
        try:
            outcome = fix_bytes(run.checker, run.data, config, unsafe=True)
        except FixVerificationError as error:
            _fail(f"{config}: the proposed patch failed verification ({error}); nothing was written", EXIT_INTERNAL)
        if show_diff and outcome.changed:
            click.echo(_unified_diff(outcome.original_text, outcome.fixed_text, config), nl=False)
        try:
            if output_path and outcome.changed:
                write_copy(output_path, outcome.encoded())
            elif write and outcome.changed:
                write_atomic(config, outcome.encoded(), expected=run.data)
        except WriteError as error:
            _fail(str(error))
    return status


@main.command("dialects")
@click.argument("name", required=False, callback=_known_dialect)
@_exits
def list_dialects(name: str | None) -> None:
    """List the dialects cfglint reads, or show one: the keys it reads and how it counts steps."""
    from cfglint.dialects import DIALECTS
    from cfglint.schedule import ROUNDING_NAMES

    if name is None:
        for dialect in DIALECTS:
            click.echo(f"{dialect.name:<20} {dialect.title}")
        return
    dialect = next(d for d in DIALECTS if d.name == name)
    click.echo(f"{dialect.name}: {dialect.title}\n\n{dialect.doc.strip()}\n\nKeys read (plan field <- config keys, first present wins):")
    for field, paths in dialect.fields.items():
        click.echo(f"  {field:<28} {', '.join(paths)}")
    for dotted, units in dialect.time_fields.items():
        click.echo(f"  {'(time string)':<28} {dotted}: " + ", ".join(f"{unit} -> {field}" for unit, field in units.items()))
    for block, prefix in dialect.loss_weights:
        click.echo(f"  {'loss weights':<28} {block + '.' if block else ''}{prefix}<name>")
    click.echo(f"\nSteps: {ROUNDING_NAMES[dialect.rounding]}.")


@main.command("rules")
@_exits
def list_rules() -> None:
    """List every rule: code, name, default severity and summary."""
    from cfglint import rules

    for rule in rules.RULES:
        click.echo(f"{rule.code}  {rule.name:<32} {str(rule.severity):<8} {rule.summary}")


@main.command()
@click.argument("rule")
@_exits
def explain(rule: str) -> None:
    """Print a rule's documentation (by code or name)."""
    from cfglint import rules

    try:
        found = rules.get(rule)
    except rules.UnknownRule as error:
        _fail(str(error))
    options = "".join(f"\n  {name} (default: {default!r})" for name, default in found.options.items())
    click.echo(f"{found.code} ({found.name}) [{found.severity}]\n\n{found.doc.strip()}\n" + (f"\nOptions:{options}\n" if options else ""))


@main.group()
def schema() -> None:
    """JSON Schemas of the config families (for editors)."""


@schema.command("export")
@click.option("--output-dir", default="schemas", show_default=True, type=click.Path(file_okay=False), help="Folder to write <family>.schema.json files into.")
@_exits
def schema_export(output_dir: str) -> None:
    """Write the families' JSON Schemas, generated from cfglint's models."""
    from cfglint.schema_export import export

    try:
        for path in export(output_dir):
            click.echo(path)
    except OSError as error:
        _fail(f"{output_dir}: {error.strerror}")
