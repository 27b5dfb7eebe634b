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
    assert result.exit_code == 1
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
    assert "cfglint: broken.yaml:2:1: not fixed: " in result.output
    assert open("broken.yaml").read() == "a: [1\n"


def test_select_limits_the_fixes(run):
    result = run("--write", "--unsafe-fixes", "--select", "T001", "run.yaml")
    assert open("run.yaml").read() == CONFIG.replace("warmup_epochs: 12", "warmup_epochs: 1")
    assert result.exit_code == 1


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
