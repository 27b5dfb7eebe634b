"""Reading a file's bytes: whole, sized to the file, and never past the limit."""

import os

import pytest

from cfglint import source
from cfglint.source import InputError, read_bytes


def test_a_file_is_read_whole(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"lr: 0.001\n" * 1000)
    assert read_bytes(str(path)) == b"lr: 0.001\n" * 1000


def understated_size(monkeypatch, size):
    """Make fstat report `size`, as for a file that grows after fstat (or a /proc file, size 0)."""
    real = os.fstat

    def fstat(fd):
        result = real(fd)
        return os.stat_result((result.st_mode, *result[1:6], size, *result[7:]))

    monkeypatch.setattr(source.os, "fstat", fstat)


def test_a_file_larger_than_fstat_said_is_still_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n" * 100)
    understated_size(monkeypatch, 0)
    assert read_bytes(str(path)) == b"x: 1\n" * 100


def test_a_file_that_grows_past_the_limit_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"#" * (source.MAX_BYTES + 10))
    understated_size(monkeypatch, 10)
    with pytest.raises(InputError, match="over cfglint's 4 MB limit"):
        read_bytes(str(path))
