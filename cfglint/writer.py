"""Write a file so that nothing is ever lost: atomically, verified, or not at all.

The new bytes go to a temporary file in the target's folder (so the final rename cannot cross
file systems), are flushed to disk, take the old file's mode, and replace the target in one
rename; the result is read back and compared. A symlink is followed and its target written, so
the link stays a link. On any failure the temporary file is removed and the original is intact;
a process killed mid-write leaves the original whole (and at worst a `.cfglint-tmp` file).

Concurrent fixers (pre-commit runs hooks in parallel) take an exclusive lock on the file's folder
around read, fix and write, so they apply one after the other; and a write is refused when the
file no longer holds the bytes the fix was computed from (an editor saved it meanwhile).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile


class WriteError(Exception):
    """The file could not be written; the original is untouched."""


@contextlib.contextmanager
def locked(path: str):
    """Hold an exclusive lock on the folder of `path` (its real target) for a read-fix-write."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on Windows: fall back to the content check
        yield
        return
    folder = os.path.dirname(os.path.realpath(path)) or "."
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def write_atomic(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace `path` with `data`; with `expected`, only if the file still holds those bytes."""
    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise WriteError(f"{path}: the file is read-only; not written")
    if expected is not None:
        with open(target, "rb") as current:
            if current.read() != expected:
                raise WriteError(f"{path}: changed while it was being fixed; not written (run again)")
    _replace(path, target, data, mode)


def write_copy(path: str, data: bytes) -> None:
    """Write a fixed copy to `path` (`--output`), atomically and verified like write_atomic; an
    existing file there is replaced, a new one gets the usual mode for new files."""
    target = os.path.realpath(path)
    umask = os.umask(0)
    os.umask(umask)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~umask
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None
    _replace(path, target, data, mode)


def _replace(path: str, target: str, data: bytes, mode: int) -> None:
    """Put `data` in place of `target` through a temporary file in its folder, then read it back."""
    folder = os.path.dirname(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".cfglint-tmp")
    except OSError as error:
        raise WriteError(f"{path}: cannot write in {folder or '.'}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        raise WriteError(f"{path}: not written: {error.strerror or error}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    with open(target, "rb") as stream:
        if stream.read() != data:
            raise WriteError(f"{path}: the written file does not read back as written")
