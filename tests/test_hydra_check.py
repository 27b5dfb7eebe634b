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


LONG_WARMUP = MODEL.replace("num_warmup_steps: 200", "num_warmup_steps: 1500")


def test_an_option_without_a_file_is_reported_at_its_entry_and_an_optional_one_is_not(tmp_path, run):
    text = root().replace("  - model: net", "  - model: nett")
    project(tmp_path, {"train.yaml": text, "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL})
    result = run("--format", "json", "configs")
    (finding,) = json.loads(result.output)["findings"]
    assert (finding["file"], finding["line"], finding["column"], finding["code"]) == ("configs/train.yaml", 4, 12, "H001")
    assert result.exit_code == 1


def test_nested_group_defaults_and_a_package_header_compose_into_the_trainer(tmp_path, run):
    trainer = "defaults:\n  - schedule: short\n  - _self_\n\n" + TRAINER.replace("max_steps: 1000\n", "")
    short = "# @package trainer\nmax_steps: 150\n"
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": trainer, "trainer/schedule/short.yaml": short, "model/net.yaml": MODEL})
    result = Checker(CheckOptions(isolated=True)).check(["configs"])
    assert places(result) == [("configs/model/net.yaml", 2, 19, "T001")]
    assert [(r.file, r.key, r.span.line, r.span.column) for r in result.findings[0].related] == [("configs/trainer/schedule/short.yaml", "trainer.max_steps", 2, 12)]


def test_a_group_file_named_alone_is_checked_in_the_root_that_uses_it(tmp_path, run):
    """What pre-commit does when only the experiment changed: it is composed with train.yaml."""
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL, "experiment/short.yaml": SHORT})
    result = run("configs/experiment/short.yaml")
    assert result.exit_code == 1
    assert result.output.startswith("configs/experiment/short.yaml:6:14: T001 [error] model.num_warmup_steps (200) >= trainer.max_steps (150)")
    assert "= related: model.num_warmup_steps (configs/model/net.yaml:2:19)" in result.output
    # Named alone, the model file reports nothing of the root's other options.
    assert run("configs/model/net.yaml").exit_code == 0


class TestOverrides:
    """`--override` as a Hydra user types it on a launch command."""

    @pytest.fixture(autouse=True)
    def files(self, tmp_path):
        long_trainer = TRAINER.replace("max_steps: 1000", "max_steps: 20000")
        project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "trainer/long.yaml": long_trainer, "model/net.yaml": LONG_WARMUP})

    def test_without_overrides_the_warmup_is_too_long(self, run):
        result = run("-q", "configs/train.yaml")
        assert result.output.startswith("configs/model/net.yaml:2:19: T001 [error] model.num_warmup_steps (1,500) >= trainer.max_steps (1,000)")
        assert result.exit_code == 1

    def test_a_group_choice_removes_the_problem(self, run):
        result = run("--override", "trainer=long", "configs/train.yaml")
        assert (result.exit_code, result.output) == (0, "All checks passed (1 file checked).\n")

    def test_key_value_points_at_the_override(self, run):
        result = run("--format", "json", "--override", "trainer.max_steps=3000", "configs/train.yaml")
        (finding,) = json.loads(result.output)["findings"]
        assert (finding["file"], finding["line"], finding["column"], finding["code"]) == ("configs/model/net.yaml", 2, 19, "T002")
        assert finding["related"] == [{"file": "--override", "key": "trainer.max_steps", "line": 1, "column": 19}]

    def test_a_finding_at_the_override_itself(self, run):
        result = run("-q", "--override", "model.num_warmup_steps=0.5", "configs/train.yaml")
        assert result.output.startswith("--override:1:24: T004 [error] model.num_warmup_steps (0.5) is a fraction in a steps field")

    def test_add_and_delete(self, run):
        # ~ deletes the run length: nothing to compare the warmup with.
        assert run("--override", "~trainer.max_steps", "configs/train.yaml").exit_code == 0
        # + adds a key the config does not have; on a key it has, Hydra refuses.
        assert run("--override", "+trainer.max_epochs=3", "--override", "trainer.max_steps=20000", "configs/train.yaml").exit_code == 0
        result = run("-q", "--override", "+trainer.max_steps=5", "configs/train.yaml")
        assert result.output.startswith("--override:1:1: H002 [error] ")
        assert "already" in result.output

    def test_a_key_the_config_lacks_is_refused_as_hydra_refuses_it(self, run):
        result = run("-q", "--override", "trainer.max_step=20000", "configs/train.yaml")
        assert result.output.startswith("--override:1:1: H002 [error] ")
        assert result.exit_code == 1

    def test_a_sweep_is_a_usage_error(self, run):
        result = run("--override", "trainer.max_steps=100,200", "configs/train.yaml")
        assert result.exit_code == 2
        assert result.output.startswith("cfglint: error: ")

    def test_schedule_reads_the_composed_config_with_overrides(self, run):
        result = CliRunner().invoke(main, ["schedule", "configs/train.yaml", "--override", "trainer.max_steps=3000"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "3,000" in result.output and "1,500" in result.output


def test_override_sets_a_dotted_key_in_a_config_that_is_not_hydras(tmp_path, run):
    (tmp_path / "run.yaml").write_text("optimizer:\n  lr: 0.001\ntrain_epochs: 10\nwarmup_epochs: 2\n")
    assert run("run.yaml").exit_code == 0
    result = run("-q", "--override", "train_epochs=1", "run.yaml")
    assert result.output.startswith("run.yaml:4:16: T001 [warning] warmup_epochs (2) >= train_epochs (1)")  # generic keys: a warning
    assert result.exit_code == 1


def test_sarif_names_the_related_key_in_its_own_file(tmp_path, run):
    from helpers import sarif_problems

    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": LONG_WARMUP})
    log = json.loads(run("--format", "sarif", "configs").output)
    assert sarif_problems(log) == []
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "configs/model/net.yaml"
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"] == {"artifactLocation": {"uri": "configs/trainer/default.yaml", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 2, "startColumn": 12, "endLine": 2, "endColumn": 16}}


def test_a_group_files_own_suppression_applies_to_what_composition_finds_in_it(tmp_path, run):
    suppressed = LONG_WARMUP.replace("num_warmup_steps: 1500", "num_warmup_steps: 1500  # cfglint: disable=T001")
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": suppressed})
    assert run("configs").exit_code == 0


def test_in_a_config_of_ones_own_an_override_sets_a_key_written_or_not(tmp_path, run):
    from cfglint.document import to_data

    (tmp_path / "run.yaml").write_text("optimizer:\n  lr: 0.001\ntrain_epochs: 10\n")
    assert run("--override", "optimizer.momentum=0.9", "--override", "optimizer.lr=0.01", "run.yaml").exit_code == 0
    analysis = Checker(CheckOptions(isolated=True, overrides=("optimizer.momentum=0.9", "optimizer.lr=0.01", "~train_epochs"))).analyse_file("run.yaml")
    assert to_data(analysis.document.root) == {"optimizer": {"lr": 0.01, "momentum": 0.9}}
    assert analysis.plan.get("learning_rate").node.span.line == 2  # the second override's line in --override
    assert analysis.document.source_of(analysis.plan.get("learning_rate").node.span).path == "--override"


def test_overrides_apply_to_the_roots_of_a_folder_and_leave_its_group_files_group_files(tmp_path, run):
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL})
    result = run("-q", "--override", "trainer.max_steps=100", "configs")
    assert result.output == (
        "configs/model/net.yaml:2:19: T001 [error] model.num_warmup_steps (200) >= trainer.max_steps (100): the learning rate "
        "never reaches its peak and never decays; warm up for 1-10 % of the run\n"
    )


def test_a_stray_root_high_above_claims_nothing_below_it(tmp_path, run):
    """A scratch file with a defaults list two folders up does not make the project its group."""
    (tmp_path / "scratch.yaml").write_text("defaults:\n  - _self_\n")
    (tmp_path / "work").mkdir()
    files = {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": LONG_WARMUP}
    for name, text in files.items():
        path = tmp_path / "work" / "configs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = Checker(CheckOptions(isolated=True)).check(["work/configs"])
    assert places(result) == [("work/configs/model/net.yaml", 2, 19, "T001")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_group_folder_is_never_opened(tmp_path):
    import subprocess
    import sys

    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL})
    os.mkfifo(tmp_path / "configs" / "model" / "pipe.yaml")
    for cache in (["--no-cache"], []):  # nor by the cache, which reads every file of a project
        done = subprocess.run([sys.executable, "-m", "cfglint", "check", "--isolated", *cache, "configs/model/net.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=dict(os.environ, CFGLINT_CACHE_DIR=str(tmp_path / "cache")))
        assert (done.returncode, done.stdout) == (0, "All checks passed (1 file checked).\n")


def test_a_composed_root_is_read_by_the_framework_whose_keys_it_holds(tmp_path, run):
    """NeMo composes its configs with Hydra and sets the scheduler's max_steps from the trainer's
    (ModelPT.setup_optimization): read as NeMo, the two lengths do not disagree."""
    (tmp_path / "megatron.yaml").write_text(
        "defaults:\n  - _self_\nname: megatron\ntrainer:\n  devices: 1\n  max_steps: 100000\nexp_manager:\n  explicit_log_dir: null\n"
        "model:\n  optim:\n    name: fused_adam\n    lr: 1e-4\n    sched:\n      name: CosineAnnealing\n      warmup_steps: 500\n      max_steps: 750000\n"
    )
    (report,) = Checker(CheckOptions(isolated=True)).check(["megatron.yaml"]).files
    assert (report.dialect.split()[0], report.findings) == ("nemo", [])


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """`cfglint check --format json` with a cache, counting the compositions each run makes."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))
    from cfglint.compose import hydra

    made = []
    compose = hydra.compose

    def counting(*args, **kwargs):
        made.append(args[0])
        return compose(*args, **kwargs)

    monkeypatch.setattr(hydra, "compose", counting)

    def invoke(*args):
        made.clear()
        result = CliRunner().invoke(main, ["check", "--isolated", "--format", "json", *args], catch_exceptions=False)
        return result, len(made)

    return invoke


def test_a_project_unchanged_since_the_last_run_is_answered_from_the_cache(tmp_path, cached):
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL, "experiment/short.yaml": SHORT})
    (first, composed), (second, again) = cached("configs"), cached("configs")
    assert composed > 0 and again == 0  # nothing composed the second time
    assert (second.exit_code, second.output) == (first.exit_code, first.output)
    assert [(f["file"], f["line"], f["code"]) for f in json.loads(second.output)["findings"]] == [("configs/experiment/short.yaml", 6, "T001")]


def test_a_changed_group_file_composes_the_project_again(tmp_path, cached):
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL, "experiment/short.yaml": SHORT})
    cached("configs")
    (tmp_path / "configs" / "experiment" / "short.yaml").write_text(SHORT.replace("max_steps: 150", "max_steps: 5000"))
    result, composed = cached("configs")
    assert composed > 0
    assert (result.exit_code, json.loads(result.output)["findings"]) == (0, [])


def test_an_option_added_to_a_group_composes_the_project_again(tmp_path, cached):
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL})
    assert cached("configs")[0].exit_code == 0
    project(tmp_path, {"experiment/short.yaml": SHORT})  # a new file: its project is not what was cached
    result, composed = cached("configs")
    assert composed > 0
    assert [(f["file"], f["code"]) for f in json.loads(result.output)["findings"]] == [("configs/experiment/short.yaml", "T001")]
    (tmp_path / "configs" / "experiment" / "short.yaml").unlink()
    result, composed = cached("configs")
    assert composed > 0 and json.loads(result.output)["findings"] == []


def test_a_file_named_from_outside_the_project_is_part_of_its_cached_result(tmp_path, cached):
    """A defaults entry may reach a file outside the folder of roots (`../shared/...`): a change
    there misses the cache too."""
    project(tmp_path, {"train.yaml": root().replace("  - model: net\n", "  - ../shared/model\n"), "trainer/default.yaml": TRAINER})
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "model.yaml").write_text("model:\n  num_warmup_steps: 200\n")
    first, _ = cached("configs")
    (tmp_path / "shared" / "model.yaml").write_text("model:\n  num_warmup_steps: 2000\n")
    second, composed = cached("configs")
    assert composed > 0 and second.output != first.output


def test_a_root_no_group_file_leads_to_is_cached_too(tmp_path, cached):
    project(tmp_path, {"train.yaml": "defaults:\n  - _self_\n\ntrainer:\n  max_steps: 100\nmodel:\n  num_warmup_steps: 200\n"})
    (first, composed), (second, again) = cached("configs"), cached("configs")
    assert composed > 0 and again == 0
    assert (second.exit_code, second.output) == (first.exit_code, first.output) and first.exit_code == 1
    (tmp_path / "configs" / "train.yaml").write_text("defaults:\n  - _self_\n\ntrainer:\n  max_steps: 1000\nmodel:\n  num_warmup_steps: 200\n")
    third, composed = cached("configs")
    assert composed > 0 and third.exit_code == 0


def test_with_overrides_nothing_is_cached(tmp_path, cached):
    project(tmp_path, {"train.yaml": root(), "trainer/default.yaml": TRAINER, "model/net.yaml": MODEL})
    for _ in range(2):
        result, composed = cached("--override", "trainer.max_steps=150", "configs/train.yaml")
        assert composed > 0 and result.exit_code == 1
