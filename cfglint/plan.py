"""The canonical training plan: one typed view of a config, whatever its dialect.

Rules read the plan, never key spellings, so a rule written once works for the seed families
and for Hugging Face, DeepSpeed, axolotl and torchtune configs alike. Every value remembers the
key it came from, so findings point at the line the user wrote.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator

from cfglint.document import Document, Mapping, Node, Scalar, Sequence, format_path
from cfglint.record import Record

if TYPE_CHECKING:
    from cfglint.dialects.base import Dialect

# The kinds of value a plan field holds.
NUMBER = "a number"
INTEGER = "an integer"
TEXT = "a string"
BOOLEAN = "a boolean"
INTEGER_LIST = "a list of integers"
NUMBER_LIST = "a list of values"

FIELDS: dict[str, str] = {
    # optimizer
    "optimizer": TEXT,
    "learning_rate": NUMBER,
    "min_lr": NUMBER,
    "weight_decay": NUMBER,
    "clip_grad_norm": NUMBER,
    "betas": NUMBER_LIST,
    "eps": NUMBER,
    "fp16": BOOLEAN,
    # schedule and duration
    "scheduler": TEXT,
    "scheduler_steps": INTEGER,  # the scheduler's own length (num_training_steps, T_max, ...)
    "plateau_factor": NUMBER,
    "plateau_patience": INTEGER,
    "plateau_cooldown": INTEGER,
    "epochs": NUMBER,
    "max_steps": INTEGER,
    "max_steps_per_epoch": INTEGER,  # a cap in optimizer steps (torchtune)
    "max_batches_per_epoch": NUMBER,  # a cap in micro-batches; a float is a share (Lightning's limit_train_batches)
    "warmup_epochs": NUMBER,
    "warmup_steps": NUMBER,
    "warmup_ratio": NUMBER,
    # A schedule in phases (gpt-neox, nanotron, fairseq's tri-stage): a constant phase after the
    # warmup, then the decay, in optimizer steps; the rest of the run trains at the floor rate.
    "hold_steps": NUMBER,
    "decay_steps": NUMBER,
    "eval_interval": NUMBER,  # in optimizer steps (Hugging Face: below 1 is a share of the run)
    "save_interval": NUMBER,
    "log_interval": NUMBER,
    # batching and data
    "batch_size": INTEGER,
    "gradient_accumulation_steps": INTEGER,
    "global_batch_size": INTEGER,
    "world_size": INTEGER,
    "steps_per_epoch": INTEGER,  # micro-batches per epoch
    "dataset_size": INTEGER,
    "val_size": INTEGER,
    # regularisation
    "dropout": NUMBER,
    "label_smoothing": NUMBER,
    # distillation
    "temperature": NUMBER,
    "min_temperature": NUMBER,
    "kd_top_k": INTEGER,
    "eval_kd_top_k": INTEGER,
    "eval_use_kd_top_k": BOOLEAN,
    # sequence and model dimensions
    "seq_len": INTEGER,
    "label_len": INTEGER,
    "pred_len": INTEGER,
    "d_model": INTEGER,
    "n_heads": INTEGER,
    "enc_in": INTEGER,
    "c_out": INTEGER,
    "target_indices": INTEGER_LIST,
}


class Setting(Record):
    """One plan value and where the config wrote it."""

    __slots__ = ("value", "key", "node", "key_node", "exact", "unit", "derived")

    def __init__(
        self,
        value: Any,
        key: str,
        node: Node,
        key_node: Node | None = None,
        exact: bool = True,
        unit: str | None = None,
        derived: str | None = None,
    ) -> None:
        self.value = value
        self.key = key  # the dotted key path as written in the file
        self.node = node  # the value, for positions
        self.key_node = key_node
        # True for a framework dialect's own key; False for a generic spelling (cfglint.generic).
        self.exact = exact
        # For durations read generically: "steps", "iterations", "epochs" or "batches"; None
        # means the unit the dialect's own key counts in.
        self.unit = unit
        # How the value was computed from what the file writes, when it is not that value
        # (`4e9 tokens / 1,048,576 per step`): messages show it, and no fix writes over it.
        self.derived = derived

    @property
    def name(self) -> str:
        """The key's own name, as the user wrote it (`warmup_epochs`, `params.lr` -> `lr`)."""
        tail = self.node.path[-1] if self.node.path else self.key
        return str(tail)

    def __str__(self) -> str:
        if self.derived:
            return f"{self.key} ({self.derived} = {format_value(self.value)})"
        return f"{self.key} ({format_value(self.value)})"


class TypeProblem(Record):
    """A plan field whose value has the wrong type (a learning rate written as "0.0005")."""

    __slots__ = ("setting", "expected", "field")

    def __init__(self, setting: Setting, expected: str, field: str | None = None) -> None:
        self.setting = setting
        self.expected = expected
        self.field = field  # the plan field, when the reading knows it (None for a loss weight)


class TrainingPlan:
    """The training settings a config sets, under common names, whatever the framework."""

    def __init__(self, dialect: str, weights_are_mixture: bool = False) -> None:
        self.dialect = dialect
        self.settings: dict[str, Setting] = {}
        # More settings of a field that may be written several times (attention and residual dropout).
        self.others: dict[str, list[Setting]] = {}
        self.loss_weights: dict[str, Setting] = {}
        # The loss weights are shares of one loss (they should sum to 1), not independent penalties.
        self.weights_are_mixture = weights_are_mixture
        self.grids: dict[str, Setting] = {}
        self.type_problems: list[TypeProblem] = []
        # Fields whose key the config writes, whatever its value (a placeholder, a wrong type):
        # a reading beneath this one leaves them alone.
        self.written: set[str] = set()
        # Fields the generic reading found under several keys with different values: unknown.
        self.ambiguous: dict[str, tuple[str, ...]] = {}
        # Blocks the generic reading took for separate configs side by side, and so did not read.
        self.side_by_side: list[str] = []

    def get(self, name: str) -> Setting | None:
        if name not in FIELDS:
            raise KeyError(f"the training plan has no field {name!r}")
        return self.settings.get(name)

    def all(self, name: str) -> list[Setting]:
        """Every setting of a field: the one `get` returns, then the others."""
        first = self.get(name)
        return ([first] if first else []) + self.others.get(name, [])

    def every_setting(self) -> Iterator[Setting]:
        """Every value the plan read: each field's settings, the loss weights and the grid axes."""
        for name in self.settings:
            yield from self.all(name)
        for name, more in self.others.items():
            if name not in self.settings:
                yield from more  # their first value was mistyped
        yield from self.loss_weights.values()
        yield from self.grids.values()

    @property
    def empty(self) -> bool:
        """Nothing of a training config was read: no setting, weight, grid or mistyped value."""
        return not (self.settings or self.loss_weights or self.grids or self.type_problems)


def format_value(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value)) if abs(value) >= 1 or value == 0 else repr(value)
    if isinstance(value, str):
        return repr(value)
    return str(value)


def is_placeholder(node: Node) -> bool:
    """Values that a framework fills in later: DeepSpeed's "auto", OmegaConf's `???` and `${...}`."""
    if node.opaque:
        return True
    if isinstance(node, Scalar) and isinstance(node.value, str):
        text = node.value.strip()
        return text in ("auto", "???") or "${" in text
    return False


_NODE_VALUE = object()


def coerce(node: Node, kind: str, value: Any = _NODE_VALUE) -> tuple[Any, bool]:
    """(value, ok): the node's value (or `value`, as a loader reads the node) if it has the kind
    the plan field needs."""
    if kind in (INTEGER_LIST, NUMBER_LIST):
        if not isinstance(node, Sequence):
            return None, False
        values = []
        for item in node.items:
            value = item.value if isinstance(item, Scalar) else None
            if kind == INTEGER_LIST and not (isinstance(value, int) and not isinstance(value, bool)):
                return None, False
            values.append(value)
        return values, True
    if not isinstance(node, Scalar):
        return None, False
    if value is _NODE_VALUE:
        value = node.value
    if kind == TEXT:
        return value, isinstance(value, str)
    if kind == BOOLEAN:
        return value, isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, False
    if kind == INTEGER:
        if isinstance(value, float) and value.is_integer():
            return int(value), True
        return value, isinstance(value, int)
    return value, True


# Compiled on first use (re caches them): only OmegaConf references need it.
_REFERENCE = r"^\$\{(\.*)([\w\-]+(?:\.[\w\-]+)*)\}$"


def resolve_reference(root: Mapping, node: Node, limit: int = 10) -> Node:
    """Follow OmegaConf references that are a whole value (`${trainer.max_epochs}`, `${..lr}`)
    inside this file; anything else (resolvers, other files) is returned as it is."""
    for _ in range(limit):
        if not (isinstance(node, Scalar) and isinstance(node.value, str)):
            return node
        match = re.match(_REFERENCE, node.value.strip())
        if match is None:
            return node
        dots, dotted = match.groups()
        base = node.path[: len(node.path) - len(dots)] if dots else ()
        target: Node | None = root
        for part in base + tuple(dotted.split(".")):
            entry = target.get(str(part)) if isinstance(target, Mapping) else None
            target = entry.value if entry else None
            if target is None:
                return node
        node = target
    return node


def lookup(root: Mapping, dotted: str) -> tuple[Node, Node] | None:
    """(key node, value node) at a dotted path, or None."""
    node: Node = root
    entry = None
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        entry = node.get(part)
        if entry is None:
            return None
        node = entry.value
    assert entry is not None
    return entry.key, entry.value


def scalar_at(root: Mapping, dotted: str) -> Any:
    """The value written at a dotted path, or None where there is none or it is a block: for a
    dialect's own conditions (`run.evaluate: True`, `strategy: fsdp`)."""
    found = lookup(root, dotted)
    return found[1].value if found and isinstance(found[1], Scalar) else None


def resolved(root: Mapping, dotted: str) -> tuple[Node, Node, Node] | None:
    """(key, value as written, value after a whole-value `${...}` reference) at a dotted path;
    None where the key is absent or empty (`key:` means "not set" to every framework)."""
    found = lookup(root, dotted)
    if found is None:
        return None
    key_node, written = found
    node = resolve_reference(root, written)
    if isinstance(node, Scalar) and node.value is None:
        return None
    return key_node, written, node


def build_plan(doc: Document, dialect: Dialect) -> TrainingPlan:
    plan = TrainingPlan(dialect.name, dialect.weights_are_mixture)
    root = doc.mapping
    if root is None:
        return plan
    for name, paths in dialect.fields.items():
        kind = FIELDS[name]
        for dotted in paths:
            found = lookup(root, dotted)
            if found is None:
                continue
            key_node, written = found
            value_node = resolve_reference(root, written)
            if isinstance(value_node, Scalar) and value_node.value is None:
                continue  # `key:` with no value means "not set" to every framework
            plan.written.add(name)
            if is_placeholder(value_node) or _is_unset(dialect, dotted, value_node):
                break
            value, ok = coerce(value_node, kind)
            value_node = written  # findings point at what the user wrote, even a ${reference}
            setting = Setting(value, format_path(value_node.path), value_node, key_node)
            if ok:
                plan.settings[name] = setting
            else:
                plan.type_problems.append(TypeProblem(setting, kind, name))
            break
    if dialect.refine is not None:
        dialect.refine(plan, root)
    for block, prefix in dialect.loss_weights:
        container = root if not block else _block(root, block)
        for entry in container.entries if container else ():
            key = entry.key.value if isinstance(entry.key, Scalar) else None
            if isinstance(key, str) and key.startswith(prefix) and len(key) > len(prefix):
                value, ok = coerce(entry.value, NUMBER)
                setting = Setting(value, format_path(entry.value.path), entry.value, entry.key)
                if ok:
                    plan.loss_weights[key[len(prefix) :]] = setting
                elif not is_placeholder(entry.value):
                    plan.type_problems.append(TypeProblem(setting, NUMBER))
    for block in dialect.grid_blocks:
        container = _block(root, block)
        for entry in container.entries if container else ():
            if isinstance(entry.key, Scalar) and isinstance(entry.value, Sequence):
                values, _ = coerce(entry.value, NUMBER_LIST)
                plan.grids[str(entry.key.value)] = Setting(values, format_path(entry.value.path), entry.value, entry.key)
    return plan


def grid_size(plan: TrainingPlan) -> tuple[int, str]:
    """The number of combinations a grid sweeps, and its shape ("3 x 3 x 3")."""
    lengths = [len(axis.value or ()) for axis in plan.grids.values()]
    size = 1
    for length in lengths:
        size *= length
    return size, " x ".join(map(str, lengths))


def _block(root: Mapping, dotted: str) -> Mapping | None:
    found = lookup(root, dotted)
    return found[1] if found and isinstance(found[1], Mapping) else None


def _is_unset(dialect: Dialect, dotted: str, node: Node) -> bool:
    return isinstance(node, Scalar) and node.value in dialect.unset_values.get(dotted, ())
