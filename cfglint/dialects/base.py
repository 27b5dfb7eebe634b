"""What a dialect declares: how to recognise its configs and where its keys sit in the plan."""

from __future__ import annotations

import typing
from types import MappingProxyType
from typing import TYPE_CHECKING, Callable

from cfglint.document import Mapping, Node
from cfglint.loaders import LOADERS, YACS_OR_PYYAML
from cfglint.record import Record

if TYPE_CHECKING:
    from cfglint.plan import TrainingPlan


class Dialect(Record):
    """How one framework spells its training settings, and the defaults it applies."""

    __slots__ = (
        "name",
        "title",
        "markers",
        "threshold",
        "fields",
        "loss_weights",
        "weights_are_mixture",
        "grid_blocks",
        "unset_values",
        "model",
        "rounding",
        "derives_accumulation",
        "default_optimizer",
        "fp32_optimizer_state",
        "default_clip",
        "refine",
        "doc",
        "loader",
        "max_steps_rule",
        "not_generic",
        "accepts",
        "key_spelling",
        "adam_is_adamw",
        "deepspeed_keys",
    )

    def __init__(
        self,
        name: str,
        title: str,
        markers: dict[str, int],
        threshold: int,
        fields: dict[str, tuple[str, ...]],
        loss_weights: tuple[tuple[str, str], ...] = (),
        weights_are_mixture: bool = False,
        grid_blocks: tuple[str, ...] = (),
        unset_values: typing.Mapping[str, tuple] = MappingProxyType({}),
        model: str | None = None,
        rounding: str = "total-floor",
        derives_accumulation: bool = False,
        default_optimizer: str | None = None,
        fp32_optimizer_state: bool = False,
        default_clip: float | None = None,
        refine: Callable[[TrainingPlan, Mapping], None] | None = None,
        doc: str = "",
        loader: str = "",
        max_steps_rule: str = "overrides",
        not_generic: tuple[str, ...] = (),
        accepts: typing.Mapping[str, frozenset[str]] = MappingProxyType({}),
        key_spelling: Callable[[str], str] | None = None,
        adam_is_adamw: bool = False,
        deepspeed_keys: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.title = title
        # Keys whose presence points at this dialect, with their weight. A `*` matches any key at
        # that level (torchtune's `*._component_`).
        self.markers = markers
        # The detection score a config needs before it counts as this dialect.
        self.threshold = threshold
        # Plan field -> dotted key paths that hold it, the first one present wins.
        self.fields = fields
        # (block, prefix) pairs: keys `prefix<name>` in `block` ("" for the top) are loss weights.
        self.loss_weights = loss_weights
        # The loss weights are shares of one loss (they should sum to 1), not independent penalties.
        self.weights_are_mixture = weights_are_mixture
        # Blocks that map keys to lists of values to sweep.
        self.grid_blocks = grid_blocks
        # Values that mean "not set" for a key (Hugging Face's max_steps: -1).
        self.unset_values = unset_values
        # "module:Class" of the pydantic model that validates this dialect, if it has one.
        self.model = model
        # How the training loop turns micro-batches into optimizer steps (see cfglint.schedule).
        self.rounding = rounding
        # Accumulation is global batch // (world size x micro-batch), not a key of its own (litgpt).
        self.derives_accumulation = derives_accumulation
        # The optimizer the training loop uses when the config names none.
        self.default_optimizer = default_optimizer
        # The framework keeps optimizer state in fp32 under fp16 (AMP, DeepSpeed, FSDP mixed precision).
        self.fp32_optimizer_state = fp32_optimizer_state
        # The clip norm the framework uses when the config sets none (0: no clipping by default).
        self.default_clip = default_clip
        # The framework's own reading after the key paths: value syntaxes only it has (Composer's
        # "100ba", OLMo's "2e12T"), derived settings (fairseq's tri-stage phase ratios).
        self.refine = refine
        # The module docstring: which keys the dialect reads and how it counts steps.
        self.doc = doc
        # How the framework loads the file (cfglint.loaders): what `5e-4` or `"0.001"` become, and
        # whether a duplicate key stops it from loading.
        if loader not in LOADERS + (YACS_OR_PYYAML,):
            raise ValueError(f"dialect {name}: loader must be one of {', '.join(LOADERS)}, not {loader!r}")
        self.loader = loader
        # How `max_steps` and the epochs decide the run's length: "overrides" (max_steps wins,
        # as in the Hugging Face Trainer), "first" (whichever ends first, as in Lightning) or
        # "unknown" (a hand-written loop: the run is at most max_steps).
        self.max_steps_rule = max_steps_rule
        # Keys (dotted paths as written) that mean something else in this framework than their
        # generic spelling says: the generic reading leaves them alone.
        self.not_generic = not_generic
        # For a framework that refuses keys it does not define: block ("" for the top level, dotted
        # below) -> the keys its argument classes accept there. Blocks not named are not checked.
        self.accepts = accepts
        # How the framework spells a key before looking it up (gpt-neox reads `train-iters` as
        # `train_iters`); None: as written.
        self.key_spelling = key_spelling
        # The framework's "Adam" decouples weight decay as AdamW does (DeepSpeed's FusedAdam in
        # adam_w_mode, fairseq's FairseqAdam), so rules about coupled L2 decay leave it alone.
        self.adam_is_adamw = adam_is_adamw
        # The dotted keys whose value names the DeepSpeed config the run reads with this one
        # (cfglint.references reads it beside the config).
        self.deepspeed_keys = deepspeed_keys


class Described:
    """A dialect's refine step with the readings it adds, which `cfglint dialects NAME` lists
    (TimeFields describes itself the same way)."""

    def __init__(self, step: Callable[[TrainingPlan, Mapping], None], *readings: str) -> None:
        self.step = step
        self.readings = readings

    def __call__(self, plan: TrainingPlan, root: Mapping) -> None:
        self.step(plan, root)

    def describe(self) -> list[str]:
        return list(self.readings)


def has_path(node: Node, parts: tuple[str, ...]) -> bool:
    """Whether the keys `parts` lead down from `node` (`*` matches any key at its level)."""
    if not parts:
        return True
    if not isinstance(node, Mapping):
        return False
    head, rest = parts[0], parts[1:]
    if head == "*":
        return any(has_path(entry.value, rest) for entry in node.entries)
    entry = node.get(head)
    return entry is not None and has_path(entry.value, rest)
