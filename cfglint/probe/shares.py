"""Loss and gradient shares from one measurement, for any weights. No torch.

A weighted component's gradient is its weight times its unweighted gradient, so with measured
unweighted gradient norms g_i its share of the gradient is w_i g_i / sum_j w_j g_j (norms, not
the norm of the sum: the usual GradNorm-style comparison). That answers for the current config,
for a patched one and for every point of a lambda grid without running the model again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cfglint.document import Document, Mapping, Scalar

if TYPE_CHECKING:
    from cfglint.probe.report import ProbeReport

INTENT_BLOCK = "$cfglint"
INTENT_KEY = "loss_shares"


@dataclass(frozen=True)
class Weighted:
    """One loss component with the config's weight applied, for share arithmetic."""

    name: str
    weight: float
    key: str | None  # dotted config key of the weight; None when it is 1 and not in the config
    raw: float
    grad_norm: float


def number_at(doc: Document, dotted: str) -> float | None:
    """The number a dotted key holds in the config, or None when it holds none."""
    path = tuple(dotted.split("."))
    node, walked = doc.node_at(path)
    if walked == path and isinstance(node, Scalar) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    return None


def weighted_components(report: ProbeReport, doc: Document) -> list[Weighted]:
    """Each measured component with its weight as the config states it now."""
    result = []
    for name, component in report.components.items():
        key = report.weight_keys.get(name)
        weight = number_at(doc, key) if key else None
        result.append(Weighted(name, 1.0 if weight is None else weight, key, component.raw, component.grad_norm))
    return result


def _normalised(parts: dict[str, float]) -> dict[str, float]:
    total = sum(parts.values())
    return {name: part / total for name, part in parts.items()} if total > 0 else {}


def gradient_shares(components: list[Weighted], weights: dict[str, float] | None = None) -> dict[str, float]:
    return _normalised({c.name: abs((weights or {}).get(c.name, c.weight)) * c.grad_norm for c in components})


def loss_shares(components: list[Weighted]) -> dict[str, float]:
    return _normalised({c.name: abs(c.weight * c.raw) for c in components})


def intended_shares(components: list[Weighted], doc: Document) -> tuple[dict[str, float], str]:
    """What the user meant: recorded `$cfglint.loss_shares`, else the weights' own proportions."""
    root = doc.mapping
    block = root.get(INTENT_BLOCK) if root is not None else None
    recorded = block.value.get(INTENT_KEY) if block is not None and isinstance(block.value, Mapping) else None
    if recorded is not None and isinstance(recorded.value, Mapping):
        shares = {}
        for entry in recorded.value.entries:
            if isinstance(entry.key, Scalar) and isinstance(entry.value, Scalar) and isinstance(entry.value.value, (int, float)):
                shares[str(entry.key.value)] = float(entry.value.value)
        total = sum(shares.values())
        if total > 0 and set(shares) >= {c.name for c in components}:
            return {name: shares[name] / total for name in (c.name for c in components)}, f"{INTENT_BLOCK}.{INTENT_KEY}"
    return _normalised({c.name: abs(c.weight) for c in components}), "the weights"


# A term the weights treat as minor (under half) that takes over 90 % of the gradient, or one
# meant to matter (5 % or more) that gets under 1 %, is off whatever the exact intent; so is a
# share that misses an intent of 5 % or more by over 2x (and by 5 points). Penalty weights
# (lambda 1e-5) imply tiny shares, so tiny intents are held only to the first test.
TAKES_OVER, MINOR = 0.9, 0.5
VANISHES, MATTERS = 0.01, 0.05
RATIO, MIN_GAP = 2.0, 0.05


def share_is_off(measured: float, intended: float) -> bool:
    if measured > TAKES_OVER and intended < MINOR:
        return True
    if measured < VANISHES and intended >= MATTERS:
        return True
    return intended >= MATTERS and abs(measured - intended) >= MIN_GAP and not intended / RATIO <= measured <= intended * RATIO


def balanced_weights(components: list[Weighted], intent: dict[str, float]) -> dict[str, float] | None:
    """Weights giving each component its intended gradient share.

    The total weighted gradient (sum of w_i g_i) is kept, so the effective learning rate does not
    change with the balance; keeping the weights' own sum instead would let a term with a tiny
    gradient shrink every step by orders of magnitude.
    """
    if any(c.key is None or c.grad_norm <= 0 for c in components):
        return None
    total = sum(abs(c.weight) * c.grad_norm for c in components)
    return {c.name: float(f"{intent[c.name] * total / c.grad_norm:.4g}") for c in components}


def loss_balanced_weights(components: list[Weighted], intent: dict[str, float]) -> dict[str, float] | None:
    """The alternative: weights giving each component its intended share of the loss value, total loss kept."""
    if any(c.key is None or c.raw == 0 for c in components):
        return None
    total = sum(abs(c.weight * c.raw) for c in components)
    return {c.name: float(f"{intent[c.name] * total / abs(c.raw):.4g}") for c in components}
