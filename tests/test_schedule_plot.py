"""`cfglint schedule` shows the schedule a config sets and, where a rule finds its length wrong,
the one the rule's fix sets: in the text, in figure() (what --plot draws) and in the PNG itself."""

import math
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cfglint.api import CheckOptions, Checker
from cfglint.cli import main
from cfglint.engine import run_rules
from cfglint.schedule_report import build, figure

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EMERGENCY = os.path.join(ROOT, "examples", "emergency_fix_config.json")
PEAK = 3e-5


def report_for(path):
    checker = Checker(CheckOptions(isolated=True))
    analysis = checker.analyse_file(path)
    settings = checker.settings_for(path)
    return build(path, analysis, run_rules([analysis], checker.enabled_rules(settings), settings, path))


def with_length(tmp_path, length):
    with open(EMERGENCY, encoding="utf-8") as handle:
        text = handle.read()
    config = tmp_path / "emergency_fix_config.json"
    config.write_text(text.replace('"num_training_steps": 74823', f'"num_training_steps": {length}'))
    return str(config)


def test_the_text_shows_the_configured_schedule_and_the_intended_one_beside_it():
    result = CliRunner().invoke(main, ["schedule", EMERGENCY])
    assert result.exit_code == 0
    assert result.output.splitlines()[12:] == [
        "Learning rate (cosine, peak 3e-05, floor 0)",
        "  configured                  scheduler.num_training_steps = 74,823 steps, warmup 467",
        "  intended (T006 fix)         scheduler.num_training_steps = 4,676 steps, warmup 467",
        "  finding                     T006: scheduler runs 74,823 steps, training 4,676",
        "                              configured  intended",
        "  end of warmup               3.000e-05   3.000e-05   (step 467)",
        "  25 % of training            2.999e-05   2.799e-05   (step 1,169)",
        "  50 % of training            2.995e-05   1.760e-05   (step 2,338)",
        "  75 % of training            2.988e-05   5.357e-06   (step 3,507)",
        "  100 % of training           2.976e-05   0.000e+00   (step 4,676)",
        "  configured  ▁▂▃▅▆▇██████████████████████████████████████████████████████",
        "  intended    ▁▂▃▅▆▇██████████▇▇▇▇▇▇▇▆▆▆▆▆▅▅▅▅▅▄▄▄▄▄▃▃▃▃▃▂▂▂▂▂▂▂▁▁▁▁▁▁▁▁▁▁",
    ]


def test_the_figure_draws_the_configured_curve_near_its_peak_and_the_intended_one_to_the_floor():
    drawn = figure(report_for(EMERGENCY))
    assert drawn.title == f"{EMERGENCY}\nT006: scheduler runs 74,823 steps, training 4,676"
    configured, intended = drawn.curves
    assert (configured.label, configured.color, configured.style) == ("configured (scheduler.num_training_steps = 74,823 steps)", "tab:blue", "-")
    assert (intended.label, intended.color, intended.style) == ("intended (T006 fix: scheduler.num_training_steps = 4,676 steps)", "tab:green", "--")
    # Every optimizer step of the run, 0 to 4,676.
    assert [x for x, _ in configured.points] == [x for x, _ in intended.points] == [float(step) for step in range(4677)]
    assert configured.points[467] == intended.points[467] == (467.0, pytest.approx(PEAK))
    # HF's cosine over 74,823 steps after 467 of warmup, 4,209 steps in: still 99 % of the peak.
    assert configured.points[-1] == (4676.0, pytest.approx(PEAK * 0.5 * (1 + math.cos(math.pi * 4209 / 74356))))
    assert configured.points[-1][1] > 0.99 * PEAK
    assert intended.points[-1] == (4676.0, pytest.approx(0.0, abs=1e-20))
    assert [(mark.label, mark.points[0][0]) for mark in drawn.marks] == [("end of warmup (step 467)", 467.0), ("end of run (step 4,676)", 4676.0)]


def colour_counts(path):
    """Pixels of the configured (tab:blue) and intended (tab:green) colours in the axes' area."""
    from matplotlib.image import imread

    pixels = imread(path)[:, :, :3]
    height, width = pixels.shape[:2]
    area = pixels[: int(height * 0.72), int(width * 0.09) :]  # above the legend, right of the y labels

    def near(rgb):
        target = [channel / 255 for channel in rgb]
        return int((abs(area - target).max(axis=2) < 0.08).sum())

    return near((31, 119, 180)), near((44, 160, 44))


def test_the_plot_draws_both_curves(tmp_path):
    target = tmp_path / "out.png"
    env = dict(os.environ, PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, "-m", "cfglint", "schedule", EMERGENCY, "--plot", str(target)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f"wrote {target}\n")
    configured, intended = colour_counts(target)
    assert configured > 500 and intended > 500


def test_a_scheduler_as_long_as_the_run_is_one_curve(tmp_path):
    config = with_length(tmp_path, 4676)
    report = report_for(config)
    assert (report.finding, report.intended) == (None, None)
    drawn = figure(report)
    assert drawn.title == config
    assert [curve.label for curve in drawn.curves] == ["configured (scheduler.num_training_steps = 4,676 steps)"]
    result = CliRunner().invoke(main, ["schedule", config, "--plot", str(tmp_path / "one.png")])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[12:16] == [
        "Learning rate (cosine, peak 3e-05, floor 0)",
        "  configured                  scheduler.num_training_steps = 4,676 steps, warmup 467",
        "  end of warmup               3.000e-05   (step 467)",
        "  25 % of training            2.799e-05   (step 1,169)",
    ]
    assert not any(line.startswith(("  intended", "  finding")) for line in lines)
    configured, intended = colour_counts(tmp_path / "one.png")
    assert configured > 500 and intended == 0


def test_a_hugging_face_cosine_shorter_than_the_run_rises_again(tmp_path):
    report = report_for(with_length(tmp_path, 2000))
    configured = report.configured
    assert configured.after == "rises"
    assert configured.notes == ("after its 2,000 steps the cosine rises again, as in Hugging Face's schedules with warmup",)
    assert configured.at(2000) == pytest.approx(0.0, abs=1e-20)
    assert configured.at(2000 + (2000 - 467)) == pytest.approx(PEAK)  # one more half period: back at the peak
    assert report.intended.at(4676) == pytest.approx(0.0, abs=1e-20)


def test_a_phase_schedule_that_ends_early_is_drawn_at_its_floor_beside_the_t011_fix(tmp_path):
    config = tmp_path / "nanotron.yaml"
    config.write_text(
        "tokens:\n  train_steps: 10000\n  micro_batch_size: 4\n  sequence_length: 2048\n  batch_accumulation_per_replica: 1\n"
        "optimizer:\n  learning_rate_scheduler:\n    learning_rate: 0.0003\n    lr_warmup_steps: 500\n    lr_warmup_style: linear\n"
        "    lr_decay_steps: 1500\n    lr_decay_style: cosine\n    min_decay_lr: 0.00003\n"
    )
    report = report_for(str(config))
    assert report.finding.code == "T011"
    assert (report.configured.length, report.intended.length) == (2000, 10000)
    assert (report.configured.at(2000), report.configured.at(10000), report.intended.at(10000)) == pytest.approx((3e-5, 3e-5, 3e-5))
    assert report.intended.at(5250) == pytest.approx(3e-5 + (3e-4 - 3e-5) * 0.5)  # halfway through its decay
    assert figure(report).title == f"{config}\nT011: scheduler runs 2,000 steps, training 10,000"


def test_a_scheduler_whose_end_is_unknown_stops_there(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("max_steps: 1000\nlearning_rate: 0.001\nwarmup_steps: 100\nscheduler:\n  type: cosine\n  total_steps: 500\n")
    result = CliRunner().invoke(main, ["schedule", str(config)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "  note: what this scheduler does after its 500 steps is not known: the curve stops there" in lines
    assert "  50 % of training            0.000e+00   (step 500)" in lines
    assert "  75 % of training            unknown     (step 750)" in lines
    assert lines[-1] == "  configured  ▁▂▃▅▆▇████▇▇▇▇▆▆▅▅▄▄▃▃▃▂▂▂▁▁▁▁"


def test_a_quoted_learning_rate_read_by_pyyaml_cannot_be_plotted_and_says_why(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text('per_device_train_batch_size: 8\nlr_scheduler_type: cosine\nlearning_rate: "0.001"\nwarmup_steps: 10\nmax_steps: 110\n')
    result = CliRunner().invoke(main, ["schedule", str(config), "--plot", str(tmp_path / "lr.png")])
    assert result.exit_code == 2
    reason = "learning_rate is the string '0.001' as PyYAML reads it (S002): the optimizer would refuse it; write it as a number"
    assert f"Learning rate: unknown ({reason})" in result.output.splitlines()
    assert result.output.splitlines()[-1] == f"cfglint: error: nothing to plot: {reason}"
    assert not (tmp_path / "lr.png").exists()


def test_a_quoted_learning_rate_read_by_yacs_is_the_number(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text('SOLVER:\n  BASE_LR: "0.001"\n  MAX_ITER: 1000\n  WARMUP_ITERS: 100\nMODEL:\n  META_ARCHITECTURE: GeneralizedRCNN\n')
    result = CliRunner().invoke(main, ["schedule", str(config), "--plot", str(tmp_path / "lr.png")])
    assert result.exit_code == 0, result.output
    assert "Learning rate (constant, peak 0.001, floor 0)" in result.output.splitlines()
    assert (tmp_path / "lr.png").stat().st_size > 0


def test_no_learning_rate_is_named_as_the_reason(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text("per_device_train_batch_size: 8\nlr_scheduler_type: cosine\nmax_steps: 110\n")
    result = CliRunner().invoke(main, ["schedule", str(config), "--plot", str(tmp_path / "lr.png")])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "cfglint: error: nothing to plot: the config states no learning rate"
