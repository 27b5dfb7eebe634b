"""What the probe measured: plain numbers, no tensors, so rules and reporters need no torch.

Component gradient norms are measured UNWEIGHTED: a component's gradient scales linearly with
its weight, so rules can recompute every share for any weights (the current config, a patched
one, each point of a grid) from one measurement.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


# Inputs beyond these are un-standardised: feature means far from 0, spreads far from 1.
MAX_FEATURE_MEAN, MAX_FEATURE_STD, MAX_ABS_INPUT = 1.0, 10.0, 100.0


@dataclass
class Component:
    """What the probe measured for one loss component, before the config's weight."""

    raw: float  # mean unweighted loss value over the probed batches
    grad_norm: float  # mean norm of the unweighted component's gradient
    finite: bool = True


@dataclass
class ProbeReport:
    """Everything one probe run measured, in the form the P rules read."""

    device: str = "cpu"
    precision: str = "fp32"
    batches: int = 1
    batch_size: int | None = None  # samples in the first probed batch
    components: dict[str, Component] = field(default_factory=dict)
    # component name -> dotted config key of its weight (absent: weight 1, not in the config)
    weight_keys: dict[str, str] = field(default_factory=dict)
    # what the probe trained with ("optimizer" -> "AdamW (from optim.type)"), read as `check` reads the config
    settings: dict[str, str] = field(default_factory=dict)
    # total gradient norm before clipping, per batch, with the weights the config had when probed
    grad_norms: list[float] = field(default_factory=list)
    # module name -> parameter names that got no gradient or an all-zero gradient
    dead_parameters: dict[str, list[str]] = field(default_factory=dict)
    first_nonfinite_module: str | None = None
    # temperature -> whether KD stays finite at the probed precision; and the largest |logit|
    kd_finite: dict[float, bool] = field(default_factory=dict)
    max_abs_logit: float | None = None
    # inputs: global range, the largest |feature mean| and feature std
    input_min: float | None = None
    input_max: float | None = None
    input_max_abs_mean: float | None = None
    input_max_std: float | None = None
    prediction_std_ratio: float | None = None
    # component -> its value on the batch duplicated / on the batch: 2 means it sums instead of averaging
    reduction_ratios: dict[str, float] = field(default_factory=dict)
    # the script's reported training loss / its validation loss, on the same batch
    reported_ratio: float | None = None
    # with --steps K: the loss before and after, and per-step update/weight ratios of weight matrices
    steps: int = 0
    loss_before: float | None = None
    loss_after: float | None = None
    update_ratios: dict[str, float] = field(default_factory=dict)
    prediction_std_after: float | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kd_finite"] = {str(key): value for key, value in self.kd_finite.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProbeReport:
        values = dict(data)
        values["components"] = {name: Component(**c) for name, c in data.get("components", {}).items()}
        values["kd_finite"] = {float(t): ok for t, ok in data.get("kd_finite", {}).items()}
        return cls(**values)

    def raw_inputs(self) -> bool:
        """Inputs far from mean 0 / std 1 (UMLAUT, TheDeepChecker, SageMaker Debugger thresholds)."""
        if self.input_max_abs_mean is None:
            return False
        extreme = max(abs(self.input_min or 0.0), abs(self.input_max or 0.0))
        return self.input_max_abs_mean > MAX_FEATURE_MEAN or (self.input_max_std or 0.0) > MAX_FEATURE_STD or extreme > MAX_ABS_INPUT

    def clipped_fraction(self, clip: float) -> float:
        return sum(1 for norm in self.grad_norms if norm > clip) / len(self.grad_norms) if self.grad_norms else 0.0

    def norm_percentile(self, share: float) -> float:
        ordered = sorted(self.grad_norms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0
