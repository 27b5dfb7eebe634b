"""Write a file so that nothing is ever lost: atomically, verified, or not at all.

The new bytes go to a temporary file in the target's folder (so the final rename cannot cross
file systems), are flushed to disk, take the old file's mode, and replace the target in one
rename; the result is read back and compared. A symlink is followed and its target written, so
the link stays a link. On any failure the temporary file is removed and the original is intact.
"""

from __future__ import annotations

import os
import stat
import tempfile


class WriteError(Exception):
    """The file could not be written; the original is untouched."""


def write_atomic(path: str, data: bytes) -> None:
    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror}") from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise WriteError(f"{path}: the file is read-only; not written")
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
