"""Durations written in a framework's own syntax (Composer's `100ba`, OLMo's `2e12T`).

A framework module gives the syntax (a parse function: node -> (amount, unit) or None) and which
plan field each unit feeds; this module reads the keys. Samples and tokens become optimizer
steps only where the config gives the global batch size (and, for tokens, the sequence length);
otherwise the duration stays unknown.
"""

from __future__ import annotations

from typing import Callable

from cfglint.document import Mapping, Node, format_path
from cfglint.plan import FIELDS, INTEGER, Setting, TrainingPlan, TypeProblem, is_placeholder, resolved

SAMPLES, TOKENS, BATCHES = "samples", "tokens", "batches"


class TimeFields:
    """A dialect's `refine` step for keys holding durations: dotted key -> {unit: plan field}."""

    def __init__(self, fields: dict[str, dict[str, str]], parse: Callable[[Node], tuple[float, str] | None], syntax: str) -> None:
        self.fields = fields
        self.parse = parse
        self.syntax = syntax  # what a valid value looks like, for the wrong-type message

    def __call__(self, plan: TrainingPlan, root: Mapping) -> None:
        for dotted, units in self.fields.items():
            found = resolved(root, dotted)
            if found is None or is_placeholder(found[2]):
                continue
            key_node, written, node = found
            parsed = self.parse(node)
            setting = Setting(getattr(node, "value", None), format_path(written.path), written, key_node)
            if parsed is None:
                plan.type_problems.append(TypeProblem(setting, self.syntax))
                continue
            amount, unit = parsed
            derived = None
            if unit in (SAMPLES, TOKENS) and unit not in units:
                written_amount, written_unit = amount, unit
                amount, unit, per_batch = in_batches(plan, amount, unit)
                derived = f"{written_amount:g} {written_unit} / {per_batch:,} per batch" if unit else None
            target = units.get(unit) if unit else None
            if target is not None:
                value = int(amount) if FIELDS[target] == INTEGER else amount
                plan.settings[target] = Setting(value, setting.key, written, key_node, derived=derived)

    def describe(self) -> list[str]:
        """One line per key for `cfglint dialects NAME`."""
        return [f"{dotted}: " + ", ".join(f"{unit} -> {field}" for unit, field in units.items()) + f" ({self.syntax})" for dotted, units in self.fields.items()]


def in_batches(plan: TrainingPlan, amount: float, unit: str) -> tuple[float, str | None, int]:
    """Samples or tokens as optimizer batches (amount, unit, samples or tokens per batch), if the
    config gives the batch (and sequence) size; the unit is None otherwise."""
    batch, length = plan.settings.get("global_batch_size"), plan.settings.get("seq_len")
    per_batch = batch.value * (length.value if unit == TOKENS else 1) if batch and (unit == SAMPLES or length) else None
    if not per_batch:
        return amount, None, 0
    return amount / per_batch, BATCHES, per_batch
