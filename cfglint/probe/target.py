"""The protocol between a user's training code and `cfglint probe`.

An entry function `def probe_target(config: dict) -> ProbeTarget` builds the model and one real
batch from the loaded config and says how to compute the loss. Only `model`, a batch and
`loss_components` are required; every other field switches on one more measurement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional


@dataclass
class ProbeTarget:
    """What the user's entry point hands the probe: the model, its batches, and how to get the measured values from them."""

    # The user's torch.nn.Module, as training builds it.
    model: Any
    # batch -> {component name: UNWEIGHTED scalar loss tensor}. cfglint applies the config's
    # weights itself (alpha_<name>, lambda_<name>, loss_weights.<name>, or `weight_keys`).
    loss_components: Callable[[Any], dict]
    # One real batch, or an iterable of batches (for --batches N).
    batch: Any = None
    batches: Optional[Iterable[Any]] = None
    # batch -> (predictions, targets): prediction collapse (std ratio).
    predictions: Optional[Callable[[Any], tuple]] = None
    # batch -> the model's input tensor (..., features): un-standardised inputs.
    inputs: Optional[Callable[[Any], Any]] = None
    # batch -> (student logits, teacher logits): whether softmax(logits / T) stays finite.
    distillation_logits: Optional[Callable[[Any], tuple]] = None
    # batch -> float: the loss the training script reports, and its validation loss, on one batch.
    reported_train_loss: Optional[Callable[[Any], float]] = None
    validation_loss: Optional[Callable[[Any], float]] = None
    # component name -> dotted config key of its weight, where naming does not say it.
    weight_keys: Optional[dict[str, str]] = None
    # What the user's own code trains with, where it has its own (a LightningModule's
    # configure_optimizers, a Hydra `optimizer:` block): params -> that optimizer, the learning
    # rates of its first --steps (its scheduler's), and setting name -> "value (where it came
    # from)", each replacing the line the probe would otherwise read from the config.
    optimizer: Optional[Callable[[list], Any]] = None
    learning_rates: Optional[list[float]] = None
    settings: Optional[dict[str, str]] = None
