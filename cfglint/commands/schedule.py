"""`cfglint schedule`: a config's step arithmetic and learning-rate curve."""

from __future__ import annotations

import click

from cfglint.commands.common import OVERRIDE_OPTION, dialect_option, exits, fail, override_errors


@click.command()
@click.argument("config")
@click.option("--steps-per-epoch", type=click.IntRange(min=1), help="Micro-batches per epoch, if the config does not say.")
@click.option("--dataset-size", type=click.IntRange(min=1), help="Training samples, if the config does not say.")
@click.option("--world-size", type=click.IntRange(min=1), help="Data-parallel replicas (default: the config's, else 1).")
@dialect_option("the file")
@OVERRIDE_OPTION
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="Also draw the learning rate to this PNG (needs the `plot` extra).")
@exits
def schedule(config, steps_per_epoch, dataset_size, world_size, family, overrides, plot_path) -> None:
    """Show a config's step arithmetic and its learning-rate schedule as configured (a Hydra root
    as composed from its defaults list and the overrides)."""
    from cfglint import schedule_report
    from cfglint.api import CheckOptions, Checker
    from cfglint.engine import run_rules
    from cfglint.source import InputError, display_path
    from cfglint.writer import WriteError

    try:
        checker = Checker(CheckOptions(family=family, overrides=overrides))
        analysis = checker.analyse_file(config)
    except (InputError, *override_errors(overrides)) as error:
        fail(str(error))
    if analysis.document.problems and analysis.document.root is None:
        fail(f"{config}: {analysis.document.problems[0].message}")
    if analysis.plan is None:
        from cfglint.dialects import BY_NAME

        fail(f"{config}: no training settings found (no dialect claims it and the generic reading found none); name a dialect with --dialect ({', '.join(BY_NAME)})")
    settings = checker.settings_for(config)
    findings = run_rules([analysis], checker.enabled_rules(settings), settings, display_path(config))
    report = schedule_report.build(config, analysis, findings, steps_per_epoch=steps_per_epoch, dataset_size=dataset_size, world_size=world_size)
    click.echo(schedule_report.render(report))
    if plot_path:
        if report.configured is None:
            fail(f"nothing to plot: {report.missing}")
        try:
            schedule_report.plot(report, plot_path)
        except ImportError:
            fail("--plot needs matplotlib: pip install 'cfglint-ml[plot]'")
        except WriteError as error:
            fail(str(error))
        click.echo(f"wrote {plot_path}")

