"""Run a probe end to end: config -> the user's entry -> measurements -> probe findings.

Imports torch lazily (through cfglint.probe.measure) and says how to install it when it is
missing. The findings come from the probe rules (P codes) through the ordinary engine, so they
have the same positions, suppressions, reporters and fixes as `cfglint check`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from cfglint.api import CheckOptions, Checker, FileReport
from cfglint.document import Document, to_data
from cfglint.plan import TrainingPlan
from cfglint.probe.entry import ProbeError, defined_at, failure, load_entry
from cfglint.probe.report import ProbeReport
from cfglint.probe.shares import number_at
from cfglint.probe.target import ProbeTarget
from cfglint.source import display_path, read_bytes

# Where a component's weight is looked for when the target does not say.
WEIGHT_PATTERNS = ("alpha_{}", "lambda_{}", "loss_weights.{}", "{}_weight")
INSTALL = "cfglint probe needs PyTorch: pip install 'cfglint-ml[probe]' (or install torch yourself)"


@dataclass
class ProbeOptions:
    """How to probe: the user's entry point, batches, optimizer steps and device."""

    entry: str | None  # None: build the target from a Lightning CLI or Hydra config (cfglint.probe.layouts)
    batches: int = 1
    steps: int = 0
    device: str | None = None


@dataclass
class ProbeRun:
    """A probe's measurements, the findings they raise, and what is needed to patch the config."""

    report: ProbeReport
    findings: FileReport
    checker: Checker  # carries the report, so `fix_bytes(run.checker, ...)` applies the probe's patch
    data: bytes
    document: Document
    plan: TrainingPlan


def weight_key(doc: Document, name: str, explicit: dict[str, str] | None, plan: TrainingPlan | None = None) -> str | None:
    """The dotted config key holding a component's weight, if the config has one: the one the
    target names, else the loss weight the reading found under that name, else the usual spellings."""
    read = plan.loss_weights.get(name) if plan is not None else None
    candidates = [explicit[name]] if explicit and name in explicit else [read.key] if read else [pattern.format(name) for pattern in WEIGHT_PATTERNS]
    return next((dotted for dotted in candidates if number_at(doc, dotted) is not None), None)


# What the probe trains with where the config says nothing.
DEFAULT_LR, DEFAULT_WEIGHT_DECAY, DEFAULT_OPTIMIZER = 1e-3, 0.0, "AdamW"


def _optimizer_class(plan: TrainingPlan, default_optimizer: str | None) -> str:
    """The torch optimizer the probe builds: SGD, Adam or AdamW (anything else runs as AdamW)."""
    name = str(plan.get("optimizer").value if plan.get("optimizer") else default_optimizer or DEFAULT_OPTIMIZER).rsplit(".", 1)[-1].lower()
    if name.startswith("sgd"):
        return "SGD"
    if name.startswith("adam") and "adamw" not in name:
        return "Adam"
    return "AdamW"


def _optimizer_factory(plan: TrainingPlan, default_optimizer: str | None):
    import torch

    lr = plan.get("learning_rate")
    decay = plan.get("weight_decay")
    options: dict[str, Any] = {"lr": lr.value if lr else DEFAULT_LR, "weight_decay": decay.value if decay else DEFAULT_WEIGHT_DECAY}
    chosen = _optimizer_class(plan, default_optimizer)
    if chosen == "SGD":
        return lambda params: torch.optim.SGD(params, momentum=0.9, **options)
    return lambda params: getattr(torch.optim, chosen)(params, **options)


def training_settings(plan: TrainingPlan, default_optimizer: str | None, accumulation: int, fp16: bool, batch_size: int | None) -> dict[str, str]:
    """Each setting the probe trains with, and the key it came from or that it is a default.

    The batch size is the one of the batches the entry gave: the config's is named beside it."""

    def source(field: str, fallback: str = "default: the config has none") -> str:
        setting = plan.get(field)
        return f"from {setting.key}" if setting else fallback

    optimizer_source = source("optimizer", f"default of the {plan.dialect} dialect" if default_optimizer else "default: the config has none")
    lr, decay, clip = plan.get("learning_rate"), plan.get("weight_decay"), plan.get("clip_grad_norm")
    scheduler, batch = plan.get("scheduler"), plan.get("batch_size")
    if batch is None:
        batch_text = f"{batch_size} (the entry's batches; the config has none)" if batch_size else "unknown (the entry's batches hold no tensor; the config has none)"
    elif batch_size in (None, batch.value):
        batch_text = f"{batch.value} ({source('batch_size')})"
    else:
        batch_text = f"{batch_size} (the entry's batches; {batch.key} in the config is {batch.value})"
    return {
        "optimizer": f"{_optimizer_class(plan, default_optimizer)} ({optimizer_source})",
        "learning rate": f"{lr.value if lr else DEFAULT_LR:g} ({source('learning_rate')})",
        "schedule": f"{scheduler.value} ({source('scheduler')})" if scheduler else "constant after warmup (default: the config has none)",
        "weight decay": f"{decay.value if decay else DEFAULT_WEIGHT_DECAY:g} ({source('weight_decay')})",
        "gradient clip": f"{clip.value:g} ({source('clip_grad_norm')})" if clip and clip.value > 0 else f"none ({source('clip_grad_norm')})",
        "accumulation": f"{accumulation} ({source('gradient_accumulation_steps')})",
        "precision": f"{'fp16' if fp16 else 'fp32'} ({source('fp16')})",
        "batch size": batch_text,
    }


def run_probe(path: str, options: ProbeOptions, check_options: CheckOptions | None = None, progress=lambda message: None) -> ProbeRun:
    try:
        import torch  # noqa: F401 - only to say plainly when it is missing
    except ImportError:
        raise ProbeError(INSTALL) from None
    from cfglint.probe.measure import measure
    from cfglint.schedule import lr_curve

    if options.device == "cuda" and not torch.cuda.is_available():
        why = "this torch is a CPU build" if torch.version.cuda is None else "torch finds no CUDA GPU"
        raise ProbeError(f"--device cuda: CUDA is not available ({why}, torch {torch.__version__}): probe with --device cpu, or install a CUDA build of torch")
    device = options.device or ("cuda" if torch.cuda.is_available() else "cpu")

    data = read_bytes(path)
    check_options = check_options or CheckOptions()
    checker = Checker(check_options)
    analysis = checker.analyse_file(path)  # a Hydra root as composed, with the overrides
    doc = analysis.document
    syntax = [p for p in doc.problems if p.kind == "syntax"]
    if syntax or doc.mapping is None:
        reason = syntax[0].message if syntax else "the config is not a mapping"
        where = display_path(doc.source_of(syntax[0].span).path) if syntax else path
        raise ProbeError(f"{where}: cannot probe: {reason}")
    refused = analysis.composition.problems if analysis.composition else []
    if refused:  # Hydra would not start this run, or cfglint cannot compose all of it: no probe
        span = refused[0].span
        raise ProbeError(f"{display_path(doc.source_of(span).path)}:{span.line}:{span.column}: cannot probe: {refused[0].message}")
    plan = analysis.plan or TrainingPlan(dialect="none")
    if not options.entry:  # no glue: a Lightning CLI or Hydra config names the classes itself
        from cfglint.probe.layouts import layout_target

        target = layout_target(path, doc, plan, options.steps, progress)
    else:
        progress(f"loading {options.entry}")
        entry = load_entry(options.entry, os.path.dirname(os.path.abspath(path)))
        try:
            target = entry(to_data(doc.root))
        except Exception as error:
            raise failure(f"the entry {options.entry} failed", error, device) from error
        if not isinstance(target, ProbeTarget):
            raise ProbeError(f"the entry {options.entry} must return a cfglint.probe.ProbeTarget, not {type(target).__name__}")
        if target.batch is None and target.batches is None:
            where = defined_at(entry)
            raise ProbeError(f"{where + ': ' if where else ''}the ProbeTarget from {options.entry} has no batch: pass batch=<one real batch> (or batches=[...]) to ProbeTarget")
    keys: dict[str, str | None] = {}

    def weight_for(name: str) -> float:
        if name not in keys:
            keys[name] = weight_key(doc, name, target.weight_keys, plan)
        weight = number_at(doc, keys[name]) if keys[name] else None
        return 1.0 if weight is None else weight

    fp16 = bool(plan.get("fp16") and plan.get("fp16").value)
    temperature = plan.get("temperature")
    steps = analysis.steps
    curve = lr_curve(plan, steps) if steps else None
    rates = [curve.at(step + 1) for step in range(options.steps)] if curve and curve.unit == "step" else []
    clip = plan.get("clip_grad_norm")
    written = plan.get("gradient_accumulation_steps")
    accumulation = steps.accumulation if steps else int(written.value) if written else 1
    progress(f"measuring {options.batches} batch{'es' if options.batches != 1 else ''} on {device}" + (f", then {options.steps} optimizer steps" if options.steps else ""))
    try:
        report = measure(
            target,
            weight_for,
            batches=options.batches,
            device=device,
            fp16=fp16,
            temperature=temperature.value if temperature else None,
            steps=options.steps,
            optimizer=target.optimizer or _optimizer_factory(plan, analysis.detection.dialect.default_optimizer if analysis.detection else None),
            learning_rates=rates if target.learning_rates is None else target.learning_rates,
            clip=clip.value if clip and clip.value > 0 else None,
            accumulation=accumulation,
        )
    except ProbeError:
        raise
    except Exception as error:
        raise failure("running the model failed", error, device) from error
    report.weight_keys = {name: key for name, key in keys.items() if key}
    default_optimizer = analysis.detection.dialect.default_optimizer if analysis.detection else None
    report.settings = {**training_settings(plan, default_optimizer, accumulation, fp16, report.batch_size), **(target.settings or {})}
    probe_checker = Checker(check_options.replace(select=check_options.select or ["P"]), probe=report)
    if analysis.composition is not None:
        findings = probe_checker.check_document(doc, path, composition=analysis.composition, detection=analysis.detection)
    else:
        findings = probe_checker.check_bytes(data, path)
    return ProbeRun(report, findings, probe_checker, data, doc, plan)
