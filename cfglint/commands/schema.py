"""`cfglint schema export`: the families' JSON Schemas, for editors."""

from __future__ import annotations

import click

from cfglint.commands.common import exits, fail


@click.group()
def schema() -> None:
    """JSON Schemas of the config families (for editors)."""


@schema.command("export")
@click.option("--output-dir", default="schemas", show_default=True, type=click.Path(file_okay=False), help="Folder to write <family>.schema.json files into.")
@exits
def schema_export(output_dir: str) -> None:
    """Write the families' JSON Schemas, generated from cfglint's models."""
    from cfglint.schema_export import export

    try:
        for path in export(output_dir):
            click.echo(path)
    except OSError as error:
        fail(f"{output_dir}: {error.strerror}")
