"""cfglint: a linter and auto-fixer for machine-learning training configs (YAML, JSON and TOML).

    import cfglint
    findings = cfglint.check("configs/run.yaml")                  # a path: missing is InputError
    findings = cfglint.check(text="lr: 1e-3\\n", filename="run.yaml")
    outcome = cfglint.fix("configs/run.yaml", unsafe=False)        # verified; writes nothing
    print(outcome.fixed_text)

Both print nothing and import the engine only when called; the names below are imported on
first use too, so `import cfglint` costs the command line nothing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from cfglint.api import CheckOptions, CheckResult, Checker, FileReport, PassedBy
    from cfglint.finding import Finding, Severity, UnknownRule
    from cfglint.fixer import FixOutcome, FixVerificationError, UnfixableInput
    from cfglint.settings import SettingsError
    from cfglint.source import InputError

# Public name -> the module that defines it.
_EXPORTS = {
    "CheckOptions": "cfglint.api",
    "CheckResult": "cfglint.api",
    "Checker": "cfglint.api",
    "FileReport": "cfglint.api",
    "PassedBy": "cfglint.api",
    "Finding": "cfglint.finding",
    "Severity": "cfglint.finding",
    "UnknownRule": "cfglint.finding",
    "FixOutcome": "cfglint.fixer",
    "FixVerificationError": "cfglint.fixer",
    "UnfixableInput": "cfglint.fixer",
    "SettingsError": "cfglint.settings",
    "InputError": "cfglint.source",
}

__all__ = ["check", "fix", "__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'cfglint' has no attribute {name!r}")


def _source(path: str | os.PathLike | None, text: str | bytes | None, filename: str | None) -> tuple[bytes, str]:
    """(bytes, name) from exactly one of a path (read; InputError when it cannot be) or the text."""
    if (path is None) == (text is None):
        raise TypeError("give either a path or text=..., not both or neither")
    if text is not None:
        return text if isinstance(text, bytes) else text.encode("utf-8"), filename or "<text>"
    from cfglint.source import read_bytes

    path = os.fspath(path)
    return read_bytes(path), filename or path


def check(path: str | os.PathLike | None = None, *, text: str | bytes | None = None, filename: str | None = None, options: CheckOptions | None = None) -> list[Finding]:
    """The findings for one config: read from `path`, or given as `text` (named by `filename`,
    whose suffix decides YAML, JSON or TOML and which settings apply).

    Raises InputError when the path cannot be read, SettingsError for an unusable settings file,
    UnknownRule for a selector in `options` that names no rule."""
    from cfglint.api import Checker

    data, name = _source(path, text, filename)
    return Checker(options).check_bytes(data, name).findings


def fix(path: str | os.PathLike | None = None, *, text: str | bytes | None = None, filename: str | None = None, unsafe: bool = False, options: CheckOptions | None = None) -> FixOutcome:
    """The verified fixes for one config, from `path` or `text` as in check(); `outcome.fixed_text`
    is the patched text. Writes nothing. Raises UnfixableInput when the config does not parse,
    FixVerificationError when a fix fails verification, and what check() raises."""
    from cfglint.api import Checker
    from cfglint.fixer import fix_bytes

    data, name = _source(path, text, filename)
    return fix_bytes(Checker(options), data, name, unsafe=unsafe)
