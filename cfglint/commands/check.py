"""`cfglint check`: lint config files and report the findings."""

from __future__ import annotations

import os
import sys
from collections import Counter

import click

from cfglint.commands.common import COLOR_OPTION, OVERRIDE_OPTION, codes, error, exits, fail, file_options, override_errors, print_passed_by, use_color, walk_options
from cfglint.reporters import FORMATS


class _KeepsOutputOrder(click.Command):
    """Records the order of --format and --output-file on the command line: each --output-file
    is the file of the --format before it (ryl's rule), which click's values alone do not say."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        ctx.meta["cfglint.outputs"] = [param.name for param in order if param.name in ("output_formats", "output_files")]
        return super().parse_args(ctx, args)


def _outputs(formats: tuple[str, ...], files: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """(format, file) pairs, the file None for stdout (no file, or `-`); a usage error for an
    ambiguous pairing."""
    if not formats:
        if len(files) > 1:
            fail("several --output-file need a --format each, before it")
        return [("text", files[0] if files and files[0] != "-" else None)]
    pairs: list[list] = []
    next_format, next_file = iter(formats), iter(files)
    for name in click.get_current_context().meta["cfglint.outputs"]:
        if name == "output_formats":
            pairs.append([next(next_format), None])
            continue
        path = next(next_file)
        if not pairs or pairs[-1][1] is not None:
            fail(f"--output-file {path} must follow the --format it is for")
        pairs[-1][1] = None if path == "-" else path
    if sum(1 for _, path in pairs if path is None) > 1:
        fail("only one --format can go to stdout; give the others an --output-file")
    written = [path for _, path in pairs if path is not None]
    if len(set(map(os.path.realpath, written))) < len(written):
        fail("two --format write the same --output-file")
    return [tuple(pair) for pair in pairs]


@click.command(cls=_KeepsOutputOrder)
@click.argument("paths", nargs=-1)
@click.option("--format", "--output-format", "output_formats", type=click.Choice(FORMATS), multiple=True, help="Output format (default: text); repeat it for several reports, each with its --output-file.")
@click.option("-o", "--output-file", "output_files", type=click.Path(dir_okay=False), multiple=True, help="Write the report of the --format before it to this file instead of stdout (`-`: stdout).")
@COLOR_OPTION
@file_options
@OVERRIDE_OPTION
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no code frames, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Say which settings and dialect apply to each file, and why, and each training setting read with the key it came from.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes to spread files over (default: 1 per 150 files, up to the CPU count).")
@click.option("--no-cache", is_flag=True, help="Check every file afresh and leave the cache alone.")
@click.option("--files-from", type=click.File("r"), help="Read the paths to check from this file, one per line (`-` for stdin): for sharding CI.")
@walk_options
@exits
def check(paths, output_formats, output_files, color, select, extend_select, ignore, overrides, fail_on, exit_zero, statistics, family, config_path, isolated, stdin_filename, quiet, verbose, jobs, no_cache, files_from, force_exclude, check_known) -> int:
    """Check config files (folders are searched for *.yaml, *.yml, *.json, *.toml; `-` reads stdin)."""
    from cfglint.api import CheckOptions, CheckResult, Checker, collect_garbage_rarely
    from cfglint.finding import Severity, UnknownRule
    from cfglint.reporters import reporter
    from cfglint.settings import SettingsError
    from cfglint.source import InputError, read_limited

    collect_garbage_rarely()
    outputs = _outputs(output_formats, output_files)
    options = CheckOptions(
        select=codes(select) or None,
        extend_select=codes(extend_select),
        ignore=codes(ignore),
        fail_on=Severity.parse(fail_on) if fail_on else None,
        family=family,
        config=config_path,
        isolated=isolated,
        force_exclude=force_exclude,
        skip_known=not check_known,
        overrides=overrides,
    )
    try:
        checker = Checker(options)
        named = list(paths) + ([line.strip() for line in files_from if line.strip()] if files_from else [])
        named = named or ["."]
        result = CheckResult()
        if "-" in named:
            if overrides:
                fail("--override composes files from their folders: name the root config, not `-`")
            data = read_limited(sys.stdin.buffer, stdin_filename or "-")
            result.files.append(checker.check_bytes(data, stdin_filename or "-", settings_path=stdin_filename or os.getcwd()))
            named = [p for p in named if p != "-"]
        if named:
            cache = None
            if not no_cache:
                from cfglint.cache import Cache, cache_folder

                cache = Cache(cache_folder(), (options, output_formats))
            more = checker.check(named, jobs, cache)
            if cache is not None:
                cache.save()
            result.files.extend(more.files)
            result.input_errors.extend(more.input_errors)
            result.passed_by.extend(more.passed_by)
    except (SettingsError, UnknownRule, InputError, *override_errors(overrides)) as problem:
        fail(str(problem))
    for message in result.input_errors:
        error(message)
    if verbose:
        print_passed_by(result.passed_by)
        for report in result.files:
            grid = f"; grid of {report.grid}" if report.grid else ""
            dialect = report.dialect or "none detected; no training settings found, so only syntax and duplicate keys were checked"
            click.echo(f"{report.path}: dialect {dialect}; settings {report.settings_path or 'defaults'}{grid}", err=True)
            for field in report.fields:
                click.echo(f"{report.path}:   {field}", err=True)
            if report.steps:
                click.echo(f"{report.path}: {report.steps}", err=True)
    # Resolved only when a report goes to a file: a realpath per checked file costs about 20 ms
    # on a corpus of 600 files.
    checked = {os.path.realpath(report.path) for report in result.files} if any(path is not None for _, path in outputs) else set()
    for output_format, path in outputs:
        if path is not None:
            from cfglint.writer import WriteError, write_copy

            if os.path.realpath(path) in checked:
                fail(f"--output-file {path} is a file being checked; not overwritten")

            output = reporter(output_format)(quiet=quiet).render(result)
            try:
                write_copy(path, (output + "\n" if output else "").encode("utf-8"))
            except WriteError as problem:
                fail(str(problem))
    printed = [output_format for output_format, path in outputs if path is None]
    if statistics:
        counter = Counter((f.code, f.name) for f in result.findings)
        for (code, name), count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
            click.echo(f"{count:5d}  {code}  {name}")
    elif printed:
        colored = printed[0] == "text" and use_color(color)
        output = reporter(printed[0])(color=colored, quiet=quiet).render(result)
        if output:
            click.echo(output, color=colored)
    return 0 if exit_zero and result.exit_code == 1 else result.exit_code

