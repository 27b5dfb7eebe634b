"""`cfglint fix` on the command line: diff, --write, --output, stdin, exit codes."""

import os

import pytest
from click.testing import CliRunner

from cfglint.cli import main

CONFIG = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 10\nlearning_rate: \"0.001\"  # peak\nwarmup_epochs: 12\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open("run.yaml", "w") as handle:
        handle.write(CONFIG)

    def invoke(*args, input=None):
        return CliRunner().invoke(main, ["fix", "--isolated", *args], input=input, catch_exceptions=False)

    return invoke


def test_default_prints_a_diff_and_exits_1_without_writing(run):
    result = run("run.yaml")
    assert result.exit_code == 1
    assert "-learning_rate: \"0.001\"  # peak\n+learning_rate: 0.001    # peak\n" in result.output
    assert "Would fix 1 finding in 1 file; 1 remaining (1 fixable with --unsafe-fixes)." in result.output
    assert open("run.yaml").read() == CONFIG


def test_write_changes_the_file_and_a_second_run_changes_nothing(run):
    result = run("--write", "--unsafe-fixes", "--show-fixes", "run.yaml")
    assert result.exit_code == 0  # everything was fixed: nothing at the fail level is left
    assert "run.yaml:5:16: S002 fixed: write 0.001 as the number 0.001" in result.output
    assert open("run.yaml").read() == CONFIG.replace('"0.001"  # peak', '0.001    # peak').replace("warmup_epochs: 12", "warmup_epochs: 1")
    mtime = os.stat("run.yaml").st_mtime_ns
    again = run("--write", "--unsafe-fixes", "run.yaml")
    assert again.exit_code == 0 and "Fixed 0 findings in 0 files" in again.output
    assert os.stat("run.yaml").st_mtime_ns == mtime  # nothing written when nothing changed


def test_output_writes_a_patched_copy(run):
    result = run("--output", "fixed.yaml", "run.yaml")
    assert result.exit_code == 1
    assert open("fixed.yaml").read() == CONFIG.replace('"0.001"  # peak', '0.001    # peak')
    assert open("run.yaml").read() == CONFIG
    assert run("--output", "x.yaml", "run.yaml", "run.yaml").exit_code == 2


def test_stdin_goes_to_stdout(run):
    result = run("-", "--stdin-filename", "run.yaml", input=CONFIG)
    assert result.output == CONFIG.replace('"0.001"  # peak', '0.001    # peak')
    assert result.exit_code == 1


def test_a_file_that_does_not_parse_is_refused_with_its_position(run):
    with open("broken.yaml", "w") as handle:
        handle.write("a: [1\n")
    result = run("--write", "broken.yaml")
    assert result.exit_code == 1
    assert "cfglint: warning: broken.yaml:2:1: not fixed: " in result.output
    assert open("broken.yaml").read() == "a: [1\n"


def test_select_limits_the_fixes(run):
    result = run("--write", "--unsafe-fixes", "--select", "T001", "run.yaml")
    assert open("run.yaml").read() == CONFIG.replace("warmup_epochs: 12", "warmup_epochs: 1")
    assert result.exit_code == 0  # the selected rule's finding is fixed; the others are not checked


def test_a_read_only_file_is_reported_and_the_others_are_still_fixed(run):
    with open("other.yaml", "w") as handle:
        handle.write(CONFIG)
    os.chmod("run.yaml", 0o444)
    result = run("--write", "run.yaml", "other.yaml")
    assert result.exit_code == 2
    assert "cfglint: error: run.yaml: the file is read-only; not written" in result.output
    assert "Fixed 1 finding in 1 file; 1 remaining (1 fixable with --unsafe-fixes)." in result.output  # other.yaml only
    assert open("run.yaml").read() == CONFIG
    assert open("other.yaml").read() != CONFIG


def test_an_output_path_that_cannot_be_written_is_a_usage_error(run):
    result = run("--output", "missing-folder/fixed.yaml", "run.yaml")
    assert result.exit_code == 2
    assert "cfglint: error: missing-folder/fixed.yaml: cannot write in " in result.output
    assert "Fixed 0 findings in 0 files." in result.output
    assert not os.path.exists("missing-folder")


FIXED = CONFIG.replace('"0.001"  # peak', '0.001    # peak')


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: b"\xff\xfe" + text.encode("utf-16-le"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le"),
    ],
    ids=["utf-8-bom", "utf-16-le-bom", "crlf", "utf-16-le-bom-crlf"],
)
def test_stdin_keeps_its_encoding_bom_and_newlines_byte_for_byte(run, encode):
    result = CliRunner().invoke(main, ["fix", "--isolated", "-", "--stdin-filename", "run.yaml"], input=encode(CONFIG), catch_exceptions=False)
    assert result.stdout_bytes == encode(FIXED)
    assert result.exit_code == 1
    unchanged = CliRunner().invoke(main, ["fix", "--isolated", "-", "--stdin-filename", "run.yaml"], input=encode(FIXED), catch_exceptions=False)
    assert unchanged.stdout_bytes == encode(FIXED) and unchanged.exit_code == 1  # T001 is left: its fix is unsafe


def test_stdin_with_output_writes_the_file_and_nothing_to_stdout(run):
    data = b"\xff\xfe" + CONFIG.replace("\n", "\r\n").encode("utf-16-le")
    result = CliRunner().invoke(main, ["fix", "--isolated", "-", "--stdin-filename", "run.yaml", "--output", "fixed.yaml"], input=data, catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout_bytes == b""
    assert open("fixed.yaml", "rb").read() == b"\xff\xfe" + FIXED.replace("\n", "\r\n").encode("utf-16-le")
    assert sorted(os.listdir(".")) == ["fixed.yaml", "run.yaml"]  # written through a temporary file, none left
    unchanged = CliRunner().invoke(main, ["fix", "--isolated", "-", "--output", "same.yaml"], input=FIXED, catch_exceptions=False)
    assert unchanged.exit_code == 1 and open("same.yaml").read() == FIXED  # the copy is written even when nothing changed; T001 is left
    missing = CliRunner().invoke(main, ["fix", "--isolated", "-", "--output", "missing/x.yaml"], input=CONFIG, catch_exceptions=False)
    assert missing.exit_code == 2 and "cfglint: error: missing/x.yaml: cannot write in " in missing.output


def test_a_folder_that_cannot_be_locked_is_an_error_for_its_files_alone(run, monkeypatch):
    os.mkdir("closed")
    os.mkdir("open")
    for folder in ("closed", "open"):
        with open(os.path.join(folder, "run.yaml"), "w") as handle:
            handle.write(CONFIG)
    os.chmod("closed", 0o300)  # write and search, no read: the folder cannot be opened for its lock
    try:
        if os.access("closed", os.R_OK):  # root reads it anyway: make the open fail as it would for a user
            real_open = os.open
            closed = os.path.realpath("closed")

            def refuse(path, flags, *args, **kwargs):
                if os.fspath(path) == closed:
                    raise PermissionError(13, "Permission denied", path)
                return real_open(path, flags, *args, **kwargs)

            monkeypatch.setattr(os, "open", refuse)
        result = run("--write", "closed/run.yaml", "open/run.yaml")
    finally:
        os.chmod("closed", 0o700)
    assert result.exit_code == 2
    assert f"cfglint: error: closed/run.yaml: cannot lock its folder {os.path.realpath('closed')}: Permission denied; not fixed\n" in result.output
    assert "Fixed 1 finding in 1 file; 1 remaining (1 fixable with --unsafe-fixes)." in result.output  # open/run.yaml only
    assert open("closed/run.yaml").read() == CONFIG
    assert open("open/run.yaml").read() == FIXED
