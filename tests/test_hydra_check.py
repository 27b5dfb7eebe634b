"""Hydra projects checked as they run: findings that exist only once the pieces are composed,
reported in the file each value is written in, with the other files' keys as related locations."""

import json
import os

import pytest
from click.testing import CliRunner

from cfglint.api import CheckOptions, Checker
from cfglint.cli import main

TRAINER = """\
_target_: lightning.pytorch.trainer.Trainer
max_steps: 1000
gradient_clip_val: 0.5
"""

MODEL = """\
_target_: src.models.Net
num_warmup_steps: 200
optimizer:
  _target_: torch.optim.AdamW
  lr: 0.001
"""

# The experiment shortens the run and leaves the model's warmup as it was: 200 of 150 steps.
SHORT = """\
# @package _global_
defaults:
  - override /trainer: default

trainer:
  max_steps: 150
"""


def root(self_first: bool = True, extra: str = "") -> str:
    entries = ["  - trainer: default", "  - model: net", "  - experiment: null", "  - optional local: default"]
    entries = (["  - _self_"] + entries) if self_first else (entries + ["  - _self_"])
    return "defaults:\n" + "\n".join(entries) + "\n\nseed: 1\n" + extra


def project(tmp_path, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = tmp_path / "configs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(tmp_path / "configs")


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        return CliRunner().invoke(main, ["check", "--isolated", "--no-cache", *args], catch_exceptions=False)

    return invoke


def places(result) -> list[tuple[str, int, int, str]]:
    return [(f.file, f.span.line, f.span.column, f.code) for f in result.findings]


def test_a_clean_project_stays_quiet(tmp_path, run):
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL})
    result = run("configs")
    assert (result.exit_code, result.output) == (0, "All checks passed (3 files checked).\n")


def test_an_experiment_with_package_global_makes_the_warmup_too_long(tmp_path, run):
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL, "experiment/short.yaml": SHORT})
    result = run("--format", "json", "configs")
    data = json.loads(result.output)
    # Reported in the experiment, which brings the problem, at the value that shortens the run.
    (finding,) = data["findings"]
    assert (finding["file"], finding["line"], finding["column"], finding["code"]) == ("configs/experiment/short.yaml", 6, 14, "T001")
    assert finding["key"] == "trainer.max_steps"
    assert finding["related"] == [{"file": "configs/model/net.yaml", "key": "model.num_warmup_steps", "line": 2, "column": 19}]
    assert "model.num_warmup_steps (200) >= trainer.max_steps (150)" in finding["message"]
    assert finding["fix"] is None  # the fix would edit the model's file
    assert result.exit_code == 1


def test_each_file_alone_passes(tmp_path, run):
    """The same files, checked one by one as before composition existed, find nothing wrong."""
    folder = project(tmp_path, {"model/net.yaml": MODEL, "experiment/short.yaml": SHORT.replace("defaults:\n  - override /trainer: default\n", "")})
    result = run(folder)
    assert result.exit_code == 0, result.output


def test_self_first_lets_the_group_win_and_self_last_lets_the_root_win(tmp_path, run):
    long_warmup = MODEL.replace("num_warmup_steps: 200", "num_warmup_steps: 1500")
    files = {"trainer/default.yaml": TRAINER, "model/net.yaml": long_warmup}
    # _self_ first: the root's trainer.max_steps 2000 is overridden by the trainer file's 1000.
    project(tmp_path, {**files, "train.yaml": root(True, "trainer:\n  max_steps: 2000\n")})
    result = Checker(CheckOptions(isolated=True)).check(["configs"])
    assert places(result) == [("configs/model/net.yaml", 2, 19, "T001")]
    assert [(r.file, r.key, r.span.line) for r in result.findings[0].related] == [("configs/trainer/default.yaml", "trainer.max_steps", 2)]
    # _self_ last: the root's 2000 wins; 1500 of 2000 steps is a long warmup, not one past the end.
    (tmp_path / "configs" / "train.yaml").write_text(root(False, "trainer:\n  max_steps: 2000\n"))
    result = Checker(CheckOptions(isolated=True)).check(["configs"])
    assert places(result) == [("configs/model/net.yaml", 2, 19, "T002")]
    assert [(r.file, r.span.line) for r in result.findings[0].related] == [("configs/train.yaml", 10)]
