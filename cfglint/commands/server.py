"""`cfglint server`: the language server an editor starts."""

from __future__ import annotations

import click

from cfglint.commands.common import exits


@click.command()
@exits
def server() -> int:
    """Run the language server (LSP over stdin and stdout) for an editor to start.

    It checks YAML, JSON and TOML configs as they are edited, with the settings file that
    `cfglint check` would use, and reports findings as diagnostics; it offers fixes as code
    actions (safe ones preferred, unsafe ones labelled "(unsafe)", and "fix all safe fixes") and
    shows a rule's documentation on hover. It writes nothing to stdout but LSP messages, and
    exits when the editor asks.
    """
    from cfglint.server import serve

    return serve()
