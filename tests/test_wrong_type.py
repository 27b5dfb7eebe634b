"""S002: what its fix writes for a quoted number, and the YAML 1.1 readings it reports.

A fix is safe only when the file's loader reads the written text as exactly the number meant;
the message names the spelling the fix writes.
"""

import json
import tomllib

import pytest
import yaml

import cfglint
from cfglint.fixes import render_value
from cfglint.source import load_document
from helpers import lint, positions

FORECAST = "seq_len: 250\nlabel_len: 125\npred_len: 10\n"  # generic: PyYAML reads it
HYDRA = "defaults:\n  - _self_\ntrainer:\n  max_epochs: 10\noptimizer:\n  _target_: torch.optim.AdamW\n  lr: %s\n"  # OmegaConf
KD = '{"alpha_kd": 0.7, "temperature": %s, "kd_top_k": 256}'  # Python's json
TITAN = '[job]\ndump_folder = "./outputs"\n\n[model]\nname = "llama3"\nflavor = "8B"\n\n[optimizer]\nname = "AdamW"\nlr = %s  # peak\n\n[training]\nlocal_batch_size = %s\nsteps = 1000\n'


def s002(text, filename):
    (finding,) = [f for f in lint(text, filename) if f.code == "S002"]
    return finding


def fixed(text, filename, unsafe=False):
    outcome = cfglint.fix(text=text, filename=filename, unsafe=unsafe)
    return outcome.fixed_text, [f.code for f in outcome.applied]


@pytest.mark.parametrize(
    "text, filename, after, message",
    [
        # PyYAML needs a dot and a signed exponent: the user's digits, spelt so that it reads a float
        (
            FORECAST + 'learning_rate: "3e-5"\n',
            "c.yaml",
            FORECAST + "learning_rate: 3.0e-5\n",
            "learning_rate is the string '3e-5', expected a number: a training script reads it as text; write it as 3.0e-5",
        ),
        (
            FORECAST + "learning_rate: '1E4'\n",
            "c.yaml",
            FORECAST + "learning_rate: 1.0E+4\n",
            "learning_rate is the string '1E4', expected a number: a training script reads it as text; write it as 1.0E+4",
        ),
        # OmegaConf, JSON and TOML read 3e-5 as it is: kept, not respelt 3e-05
        (
            HYDRA % '"3e-5"',
            "c.yaml",
            HYDRA % "3e-5",
            "optimizer.lr is the string '3e-5', expected a number: a training script reads it as text; write it without quotes (3e-5)",
        ),
        (
            KD % '"3e-5"',
            "kd.json",
            KD % "3e-5",
            "temperature is the string '3e-5', expected a number: a training script reads it as text; write it without quotes (3e-5)",
        ),
        (
            KD % '"-.5E3"',
            "kd.json",
            KD % "-0.5E3",
            "temperature is the string '-.5E3', expected a number: a training script reads it as text; write it as -0.5E3",
        ),
        (
            TITAN % ('"3e-5"', "1"),
            "llama3_8b.toml",
            TITAN % ("3e-5  ", "1"),
            "optimizer.lr is the string '3e-5', expected a number: a training script reads it as text; write it without quotes (3e-5)",
        ),
        # an integer loses its leading zeros (PyYAML reads 010 as octal, JSON forbids them), `+` and `_`
        (
            FORECAST + 'train_epochs: "+0_10"\n',
            "c.yaml",
            FORECAST + "train_epochs: 10\n",
            "train_epochs is the string '+0_10', expected an integer: a training script reads it as text; write it as 10",
        ),
    ],
)
def test_a_quoted_number_is_written_as_the_loader_reads_it_and_as_the_message_says(text, filename, after, message):
    finding = s002(text, filename)
    assert finding.message == message
    assert str(finding.fix.applicability) == "safe"
    assert fixed(text, filename) == (after, ["S002"])


def test_the_written_numbers_read_back_under_the_real_loaders():
    assert yaml.safe_load(fixed(FORECAST + 'learning_rate: "3e-5"\n', "c.yaml")[0])["learning_rate"] == 3e-5
    assert yaml.safe_load(fixed(FORECAST + "learning_rate: '1E4'\n", "c.yaml")[0])["learning_rate"] == 1e4
    assert json.loads(fixed(KD % '"-.5E3"', "kd.json")[0])["temperature"] == -500.0
    assert tomllib.loads(fixed(TITAN % ('"3e-5"', "1"), "llama3_8b.toml")[0])["optimizer"]["lr"] == 3e-5


@pytest.mark.parametrize(
    "text, filename, message, description",
    [
        (
            FORECAST + 'learning_rate: "1e400"\n',
            "c.yaml",
            "learning_rate is the string '1e400', expected a number: a training script reads it as text, and 1e400 is past a 64-bit float's range (it reads as infinity)",
            "no number to write: 1e400 is past a 64-bit float's range (it reads as infinity)",
        ),
        (
            KD % '"1e400"',
            "kd.json",
            "temperature is the string '1e400', expected a number: a training script reads it as text, and 1e400 is past a 64-bit float's range (it reads as infinity)",
            "no number to write: 1e400 is past a 64-bit float's range (it reads as infinity)",
        ),
        (
            FORECAST + 'learning_rate: "+nan"\n',
            "c.yaml",
            "learning_rate is the string '+nan', expected a number: a training script reads it as text, and +nan is not a finite number",
            "no number to write: +nan is not a finite number",
        ),
        (
            KD % '"+Infinity"',
            "kd.json",
            "temperature is the string '+Infinity', expected a number: a training script reads it as text, and +Infinity is not a finite number",
            "no number to write: +Infinity is not a finite number",
        ),
        (
            TITAN % ('"1e-3"', '"12345678901234567890123"'),
            "llama3_8b.toml",
            None,
            "no number to write: 12345678901234567890123 is past TOML's 64-bit integers",
        ),
    ],
)
def test_a_number_no_format_can_hold_is_only_shown_with_the_reason(text, filename, message, description):
    findings = [f for f in lint(text, filename) if f.code == "S002"]
    finding = findings[-1]
    if message is not None:
        assert finding.message == message
    assert (str(finding.fix.applicability), finding.fix.description, finding.fix.edits) == ("display-only", description, ())
    unquoted = fixed(text, filename, unsafe=True)[0]
    assert ("1e400" in unquoted or "nan" in unquoted or "Infinity" in unquoted or "12345678901234567890123" in unquoted)
    assert "Infinity" not in unquoted.replace('"+Infinity"', "") and ".inf" not in unquoted and ".nan" not in unquoted


def test_an_integer_past_a_floats_exact_range_is_written_exactly_but_only_as_an_unsafe_fix():
    text = FORECAST + 'learning_rate: "12345678901234567890123"\n'
    finding = s002(text, "c.yaml")
    reason = "12345678901234567890123 is past 2**53, where 64-bit floats skip integers: read as a float it is 1.2345678901234568e+22"
    assert finding.message == (
        "learning_rate is the string '12345678901234567890123', expected a number: a training script reads it as text; "
        f"write it without quotes (12345678901234567890123), though {reason}"
    )
    assert (str(finding.fix.applicability), finding.fix.description) == ("unsafe", f"write 12345678901234567890123 as the number 12345678901234567890123 ({reason})")
    assert fixed(text, "c.yaml") == (text, [])
    after = fixed(text, "c.yaml", unsafe=True)
    assert after == (FORECAST + "learning_rate: 12345678901234567890123\n", ["S002"])
    assert yaml.safe_load(after[0])["learning_rate"] == 12345678901234567890123


def test_a_number_that_underflows_to_zero_is_unsafe():
    text = FORECAST + "learning_rate: '1e-400'\n"
    finding = s002(text, "c.yaml")
    assert finding.message.endswith("write it as 1.0e-400, though 1e-400 is below a 64-bit float's smallest number: it reads as 0.0")
    assert str(finding.fix.applicability) == "unsafe"
    assert fixed(text, "c.yaml") == (text, [])


def test_json_never_gets_infinity_from_a_computed_value():
    doc = load_document("kd.json", (KD % "1.0").encode())
    node = doc.mapping.get("temperature").value
    with pytest.raises(ValueError, match="JSON has no infinity or NaN"):
        render_value(doc, node, float("inf"))


def test_digits_with_a_leading_zero_that_pyyaml_reads_as_octal_are_a_warning_with_both_numbers():
    text = "per_device_train_batch_size: 8\nnum_train_epochs: 010\nmax_steps: 1000\n"
    (finding,) = lint(text)
    assert (positions([finding]), str(finding.severity)) == ([("S002", 2, 19)], "warning")
    assert finding.message == "num_train_epochs: 010 is 8 to PyYAML (YAML 1.1 reads a leading zero as octal) but 10 to YAML 1.2 loaders; write 8 or 10"
    assert (str(finding.fix.applicability), finding.fix.description, finding.fix.edits) == (
        "display-only",
        "write 8 (what PyYAML reads now) or 10 (what the digits say)",
        (),
    )
    assert fixed(text, "c.yaml", unsafe=True) == (text, [])
    assert lint(text.replace("010", "007")) == []  # 7 either way


def test_octal_digits_are_not_reported_under_a_yaml_1_2_loader(tmp_path):
    from cfglint.api import CheckOptions, Checker

    (tmp_path / ".cfglint.yaml").write_text("loader: ruamel\n")
    config = tmp_path / "run.yaml"
    config.write_text("optimizer:\n  lr: 0.001\ntrain:\n  epochs: 200\n  warmup_epochs: 010\n")  # read generically
    (report,) = Checker(CheckOptions()).check([str(config)]).files
    assert report.findings == []
    (tmp_path / ".cfglint.yaml").write_text("loader: pyyaml\n")
    (report,) = Checker(CheckOptions()).check([str(config)]).files
    assert positions(report.findings) == [("S002", 5, 18)]


def test_digits_pyyaml_reads_as_text_get_a_safe_fix_that_writes_what_the_message_says():
    text = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nwarmup_steps: 096\n"
    (finding,) = lint(text)
    assert finding.message.endswith("expected a number; write 96")
    assert (str(finding.fix.applicability), finding.fix.description) == ("safe", "write 096 as 96")
    assert fixed(text, "c.yaml") == (text.replace("096", "96"), ["S002"])


def test_a_quoted_number_of_the_wrong_kind_names_no_spelling_and_gets_no_fix():
    (finding,) = lint(FORECAST + 'train_epochs: "2.5"\n')
    assert (finding.code, finding.message, finding.fix) == ("S002", "train_epochs is the string '2.5', expected an integer", None)
