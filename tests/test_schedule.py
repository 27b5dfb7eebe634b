"""Step arithmetic under each framework's rounding, the LR curve, and `cfglint schedule`."""

import os

import pytest
from click.testing import CliRunner

from cfglint.cli import main
from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.schedule import lr_curve, step_plan
from cfglint.source import load_document

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


def steps_for(text, name="c.yaml", **overrides):
    doc = load_document(name, text.encode())
    dialect = detect(doc)[0].dialect
    plan = build_plan(doc, dialect)
    return plan, step_plan(plan, dialect.rounding, **overrides)


def test_seed_003_arithmetic_from_the_emergency_fix_config():
    with open(os.path.join(EXAMPLES, "emergency_fix_config.json"), "rb") as handle:
        doc = load_document("emergency_fix_config.json", handle.read())
    dialect = detect(doc)[0].dialect
    steps = step_plan(build_plan(doc, dialect), dialect.rounding)
    assert steps.total_micro_batches.value == 74_823
    assert steps.total_steps.value == 4_676
    assert steps.warmup_steps.value == 467
    assert steps.total_steps.how == "74,823 micro-batches / 16 (gradient_accumulation_steps) = 4,676.4, rounded down: 4,676"


def test_hugging_face_rounds_the_last_window_up():
    text = "per_device_train_batch_size: 8\nnum_train_epochs: 2\nlr_scheduler_type: cosine\ngradient_accumulation_steps: 4\nwarmup_ratio: 0.1\n"
    _, steps = steps_for(text, steps_per_epoch=1001)
    assert (steps.optimizer_steps_per_epoch.value, steps.total_steps.value, steps.warmup_steps.value) == (251, 502, 51)


def test_torchtune_rounds_down_and_caps_steps_per_epoch():
    text = "model:\n  _component_: m\noptimizer:\n  _component_: o\n  lr: 1.0e-4\nepochs: 3\ngradient_accumulation_steps: 4\nmax_steps_per_epoch: 100\nbatch_size: 2\n"
    _, steps = steps_for(text, dataset_size=2002)
    assert steps.micro_batches_per_epoch.value == 1001
    assert steps.optimizer_steps_per_epoch.value == 100
    assert steps.optimizer_steps_per_epoch.how == "floor(1,001 / 4 (gradient_accumulation_steps)) = 250, capped at 100 (max_steps_per_epoch)"
    assert steps.total_steps.value == 300


def test_dataset_size_and_world_size_give_micro_batches():
    text = "per_device_train_batch_size: 8\nnum_train_epochs: 1\nlr_scheduler_type: linear\n"
    _, steps = steps_for(text, dataset_size=1000, world_size=4)
    assert steps.micro_batches_per_epoch.value == 32  # ceil(1000 / 32)


def test_cosine_curve_reaches_peak_after_warmup_and_ends_at_the_floor():
    plan, steps = steps_for("per_device_train_batch_size: 8\nnum_train_epochs: 1\nlr_scheduler_type: cosine\nlearning_rate: 1.0e-3\nwarmup_steps: 10\nmax_steps: 110\n")
    curve = lr_curve(plan, steps)
    assert (curve.at(0), curve.at(5), curve.at(10), curve.at(60), curve.at(110)) == pytest.approx((0, 5e-4, 1e-3, 5e-4, 0))


def test_schedule_command_prints_the_seed_numbers():
    result = CliRunner().invoke(main, ["schedule", os.path.join(EXAMPLES, "emergency_fix_config.json")])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "  micro-batches in total      74,823  (24,941 x 3 (num_epochs) = 74,823)" in lines
    assert "  optimizer steps in total    4,676  (74,823 micro-batches / 16 (gradient_accumulation_steps) = 4,676.4, rounded down: 4,676)" in lines
    assert "  warmup (optimizer steps)    467  (0.1 (warmup_ratio) x 4,676 = 467.6, rounded down: 467)" in lines
    assert "  end of warmup               3.000e-05   3.000e-05   (step 467)" in lines


def test_schedule_plot_writes_a_png(tmp_path):
    from PIL import Image

    target = tmp_path / "lr.png"
    result = CliRunner().invoke(main, ["schedule", os.path.join(EXAMPLES, "production.yaml"), "--plot", str(target)])
    assert result.exit_code == 0, result.output
    with Image.open(target) as image:
        assert image.format == "PNG" and image.size == (800, 450)


def test_schedule_plot_to_a_missing_folder_is_exit_2_without_a_traceback(tmp_path):
    target = tmp_path / "missing" / "lr.png"
    result = CliRunner().invoke(main, ["schedule", os.path.join(EXAMPLES, "production.yaml"), "--plot", str(target)])
    assert result.exit_code == 2
    assert f"cfglint: error: {target}: cannot write in {tmp_path / 'missing'}: No such file or directory" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_schedule_without_a_dialect_is_exit_2(tmp_path):
    config = tmp_path / "x.yaml"
    config.write_text("a: 1\n")
    result = CliRunner().invoke(main, ["schedule", str(config)])
    assert result.exit_code == 2
    assert "no training settings found (no dialect claims it and the generic reading found none)" in result.output
