"""`cfglint probe` on a user's own program whose config uses no framework's keys.

tests/fixtures/probe_user is a sensor classifier written for these tests: its own keys (`lr`,
`clip`, `gradient_accumulation_steps`, `loss_weights:`, `data.normalize`), raw readings in the
thousands, a cross-entropy summed over the batch beside an L1 penalty, and a logged loss that
sums the accumulation micro-batches. The probe must read the config as `check` does, say what it
trains with, and report each mistake at the key the reading found it under.
"""

import json
import os
import shutil

import pytest
from click.testing import CliRunner

from cfglint.api import CheckOptions
from cfglint.cli import main
from cfglint.probe.runner import ProbeOptions, run_probe

USER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "probe_user")
ENTRY = os.path.join(USER, "classifier.py") + ":probe_target"

SETTINGS = {
    "optimizer": "AdamW (default: the config has none)",
    "learning rate": "0.003 (from lr)",
    "schedule": "constant after warmup (default: the config has none)",
    "weight decay": "0 (default: the config has none)",
    "gradient clip": "0.05 (from clip)",
    "accumulation": "4 (from gradient_accumulation_steps)",
    "precision": "fp32 (default: the config has none)",
    "batch size": "16 (from batch_size)",
}


def probe(path, entry=ENTRY, batches=4):
    return run_probe(str(path), ProbeOptions(entry, batches=batches), CheckOptions(isolated=True))


@pytest.fixture(scope="module")
def user_run():
    return probe(os.path.join(USER, "run.yaml"))


def copy_config(tmp_path, replace=()):
    with open(os.path.join(USER, "run.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "run.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_mistake_is_reported_at_the_users_own_key(user_run):
    found = [(f.code, f.key, f.span.line, f.span.column, f.span.end_column) for f in user_run.findings.findings]
    assert found == [
        ("P007", "data.normalize", 4, 14, 19),
        ("P003", "clip", 9, 7, 11),
        ("P010", "gradient_accumulation_steps", 10, 30, 31),
        ("P009", "loss_weights.ce", 13, 7, 10),
    ]


def test_the_settings_trained_with_name_the_keys_they_came_from(user_run):
    assert user_run.report.settings == SETTINGS


def test_p009_names_the_summed_component_and_not_the_penalty(user_run):
    assert user_run.report.reduction_ratios == pytest.approx({"ce": 2.0, "l1": 1.0}, rel=1e-4)
    (finding,) = [f for f in user_run.findings.findings if f.code == "P009"]
    assert finding.message == (
        "loss_weights.ce (1): the ce term is 2.00x as large on the batch duplicated as on the batch: it sums over "
        "samples instead of averaging, so its scale (and the learning rate and loss-weight balance with it) follows "
        "the batch size; use reduction='mean' or divide it by the batch size"
    )


def test_p010_measures_the_logged_sum_of_the_accumulation_micro_batches(user_run):
    assert user_run.report.reported_ratio == pytest.approx(4.0, rel=1e-4)
    (finding,) = [f for f in user_run.findings.findings if f.code == "P010"]
    assert finding.fix.description == "fold the accumulation into the batch: batch_size 64, gradient_accumulation_steps 1"


def test_a_summed_term_is_found_where_the_total_hides_it(tmp_path):
    """Standardised inputs and an L1 weight of 1: the penalty (about 50) outweighs the summed
    cross-entropy (about 18), so the total grows by well under 2x on the batch duplicated."""
    config = copy_config(tmp_path, [("normalize: false", "normalize: true"), ("l1: 0.0001", "l1: 1.0")])
    run = probe(config)
    components = run.report.components
    ratios = run.report.reduction_ratios
    total_ratio = sum(components[n].raw * ratios[n] for n in components) / sum(c.raw for c in components.values())
    assert total_ratio < 1.5  # the old whole-loss test (1.5 to 2.5) passes this config
    assert ratios["ce"] == pytest.approx(2.0, rel=1e-4) and ratios["l1"] == pytest.approx(1.0, rel=1e-4)
    p009 = [(f.key, f.span.line, f.span.column) for f in run.findings.findings if f.code == "P009"]
    assert p009 == [("loss_weights.ce", 13, 7)]


def test_the_batch_size_is_the_entrys_and_names_the_configs_when_they_differ(tmp_path):
    (tmp_path / "smaller.py").write_text(
        "import classifier\n\ndef probe_target(config):\n    return classifier.probe_target({**config, 'batch_size': 8})\n", encoding="utf-8"
    )
    shutil.copy(os.path.join(USER, "classifier.py"), tmp_path / "classifier.py")
    run = probe(copy_config(tmp_path), entry=str(tmp_path / "smaller.py") + ":probe_target", batches=1)
    assert run.report.batch_size == 8
    assert run.report.settings["batch size"] == "8 (the entry's batches; batch_size in the config is 16)"


def cli(*args):
    return CliRunner().invoke(main, ["probe", *args, "--isolated"], catch_exceptions=False)


def test_text_report_lists_the_settings_and_says_probe_applies_its_fixes(tmp_path):
    config = copy_config(tmp_path)
    result = cli(str(config), "--entry", ENTRY, "--batches", "4")
    assert result.exit_code == 1
    table = "\n".join(f"  {name:<16}{value}" for name, value in SETTINGS.items())
    assert "Trained with (each from the config as `cfglint check` reads it, from your code, or a default):\n" + table + "\nMeasured on 4 batches (cpu, fp32):\n" in result.stdout
    assert "  each term on the batch duplicated / on the batch: ce 2.00, l1 1.00 (2: it sums over the batch)\n" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == (
        "Found 4 findings (4 warnings) in 1 of 1 file; 1 read generically (no framework dialect, see -v). "
        f"2 fixable with `cfglint probe {config} --entry {ENTRY} --batches 4 --isolated --write` (`--diff` shows the patch)."
    )
    assert "cfglint fix" not in result.stdout


def test_json_measurements_carry_the_settings_and_each_terms_ratio(tmp_path):
    result = cli(str(copy_config(tmp_path)), "--entry", ENTRY, "--batches", "4", "--format", "json")
    data = json.loads(result.stdout)
    assert data["measurements"]["settings"] == SETTINGS
    assert data["measurements"]["batch_size"] == 16
    assert data["measurements"]["reduction_ratios"] == pytest.approx({"ce": 2.0, "l1": 1.0}, rel=1e-4)
    assert [(f["code"], f["key"]) for f in data["findings"]] == [
        ("P007", "data.normalize"),
        ("P003", "clip"),
        ("P010", "gradient_accumulation_steps"),
        ("P009", "loss_weights.ce"),
    ]


def test_write_and_output_say_what_they_wrote(tmp_path):
    config = copy_config(tmp_path)
    original = config.read_text(encoding="utf-8")
    patched = tmp_path / "patched.yaml"
    result = cli(str(config), "--entry", ENTRY, "--batches", "4", "--output", str(patched))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Wrote {patched}: {config} with 2 findings fixed; 2 remaining."
    assert config.read_text(encoding="utf-8") == original
    expected = original.replace("normalize: false", "normalize: true").replace("batch_size: 16", "batch_size: 64")
    expected = expected.replace("gradient_accumulation_steps: 4", "gradient_accumulation_steps: 1")
    assert patched.read_text(encoding="utf-8") == expected
    result = cli(str(config), "--entry", ENTRY, "--batches", "4", "--write")
    assert result.stderr.splitlines()[-1] == f"Fixed 2 findings in {config}; 2 remaining."
    assert config.read_text(encoding="utf-8") == expected


def test_write_with_nothing_to_fix_says_so(tmp_path):
    """Standardised inputs, no clip and no accumulation leave only P009, which the config cannot fix."""
    config = copy_config(tmp_path, [("normalize: false", "normalize: true"), ("clip: 0.05\n", ""), ("gradient_accumulation_steps: 4", "gradient_accumulation_steps: 1")])
    original = config.read_text(encoding="utf-8")
    result = cli(str(config), "--entry", ENTRY, "--batches", "4", "--write")
    assert [f.code for f in probe(config).findings.findings] == ["P009"]
    assert result.exit_code == 1 and result.stderr.splitlines()[-1] == "Nothing written: the probe's one finding has no fix."
    assert config.read_text(encoding="utf-8") == original
