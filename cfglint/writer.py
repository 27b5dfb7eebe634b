"""Write a file so that nothing is ever lost: atomically, verified, or not at all.

The new bytes go to a temporary file in the target's folder (so the final rename cannot cross
file systems), are flushed to disk, read back and compared, take the old file's mode, and
replace the target in one rename. A symlink is followed and its target written, so
the link stays a link. On any failure the temporary file is removed and the original is intact;
a process killed mid-write leaves the original whole (and at worst a `.cfglint-tmp` file).

Concurrent fixers (pre-commit runs hooks in parallel) take an exclusive lock on the file's folder
around read, fix and write, so they apply one after the other. An editor takes no lock, so a
write that must not lose its save (`expected`) is a compare-and-swap built from two steps:
the file's identity and bytes are compared once the new file is on disk, immediately before the
swap; on Linux the swap is renameat2(RENAME_EXCHANGE), which leaves the replaced file under the
temporary name, where it is compared again: a save that landed between the comparison and the
swap is given its name back and the write is refused. Elsewhere the swap is rename(2), and a save
landing in the microseconds between the last comparison and the rename can still be replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import time


class WriteError(Exception):
    """The file could not be written; the original is untouched."""


@contextlib.contextmanager
def locked(path: str):
    """Hold an exclusive lock on the folder of `path` (its real target) for a read-fix-write.

    Raises WriteError when the folder cannot be opened (no read permission): the file is then
    neither read nor written."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no flock on Windows: fall back to the content check
        yield
        return
    folder = os.path.dirname(os.path.realpath(path)) or "."
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise WriteError(f"{path}: cannot lock its folder {folder}: {error.strerror or error}; not fixed") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def write_atomic(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace `path` with `data`; with `expected`, only if the file still holds those bytes,
    checked as late as the system allows (see the module's docstring)."""
    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise WriteError(f"{path}: the file is read-only; not written")
    _replace(path, target, data, mode, expected)


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


def _changed(path: str) -> str:
    return f"{path}: changed while it was being fixed; not written (run again)"


def _replace(path: str, target: str, data: bytes, mode: int, expected: bytes | None = None) -> None:
    """Put `data` in place of `target` through a temporary file in its folder, read back before the
    rename (after it, the name may already hold an editor's newer save)."""
    folder = os.path.dirname(target)
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.", suffix=".cfglint-tmp")
    except OSError as error:
        raise WriteError(f"{path}: cannot write in {folder or '.'}: {error.strerror}") from None
    ours = os.fstat(handle)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        with open(temporary, "rb") as stream:
            if stream.read() != data:
                raise WriteError(f"{path}: the written file does not read back as written")
        os.chmod(temporary, mode)
        if expected is None:
            os.replace(temporary, target)
        else:
            _swap_unless_changed(path, target, temporary, expected, ours.st_ino)
    except OSError as error:
        raise WriteError(f"{path}: not written: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(OSError):  # only our own file: a displaced save stays where it is
            if os.lstat(temporary).st_ino == ours.st_ino:
                os.unlink(temporary)


def _swap_unless_changed(path: str, target: str, temporary: str, expected: bytes, ours: int) -> None:
    """Swap the new file in unless `target` changed from `expected`: compare identity and bytes
    right before the swap, and (with an atomic exchange) the replaced file right after it."""
    seen = _snapshot(target)
    if seen[1] != expected:
        raise WriteError(_changed(path))
    if not _exchange(temporary, target):
        os.replace(temporary, target)  # no exchange here: the comparison above was the last one
        return
    for pause in (0, _SETTLE):
        time.sleep(pause)
        if _snapshot(temporary) != seen:
            break
    else:
        os.unlink(temporary)  # the very file that was compared, still untouched: replaced as intended
        return
    # A save landed between the comparison and the exchange: give it its name back.
    if os.lstat(target).st_ino == ours:
        _exchange(temporary, target)
        raise WriteError(_changed(path))
    # Saved once more since the exchange: that save keeps the name, the one before it is kept aside.
    raise WriteError(f"{path}: saved twice while it was being fixed; not written; the earlier save is kept in {temporary}")


def _snapshot(path: str) -> tuple[tuple[int, int, int, int], bytes]:
    """The file's identity (inode, device, size, modification time) and bytes, from one open."""
    with open(path, "rb") as stream:
        info = os.fstat(stream.fileno())
        return (info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns), stream.read()


# An in-place save whose open(2) looked the file up before the exchange truncates it only once the
# exchange releases the file's lock, possibly after the first comparison: the replaced file is
# compared once more after this pause (seconds) before it is deleted.
_SETTLE = 0.002
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_exchange_cache: list = []


def _exchange_function():
    """libc's renameat2 (Linux, glibc 2.28 and later), or None."""
    if not _exchange_cache:
        function = None
        if sys.platform.startswith("linux"):
            import ctypes

            with contextlib.suppress(OSError, AttributeError):
                function = ctypes.CDLL(None, use_errno=True).renameat2
                function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        _exchange_cache.append(function)
    return _exchange_cache[0]


def _exchange(first: str, second: str) -> bool:
    """Swap two paths atomically; False where the system or file system cannot (then nothing moved)."""
    import errno

    function = _exchange_function()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code))
