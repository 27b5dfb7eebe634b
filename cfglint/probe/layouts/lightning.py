"""A Lightning CLI config probed without glue: LightningCLI itself instantiates the classes.

`model`, `data`, `optimizer`, `lr_scheduler` and `seed_everything` go through a LightningCLI (its
parser, its seeding, its replacement of configure_optimizers by the config's optimizer blocks);
only the Trainer is not built: the probe trains the module itself, with the trainer's clip,
accumulation and precision as `check` reads them. Batches come from the data module's
train_dataloader() after prepare_data() and setup("fit"); the loss from training_step(batch, 0).
"""

from __future__ import annotations

import logging
import re
import warnings
from typing import Any, Callable

import torch

from cfglint.document import Document, Scalar, to_data
from cfglint.plan import TrainingPlan
from cfglint.probe.entry import ProbeError
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
    weighted_sum_note,
    where,
)
from cfglint.probe.shares import number_at
from cfglint.probe.target import ProbeTarget

# The config keys LightningCLI instantiates for the probe; `trainer` is read, not built.
CLI_KEYS = ("seed_everything", "model", "data", "optimizer", "lr_scheduler")
# What the `lightning` extra installs, named when either is missing.
PACKAGES = "lightning and jsonargparse[signatures]"
# Term weights are looked for among the module's arguments first.
WEIGHT_PREFIXES = ("model.init_args.", "")


def _class_path(doc: Document, block: str) -> str | None:
    node, walked = doc.node_at((block, "class_path"))
    return str(node.value) if walked == (block, "class_path") and isinstance(node, Scalar) else None


def _explain(path: str, doc: Document, error: BaseException) -> str:
    """LightningCLI's multi-line error as one line at the class_path (or block) it concerns."""
    text = str(error)
    key = re.match(r'Parser key "([^"]+)"', text)
    given = re.search(r"class_path='([^']+)'", text)  # an __init__ that raised: the value names the class
    block = key.group(1) if key else next((b for b in CLI_KEYS if given and _class_path(doc, b) == given.group(1)), None)
    if block is None:
        return f"{path}: LightningCLI could not instantiate the config: {type(error).__name__}: {text.strip().splitlines()[0] if text.strip() else ''}"
    problem = re.search(r"Problem with given class_path '[^']+':\s*\n\s*(.+)", text)
    listed = re.search(r"^\s*- (.+)$", text, re.MULTILINE)
    if key is None and error.__cause__ is not None:  # the class's own error
        reason = f"{type(error.__cause__).__name__}: {error.__cause__}"
    else:
        reason = (problem or listed).group(1).strip() if problem or listed else text.strip().splitlines()[-1]
    class_path = _class_path(doc, block)
    if class_path is None:
        return f"{where(path, doc, block)}: {block}: {reason}"
    return f"{where(path, doc, block + '.class_path')}: {block}.class_path {class_path}: {reason}"


def instantiate(path: str, doc: Document) -> tuple[Any, Any]:
    """The LightningModule and LightningDataModule (or None) the config names, as LightningCLI builds them."""
    load_extra("jsonargparse", "lightning", PACKAGES)  # LightningCLI's parser, which lightning itself does not require
    cli = load_extra("lightning.pytorch.cli", "lightning", PACKAGES)

    class ProbeCLI(cli.LightningCLI):
        """LightningCLI without its Trainer: the probe runs the steps itself."""

        def instantiate_trainer(self, **kwargs: Any) -> None:
            return None

    config = to_data(doc.root)
    on_import_path(path)
    seed_log = logging.getLogger("lightning.fabric.utilities.seed")  # "Seed set to N": the probe prints only its report
    level = seed_log.level
    seed_log.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "args given and sys.argv is not empty": the probe's own argv
            built = ProbeCLI(
                args={key: config[key] for key in CLI_KEYS if key in config},
                run=False,
                save_config_callback=None,
                parser_kwargs={"exit_on_error": False},
            )
    except (Exception, SystemExit) as error:  # noqa: BLE001 - user classes raise anything
        raise ProbeError(_explain(path, doc, error)) from None
    finally:
        seed_log.setLevel(level)
    return built.model, built.datamodule


def train_loader(model: Any, datamodule: Any) -> tuple[Any, str]:
    """The training loader, after the hooks Lightning's fit runs before it; and whose loader it is."""
    from lightning.pytorch.utilities.model_helpers import is_overridden

    name = type(model).__name__
    if datamodule is not None:
        data = type(datamodule).__name__
        call(f"{data}.prepare_data()", datamodule.prepare_data)
        call(f'{data}.setup("fit")', datamodule.setup, "fit")
    call(f"{name}.prepare_data()", model.prepare_data)
    call(f'{name}.setup("fit")', model.setup, "fit")
    call(f"{name}.configure_model()", model.configure_model)
    holder = datamodule if datamodule is not None else model
    owner = type(holder).__name__
    if datamodule is None and not is_overridden("train_dataloader", model):
        raise ProbeError(f"the config has no data block (data.class_path) and {name} defines no train_dataloader()")
    return call(f"{owner}.train_dataloader()", holder.train_dataloader), owner


def step_loss(model: Any, batch: Any) -> torch.Tensor:
    """training_step's loss: the tensor it returns, or its dict's 'loss'."""
    output = call(f"{type(model).__name__}.training_step", model.training_step, batch, 0)
    loss = output.get("loss") if isinstance(output, dict) else output
    if not torch.is_tensor(loss):
        raise ProbeError(
            f"{type(model).__name__}.training_step returned {type(output).__name__}, not a loss tensor or a dict with 'loss' "
            f"(with manual optimization, define {HOOK}(self, batch) returning the loss terms)"
        )
    return loss


def logged_terms(model: Any, batch: Any) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """training_step's loss and the tensors it logs that carry gradients, by the last part of their name.

    self.log is intercepted on this instance for the call; the returned loss itself is not a term.
    """
    captured: dict[str, torch.Tensor] = {}

    def log(name: str, value: Any, *args: Any, **kwargs: Any) -> None:
        if torch.is_tensor(value) and value.requires_grad:
            captured[name.rsplit("/", 1)[-1]] = value

    model.log = log
    try:
        loss = step_loss(model, batch)
    finally:
        del model.log
    return loss, {name: value for name, value in captured.items() if value is not loss}


def loss_terms(model: Any, batch: Any, doc: Document, prefixes: tuple[str, ...]) -> tuple[Callable[[Any], dict], dict[str, str], str]:
    """How to get the loss terms of a batch, their weight keys, and the settings line saying where they came from."""
    name = type(model).__name__
    hook = hook_terms(model)
    if hook is not None:
        names = list(call(f"{name}.{HOOK}", hook, batch))
        return hook, weight_keys(doc, names, prefixes), f"{', '.join(names)} (from {name}.{HOOK})"
    loss, terms = logged_terms(model, batch)
    if terms:
        keys = weight_keys(doc, list(terms), prefixes)
        note = weighted_sum_note(doc, terms, keys, loss)
        return (lambda b: logged_terms(model, b)[1]), keys, f"{', '.join(terms)} (logged with self.log in training_step{note})"
    return (
        (lambda b: {"loss": logged_terms(model, b)[0]}),
        {},
        f"loss (training_step's loss; component shares not measured: self.log each term, or define {HOOK})",
    )


def optimizers(model: Any) -> tuple[Any, Any, bool]:
    """configure_optimizers' first optimizer, its scheduler (or None), and whether that steps per batch."""
    from lightning.pytorch.core.optimizer import _configure_optimizers, _configure_schedulers_automatic_opt

    name = type(model).__name__
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "configure_optimizers must be implemented": then the probe's default optimizer
        conf = call(f"{name}.configure_optimizers()", model.configure_optimizers)
    if conf is None:
        return None, None, False
    found, schedulers, monitor = call(f"reading {name}.configure_optimizers()", _configure_optimizers, conf)
    if not found:
        return None, None, False
    configs = call(f"reading {name}.configure_optimizers()'s schedulers", _configure_schedulers_automatic_opt, schedulers, monitor)
    return found[0], configs[0].scheduler if configs else None, bool(configs) and configs[0].interval == "step"


def _sources(doc: Document, optimizer: Any, scheduler: Any) -> dict[str, str]:
    """Where each optimizer setting came from: the config's optimizer blocks (LightningCLI uses them) or the module."""
    root = doc.mapping
    if root is None or root.get("optimizer") is None:
        return {
            "optimizer": "from configure_optimizers",
            "learning rate": "from configure_optimizers",
            "weight decay": "from configure_optimizers",
            "schedule": "from configure_optimizers" if scheduler is not None else "configure_optimizers returns no scheduler",
        }
    default = f"default of {type(optimizer).__name__}"
    return {
        "optimizer": "from optimizer.class_path",
        "learning rate": "from optimizer.init_args.lr" if number_at(doc, "optimizer.init_args.lr") is not None else default,
        "weight decay": "from optimizer.init_args.weight_decay" if number_at(doc, "optimizer.init_args.weight_decay") is not None else default,
        "schedule": "from lr_scheduler.class_path" if root.get("lr_scheduler") is not None else "the config has no lr_scheduler",
    }


def module_target(model: Any, loader: Any, owner: str, doc: Document, plan: TrainingPlan, steps: int, prefixes: tuple[str, ...]) -> ProbeTarget:
    """A ProbeTarget of a LightningModule and its training loader."""
    batch = first_batch(loader, f"{owner}.train_dataloader()")
    components, keys, terms = loss_terms(model, batch, doc, prefixes)
    settings = {}
    optimizer, scheduler, per_step = optimizers(model)
    if optimizer is not None:
        settings.update(optimizer_settings(optimizer, scheduler, _sources(doc, optimizer, scheduler)))
    size = plan.get("batch_size")
    if getattr(loader, "batch_size", None) is not None:
        source = f"from {size.key}" if size is not None and size.value == loader.batch_size else f"from {owner}.train_dataloader()"
        settings["batch size"] = f"{loader.batch_size} ({source})"
    settings["loss terms"] = terms
    return ProbeTarget(
        model=model,
        loss_components=components,
        batch=batch,
        batches=loader,
        weight_keys=keys,
        optimizer=(lambda params: optimizer) if optimizer is not None else None,
        learning_rates=first_learning_rates(optimizer, scheduler, per_step, steps) if optimizer is not None and steps else None,
        settings=settings,
    )


def lightning_target(path: str, doc: Document, plan: TrainingPlan, steps: int) -> ProbeTarget:
    model, datamodule = instantiate(path, doc)
    loader, owner = train_loader(model, datamodule)
    return module_target(model, loader, owner, doc, plan, steps, WEIGHT_PREFIXES)
