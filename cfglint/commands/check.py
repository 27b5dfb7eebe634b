"""`cfglint check`: lint config files and report the findings."""

from __future__ import annotations

import os
import sys
from collections import Counter

import click

from cfglint.commands.common import codes, exits, fail, file_options, print_passed_by, walk_options
from cfglint.reporters import FORMATS


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@file_options
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
def check(paths, output_format, select, extend_select, ignore, fail_on, exit_zero, statistics, family, config_path, isolated, stdin_filename, quiet, verbose, jobs, no_cache, files_from, force_exclude, check_known) -> int:
    """Check config files (folders are searched for *.yaml, *.yml, *.json, *.toml; `-` reads stdin)."""
    from cfglint.api import CheckOptions, CheckResult, Checker, collect_garbage_rarely
    from cfglint.finding import Severity, UnknownRule
    from cfglint.reporters import reporter
    from cfglint.settings import SettingsError
    from cfglint.source import InputError, read_limited

    collect_garbage_rarely()
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
            result.passed_by.extend(more.passed_by)
    except (SettingsError, UnknownRule, InputError) as error:
        fail(str(error))
    for message in result.input_errors:
        click.echo(f"cfglint: error: {message}", err=True)
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
    if statistics:
        counter = Counter((f.code, f.name) for f in result.findings)
        for (code, name), count in sorted(counter.items(), key=lambda item: (-item[1], item[0])):
            click.echo(f"{count:5d}  {code}  {name}")
    else:
        color = output_format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        output = reporter(output_format)(color=color, quiet=quiet).render(result)
        if output:
            click.echo(output, color=color)
    return 0 if exit_zero and result.exit_code == 1 else result.exit_code

