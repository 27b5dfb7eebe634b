"""The command line: output formats, exit codes, stdin, and bad input."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cfglint.cli import main

BAD = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 6\nwarmup_epochs: 8\n"
UNKNOWN = "seq_len: 250\nlabel_len: 125\npred_len: 10\nlerning_rate: 0.1\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args, input=None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def write(name, text):
    with open(name, "w", newline="") as handle:
        handle.write(text)
    return name


def test_text_output_with_code_frame_and_exit_1(run):
    write("bad.yaml", BAD)
    result = run("check", "--isolated", "bad.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "bad.yaml:5:16: T001 [error] warmup_epochs (8) >= train_epochs (6): the learning rate never reaches its peak and never decays; make warmup_epochs a small part of train_epochs (typically 1-10 % of the epochs) or train longer",
        "  |",
        "5 | warmup_epochs: 8",
        "  |                ^",
        "  = related: train_epochs (line 4)",
        "  = fix (display-only): none proposed: 10 % of training is 0.6 epochs, under one epoch, and 0 would switch warmup off; shorten warmup_epochs by hand or train longer",
        "Found 1 finding (1 error) in 1 of 1 file.",
    ]


def test_clean_file_exits_0(run):
    write("ok.yaml", BAD.replace("train_epochs: 6", "train_epochs: 60"))
    result = run("check", "--isolated", "ok.yaml")
    assert (result.exit_code, result.output) == (0, "All checks passed (1 file checked).\n")


def test_fail_on_and_exit_zero(run):
    write("warn.yaml", UNKNOWN)
    assert run("check", "--isolated", "warn.yaml").exit_code == 1
    assert run("check", "--isolated", "--fail-on", "error", "warn.yaml").exit_code == 0
    assert run("check", "--isolated", "--exit-zero", write("bad.yaml", BAD)).exit_code == 0


def test_json_format_contract(run):
    write("bad.yaml", BAD)
    result = run("check", "--isolated", "--format", "json", "bad.yaml")
    data = json.loads(result.output)
    assert data["findings"] == [
        {
            "file": "bad.yaml",
            "line": 5,
            "column": 16,
            "end_line": 5,
            "end_column": 17,
            "code": "T001",
            "name": "warmup-exceeds-training",
            "severity": "error",
            "message": data["findings"][0]["message"],
            "key": "warmup_epochs",
            "related": [{"file": "bad.yaml", "key": "train_epochs", "line": 4, "column": 15}],
            "fix": {
                "applicability": "display-only",
                "description": "none proposed: 10 % of training is 0.6 epochs, under one epoch, and 0 would switch warmup off; shorten warmup_epochs by hand or train longer",
                "edits": [],
            },
        }
    ]
    assert data["summary"] == {
        "files": 1, "findings": 1, "errors": 1, "warnings": 0, "infos": 0, "read_by_dialect": 1, "read_generically": 0, "no_training_settings": 0,
        "passed_by": 0,
    }
    assert data["input_errors"] == []


def test_github_format(run):
    write("bad.yaml", BAD)
    result = run("check", "--isolated", "--format", "github", "bad.yaml")
    assert result.output.startswith("::error file=bad.yaml,line=5,endLine=5,col=16,endColumn=17,title=T001 (warmup-exceeds-training)::warmup_epochs (8) >= train_epochs (6)")
    write("warn.yaml", UNKNOWN)
    assert run("check", "--isolated", "--format", "github", "warn.yaml").output.startswith("::warning file=warn.yaml,line=4,")


def test_sarif_format_validates_against_the_sarif_schema(run):
    from helpers import sarif_problems

    write("bad.yaml", BAD)
    write("warn.yaml", UNKNOWN)
    log = json.loads(run("check", "--isolated", "--format", "sarif", "bad.yaml", "warn.yaml").output)
    assert sarif_problems(log) == []
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("T001", "error"), ("S001", "warning")]
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 5, "startColumn": 16, "endLine": 5, "endColumn": 17}
    rule = log["runs"][0]["tool"]["driver"]["rules"][results[0]["ruleIndex"]]
    assert rule["id"] == "T001"


def test_stdin_with_filename(run):
    result = run("check", "--isolated", "-", "--stdin-filename", "kd.json", input='{"alpha_kd": 0.7, "kd_top_k": 8, "temperature": 0}')
    assert result.exit_code == 1
    assert result.output.startswith("kd.json:1:49: S003 [error] temperature (0) must be above 0")


def test_folders_are_searched_and_statistics(run):
    os.makedirs("configs/sub")
    write("configs/a.yaml", BAD)
    write("configs/sub/b.yml", BAD)
    write("configs/notes.txt", "not a config")
    result = run("check", "--isolated", "--statistics", "configs")
    assert result.output == "    2  T001  warmup-exceeds-training\n"


def test_missing_path_is_exit_2_with_one_line_and_the_rest_still_checked(run):
    write("bad.yaml", BAD)
    result = run("check", "--isolated", "-q", "nope.yaml", "bad.yaml")
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == "cfglint: error: nope.yaml: no such file or directory"
    assert result.output.splitlines()[1].startswith("bad.yaml:5:16: T001")


def test_dangling_symlink_is_exit_2(run):
    os.symlink("gone.yaml", "link.yaml")
    result = run("check", "--isolated", "link.yaml")
    assert (result.exit_code, result.output) == (2, "cfglint: error: link.yaml: no such file or directory\nAll checks passed (0 files checked).\n")


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("empty.yaml", b"", 0),
        ("empty.json", b"", 1),
        ("binary.yaml", bytes(range(256)), 1),
        ("latin1.yaml", "lr: caf\xe9\n".encode("latin-1"), 1),
        ("tabs.yaml", b"a:\n\tb: 1\n", 1),
        ("comments.json", b'{"a": 1 /* no */}', 1),
        ("nan.json", b'{"learning_rate": NaN, "per_device_train_batch_size": 1, "num_train_epochs": 1, "lr_scheduler_type": "cosine"}', 1),
        ("huge.json", b'{"a": 1e400, "b": 99999999999999999999999999999999999}', 0),
        ("list.yaml", b"- 1\n- 2\n", 0),
        ("scalar.json", b"42", 0),
    ],
)
def test_bad_input_never_tracebacks(run, name, data, code):
    with open(name, "wb") as handle:
        handle.write(data)
    result = run("check", "--isolated", "-q", name)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output


def test_settings_error_and_unknown_rule_are_exit_2(run):
    write(".cfglint.yaml", "select: [nope]\n")
    write("a.yaml", "a: 1\n")
    assert run("check", "a.yaml").exit_code == 2
    assert run("check", "--isolated", "--select", "Q", "a.yaml").exit_code == 2
    assert run("check", "--isolated", "--family", "nope", "a.yaml").exit_code == 2


def test_forced_family(run):
    write("plain.yaml", "lerning_rate: 0.1\n")
    assert run("check", "--isolated", "plain.yaml").exit_code == 0
    result = run("check", "--isolated", "--family", "forecasting", "-q", "plain.yaml")
    assert result.output.startswith("plain.yaml:1:1: S001 [warning] unknown key 'lerning_rate'")


def test_rules_and_explain(run):
    listing = run("rules").output.splitlines()
    assert listing[0].split()[:3] == ["D001", "syntax-error", "error"]
    explained = run("explain", "unknown-key")
    assert explained.output.startswith("S001 (unknown-key) [warning]\n\nA key that the config's family does not define.")
    assert "Options:\n  allow (default: [])" in explained.output
    assert run("explain", "Z999").exit_code == 2


def test_modeline_selects_a_family(run):
    write("m.yaml", "# yaml-language-server: $schema=../schemas/forecasting.schema.json\nlerning_rate: 0.1\n")
    result = run("check", "--isolated", "-q", "-v", "m.yaml")
    assert "m.yaml: dialect forecasting (from modeline: ../schemas/forecasting.schema.json)" in result.output
    assert "m.yaml:2:1: S001 [warning] unknown key 'lerning_rate'" in result.output


def test_schema_export_writes_the_family_schemas(run):
    result = run("schema", "export", "--output-dir", "out")
    assert result.exit_code == 0
    from cfglint.dialects import DIALECTS

    assert sorted(os.listdir("out")) == sorted(f"{dialect.name}.schema.json" for dialect in DIALECTS)
    assert json.load(open("out/forecasting.schema.json"))["properties"]["warmup_epochs"]["anyOf"][0] == {"type": "integer"}


def test_verbose_shows_the_step_arithmetic_and_grid_size(run):
    write("kd.json", '{"alpha_kd": 0.8, "alpha_feature": 0.2, "kd_top_k": 8, "num_epochs": 3, "steps_per_epoch": 24941, "gradient_accumulation_steps": 16, "warmup_ratio": 0.1}')
    result = run("check", "--isolated", "-v", "kd.json")
    assert (
        "kd.json: 4,676 optimizer steps (74,823 micro-batches / 16 (gradient_accumulation_steps) = 4,676.4, rounded down: 4,676); "
        "warmup 467 steps (0.1 (warmup_ratio) x 4,676 = 467.6, rounded down: 467)"
    ) in result.output
    write("grid.yaml", "lambda_sparse: 0.001\nlambda_acyclic: 0.0001\ngrid:\n  lambda_sparse: [1.0e-4, 1.0e-3]\n  lambda_acyclic: [1.0e-5, 1.0e-4, 1.0e-3]\n")
    assert "grid of 6 combinations (2 x 3)" in run("check", "--isolated", "-v", "grid.yaml").output


def test_a_reader_that_stops_early_ends_the_output_quietly():
    example = os.path.join(os.path.dirname(__file__), "..", "examples", "production.yaml")
    command = [sys.executable, "-m", "cfglint", "check", "--isolated", "--no-cache", example]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before cfglint has written a line, as with `| head -0`
    assert process.wait(timeout=30) == 1
    assert process.stderr.read() == b""


def test_ctrl_c_is_exit_130_in_one_line_not_1_which_means_findings(monkeypatch, tmp_path):
    from cfglint.api import Checker

    def interrupted(self, paths, jobs=None, cache=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(Checker, "check", interrupted)
    (tmp_path / "run.yaml").write_text("epochs: 3\n")
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", str(tmp_path / "run.yaml")])
    assert result.exit_code == 130
    assert result.output == "cfglint: error: interrupted\n"
