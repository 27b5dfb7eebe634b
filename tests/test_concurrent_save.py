"""An editor's save that races `fix --write` is never lost: the fixer writes or refuses, and the
file ends with the editor's content either way."""

import os
import random
import threading
import time

import pytest

from cfglint import writer
from cfglint.writer import WriteError, write_atomic

ORIGINAL = b'learning_rate: "0.001"  # peak\n'
FIXED = b"learning_rate: 0.001    # peak\n"
ROUNDS = 300


def save_by_rename(path: str, data: bytes) -> None:
    """How vim and most editors save: a new file renamed over the old one."""
    temporary = path + ".editor-tmp"
    with open(temporary, "wb") as stream:
        stream.write(data)
    os.replace(temporary, path)


def save_in_place(path: str, data: bytes) -> None:
    """How VS Code saves: truncate the file and write into it."""
    with open(path, "wb") as stream:
        stream.write(data)


def fixer_duration(path: str) -> float:
    """How long one verified write takes here, so the editor's delays span the whole write."""
    times = []
    for _ in range(5):
        with open(path, "wb") as stream:
            stream.write(ORIGINAL)
        start = time.perf_counter()
        write_atomic(path, FIXED, expected=ORIGINAL)
        times.append(time.perf_counter() - start)
    return sorted(times)[2]


@pytest.mark.parametrize("save", [save_by_rename, save_in_place])
def test_a_racing_save_is_never_lost(tmp_path, save):
    path = str(tmp_path / "run.yaml")
    span = fixer_duration(path) * 1.5
    rng = random.Random(14)
    outcomes = {"written": 0, "refused": 0}
    for round_ in range(ROUNDS):
        with open(path, "wb") as stream:
            stream.write(ORIGINAL)
        edited = b"learning_rate: 0.002  # saved in round %d\n" % round_
        start = threading.Barrier(2)
        editor_delay, fixer_delay = rng.uniform(0, span), rng.uniform(0, span / 3)

        def editor():
            start.wait()
            time.sleep(editor_delay)
            save(path, edited)

        thread = threading.Thread(target=editor)
        thread.start()
        start.wait()
        time.sleep(fixer_delay)
        try:
            write_atomic(path, FIXED, expected=ORIGINAL)  # computed from ORIGINAL, read before the save
            outcomes["written"] += 1
        except WriteError as error:
            assert "changed while it was being fixed; not written" in str(error)
            outcomes["refused"] += 1
        thread.join()
        with open(path, "rb") as stream:
            assert stream.read() == edited, f"round {round_}: the editor's save was lost ({outcomes})"
        assert sorted(os.listdir(tmp_path)) == ["run.yaml"]
    # the delays span the write, so both outcomes happen: the race is really run
    assert outcomes["written"] > 0 and outcomes["refused"] > 0, outcomes


def test_a_save_between_the_last_check_and_the_rename_is_put_back(tmp_path, monkeypatch):
    """The window no check can close: the save lands after the final comparison, just before the
    exchange. The displaced file is compared after the exchange and given its name back."""
    if writer._exchange_function() is None:
        pytest.skip("no atomic exchange on this system: the README documents the remaining window")
    path = str(tmp_path / "run.yaml")
    with open(path, "wb") as stream:
        stream.write(ORIGINAL)
    real = writer._exchange

    def save_first(source, destination):
        save_by_rename(path, b"learning_rate: 0.002  # saved meanwhile\n")
        monkeypatch.setattr(writer, "_exchange", real)
        return real(source, destination)

    monkeypatch.setattr(writer, "_exchange", save_first)
    with pytest.raises(WriteError, match="run.yaml: changed while it was being fixed; not written"):
        write_atomic(path, FIXED, expected=ORIGINAL)
    with open(path, "rb") as stream:
        assert stream.read() == b"learning_rate: 0.002  # saved meanwhile\n"
    assert os.listdir(tmp_path) == ["run.yaml"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "rename only"])
def test_a_save_while_the_new_file_is_flushed_is_refused(tmp_path, monkeypatch, exchange):
    """The comparison comes after the new file is on disk (fsync takes milliseconds), not before."""
    if exchange and writer._exchange_function() is None:
        pytest.skip("no atomic exchange on this system")
    if not exchange:
        monkeypatch.setattr(writer, "_exchange", lambda first, second: False)
    path = str(tmp_path / "run.yaml")
    with open(path, "wb") as stream:
        stream.write(ORIGINAL)
    real = os.fsync

    def save_meanwhile(handle):
        save_in_place(path, b"learning_rate: 0.002  # saved meanwhile\n")
        real(handle)

    monkeypatch.setattr(os, "fsync", save_meanwhile)
    with pytest.raises(WriteError, match="run.yaml: changed while it was being fixed; not written"):
        write_atomic(path, FIXED, expected=ORIGINAL)
    with open(path, "rb") as stream:
        assert stream.read() == b"learning_rate: 0.002  # saved meanwhile\n"
    assert os.listdir(tmp_path) == ["run.yaml"]


def test_two_saves_around_the_exchange_keep_both(tmp_path, monkeypatch):
    """One save before the exchange, one after: the newer keeps the name, the older is kept aside."""
    if writer._exchange_function() is None:
        pytest.skip("no atomic exchange on this system")
    path = str(tmp_path / "run.yaml")
    with open(path, "wb") as stream:
        stream.write(ORIGINAL)
    real = writer._exchange

    def save_around(source, destination):
        save_by_rename(path, b"first save\n")
        moved = real(source, destination)
        save_by_rename(path, b"second save\n")
        monkeypatch.setattr(writer, "_exchange", real)
        return moved

    monkeypatch.setattr(writer, "_exchange", save_around)
    with pytest.raises(WriteError, match=r"run.yaml: saved twice while it was being fixed; not written; the earlier save is kept in (\S+)$") as raised:
        write_atomic(path, FIXED, expected=ORIGINAL)
    kept = str(raised.value).rsplit(" ", 1)[1]
    with open(path, "rb") as stream:
        assert stream.read() == b"second save\n"
    with open(kept, "rb") as stream:
        assert stream.read() == b"first save\n"
    assert sorted(os.listdir(tmp_path)) == sorted(["run.yaml", os.path.basename(kept)])


def test_fix_write_racing_an_editor_never_loses_the_save(tmp_path, monkeypatch):
    """The whole command (lock, read, fix, verify, write) against an editor that saves during it:
    exit 0 when the save came before the read (nothing left to fix), 1 with the fix written
    before the save, or 2 with the refusal; the save survives every time."""
    from click.testing import CliRunner

    from cfglint.cli import main

    monkeypatch.chdir(tmp_path)
    config = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 10\nlearning_rate: \"0.001\"  # peak\n"

    def fix():
        # exit 1: the file was fixed and written; 2: the write was refused; 0: nothing to fix
        return CliRunner().invoke(main, ["fix", "--isolated", "--write", "--exit-non-zero-on-fix", "run.yaml"], catch_exceptions=False)

    times = []
    for _ in range(5):
        with open("run.yaml", "w") as stream:
            stream.write(config)
        start = time.perf_counter()
        assert fix().exit_code == 1
        times.append(time.perf_counter() - start)
    span = sorted(times)[2] * 1.2
    rng = random.Random(9)
    outcomes = {0: 0, 1: 0, 2: 0}
    for round_ in range(ROUNDS):
        with open("run.yaml", "w") as stream:
            stream.write(config)
        edited = b"learning_rate: 0.002  # saved in round %d\n" % round_
        delay = rng.uniform(0, span)
        thread = threading.Thread(target=lambda: (time.sleep(delay), save_by_rename("run.yaml", edited)))
        thread.start()
        result = fix()
        thread.join()
        assert result.exit_code in outcomes, result.output
        if result.exit_code == 2:
            assert "cfglint: error: run.yaml: changed while it was being fixed; not written (run again)\n" in result.output
        outcomes[result.exit_code] += 1
        with open("run.yaml", "rb") as stream:
            assert stream.read() == edited, f"round {round_}: the editor's save was lost ({outcomes})"
    assert outcomes[1] > 0 and outcomes[2] > 0, outcomes
