"""`cfglint dialects`, `cfglint rules`, `cfglint explain`: what cfglint knows."""

from __future__ import annotations

import click

from cfglint.commands.common import exits, fail, known_dialect


@click.command("dialects")
@click.argument("name", required=False, callback=known_dialect)
@exits
def list_dialects(name: str | None) -> None:
    """List the dialects cfglint reads, or show one: the keys it reads and how it counts steps."""
    from cfglint.dialects import DIALECTS
    from cfglint.loaders import TITLES
    from cfglint.schedule import ROUNDING_NAMES

    if name is None:
        for dialect in DIALECTS:
            click.echo(f"{dialect.name:<20} {dialect.title}")
        return
    dialect = next(d for d in DIALECTS if d.name == name)
    click.echo(f"{dialect.name}: {dialect.title}\n\n{dialect.doc.strip()}\n")
    if not dialect.fields:
        _vocabulary()
    else:
        click.echo("Keys read (plan field <- config keys, first present wins):")
    for field, paths in dialect.fields.items():
        click.echo(f"  {field:<28} {', '.join(paths)}")
    for line in getattr(dialect.refine, "describe", list)():
        click.echo(f"  {'(duration)':<28} {line}")
    for block, prefix in dialect.loss_weights:
        click.echo(f"  {'loss weights':<28} {block + '.' if block else ''}{prefix}<name>")
    click.echo(f"\nSteps: {ROUNDING_NAMES[dialect.rounding]}.")
    click.echo(f"Loader: {TITLES[dialect.loader]}.")
    if dialect.markers:
        markers = ", ".join(f"{key} ({weight})" for key, weight in dialect.markers.items())
        click.echo(f"Detected when its marker keys score at least {dialect.threshold} and more than any other dialect's: {markers}.")



def _vocabulary() -> None:
    """The generic reading's spellings, each with the blocks it is read in."""
    from cfglint.vocabulary import TERMS

    click.echo("Spellings read (plan field <- keys  [the roles of the blocks they are read in]):")
    for term in TERMS:
        roles = ", ".join(role or "top" for role in term.roles)
        extra = f"; {term.unit}" if term.unit else ""
        extra += f"; only if the config {'distils' if term.needs == 'distillation' else 'uses ReduceLROnPlateau'}" if term.needs else ""
        click.echo(f"  {term.field:<28} {' '.join(term.keys)}  [{roles}{extra}]")


@click.command("rules")
@exits
def list_rules() -> None:
    """List every rule: code, name, default severity and summary."""
    from cfglint import rules

    for rule in rules.RULES:
        click.echo(f"{rule.code}  {rule.name:<32} {str(rule.severity):<8} {rule.summary}")


@click.command()
@click.argument("rule")
@exits
def explain(rule: str) -> None:
    """Print a rule's documentation (by code or name)."""
    from cfglint import rules

    try:
        found = rules.get(rule)
    except rules.UnknownRule as error:
        fail(str(error))
    click.echo(found.help())

