"""Atomic writes: the mode is kept, links are followed, read-only files refused, failures lose nothing."""

import os
import stat

import pytest

from cfglint.writer import WriteError, write_atomic, write_copy


def test_write_replaces_content_and_keeps_the_mode(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    write_atomic(str(path), b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.yaml"]  # no temporary file left behind


def test_a_copy_is_created_with_the_umask_mode_or_replaces_keeping_the_mode(tmp_path):
    umask = os.umask(0o027)
    try:
        write_copy(str(tmp_path / "new.yaml"), b"a: 1\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.yaml").read_bytes() == b"a: 1\n"
    assert stat.S_IMODE(os.stat(tmp_path / "new.yaml").st_mode) == 0o640
    os.chmod(tmp_path / "new.yaml", 0o600)
    write_copy(str(tmp_path / "new.yaml"), b"a: 2\n")
    assert (tmp_path / "new.yaml").read_bytes() == b"a: 2\n"
    assert stat.S_IMODE(os.stat(tmp_path / "new.yaml").st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["new.yaml"]
    with pytest.raises(WriteError, match="cannot write in"):
        write_copy(str(tmp_path / "missing" / "x.yaml"), b"a: 1\n")


def test_a_symlink_stays_a_link_and_its_target_is_written(tmp_path):
    target = tmp_path / "real.yaml"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to("real.yaml")
    write_atomic(str(link), b"new\n")
    assert link.is_symlink() and target.read_bytes() == b"new\n"


def test_a_read_only_file_is_refused(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o444)
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(str(path), b"new\n")
    assert path.read_bytes() == b"old\n"


def test_a_failed_rename_leaves_the_original_and_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")

    def refuse(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match="not written: No space left on device"):
        write_atomic(str(path), b"new\n")
    assert path.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["a.yaml"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "rename only"])
def test_a_checked_write_replaces_the_file_with_or_without_the_exchange(tmp_path, monkeypatch, exchange):
    from cfglint import writer

    if not exchange:
        monkeypatch.setattr(writer, "_exchange", lambda first, second: False)
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    write_atomic(str(path), b"new\n", expected=b"old\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(tmp_path) == ["a.yaml"]  # the replaced file is not left under the temporary name


def test_a_folder_that_cannot_be_opened_cannot_be_locked(tmp_path, monkeypatch):
    from cfglint.writer import locked

    def refuse(path, flags, *args):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(WriteError, match=r"^x/a.yaml: cannot lock its folder .*/x: Permission denied; not fixed$"):
        with locked("x/a.yaml"):
            pass
