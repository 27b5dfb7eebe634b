"""What a dialect declares: how to recognise its configs and where its keys sit in the plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from cfglint.document import Mapping, Node


@dataclass(frozen=True)
class Dialect:
    """How one framework spells its training settings, and the defaults it applies."""

    name: str
    title: str
    # Keys whose presence points at this dialect, with their weight. A `*` matches any key at
    # that level (torchtune's `*._component_`).
    markers: dict[str, int]
    # The detection score a config needs before it counts as this dialect.
    threshold: int
    # Plan field -> dotted key paths that hold it, the first one present wins.
    fields: dict[str, tuple[str, ...]]
    # (block, prefix) pairs: keys `prefix<name>` in `block` ("" for the top) are loss weights.
    loss_weights: tuple[tuple[str, str], ...] = ()
    # The loss weights are shares of one loss (they should sum to 1), not independent penalties.
    weights_are_mixture: bool = False
    # Blocks that map keys to lists of values to sweep.
    grid_blocks: tuple[str, ...] = ()
    # Values that mean "not set" for a key (Hugging Face's max_steps: -1).
    unset_values: dict[str, tuple] = field(default_factory=dict)
    # "module:Class" of the pydantic model that validates this dialect, if it has one.
    model: str | None = None
    # How the training loop turns micro-batches into optimizer steps (see cfglint.schedule).
    rounding: str = "total-floor"
    # Accumulation is global batch // (world size x micro-batch), not a key of its own (litgpt).
    derives_accumulation: bool = False
    # The optimizer the training loop uses when the config names none.
    default_optimizer: str | None = None
    # The framework keeps optimizer state in fp32 under fp16 (AMP, DeepSpeed, FSDP mixed precision).
    fp32_optimizer_state: bool = False
    # The clip norm the framework uses when the config sets none (0: no clipping by default).
    default_clip: float | None = None
    # Composer-style time strings ("2ep", "100ba", "0.02dur", "1000sp", "1e9tok"): dotted key ->
    # {unit: plan field} for the units that key may use.
    time_fields: dict[str, dict[str, str]] = field(default_factory=dict)
    # The module docstring: which keys the dialect reads and how it counts steps.
    doc: str = ""
    # The training code reads YAML with PyYAML (YAML 1.1), so `5e-4` reaches it as a string.
    # OmegaConf (torchtune, Hydra), axolotl's pydantic and litgpt's jsonargparse convert it back.
    yaml_1_1_loader: bool = False

    def score(self, root: Mapping, top_keys: frozenset[str] | None = None) -> tuple[int, list[str]]:
        """How strongly a config looks like this dialect, and the keys that say so."""
        total, evidence = 0, []
        for marker, weight in self.markers.items():
            head = marker.split(".", 1)[0]
            if top_keys is not None and head != "*" and head not in top_keys:
                continue  # most markers miss at the first key: no walk needed
            if _has_path(root, marker.split(".")):
                total += weight
                evidence.append(marker)
        return total, evidence


def _has_path(node: Node, parts: list[str]) -> bool:
    if not parts:
        return True
    if not isinstance(node, Mapping):
        return False
    head, rest = parts[0], parts[1:]
    if head == "*":
        return any(_has_path(entry.value, rest) for entry in node.entries)
    entry = node.get(head)
    return entry is not None and _has_path(entry.value, rest)
