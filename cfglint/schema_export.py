"""JSON Schemas for editors and the wheel's schemas/ folder.

The seed families' schemas come from their pydantic models (closed: unknown keys are errors).
The framework dialects get open schemas of the keys cfglint reads, so an editor checks their
types without rejecting the hundreds of keys each framework has.
"""

from __future__ import annotations

import json
import os

from cfglint import dialects, plan
from cfglint.models import load_model


_JSON_TYPES = {
    plan.NUMBER: {"type": "number"},
    plan.INTEGER: {"type": "integer"},
    plan.TEXT: {"type": "string"},
    plan.BOOLEAN: {"type": "boolean"},
    plan.INTEGER_LIST: {"type": "array", "items": {"type": "integer"}},
    plan.NUMBER_LIST: {"type": "array"},
}
# Values a framework fills in later are valid wherever a number goes.
_PLACEHOLDER = {"type": "string", "pattern": "^(auto|\\?\\?\\?|.*\\$\\{.*\\}.*)$"}


def dialect_schema(dialect) -> dict:
    """An open schema for a framework dialect: the keys cfglint reads, typed; any other key allowed."""
    schema: dict = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": dialect.title, "type": "object", "properties": {}}
    for field, paths in dialect.fields.items():
        for dotted in paths:
            node = schema
            parts = dotted.split(".")
            for part in parts[:-1]:
                if part == "*":
                    break
                node = node["properties"].setdefault(part, {"properties": {}})
                node.setdefault("properties", {})
            else:
                kind = dict(_JSON_TYPES[plan.FIELDS[field]], description=f"cfglint reads this as the plan's {field}.")
                node["properties"].setdefault(parts[-1], {"anyOf": [kind, _PLACEHOLDER, {"type": "null"}]} if kind["type"] != "string" else {"anyOf": [kind, {"type": "null"}]})
    return schema


def family_schemas() -> dict[str, str]:
    """File name -> JSON text of each dialect's schema (the families' from their models)."""
    schemas = {}
    for dialect in dialects.DIALECTS:
        if dialect.model is None:
            schemas[f"{dialect.name}.schema.json"] = json.dumps(dialect_schema(dialect), indent=2) + "\n"
            continue
        schema = load_model(dialect.model).model_json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": dialect.title, **{k: v for k, v in schema.items() if k != "title"}}
        # A `$schema` key names the config's schema and `$cfglint` holds what `cfglint probe`
        # records (intended loss shares); allow both alongside the family's keys.
        properties = schema.setdefault("properties", {})
        properties["$schema"] = {"type": "string"}
        properties["$cfglint"] = {"type": "object", "description": "cfglint's own metadata (intended loss shares)."}
        schemas[f"{dialect.name}.schema.json"] = json.dumps(schema, indent=2, sort_keys=False) + "\n"
    return schemas


def export(folder: str) -> list[str]:
    os.makedirs(folder, exist_ok=True)
    written = []
    for name, text in family_schemas().items():
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(path)
    return written
