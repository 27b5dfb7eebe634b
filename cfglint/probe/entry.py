"""Load the user's probe entry: `package.module:function` or `path/to/file.py:function`.

This is the only place cfglint imports user code, and only the entry the user names.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from typing import Any, Callable


class ProbeError(Exception):
    """The probe cannot run: a missing entry, a failing entry, no torch. One clear line."""


def load_entry(spec: str, base_folder: str) -> Callable[[dict], Any]:
    location, _, function = spec.rpartition(":")
    if not location or not function:
        raise ProbeError(f"--entry {spec!r}: expected MODULE:FUNCTION or path/to/file.py:FUNCTION")
    if location.endswith(".py"):
        path = location if os.path.isabs(location) else os.path.join(base_folder, location)
        if not os.path.isfile(path):
            path = os.path.abspath(location)
        if not os.path.isfile(path):
            raise ProbeError(f"--entry {spec!r}: no such file {location}")
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in sys.path:
            sys.path.insert(0, folder)  # so the entry can import its neighbours
        module_spec = importlib.util.spec_from_file_location(f"cfglint_probe_entry_{abs(hash(path))}", path)
        module = importlib.util.module_from_spec(module_spec)
        try:
            module_spec.loader.exec_module(module)
        except Exception as error:
            raise ProbeError(f"importing {location} failed: {type(error).__name__}: {error}") from error
    else:
        try:
            module = importlib.import_module(location)
        except Exception as error:
            raise ProbeError(f"importing {location} failed: {type(error).__name__}: {error}") from error
    entry = getattr(module, function, None)
    if not callable(entry):
        raise ProbeError(f"--entry {spec!r}: {location} has no function {function!r}")
    return entry
