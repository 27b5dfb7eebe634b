"""The command line: parse options, call the API, print, exit. No linting logic lives here.

Each subcommand is a module in cfglint/commands/, imported only when it runs: building every
command's options costs a few milliseconds of every start, and `cfglint check` on one file in a
pre-commit hook should pay only for its own.

Exit codes: 0 nothing at or above the fail level, 1 findings, 2 usage or settings error or an
unreadable input, 3 internal error.
"""

from __future__ import annotations

import contextlib
import importlib

import click

from cfglint import __version__

# Command name -> "module:attribute" under cfglint.commands.
COMMANDS = {
    "check": "check:check",
    "fix": "fix:fix",
    "schedule": "schedule:schedule",
    "probe": "probe:probe",
    "dialects": "info:list_dialects",
    "rules": "info:list_rules",
    "explain": "info:explain",
    "schema": "schema:schema",
    "server": "server:server",
}


class CfglintError(click.ClickException):
    """A click error shown in cfglint's one error style: `cfglint: error: ...` on one line."""

    def __init__(self, error: click.ClickException) -> None:
        super().__init__(error.format_message().rstrip("."))
        self.exit_code = error.exit_code  # 2 for usage errors
        context = getattr(error, "ctx", None)
        if isinstance(error, click.UsageError) and context is not None:
            self.message += f"; see `{context.command_path} --help`"

    def show(self, file=None) -> None:
        from cfglint.commands.common import error

        error(self.message)


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand is asked for, and
    shows click's own errors (usage errors) in cfglint's style."""

    def make_context(self, *args, **kwargs) -> click.Context:
        with _styled_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        with _styled_errors():
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(f"cfglint.commands.{module}"), attribute)


@contextlib.contextmanager
def _styled_errors():
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise  # `cfglint` alone prints its help
    except CfglintError:
        raise
    except click.ClickException as error:
        raise CfglintError(error) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cfglint")
def main() -> None:
    """Lint machine-learning training configs (YAML, JSON and TOML)."""
