"""A Hydra config probed without glue: `hydra.utils.instantiate` builds its `_target_` blocks.

The config as check reads it: a root composed from its defaults list and the overrides
(cfglint.compose), given to OmegaConf, which resolves its interpolations. The first top-level
key of each list that holds a `_target_` block names that part of the run: the model
(HYDRA_MODEL_KEYS), the data (DATA_KEYS), the loss (LOSS_KEYS), the optimizer (OPTIMIZER_KEYS) and
its scheduler (SCHEDULER_KEYS). The loss is the model's `cfglint_loss_components(batch)` when it
has one, else the loss block applied to (model(inputs), targets) of each (inputs, targets) batch.
A LightningModule model with a LightningDataModule is probed as a Lightning CLI config's is.
"""

from __future__ import annotations

import sys
from typing import Any

import torch

from cfglint.document import Document, to_data
from cfglint.plan import TrainingPlan
from cfglint.probe.entry import ProbeError
from cfglint.probe.layouts import HYDRA_MODEL_KEYS
from cfglint.probe.layouts.common import (
    HOOK,
    call,
    first_batch,
    first_learning_rates,
    hook_terms,
    load_extra,
    on_import_path,
    optimizer_settings,
    weight_keys,
    where,
)
from cfglint.probe.shares import number_at
from cfglint.probe.target import ProbeTarget

DATA_KEYS = ("train_dataloader", "datamodule", "data", "dataset")
LOSS_KEYS = ("loss", "criterion")
OPTIMIZER_KEYS = ("optimizer", "optim")
SCHEDULER_KEYS = ("lr_scheduler", "scheduler")
# A Dataset is batched with the config's batch_size, or this where it has none.
DEFAULT_BATCH = 32


class HydraConfig:
    """The OmegaConf config and Hydra's instantiate, with errors at the block's `_target_` line."""

    def __init__(self, path: str, doc: Document) -> None:
        self.omegaconf = omegaconf = load_extra("omegaconf", "hydra", "hydra-core")
        self.instantiate = load_extra("hydra.utils", "hydra", "hydra-core").instantiate
        self.path, self.doc = path, doc
        try:
            self.config = omegaconf.OmegaConf.load(path)
        except Exception as error:  # noqa: BLE001 - OmegaConf's own reading errors
            raise ProbeError(f"{path}: OmegaConf cannot read it: {type(error).__name__}: {error}") from None
        if isinstance(self.config, omegaconf.DictConfig) and "defaults" in self.config and doc.mapping is not None and doc.mapping.get("defaults") is None:
            # cfglint composed it (check's reading): OmegaConf resolves the composed tree's interpolations.
            self.config = omegaconf.OmegaConf.create(to_data(doc.root))

    def key(self, candidates: tuple[str, ...]) -> str | None:
        """The first of the candidate keys that holds a `_target_` block."""
        return next((key for key in candidates if isinstance(block := self.config.get(key), self.omegaconf.DictConfig) and "_target_" in block), None)

    def build(self, key: str, **kwargs: Any) -> Any:
        try:
            return self.instantiate(self.config[key], **kwargs)
        except Exception as error:  # noqa: BLE001 - the user's class raised, or its path does not import
            raise ProbeError(f"{where(self.path, self.doc, key + '._target_')}: {key}._target_ {self.config[key].get('_target_')}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    """What went wrong inside Hydra's instantiate, in one line: the chained cause, without Hydra's header line."""
    cause = error.__cause__ or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(":"):  # "Error loading 'pkg.Model':" above the real error
        lines = lines[1:]
    reason = " ".join(lines) or type(cause).__name__
    return reason if cause is error or isinstance(cause, ImportError) else f"{type(cause).__name__}: {reason}"


def _loader(hydra: HydraConfig, key: str, data: Any, plan: TrainingPlan) -> tuple[Any, str]:
    """The batches of a data block: a datamodule's train_dataloader(), a DataLoader, or a Dataset batched here."""
    name = type(data).__name__
    if callable(getattr(data, "train_dataloader", None)):
        for hook, args in (("prepare_data", ()), ("setup", ("fit",))):
            if callable(getattr(data, hook, None)):
                call(f"{name}.{hook}()", getattr(data, hook), *args)
        return call(f"{name}.train_dataloader()", data.train_dataloader), f"from {name}.train_dataloader()"
    if hasattr(data, "__getitem__") and hasattr(data, "__len__"):
        size = plan.get("batch_size")
        source = f"from {size.key}" if size else "default: the config has none"
        return torch.utils.data.DataLoader(data, batch_size=size.value if size else DEFAULT_BATCH), source
    if hasattr(data, "__iter__"):
        return data, f"from {key}"
    raise ProbeError(f"{where(hydra.path, hydra.doc, key + '._target_')}: {key} built a {name}: not a Dataset, a DataLoader or a data module")


def _criterion_terms(hydra: HydraConfig, model: Any, batch: Any) -> tuple[Any, str]:
    loss_key = hydra.key(LOSS_KEYS)
    if loss_key is None:
        raise ProbeError(
            f"{hydra.path}: no loss: add a loss: (or criterion:) block with a _target_, applied to (model(inputs), targets), "
            f"or define {HOOK}(self, batch) on {type(model).__name__}"
        )
    if not (isinstance(batch, (list, tuple)) and len(batch) == 2):
        raise ProbeError(
            f"{where(hydra.path, hydra.doc, loss_key + '._target_')}: the {loss_key} block is applied to (model(inputs), targets), "
            f"but a batch is a {type(batch).__name__}{f' of {len(batch)}' if isinstance(batch, (list, tuple)) else ''}, "
            f"not an (inputs, targets) pair; define {HOOK}(self, batch) on {type(model).__name__} instead"
        )
    criterion = hydra.build(loss_key)
    return (lambda b: {"loss": criterion(model(b[0]), b[1])}), f"(the {loss_key} block on model(inputs), targets)"


def _optimizer(hydra: HydraConfig, model: Any, doc: Document, steps: int) -> tuple[Any, list[float] | None, dict[str, str]]:
    """The config's optimizer (and scheduler) built on the model's parameters, or None where it has none."""
    key = hydra.key(OPTIMIZER_KEYS)
    if key is None:
        return None, None, {}
    params = [p for p in model.parameters() if p.requires_grad]
    partial = bool(hydra.config[key].get("_partial_"))
    optimizer = call(f"{key} on the model's parameters", hydra.build(key), params) if partial else hydra.build(key, params=params)
    scheduler_key = hydra.key(SCHEDULER_KEYS)
    scheduler = None
    if scheduler_key is not None:
        if hydra.config[scheduler_key].get("_partial_"):
            scheduler = call(f"{scheduler_key} on the optimizer", hydra.build(scheduler_key), optimizer)
        else:
            scheduler = hydra.build(scheduler_key, optimizer=optimizer)
    default = f"default of {type(optimizer).__name__}"
    sources = {
        "optimizer": f"from {key}._target_",
        "learning rate": f"from {key}.lr" if number_at(doc, f"{key}.lr") is not None else default,
        "weight decay": f"from {key}.weight_decay" if number_at(doc, f"{key}.weight_decay") is not None else default,
        "schedule": f"from {scheduler_key}._target_, stepped per optimizer step" if scheduler is not None else "the config has no scheduler",
    }
    rates = first_learning_rates(optimizer, scheduler, True, steps) if steps else None
    return optimizer, rates, optimizer_settings(optimizer, scheduler, sources)


def hydra_target(path: str, doc: Document, plan: TrainingPlan, steps: int) -> ProbeTarget:
    hydra = HydraConfig(path, doc)
    on_import_path(path)
    model_key = hydra.key(HYDRA_MODEL_KEYS)
    model = hydra.build(model_key)
    if not isinstance(model, torch.nn.Module):
        raise ProbeError(f"{where(path, doc, model_key + '._target_')}: {model_key} built a {type(model).__name__}, not a torch.nn.Module")
    data_key = hydra.key(DATA_KEYS)
    if data_key is None:
        raise ProbeError(f"{path}: no data: add a {', '.join(DATA_KEYS[:-1])} or {DATA_KEYS[-1]} block with a _target_")
    data = hydra.build(data_key)
    lightning = sys.modules.get("lightning")  # imported already when the model is a LightningModule
    if lightning is not None and isinstance(model, lightning.pytorch.LightningModule) and isinstance(data, lightning.pytorch.LightningDataModule):
        # The lightning-hydra-template layout: the module's own training_step and configure_optimizers.
        from cfglint.probe.layouts.lightning import module_target, train_loader

        loader, owner = train_loader(model, data)
        return module_target(model, loader, owner, doc, plan, steps, (f"{model_key}.", ""))
    loader, batch_source = _loader(hydra, data_key, data, plan)
    batch = first_batch(loader, f"the {data_key} block")
    hook = hook_terms(model)
    components, terms = (hook, f"(from {type(model).__name__}.{HOOK})") if hook is not None else _criterion_terms(hydra, model, batch)
    names = list(call(f"the loss terms of {type(model).__name__}", components, batch))
    optimizer, rates, settings = _optimizer(hydra, model, doc, steps)
    if getattr(loader, "batch_size", None) is not None:
        settings["batch size"] = f"{loader.batch_size} ({batch_source})"
    settings["loss terms"] = f"{', '.join(names)} {terms}"
    pairs = isinstance(batch, (list, tuple)) and len(batch) == 2
    return ProbeTarget(
        model=model,
        loss_components=components,
        batch=batch,
        batches=loader,
        inputs=(lambda b: b[0]) if pairs else None,
        weight_keys=weight_keys(doc, names, (f"{model_key}.", "")),
        optimizer=(lambda params: optimizer) if optimizer is not None else None,
        learning_rates=rates,
        settings=settings,
    )
