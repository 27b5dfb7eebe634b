"""`cfglint probe` on the three example programs that mirror the seed incidents.

Each broken config must show its incident at the right key with measured numbers in a plausible
range; the probe's patch must be the committed patched config, and probing that must be clean;
and training with the patched config must be measurably healthier than with the broken one.
"""

import importlib.util
import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cfglint.api import CheckOptions
from cfglint.cli import main
from cfglint.fixer import fix_bytes
from cfglint.probe.runner import ProbeOptions, run_probe

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples", "probe")
CASES = {
    "forecasting": ("broken.yaml", "patched.yaml"),
    "distillation": ("broken.json", "patched.json"),
    "structure_learning": ("broken.yaml", "patched.yaml"),
}


def probe(example, config, **options):
    folder = os.path.join(EXAMPLES, example)
    entry = os.path.join(folder, "train.py") + ":probe_target"
    return run_probe(os.path.join(folder, config), ProbeOptions(entry, batches=4, **options), CheckOptions(isolated=True))


def findings(run):
    return {(f.code, f.key): f for f in run.findings.findings}


def test_forecaster_reporting_bug_is_found_at_the_accumulation_key():
    run = probe("forecasting", "broken.yaml")
    found = findings(run)
    assert set(found) == {("P010", "gradient_accumulation_steps")}
    assert 2.6 < run.report.reported_ratio < 3.4
    assert found[("P010", "gradient_accumulation_steps")].span.line == 22


def test_distillation_shares_and_temperature_are_found_at_their_keys():
    run = probe("distillation", "broken.json")
    found = findings(run)
    assert set(found) == {("P006", "temperature"), ("P001", "alpha_feature"), ("P001", "alpha_attention")}
    shares = run.report.components
    assert shares["kd"].raw > 100 * shares["feature"].raw > 100 * shares["attention"].raw  # scales apart by orders
    assert run.report.kd_finite[2.0] is False and run.report.kd_finite[3.0] is True
    assert "gets 5.2% of the gradient, not the 20.0% that the weights intend" in found[("P001", "alpha_feature")].message


def test_structure_learner_raw_inputs_and_clipping_are_found():
    run = probe("structure_learning", "broken.yaml")
    found = findings(run)
    assert set(found) == {("P007", "standardize"), ("P003", "grad_clip")}
    assert run.report.input_max > 1000 and run.report.clipped_fraction(10.0) == 1.0
    assert found[("P003", "grad_clip")].fix is None  # measured on raw inputs: no clip is proposed yet


@pytest.mark.parametrize("example", sorted(CASES))
def test_the_patch_is_the_committed_patched_config_and_a_second_probe_is_clean(example):
    broken, patched = CASES[example]
    run = probe(example, broken)
    outcome = fix_bytes(run.checker, run.data, os.path.join(EXAMPLES, example, broken), unsafe=True)
    with open(os.path.join(EXAMPLES, example, patched), encoding="utf-8") as handle:
        assert outcome.fixed_text == handle.read()
    again = probe(example, patched)
    assert [f for f in again.findings.findings if f.severity.name != "INFO"] == []


def load_example(example):
    spec = importlib.util.spec_from_file_location(f"example_{example}", os.path.join(EXAMPLES, example, "train.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def config_of(example, name):
    from cfglint.document import to_data
    from cfglint.source import load_document, read_bytes

    path = os.path.join(EXAMPLES, example, name)
    return to_data(load_document(path, read_bytes(path)).root)


def test_training_with_the_patched_forecaster_reports_honest_losses():
    module = load_example("forecasting")
    broken, patched = (module.train(config_of("forecasting", name), steps=20) for name in CASES["forecasting"])
    assert broken["reported_over_validation"] > 2.5 and 0.8 < patched["reported_over_validation"] < 1.25
    assert broken["nan_steps"] == patched["nan_steps"] == 0


def test_training_with_the_patched_distillation_balances_gradients_and_stays_finite():
    module = load_example("distillation")
    broken_config, patched_config = (config_of("distillation", name) for name in CASES["distillation"])
    broken, patched = module.train(broken_config, steps=10), module.train(patched_config, steps=10)
    intent = patched_config["$cfglint"]["loss_shares"]
    assert all(0.5 <= patched["gradient_shares"][name] / intent[name] <= 2 for name in intent)
    assert not all(0.5 <= broken["gradient_shares"][name] / intent[name] <= 2 for name in intent)
    assert (broken["kd_finite_fp16"], patched["kd_finite_fp16"]) == (False, True)


def test_training_with_the_patched_structure_learner_stops_clipping_every_step():
    module = load_example("structure_learning")
    broken, patched = (module.train(config_of("structure_learning", name), steps=30) for name in CASES["structure_learning"])
    assert broken["clipped_fraction"] == 1.0 and patched["clipped_fraction"] < 0.5
    assert broken["nan_steps"] == patched["nan_steps"] == 0


def test_command_line_json_report_and_diff(tmp_path):
    folder = os.path.join(EXAMPLES, "forecasting")
    args = ["probe", os.path.join(folder, "broken.yaml"), "--entry", os.path.join(folder, "train.py") + ":probe_target", "--isolated"]
    result = CliRunner().invoke(main, args + ["--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["findings"][0]["code"] == "P010" and data["measurements"]["components"]["mse"]["grad_norm"] > 0
    result = CliRunner().invoke(main, args + ["--diff", "-q"], catch_exceptions=False)
    assert "-batch_size: 12\n+batch_size: 36\n" in result.output


@pytest.mark.parametrize(
    "entry, message",
    [
        ("nowhere.py:probe_target", "no such file nowhere.py"),
        ("train.py:missing", "has no function 'missing'"),
        ("train.py", "expected MODULE:FUNCTION"),
    ],
)
def test_entry_errors_are_one_line_and_exit_2(entry, message):
    folder = os.path.join(EXAMPLES, "forecasting")
    entry = os.path.join(folder, entry) if entry.startswith("train.py:") else entry
    result = CliRunner().invoke(main, ["probe", os.path.join(folder, "broken.yaml"), "--entry", entry, "--isolated"])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_an_entry_that_returns_the_wrong_thing_is_exit_2(tmp_path):
    (tmp_path / "entry.py").write_text("def target(config):\n    return 42\n")
    (tmp_path / "run.yaml").write_text("seq_len: 8\nlabel_len: 4\npred_len: 2\n")
    result = CliRunner().invoke(main, ["probe", str(tmp_path / "run.yaml"), "--entry", "entry.py:target", "--isolated"])
    assert result.exit_code == 2
    assert "must return a cfglint.probe.ProbeTarget, not int" in result.output


def test_probe_without_torch_says_how_to_install_it(tmp_path):
    (tmp_path / "run.yaml").write_text("seq_len: 8\nlabel_len: 4\npred_len: 2\n")
    code = "import sys; sys.modules['torch'] = None; from cfglint.cli import main; main()"
    run = subprocess.run([sys.executable, "-c", code, "probe", str(tmp_path / "run.yaml"), "--entry", "x.py:f", "--isolated"], capture_output=True, text=True)
    assert run.returncode == 2
    assert "cfglint probe needs PyTorch: pip install 'cfglint-ml[probe]'" in run.stderr


def test_check_and_fix_never_import_torch_or_user_code():
    code = (
        "import sys; from click.testing import CliRunner; from cfglint.cli import main\n"
        f"CliRunner().invoke(main, ['check', '--isolated', {os.path.join(ROOT, 'examples')!r}])\n"
        f"CliRunner().invoke(main, ['fix', '--isolated', {os.path.join(ROOT, 'examples')!r}])\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "assert not any(name.startswith('example_') or name == 'train' for name in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_probe_entry_setting(tmp_path):
    folder = os.path.join(EXAMPLES, "forecasting")
    (tmp_path / ".cfglint.yaml").write_text(f"probe:\n  entry: {os.path.join(folder, 'train.py')}:probe_target\n")
    with open(os.path.join(folder, "broken.yaml")) as handle:
        (tmp_path / "run.yaml").write_text(handle.read())
    result = CliRunner().invoke(main, ["probe", str(tmp_path / "run.yaml"), "-q"], catch_exceptions=False)
    assert result.exit_code == 1 and "P010" in result.output


def test_the_probe_reads_generic_keys_and_says_where_each_setting_came_from(tmp_path):
    """A config in a loop's own keys trains with its own optimizer, lr and clip, not defaults."""
    folder = os.path.join(EXAMPLES, "forecasting")
    with open(os.path.join(folder, "broken.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    for key in ("learning_rate", "clip_grad_norm", "weight_decay"):
        text = "\n".join(line for line in text.splitlines() if not line.startswith(key + ":")) + "\n"
    config = tmp_path / "own_keys.yaml"
    config.write_text(text + "optim: {type: sgd, lr: 0.05}\ngrad_clip: 0.5\n")
    run = run_probe(str(config), ProbeOptions(os.path.join(folder, "train.py") + ":probe_target"), CheckOptions(isolated=True))
    assert run.report.settings == {
        "optimizer": "SGD (from optim.type)",
        "learning rate": "0.05 (from optim.lr)",
        "schedule": "constant after warmup (default: the config has none)",
        "weight decay": "0 (default: the config has none)",
        "gradient clip": "0.5 (from grad_clip)",
        "accumulation": "3 (from gradient_accumulation_steps)",
        "precision": "fp32 (default: the config has none)",
        "batch size": "12 (from batch_size)",
    }
