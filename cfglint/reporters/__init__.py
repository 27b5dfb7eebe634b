"""Output formats: a name -> reporter table; the CLI only picks one and prints what it renders.

A format's module is imported only when it is chosen (json, sarif and gitlab import the json package, junit imports xml).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cfglint.reporters.base import Reporter

# Format name (also its module's name) -> the reporter class in that module.
_CLASSES = {
    "text": "TextReporter",
    "json": "JsonReporter",
    "github": "GithubReporter",
    "sarif": "SarifReporter",
    "junit": "JunitReporter",
    "gitlab": "GitlabReporter",
}
FORMATS = tuple(_CLASSES)


def reporter(name: str) -> type[Reporter]:
    """The reporter class for an output format."""
    return getattr(importlib.import_module(f"cfglint.reporters.{name}"), _CLASSES[name])
