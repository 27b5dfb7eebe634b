"""JSON Schemas generated from the family models, for editors and the wheel's schemas/ folder."""

from __future__ import annotations

import json
import os

from cfglint import dialects
from cfglint.models import load_model


def family_schemas() -> dict[str, str]:
    """File name -> JSON text of each family's schema."""
    schemas = {}
    for dialect in dialects.DIALECTS:
        if dialect.model is None:
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
