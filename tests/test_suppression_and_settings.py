"""Inline suppressions, per-file ignores with key paths, settings discovery and settings errors."""

import os
import textwrap

import pytest

from cfglint.api import CheckOptions, Checker
from cfglint.settings import SettingsError
from helpers import lint, positions

BAD = "seq_len: 96\nlabel_len: 48\npred_len: 24\nlearning_rate: 0\ndropout: 1.0\n"


def test_disable_on_the_same_line():
    text = BAD.replace("learning_rate: 0", "learning_rate: 0  # cfglint: disable=S003")
    assert positions(lint(text)) == [("S003", 5, 10)]


def test_disable_next_line_and_by_name():
    text = BAD.replace("learning_rate: 0", "# cfglint: disable-next-line=value-out-of-range\nlearning_rate: 0")
    assert positions(lint(text)) == [("S003", 6, 10)]


def test_disable_file():
    assert lint("# cfglint: disable-file=S003\n" + BAD) == []


def test_unused_and_unknown_suppressions_are_reported():
    text = "seq_len: 96  # cfglint: disable=S003, X999\nlabel_len: 48\npred_len: 24\n"
    findings = lint(text)
    assert positions(findings) == [("C001", 1, 14), ("C001", 1, 14)]
    messages = sorted(f.message for f in findings)
    assert messages[0] == "'X999' is not a cfglint rule code or name; `cfglint rules` lists them"
    assert messages[1] == "unused suppression of S003: no such finding on line 1; remove it"


def test_a_hash_inside_a_quoted_string_is_not_a_directive():
    text = "seq_len: 96\nlabel_len: 48\npred_len: 24\nmodel: 'x # cfglint: disable=S003'\nlearning_rate: 0\n"
    assert positions(lint(text)) == [("S003", 5, 16)]


def write(folder, name, text):
    path = os.path.join(folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(textwrap.dedent(text))
    return path


def test_settings_from_pyproject_apply_below_it(tmp_path):
    write(tmp_path, "pyproject.toml", """\
        [tool.cfglint]
        ignore = ["M"]
        severity = { S003 = "warning" }
        per-file-ignores = { "legacy/*.json" = ["S003:scheduler.*"] }
        """)
    config = write(tmp_path, "configs/run.yaml", BAD + "n_heads: 3\nd_model: 8\n")
    legacy = write(tmp_path, "legacy/kd.json", '{"alpha_kd": 0.7, "kd_top_k": 8, "temperature": 0, "scheduler": {"min_lr": -1}}')
    result = Checker().check([config, legacy])
    run, kd = result.files
    assert [(f.code, str(f.severity)) for f in run.findings] == [("S003", "warning"), ("S003", "warning")]
    assert [(f.key, f.code) for f in kd.findings] == [("temperature", "S003")]
    assert run.settings_path == str(tmp_path / "pyproject.toml")


def test_cfglint_yaml_families_and_rule_options(tmp_path):
    write(tmp_path, ".cfglint.yaml", """\
        families:
          "forecast/*.yaml": forecasting
        rules:
          unknown-key:
            allow: ["my_*"]
        """)
    config = write(tmp_path, "forecast/a.yaml", "my_extra: 1\nlerning_rate: 0.1\n")
    (report,) = Checker().check([config]).files
    assert report.dialect == f"forecasting (from settings: {tmp_path / '.cfglint.yaml'})"
    assert positions(report.findings) == [("S001", 2, 1)]


@pytest.mark.parametrize(
    "settings, message",
    [
        ("rules:\n  unknown-key:\n    alow: []\n", ":3:5: unknown option 'alow' for rule S001 (unknown-key); its options: allow"),
        ("rules:\n  unknown-key:\n    allow: 3\n", ":3:5: option 'allow' of S001 must be a list, not int"),
        ("selct: [S]\n", ":1:1: unknown setting 'selct'"),
        ("select: [Z9]\n", ":1:1: no rule matches 'Z9'"),
        ("families:\n  '*.yaml': nope\n", ":2:3: unknown family 'nope'"),
        ("fail-on: loud\n", ":1:1: unknown severity 'loud'"),
    ],
)
def test_settings_errors_name_their_position(tmp_path, settings, message):
    write(tmp_path, ".cfglint.yaml", settings)
    config = write(tmp_path, "a.yaml", "a: 1\n")
    with pytest.raises(SettingsError) as error:
        Checker().check([config])
    assert message in str(error.value)
    assert str(error.value).startswith(str(tmp_path / ".cfglint.yaml"))


def test_pyproject_settings_error_names_the_line(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.cfglint.rules.S001]\nnope = 1\n')
    config = write(tmp_path, "a.yaml", "a: 1\n")
    with pytest.raises(SettingsError, match=r"pyproject.toml:5:1: unknown option 'nope' for rule S001"):
        Checker().check([config])


def test_user_json_schema_errors_have_lines(tmp_path):
    write(tmp_path, "team.schema.json", '{"type": "object", "properties": {"epochs": {"type": "integer", "maximum": 100}}, "required": ["name"], "additionalProperties": false}')
    write(tmp_path, ".cfglint.yaml", 'schemas:\n  "runs/*.yaml": team.schema.json\n')
    config = write(tmp_path, "runs/a.yaml", "epochs: 500\nepoch: 3\n")
    (report,) = Checker().check([config]).files
    assert [(f.code, f.span.line, f.span.column, f.message) for f in report.findings] == [
        ("S004", 1, 1, "the document: 'name' is a required property"),
        ("S004", 1, 9, "epochs: 500 is greater than the maximum of 100"),
        ("S004", 2, 1, "unknown key 'epoch': the schema allows no other properties here; did you mean 'epochs'?"),
    ]
    assert report.reading == "framework"  # read by the user's schema, not "no training settings"


def test_schema_named_by_modeline_that_is_missing(tmp_path):
    config = write(tmp_path, "a.yaml", "# yaml-language-server: $schema=missing.schema.json\nepochs: 1\n")
    (report,) = Checker(CheckOptions(isolated=True)).check([config]).files
    assert [(f.code, f.span.line) for f in report.findings] == [("S004", 2)]
    assert "cannot use the schema" in report.findings[0].message


def test_family_schema_named_by_dollar_schema_key(tmp_path):
    config = write(tmp_path, "a.json", '{"$schema": "https://example.org/schemas/distillation.schema.json", "lerning_rate": 1}')
    (report,) = Checker(CheckOptions(isolated=True)).check([config]).files
    assert report.dialect.startswith("distillation (from $schema")
    assert positions(report.findings) == [("S001", 1, 69)]
