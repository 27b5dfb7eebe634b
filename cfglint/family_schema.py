"""Validate a config against a family's generated JSON Schema, without importing pydantic.

The pydantic models in cfglint.models are the single source of truth: schemas/<family>.schema.json
is generated from them (`cfglint schema export`) and a test keeps the two equal. Importing and
building the models costs about 100 ms, a pre-commit hook pays it on every commit, so `check`
reads the generated schema instead and validates the small subset of JSON Schema that pydantic
emits for these models (objects with closed properties, `$ref`, `anyOf` with null, scalar types,
arrays and string-keyed maps), with pydantic's strict-mode meaning: "0.0005" is not a number, and
a boolean is not an integer.

Errors come out shaped like pydantic's (`type`, `loc`, `msg`), so positions, did-you-mean
suggestions and messages are the same whichever validates.
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

import cfglint.schemas


@functools.lru_cache(maxsize=None)
def load(family: str) -> dict:
    # A plain path, not importlib.resources: that costs 5 ms of imports on every run, and the
    # package is always installed as files.
    with open(os.path.join(os.path.dirname(cfglint.schemas.__file__), f"{family}.schema.json"), encoding="utf-8") as handle:
        return json.load(handle)


_TYPE_ERRORS = {"number": "float_type", "integer": "int_type", "string": "string_type", "boolean": "bool_type", "array": "list_type", "object": "dict_type"}


def _is(kind: str, value: Any) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    return True


class _Validator:
    def __init__(self, root: dict) -> None:
        self.root = root
        self.errors: list[dict] = []

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.root["$defs"][name]
        return schema

    def object_form(self, schema: dict) -> dict:
        """The schema of an object there: the object branch of an `Optional[Model]`'s anyOf."""
        schema = self.resolve(schema)
        if "anyOf" in schema:
            schema = next((branch for branch in map(self.resolve, schema["anyOf"]) if branch.get("type") == "object"), {})
        return schema

    def fits(self, schema: dict, value: Any) -> bool:
        """Whether a value validates without recording errors (for anyOf branches)."""
        probe = _Validator(self.root)
        probe.check(schema, value, ())
        return not probe.errors

    def check(self, schema: dict, value: Any, loc: tuple) -> None:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            branches = [self.resolve(branch) for branch in schema["anyOf"]]
            if any(self.fits(branch, value) for branch in branches):
                return
            concrete = [b for b in branches if b.get("type") != "null"]
            if len(concrete) == 1:  # Optional[X]: report X's own error, deeper if it has one
                self.check(concrete[0], value, loc)
            else:
                for branch in concrete:
                    self.errors.append({"type": _TYPE_ERRORS.get(branch.get("type", ""), "value_error"), "loc": loc, "msg": ""})
            return
        kind = schema.get("type")
        if kind is not None and not _is(kind, value):
            self.errors.append({"type": _TYPE_ERRORS.get(kind, "value_error"), "loc": loc, "msg": ""})
            return
        if kind == "array" and "items" in schema:
            for index, item in enumerate(value):
                self.check(schema["items"], item, loc + (index,))
        elif kind == "object":
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties", True)
            for key, item in value.items():
                if key in properties:
                    self.check(properties[key], item, loc + (key,))
                elif extra is False:
                    self.errors.append({"type": "extra_forbidden", "loc": loc + (key,), "msg": ""})
                elif isinstance(extra, dict):
                    self.check(extra, item, loc + (key,))


def validate(family: str, data: Any) -> list[dict]:
    """pydantic-shaped errors for `data` against the family's schema."""
    validator = _Validator(load(family))
    validator.check(validator.root, data, ())
    return validator.errors


def field_names(family: str, path: tuple) -> list[str]:
    """The keys the family's schema accepts at `path` (for did-you-mean suggestions)."""
    validator = _Validator(load(family))
    schema = validator.root
    for element in path:
        schema = validator.object_form(schema).get("properties", {}).get(str(element), {})
    return [name for name in validator.object_form(schema).get("properties", {}) if not name.startswith("$")]
