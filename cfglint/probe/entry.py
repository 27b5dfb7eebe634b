"""Load the user's probe entry: `package.module:function` or `path/to/file.py:function`, and say
where in the user's own code a probe failed.

This is the only place cfglint imports user code, and only the entry the user names. A file
entry is looked up beside the config first, then in the working folder; a module entry is
imported with the working folder first on the import path, as `python -m` does.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import sysconfig
import traceback
from typing import Any, Callable

from cfglint.source import display_path


class ProbeError(Exception):
    """The probe cannot run: a missing entry, a failing entry, no torch. One clear line."""


def put_on_import_path(*folders: str) -> None:
    """Each folder first on sys.path (the last one given ends first), unless it is there already."""
    for folder in folders:
        if folder not in sys.path:
            sys.path.insert(0, folder)


def load_entry(spec: str, base_folder: str) -> Callable[[dict], Any]:
    location, _, function = spec.rpartition(":")
    if not location or not function:
        raise ProbeError(f"--entry {spec!r}: expected MODULE:FUNCTION or path/to/file.py:FUNCTION")
    if location.endswith(".py"):
        path = location if os.path.isabs(location) else os.path.join(base_folder, location)
        if not os.path.isfile(path):
            path = os.path.abspath(location)
        if not os.path.isfile(path):
            raise ProbeError(f"--entry {spec!r}: no such file {location} (looked beside the config, in {base_folder}, then in the working folder)")
        put_on_import_path(os.path.dirname(os.path.abspath(path)))  # so the entry can import its neighbours
        module_spec = importlib.util.spec_from_file_location(f"cfglint_probe_entry_{abs(hash(path))}", path)
        module = importlib.util.module_from_spec(module_spec)
        try:
            module_spec.loader.exec_module(module)
        except Exception as error:
            raise failure(f"importing {location} failed", error) from error
    else:
        folder = os.getcwd()
        put_on_import_path(folder)
        try:
            module = importlib.import_module(location)
        except ModuleNotFoundError as error:
            if error.name is not None and location.split(".")[0] == error.name.split(".")[0]:
                raise ProbeError(f"--entry {spec!r}: no module {error.name} in the working folder ({folder}) or the installed packages") from error
            raise failure(f"importing {location} failed", error) from error
        except Exception as error:
            raise failure(f"importing {location} failed", error) from error
    entry = getattr(module, function, None)
    if not callable(entry):
        raise ProbeError(f"--entry {spec!r}: {location} has no function {function!r}")
    return entry


def _library_folders() -> tuple[str, ...]:
    """Folders whose code is not the user's: cfglint's own, and the interpreter's and installed packages'."""
    paths = sysconfig.get_paths()
    folders = {os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    folders.update(os.path.abspath(paths[name]) for name in ("stdlib", "platstdlib", "purelib", "platlib") if name in paths)
    return tuple(folder + os.sep for folder in folders)


def _users(filename: str, libraries: tuple[str, ...]) -> bool:
    return not filename.startswith("<") and not os.path.abspath(filename).startswith(libraries)


def user_line(error: BaseException) -> str | None:
    """`file:line` of the traceback's last frame in the user's own files (not cfglint's, torch's or the standard library's)."""
    libraries = _library_folders()
    mine = [frame for frame in traceback.extract_tb(error.__traceback__) if _users(frame.filename, libraries)]
    return f"{display_path(mine[-1].filename)}:{mine[-1].lineno}" if mine else None


def defined_at(function: Callable) -> str | None:
    """`file:line` where a user's function is defined, when it is plain Python."""
    code = getattr(function, "__code__", None)
    return f"{display_path(code.co_filename)}:{code.co_firstlineno}" if code is not None else None


def returned_at(function: Callable, *args: Any) -> str | None:
    """`file:line` of the `return` statement in the user's code that built what `function(*args)` returns.

    Runs the function once more under a tracer of the user's own frames, so it is for error
    messages only. The innermost user function that returned the very same object made it
    (`lambda batch: losses(model, batch)` points into `losses`); falls back to where `function`
    is defined.
    """
    libraries = _library_folders()
    users: dict[str, bool] = {}
    returned: list[tuple[Any, list[int], Any]] = []  # (code, lines run, value) as each user frame returns

    def tracer(frame, event, arg):
        name = frame.f_code.co_filename
        if name not in users:
            users[name] = _users(name, libraries)
        if not users[name]:
            return None
        lines: list[int] = []

        def local(frame, event, arg):
            lines.append(frame.f_lineno)
            if event == "return":
                returned.append((frame.f_code, lines, arg))
            return local

        return local

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        result = function(*args)
    except Exception:  # noqa: BLE001 - the failure being explained has already happened once
        return defined_at(function)
    finally:
        sys.settrace(previous)
    made = next(((code, lines) for code, lines, value in returned if value is result), None)
    if made is None:
        return defined_at(function)
    code, lines = made
    # Leaving a `with` block reports the `with` line last: take the last `return` statement run.
    statements = _return_statements(code)
    line = next((line for line in reversed(lines) if line in statements), lines[-1])
    return f"{display_path(code.co_filename)}:{line}"


def _return_statements(code) -> set[int]:
    """The lines of a function's `return` statements (none for a lambda, or without its source)."""
    import ast
    import inspect
    import textwrap

    try:
        source, first = inspect.getsourcelines(code)
        tree = ast.parse(textwrap.dedent("".join(source)))
    except (OSError, TypeError, SyntaxError):
        return set()
    return {first + node.lineno - 1 for node in ast.walk(tree) if isinstance(node, ast.Return)}


# A torch error's text -> what it means for a probe, and the one-line fix.
DEVICE_HINT = (
    "the probe moves `model` and the batches to {device}, but not tensors your code creates on a fixed device nor "
    "modules outside `model`: create tensors on the batch's device (torch.zeros(n, device=x.device)) and make every "
    "module the loss uses a submodule of `model`"
)
_EXPLAINED = (
    (("Torch not compiled with CUDA enabled", "Found no NVIDIA driver", "no CUDA GPUs are available"), "your code asks for CUDA, which this torch cannot use; " + DEVICE_HINT),
    (("Expected all tensors to be on the same device", "is not on the expected device", "on different devices"), "tensors on different devices; " + DEVICE_HINT),
)


def failure(what: str, error: BaseException, device: str | None = None) -> ProbeError:
    """One line for an exception from the user's code: where in it, what happened, and how to fix it when known."""
    where = user_line(error)
    text = f"{type(error).__name__}: {error}".splitlines()[0]
    hint = next((meaning for needles, meaning in _EXPLAINED if any(needle in str(error) for needle in needles)), None)
    if hint is not None:
        text += "; " + hint.format(device=device or "the probe's device")
    return ProbeError(f"{where + ': ' if where else ''}{what}: {text}")
