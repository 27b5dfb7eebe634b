"""What the Lightning and Hydra layouts share: extras, positions, loss terms, the user's optimizer.

Imports torch (the layouts run only inside `probe`).
"""

from __future__ import annotations

import importlib
import math
import os
import warnings
from typing import Any, Callable

import torch

from cfglint.document import Document
from cfglint.probe.entry import ProbeError, put_on_import_path
from cfglint.probe.runner import WEIGHT_PATTERNS
from cfglint.probe.shares import number_at
from cfglint.source import display_path

# The optional method on the user's model that returns the UNWEIGHTED loss terms of a batch.
HOOK = "cfglint_loss_components"


def load_extra(module: str, extra: str, package: str) -> Any:
    """Import an optional framework, or say in one line how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ProbeError(f"probing this config without --entry needs {package}: pip install 'cfglint-ml[{extra}]'") from None


def on_import_path(path: str) -> None:
    """The config's folder and the working folder on sys.path, so the classes it names import as in the user's run."""
    put_on_import_path(os.path.dirname(os.path.abspath(path)), os.getcwd())


def where(path: str, doc: Document, dotted: str) -> str:
    """`file:line:column` of a dotted key's value (of the nearest key the config has)."""
    node, _ = doc.node_at(tuple(dotted.split(".")))
    source = doc.source_of(node.span)  # in a composed config, the file the value is written in
    if source is not doc:
        path = display_path(source.path)
    return f"{path}:{node.span.line}:{node.span.column}"


def weight_keys(doc: Document, names: list[str], prefixes: tuple[str, ...]) -> dict[str, str]:
    """Each term's weight key: the usual spellings under the model block's arguments, then at the top."""
    found = {}
    for name in names:
        candidates = (prefix + pattern.format(name) for prefix in prefixes for pattern in WEIGHT_PATTERNS)
        key = next((dotted for dotted in candidates if number_at(doc, dotted) is not None), None)
        if key:
            found[name] = key
    return found


def weighted_sum_note(doc: Document, terms: dict[str, torch.Tensor], keys: dict[str, str], total: torch.Tensor) -> str:
    """A warning when the terms, weighted as the config says, do not add up to the loss training returns."""
    weighted = sum((number_at(doc, keys[name]) if name in keys else 1.0) * float(value.detach()) for name, value in terms.items())
    expected = float(total.detach())
    if math.isclose(weighted, expected, rel_tol=1e-3, abs_tol=1e-6):
        return ""
    return (
        f"; their weighted sum is {weighted:.4g} but the training loss is {expected:.4g}: log each term unweighted, "
        "with its weight under one of the keys the probe reads"
    )


def call(what: str, function: Callable, *args: Any) -> Any:
    """The user's hook called, its failure one line that names it."""
    try:
        return function(*args)
    except ProbeError:
        raise
    except Exception as error:  # noqa: BLE001 - user code raises anything
        raise ProbeError(f"{what} failed: {type(error).__name__}: {error}") from error


def first_batch(loader: Any, what: str) -> Any:
    batch = call(f"the first batch of {what}", next, iter(loader), None)
    if batch is None:
        raise ProbeError(f"{what} yields no batches")
    return batch


def optimizer_settings(optimizer: Any, scheduler: Any, sources: dict[str, str]) -> dict[str, str]:
    """The settings lines of an optimizer the user's code built: its class, lr, decay and schedule."""
    group = optimizer.param_groups[0]
    schedule = type(scheduler).__name__ if scheduler is not None else "constant"
    return {
        "optimizer": f"{type(optimizer).__name__} ({sources['optimizer']})",
        "learning rate": f"{group['lr']:g} ({sources['learning rate']})",
        "schedule": f"{schedule} ({sources['schedule']})",
        "weight decay": f"{group.get('weight_decay', 0.0):g} ({sources['weight decay']})",
    }


def first_learning_rates(optimizer: Any, scheduler: Any, per_step: bool, steps: int) -> list[float]:
    """The learning rates of the first optimizer steps: the scheduler stepped as training steps it.

    The optimizer's rates are restored afterwards; the probe sets each step's rate itself.
    """
    groups = optimizer.param_groups
    initial = [group["lr"] for group in groups]
    rates = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "lr_scheduler.step() before optimizer.step()": nothing is trained here
        for _ in range(steps):
            rates.append(groups[0]["lr"])
            if scheduler is not None and per_step and not isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
                scheduler.step()
    for group, rate in zip(groups, initial):
        group["lr"] = rate
    return rates


def hook_terms(model: Any) -> Callable[[Any], dict] | None:
    """The model's `cfglint_loss_components(batch)`, when it has one."""
    hook = getattr(model, HOOK, None)
    return hook if callable(hook) else None
