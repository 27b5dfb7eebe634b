"""Probe targets built from the config alone, when no --entry is given.

A Lightning CLI config (`model: {class_path: ...}`) or a Hydra config (`model: {_target_: ...}`)
already names the classes a run trains; the layouts instantiate them with the framework's own
machinery (LightningCLI's parser, `hydra.utils.instantiate`) and turn them into a ProbeTarget.
These are the only places, besides a named entry, where `probe` imports user code, and only the
classes the config names. Lightning and Hydra are optional extras, imported here and nowhere else.
"""

from __future__ import annotations

from typing import Callable

from cfglint.document import Document, Mapping, Scalar
from cfglint.plan import TrainingPlan
from cfglint.probe.entry import ProbeError
from cfglint.probe.target import ProbeTarget

NO_LAYOUT = (
    "name the probe entry: --entry MODULE:FUNCTION or path/to/file.py:FUNCTION (or the probe.entry setting); "
    "without one, probe reads a Lightning CLI config (model.class_path) or a Hydra config (model._target_)"
)
# The Hydra blocks naming the model, tried in this order (cfglint.probe.layouts.hydra has the rest).
HYDRA_MODEL_KEYS = ("model", "net")


def _block_with(doc: Document, key: str, marker: str) -> bool:
    root = doc.mapping
    entry = root.get(key) if root is not None else None
    return entry is not None and isinstance(entry.value, Mapping) and isinstance(getattr(entry.value.get(marker), "value", None), Scalar)


def layout_of(doc: Document) -> str | None:
    """"lightning" or "hydra" when the config names its model class, else None."""
    if _block_with(doc, "model", "class_path"):
        return "lightning"
    if any(_block_with(doc, key, "_target_") for key in HYDRA_MODEL_KEYS):
        return "hydra"
    return None


def layout_target(path: str, doc: Document, plan: TrainingPlan, steps: int, progress: Callable[[str], None]) -> ProbeTarget:
    """The ProbeTarget of a Lightning CLI or Hydra config; a ProbeError when the config is neither."""
    layout = layout_of(doc)
    if layout is None:
        raise ProbeError(NO_LAYOUT)
    try:
        if layout == "lightning":
            from cfglint.probe.layouts.lightning import lightning_target

            progress("instantiating the Lightning CLI config's model and data (LightningCLI)")
            return lightning_target(path, doc, plan, steps)
        from cfglint.probe.layouts.hydra import hydra_target

        progress("instantiating the Hydra config's _target_ blocks (hydra.utils.instantiate)")
        return hydra_target(path, doc, plan, steps)
    except ProbeError:
        raise
    except Exception as error:  # noqa: BLE001 - user code the layouts do not name a hook of
        raise ProbeError(f"{path}: building the probe from the {layout} config failed: {type(error).__name__}: {error}") from error
