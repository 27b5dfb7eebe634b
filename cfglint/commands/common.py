"""What the commands share: exit codes, the wrapper that turns a bug into exit 3, and options."""

from __future__ import annotations

import functools
import os
import sys

import click

EXIT_INTERNAL = 3
EXIT_USAGE = 2
# 128 + SIGINT, as a shell reports a program Ctrl-C ended: not 1, which means findings.
EXIT_INTERRUPTED = 130


def codes(values: tuple[str, ...]) -> list[str]:
    """`--select S001,T001 --select M` -> ["S001", "T001", "M"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def error(message: str) -> None:
    """Print an error in cfglint's one style (usage errors included, see cli.LazyGroup)."""
    click.echo(f"cfglint: error: {message}", err=True)


def warning(message: str) -> None:
    click.echo(f"cfglint: warning: {message}", err=True)


def not_fixed(path: str, finding, reason: str) -> None:
    """A finding whose fix was refused (fix, probe --write): named with why, in the warning style."""
    warning(f"{path}:{finding.span.line}:{finding.span.column}: {finding.code} not fixed: {reason}")


def fail(message: str, code: int = EXIT_USAGE) -> None:
    error(message)
    sys.exit(code)


COLOR_OPTION = click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Color the text report (or diff): auto colors a terminal unless NO_COLOR is set, and any output when FORCE_COLOR is.",
)


def use_color(choice: str) -> bool:
    """--color, then FORCE_COLOR, then NO_COLOR (each when set and not empty, as force-color.org
    and no-color.org say; FORCE_COLOR wins over NO_COLOR, as force-color.org's example has it),
    then whether stdout is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def exits(body):
    """Exit with the code a command body returns; a bug becomes one line and exit 3, Ctrl-C exit
    130, never a traceback."""

    @functools.wraps(body)
    def command(**arguments):
        try:
            code = body(**arguments)
        except (SystemExit, BrokenPipeError):
            raise  # click ends a closed pipe (`cfglint check | head`) quietly with exit 1
        except KeyboardInterrupt:
            fail("interrupted", EXIT_INTERRUPTED)
        except Exception as error:  # noqa: BLE001 - the one place that turns a bug into exit 3
            fail(f"internal error: {type(error).__name__}: {error} (please report this)", EXIT_INTERNAL)
        sys.exit(code)

    return command


_DIFF_COLORS = (("+++", {"bold": True}), ("---", {"bold": True}), ("@@", {"fg": "cyan"}), ("+", {"fg": "green"}), ("-", {"fg": "red"}))


def unified_diff(before: str, after: str, path: str, color: bool = False) -> str:
    import difflib  # only a printed diff (fix, probe --diff) needs it

    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}")
    if not color:
        return "".join(lines)
    return "".join(_color_diff_line(line) for line in lines)


def _color_diff_line(line: str) -> str:
    body = line.rstrip("\r\n")
    style = next((style for prefix, style in _DIFF_COLORS if body.startswith(prefix)), None)
    return click.style(body, **style) + line[len(body):] if style else line


def known_dialect(context, parameter, value):
    """Validate --dialect only when it is given, so a plain run never imports every dialect."""
    if value is not None:
        from cfglint.dialects import BY_NAME

        if value not in BY_NAME:
            raise click.BadParameter(f"{value!r} is not a dialect; known: {', '.join(BY_NAME)}")
    return value


def dialect_option(subject: str):
    return click.option("--family", "--dialect", "family", callback=known_dialect, help=f"Treat {subject} as this dialect (`cfglint dialects` lists them) instead of detecting it.")


OVERRIDE_OPTION = click.option(
    "--override",
    "overrides",
    multiple=True,
    metavar="OVERRIDE",
    help="A Hydra override as a launch command types it (`experiment=long`, `trainer.max_epochs=3`, `+key=value`, `~key`); repeatable. The config is checked as composed with them; in a config that is not Hydra's, `key=value` sets a dotted key.",
)


def override_errors(overrides: tuple[str, ...]) -> tuple[type[Exception], ...]:
    """The error a bad --override raises, to catch: imported only when overrides are given, as
    the override parser is not needed (nor worth its import) otherwise."""
    if not overrides:
        return ()
    from cfglint.compose.overrides import OverrideError

    return (OverrideError,)


CONFIG_OPTION = click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Settings file to use instead of the nearest one.")
ISOLATED_OPTION = click.option("--isolated", is_flag=True, help="Ignore all settings files.")


def walk_options(command):
    """Which of the files named or found `check` and `fix` pass by (see cfglint.walk)."""
    command = click.option("--no-skip-known", "check_known", is_flag=True, help="Also check files cfglint knows are not training configs (package.json, .github/, ...).")(command)
    return click.option("--force-exclude", is_flag=True, help="Apply the settings' `exclude` to files named on the command line too (for pre-commit).")(command)


def print_passed_by(passed_by) -> None:
    """`-v`: each file passed by, and why, on stderr."""
    for item in passed_by:
        click.echo(f"{item.path}: skipped: {item.reason}", err=True)


def file_options(command):
    """The options `check` and `fix` share: which rules, which settings, which dialect, stdin."""
    for option in reversed(
        (
            click.option("--select", multiple=True, help="Rules to use: codes, code prefixes or names, comma-separated (default: all)."),
            click.option("--extend-select", multiple=True, help="Rules to add to the selection."),
            click.option("--ignore", multiple=True, help="Rules to leave out."),
            dialect_option("every file"),
            CONFIG_OPTION,
            ISOLATED_OPTION,
            click.option("--stdin-filename", help="Name to report and match settings against when reading `-` (stdin)."),
        )
    ):
        command = option(command)
    return command

