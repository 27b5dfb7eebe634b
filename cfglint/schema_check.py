"""Validate a document against a family's pydantic model or a user's JSON Schema, with positions.

Neither pydantic nor jsonschema knows lines: both give a path into the data. Here each path is
walked back through the document tree to the node the user wrote (a missing key points at its
parent, an unknown key at the key itself), so every schema error gets a line and a column.
"""

from __future__ import annotations

from typing import Any

from cfglint.document import Document, ExpansionLimitExceeded, KeyPath, Mapping, Node, Scalar, Sequence, format_path, to_data
from cfglint.record import Record

METADATA_KEYS = ("$schema", "$cfglint")

# Kinds of schema issue; each is reported by its own rule.
UNKNOWN_KEY = "unknown-key"
WRONG_TYPE = "wrong-type"
VIOLATION = "violation"

_EXPECTED = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "string_type": "a string",
    "bool_type": "a boolean",
    "bool_parsing": "a boolean",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


class SchemaIssue(Record):
    """One schema problem at a node, before it becomes an S rule's finding."""

    __slots__ = ("kind", "node", "key", "message", "suggestions", "expected")

    def __init__(
        self,
        kind: str,
        node: Node,
        key: str,
        message: str,
        suggestions: tuple[str, ...] = (),
        expected: str = "",
    ) -> None:
        self.kind = kind
        self.node = node
        self.key = key
        self.message = message
        self.suggestions = suggestions
        self.expected = expected  # for a wrong type: "a number", "an integer or a string", ...


def describe_value(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, float):
        return f"the number {value!r}"
    if isinstance(value, int):
        return f"the integer {value}"
    return str(value)


def numeric_text(value: Any) -> bool:
    """A string that a number was meant to be ("0.0005", "5e-4")."""
    if not isinstance(value, str):
        return False
    try:
        float(value.strip())
    except ValueError:
        return False
    return value.strip().lower() not in ("nan", "inf", "infinity", "-inf", "+inf", "-infinity")


def wrong_type_message(key: str, value: Any, expected: str) -> str:
    message = f"{key} is {describe_value(value)}, expected {expected}"
    if numeric_text(value) and ("number" in expected or "integer" in expected):
        return f"{message}: a training script reads it as text; write it without quotes ({value.strip()})"
    return message


def _data(doc: Document) -> Any:
    data = to_data(doc.root)
    if isinstance(data, dict):  # `$schema` and cfglint's own `$cfglint` block are metadata, not config
        data = {key: value for key, value in data.items() if key not in METADATA_KEYS}
    return data


def validate_family(doc: Document, family: str) -> list[SchemaIssue]:
    """Issues against a seed family's schema (generated from its pydantic model)."""
    from cfglint import family_schema

    try:
        data = _data(doc)
    except ExpansionLimitExceeded:
        return []
    return _issues(doc, family, family_schema.validate(family, data))


def closest(name: str, known: list[str], cutoff: float = 0.75) -> tuple[str, ...]:
    """The known key a misspelt one most likely meant, if any (difflib loads only for an unknown key)."""
    import difflib

    return tuple(difflib.get_close_matches(name, known, n=1, cutoff=cutoff))


# Words that name a unit: a suggestion that swaps one for another changes the meaning, not the spelling.
_UNITS = {"epoch": "epoch", "epochs": "epoch", "step": "step", "steps": "step", "iter": "iter", "iters": "iter", "iteration": "iter",
          "iterations": "iter", "ratio": "ratio", "sample": "sample", "samples": "sample", "token": "token", "tokens": "token",
          "batch": "batch", "batches": "batch", "proportion": "ratio", "fraction": "ratio"}


def probable_typo(name: str, suggestion: str) -> bool:
    """A suggestion that fixes a spelling, not one that changes the unit (`warmup_epochs` ->
    `warmup_steps`) or the loss term it weights (`alpha_ce` -> `alpha_lm`)."""
    import difflib

    from cfglint.vocabulary import WEIGHT_PREFIXES

    def units(key: str) -> set[str]:
        return {_UNITS[word] for word in key.lower().split("_") if word in _UNITS}

    if units(name) != units(suggestion):
        return False
    for prefix in WEIGHT_PREFIXES:
        if name.startswith(prefix) and suggestion.startswith(prefix):
            ours, theirs = name[len(prefix) :], suggestion[len(prefix) :]
            return difflib.SequenceMatcher(None, ours, theirs).ratio() >= 0.75
    return True


def _issues(doc: Document, family: str, errors: list[dict]) -> list[SchemaIssue]:
    from cfglint.family_schema import field_names

    wrong: dict[int, tuple[Node, KeyPath, list[str]]] = {}
    issues: list[SchemaIssue] = []
    for error in errors:
        loc: KeyPath = tuple(error["loc"])
        kind = error["type"]
        if kind == "extra_forbidden":
            node = doc.key_node_at(loc)
            value, _ = doc.node_at(loc)
            if node is None or isinstance(value, (Mapping, Sequence)):
                continue  # a block of the trainer's own (data:, model:, teacher:, logging:)
            name = str(loc[-1])
            suggestions = tuple(s for s in closest(name, field_names(family, loc[:-1])) if probable_typo(name, s))
            if not suggestions:
                continue  # a key of the script's own, not a misspelling: nothing says it is unread
            where = f"in {format_path(loc[:-1])}" if len(loc) > 1 else "at the top level"
            message = f"unknown key '{name}' {where}: the training code will ignore it or fail; did you mean '{suggestions[0]}'?"
            issues.append(SchemaIssue(UNKNOWN_KEY, node, format_path(loc), message, suggestions))
            continue
        node, walked = doc.node_at(loc)
        if node is None:
            continue
        expected = _EXPECTED.get(kind, "a valid value")
        slot = wrong.setdefault(id(node), (node, walked, []))
        if expected not in slot[2]:
            slot[2].append(expected)
    for node, walked, expected in wrong.values():
        key = format_path(walked) or "the document"
        value = node.value if isinstance(node, Scalar) else to_data(node, limit=10_000)
        wanted = " or ".join(expected)
        issues.append(SchemaIssue(WRONG_TYPE, node, format_path(walked), wrong_type_message(key, value, wanted), expected=wanted))
    return issues


def validate_json_schema(doc: Document, schema: dict) -> list[SchemaIssue]:
    import jsonschema

    try:
        data = _data(doc)
    except ExpansionLimitExceeded:
        return []
    validator_class = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    issues: list[SchemaIssue] = []
    for error in validator_class(schema).iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            issues.extend(_extra_properties(doc, path, error))
            continue
        node, walked = doc.node_at(path)
        if node is None:
            continue
        key = format_path(walked)
        issues.append(SchemaIssue(VIOLATION, node, key, f"{key or 'the document'}: {error.message}"))
    return issues


def _extra_properties(doc: Document, path: KeyPath, error: Any) -> list[SchemaIssue]:
    """One issue per unexpected key, at the key, rather than one at the parent."""
    import re

    known = set((error.schema.get("properties") or {}).keys())
    patterns = [re.compile(p) for p in (error.schema.get("patternProperties") or {})]
    parent, _ = doc.node_at(path)
    issues = []
    for name in error.instance:
        if name in known or any(p.search(str(name)) for p in patterns):
            continue
        key_node = doc.key_node_at(path + (name,))
        if key_node is None or not isinstance(parent, Mapping):
            continue
        suggestions = closest(str(name), sorted(known))
        hint = f"; did you mean '{suggestions[0]}'?" if suggestions else ""
        message = f"unknown key '{name}': the schema allows no other properties here{hint}"
        issues.append(SchemaIssue(VIOLATION, key_node, format_path(path + (name,)), message, suggestions))
    return issues
