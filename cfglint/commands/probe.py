"""`cfglint probe`: run one real batch of the user's model and check the config's scales."""

from __future__ import annotations

import click

from cfglint.commands.common import CONFIG_OPTION, EXIT_INTERNAL, ISOLATED_OPTION, OVERRIDE_OPTION, dialect_option, exits, fail, not_fixed, override_errors, unified_diff


@click.command()
@click.argument("config")
@click.option(
    "--entry",
    help="MODULE:FUNCTION (imported with the working folder on the path, like `python -m`) or path/to/file.py:FUNCTION "
    "(looked up beside CONFIG, then in the working folder), returning a cfglint.probe.ProbeTarget (default: the probe.entry setting; "
    "without one, the classes a Lightning CLI or Hydra config names).",
)
@click.option("--batches", default=1, show_default=True, type=click.IntRange(min=1), help="Batches to measure (clipping fraction and percentiles need several).")
@click.option("--steps", default=0, show_default=True, type=click.IntRange(min=0), help="Also take this many optimizer steps at the schedule's first learning rates.")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), help="Where to run the model (default: cuda when available; cuda where it is not: exit 2).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="json: the full measurement report and the findings.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the patch the probe proposes.")
@click.option("--write", is_flag=True, help="Apply the proposed patch to CONFIG (verified, like `cfglint fix --unsafe-fixes`).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False), help="Write the patched config here instead.")
@dialect_option("the file")
@OVERRIDE_OPTION
@CONFIG_OPTION
@ISOLATED_OPTION
@click.option("-q", "--quiet", is_flag=True, help="No progress and no measurement table.")
@exits
def probe(config, entry, batches, steps, device, output_format, show_diff, write, output_path, family, overrides, config_path, isolated, quiet) -> int:
    """Run one real batch of your model under CONFIG and check the scales the config assumes.

    Imports only the entry you name or, without one, the classes a Lightning CLI or Hydra config
    names. Exit 0: nothing found; 1: findings; 2: the probe could not run (no torch, a failing
    entry); 3: the proposed patch failed verification.
    """
    import json

    from cfglint.api import CheckOptions, CheckResult, Checker
    from cfglint.fixer import FixVerificationError, fix_bytes
    from cfglint.probe.entry import ProbeError
    from cfglint.probe.runner import ProbeOptions, run_probe
    from cfglint.probe.summary import render
    from cfglint.reporters import reporter
    from cfglint.reporters.json import report_findings
    from cfglint.settings import SettingsError
    from cfglint.source import InputError
    from cfglint.writer import WriteError, write_atomic, write_copy

    options = CheckOptions(family=family, config=config_path, isolated=isolated, overrides=overrides)
    rerun = _rerun(config, entry, batches, steps, device, family, overrides, config_path, isolated)
    try:
        entry = entry or Checker(options).settings_for(config).probe_entry  # none: a Lightning CLI or Hydra config's own classes
        progress = (lambda message: None) if quiet or output_format == "json" else (lambda message: click.echo(f"probe: {message} ...", err=True))
        run = run_probe(config, ProbeOptions(entry, batches, steps, device), options, progress)
    except (ProbeError, InputError, SettingsError, *override_errors(overrides)) as error:
        fail(str(error))
    result = CheckResult(files=[run.findings])
    if output_format == "json":
        data = {"measurements": run.report.to_dict(), "findings": report_findings(run.findings)}
        click.echo(json.dumps(data, indent=2))
    else:
        if not quiet:
            clip = run.plan.get("clip_grad_norm")
            click.echo(render(run.report, run.document, clip.value if clip else None))
            click.echo("")
        text = reporter("text")(color=False, quiet=quiet, fixes_by=f"`{rerun} --write` (`--diff` shows the patch)").render(result)
        if text:
            click.echo(text)
    status = result.exit_code
    if show_diff or write or output_path:
        try:
            outcome = fix_bytes(run.checker, run.data, config, unsafe=True)
        except FixVerificationError as error:
            fail(f"{config}: the proposed patch failed verification ({error}); nothing was written", EXIT_INTERNAL)
        if show_diff and outcome.changed:
            click.echo(unified_diff(outcome.original_text, outcome.fixed_text, config), nl=False)
        try:
            if output_path and outcome.changed:
                write_copy(output_path, outcome.encoded())
            elif write and outcome.changed:
                write_atomic(config, outcome.encoded(), expected=run.data)
        except WriteError as error:
            fail(str(error))
        for finding, reason in outcome.refused:
            not_fixed(config, finding, reason)
        if (write or output_path) and not quiet:
            click.echo(_written(config, output_path, outcome), err=True)
    return status


def _rerun(config, entry, batches, steps, device, family, overrides, config_path, isolated) -> str:
    """This probe's command line, for the summary to say how to apply its fixes: the same measurement, then --write."""
    import shlex

    words = ["cfglint", "probe", config]
    for option, value in (("--entry", entry), ("--batches", batches if batches != 1 else None), ("--steps", steps or None), ("--device", device), ("--dialect", family), ("--config", config_path)):
        if value is not None:
            words += [option, str(value)]
    for override in overrides:
        words += ["--override", override]
    return shlex.join(words + (["--isolated"] if isolated else []))


def _written(config, output_path, outcome) -> str:
    """What --write or --output wrote, as `cfglint fix --write` says it."""
    fixed = f"{len(outcome.applied)} finding{'s' if len(outcome.applied) != 1 else ''}"
    left = f"; {len(outcome.remaining)} remaining" if outcome.remaining else ""
    if not outcome.changed:
        count = len(outcome.remaining)
        if count:
            return "Nothing written: the probe's one finding has no fix." if count == 1 else f"Nothing written: none of the probe's {count} findings has a fix."
        return "Nothing written: the probe found nothing to fix."
    if output_path:
        return f"Wrote {output_path}: {config} with {fixed} fixed{left}."
    return f"Fixed {fixed} in {config}{left}."
