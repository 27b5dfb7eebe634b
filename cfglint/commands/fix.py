"""`cfglint fix`: apply verified fixes, keeping comments and formatting."""

from __future__ import annotations

import contextlib
import os
import sys

import click

from cfglint.commands.common import COLOR_OPTION, EXIT_INTERNAL, EXIT_USAGE, codes, error, exits, fail, file_options, not_fixed, print_passed_by, unified_diff, use_color, walk_options, warning


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--write", is_flag=True, help="Write the fixes into the files (default: print a diff).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a diff of the fixes and change nothing (the default without --write or --output).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when a file was changed, even if no finding is left.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False), help="Write the fixed copy of the one input here.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change the training (see `cfglint explain`).")
@click.option("--show-fixes", is_flag=True, help="List each fix applied.")
@file_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="List the files passed by, and why.")
@walk_options
@COLOR_OPTION
@exits
def fix(paths, write, show_diff, exit_non_zero_on_fix, output_path, unsafe_fixes, show_fixes, select, extend_select, ignore, family, config_path, isolated, stdin_filename, quiet, verbose, force_exclude, check_known, color) -> int:
    """Fix findings, keeping every comment and the file's formatting.

    Without --write (or with --diff), print a diff and exit 1 when anything would change (like
    `black --diff`); `-` reads stdin and writes the fixed bytes (same encoding, byte order mark
    and newlines) to stdout, or to the --output file, or with --diff prints their diff.
    With --write, --output or stdin, exit as ruff does: 1 when findings at the fail level
    remain (0 when everything was fixed: pre-commit fails a hook that changed files whatever
    its exit code), or when a finding's fix was refused (it is named; the file's other fixes
    apply); --exit-non-zero-on-fix also exits 1 when a file was changed. Exit 3 means a fix
    failed verification: it names the rule, and the file was left untouched.
    """
    from cfglint import rules
    from cfglint.api import CheckOptions, Checker
    from cfglint.settings import SettingsError
    from cfglint.source import read_limited

    named = list(paths) or ["."]
    if show_diff and (write or output_path):
        fail(f"--diff prints a diff and changes nothing: it cannot go with {'--write' if write else '--output'}")
    if output_path and (len(named) != 1 or os.path.isdir(named[0])):
        fail("--output takes exactly one input file")
    options = CheckOptions(
        select=codes(select) or None, extend_select=codes(extend_select), ignore=codes(ignore), family=family, config=config_path, isolated=isolated,
        force_exclude=force_exclude, skip_known=not check_known,
    )
    tally = _FixTally(use_color(color), show_diff)
    try:
        checker = Checker(options)
        if named == ["-"]:
            data = read_limited(sys.stdin.buffer, stdin_filename or "-")
            _fix_one(checker, stdin_filename or "-", data, unsafe_fixes, show_fixes, output_path, False, tally)
        else:
            for path in checker.config_files(named, tally.errors, tally.passed_by):
                _fix_one(checker, path, None, unsafe_fixes, show_fixes, output_path, write, tally)
    except (SettingsError, rules.UnknownRule) as problem:
        fail(str(problem))
    for message in tally.errors:
        error(message)
    if verbose:
        print_passed_by(tally.passed_by)
    if not quiet and named != ["-"]:
        verb = "Fixed" if write or output_path else "Would fix"
        summary = f"{verb} {tally.applied} finding{'s' if tally.applied != 1 else ''} in {tally.changed} file{'s' if tally.changed != 1 else ''}"
        left = f"; {tally.remaining} remaining" + (f" ({tally.unsafe_left} fixable with --unsafe-fixes)" if tally.unsafe_left else "") if tally.remaining else ""
        passed = f"; {len(tally.passed_by)} passed by (see -v)" if tally.passed_by else ""
        click.echo(summary + left + passed + ".", err=True)
    if tally.errors:
        return max(tally.status, EXIT_USAGE)
    if show_diff or not (write or output_path or named == ["-"]):  # a diff: 1 when anything would change
        return max(tally.status, 1 if tally.changed else 0)
    return max(tally.status, 1 if tally.failing else 0, 1 if exit_non_zero_on_fix and tally.changed else 0)


class _FixTally:
    """Counts over the files `fix` touched, for its summary line and exit code."""

    def __init__(self, color: bool, diff: bool = False) -> None:
        self.color = color  # of the printed diff
        self.diff = diff  # stdin: print the diff instead of the fixed bytes
        self.status = 0
        self.changed = 0
        self.applied = 0
        self.remaining = 0
        self.failing = 0  # remaining findings at the fail level
        self.unsafe_left = 0
        self.errors: list[str] = []
        self.passed_by: list = []  # PassedBy: files not fixed because they are not training configs, or excluded


def _fix_one(checker, path: str, stdin_data: bytes | None, unsafe: bool, show_fixes: bool, output_path: str | None, write: bool, tally: _FixTally) -> None:
    """Fix one file (or stdin) and print, write or show the result; the lock makes read, fix and
    write one step against parallel fixers of the same folder. A file that cannot be locked,
    read or written is an error for that file alone (exit 2); the others are still fixed."""
    from cfglint.writer import WriteError, locked

    try:
        with locked(path) if write and stdin_data is None else contextlib.nullcontext():
            _fix_and_write(checker, path, stdin_data, unsafe, show_fixes, output_path, write, tally)
    except WriteError as problem:  # nothing was fixed in this file: nothing to count
        tally.errors.append(str(problem))


def _fix_and_write(checker, path: str, stdin_data: bytes | None, unsafe: bool, show_fixes: bool, output_path: str | None, write: bool, tally: _FixTally) -> None:
    from cfglint.api import DEFAULT_FAIL_ON
    from cfglint.fixes import Applicability
    from cfglint.fixer import FixVerificationError, UnfixableInput, fix_bytes
    from cfglint.source import InputError, read_bytes
    from cfglint.writer import write_atomic, write_copy

    try:
        data = stdin_data if stdin_data is not None else read_bytes(path)
        outcome = fix_bytes(checker, data, path, unsafe=unsafe, pass_by_known=stdin_data is None)
    except InputError as problem:
        tally.errors.append(str(problem))
        return
    except UnfixableInput as problem:
        warning(str(problem))
        tally.status = max(tally.status, 1)
        return
    except FixVerificationError as problem:
        error(f"{path}: fix by {problem}")
        tally.status = EXIT_INTERNAL
        return
    if outcome.passed_by is not None:
        tally.passed_by.append(outcome.passed_by)
        return
    # stdin's result is its own bytes when nothing changed, so the output is the input exactly
    result = outcome.encoded() if outcome.changed else data
    if output_path and (outcome.changed or stdin_data is not None):  # stdin's copy is written even unchanged
        write_copy(output_path, result)
    elif outcome.changed and write:
        write_atomic(path, result, expected=data)  # refuses when the file changed since `data` was read
    for finding, reason in outcome.refused:
        not_fixed(path, finding, reason)
        tally.status = max(tally.status, 1)
    tally.applied += len(outcome.applied)
    tally.remaining += len(outcome.remaining)
    fail_on = checker.options.fail_on or checker.settings_for(path).fail_on or DEFAULT_FAIL_ON
    tally.failing += sum(1 for f in outcome.remaining if f.severity >= fail_on)
    tally.unsafe_left += sum(1 for f in outcome.remaining if f.fix and f.fix.applicability == Applicability.UNSAFE)
    if show_fixes:
        for finding in outcome.applied:
            click.echo(f"{path}:{finding.span.line}:{finding.span.column}: {finding.code} fixed: {finding.fix.description}")
    if stdin_data is not None and not tally.diff:
        if not output_path:
            sys.stdout.flush()  # after any --show-fixes lines
            sys.stdout.buffer.write(result)
            sys.stdout.buffer.flush()
        tally.changed += outcome.changed
        return
    if not outcome.changed:
        return
    if not (output_path or write):  # a diff, of a file or of stdin
        click.echo(unified_diff(outcome.original_text, outcome.fixed_text, path, tally.color), nl=False, color=tally.color)
    tally.changed += 1
