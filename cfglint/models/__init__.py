"""Pydantic models of the seed config families: the single source of their JSON Schemas.

Models state types and allowed keys only. Value ranges live in the value-out-of-range rule,
which reads the training plan, so they hold for every dialect and are written once.
"""

from __future__ import annotations

import importlib

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Unknown keys are errors and "0.0005" is not a number: no silent coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)


def load_model(reference: str) -> type[BaseModel]:
    """Import a model from its "module:Class" reference (models are imported only when needed)."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)
