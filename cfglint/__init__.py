"""cfglint: a linter and auto-fixer for machine-learning training configs (YAML and JSON).

    import cfglint
    findings = cfglint.check("configs/run.yaml")
    outcome = cfglint.fix("lr: '0.001'\\n...", filename="run.yaml", unsafe=False)
    print(outcome.fixed_text)

Both take a path or the text itself, print nothing, and import the engine only when called.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from cfglint.api import CheckOptions
    from cfglint.finding import Finding
    from cfglint.fixer import FixOutcome


def _source(source: str | os.PathLike, filename: str | None) -> tuple[bytes, str]:
    """(bytes, name): a path is read, anything else is the config's text."""
    if isinstance(source, os.PathLike) or (isinstance(source, str) and "\n" not in source and os.path.isfile(source)):
        from cfglint.source import read_bytes

        path = os.fspath(source)
        return read_bytes(path), filename or path
    return str(source).encode("utf-8"), filename or "<text>"


def check(source: str | os.PathLike, *, filename: str | None = None, options: CheckOptions | None = None) -> list[Finding]:
    """The findings for one config, given as a path or as text (name it with `filename`)."""
    from cfglint.api import Checker

    data, name = _source(source, filename)
    return Checker(options).check_bytes(data, name).findings


def fix(source: str | os.PathLike, *, filename: str | None = None, unsafe: bool = False, options: CheckOptions | None = None) -> FixOutcome:
    """The verified fixes for one config; `outcome.fixed_text` is the patched text. Writes nothing."""
    from cfglint.api import Checker
    from cfglint.fixer import fix_bytes

    data, name = _source(source, filename)
    return fix_bytes(Checker(options), data, name, unsafe=unsafe)
