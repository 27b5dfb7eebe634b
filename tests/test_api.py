"""The Python API: path or text said explicitly, exported exceptions, attribute results, reprs."""

import os

import pytest

import cfglint
from cfglint.api import CheckOptions, check as check_paths

OVERLONG_WARMUP = "training:\n  lr: 0.001\n  epochs: 3\n  warmup_epochs: 5\n"


def test_a_missing_path_is_an_input_error_not_yaml_text(tmp_path):
    with pytest.raises(cfglint.InputError, match="missing.yaml: no such file or directory"):
        cfglint.check(str(tmp_path / "missing.yaml"))
    with pytest.raises(cfglint.InputError, match="is a directory"):
        cfglint.fix(tmp_path)


def test_path_and_text_give_the_same_findings(tmp_path):
    path = tmp_path / "run.yaml"
    path.write_text(OVERLONG_WARMUP)
    from_path = cfglint.check(path)
    from_text = cfglint.check(text=OVERLONG_WARMUP, filename=str(path))
    assert [(f.code, f.span.line, f.span.column, f.key) for f in from_path] == [("T001", 4, 18, "training.warmup_epochs")]
    assert from_text == from_path
    assert cfglint.check(text=OVERLONG_WARMUP.encode(), filename=str(path)) == from_path


def test_exactly_one_of_path_and_text(tmp_path):
    with pytest.raises(TypeError, match="either a path or text"):
        cfglint.check()
    with pytest.raises(TypeError, match="either a path or text"):
        cfglint.fix(tmp_path / "a.yaml", text="a: 1\n")


def test_exceptions_are_exported_and_raised():
    with pytest.raises(cfglint.UnfixableInput, match=r"c.yaml:2:1: not fixed: did not find expected"):
        cfglint.fix(text="a: [1\n", filename="c.yaml")
    with pytest.raises(cfglint.UnknownRule):
        cfglint.check(text="a: 1\n", filename="c.yaml", options=cfglint.CheckOptions(select=["Z999"]))
    assert issubclass(cfglint.FixVerificationError, Exception) and issubclass(cfglint.SettingsError, Exception)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        cfglint.nothing  # noqa: B018
    assert set(cfglint.__all__) >= {"check", "fix", "InputError", "UnfixableInput", "FixVerificationError", "SettingsError", "UnknownRule", "CheckResult", "Finding"}


def test_results_are_attributes_with_readable_reprs(tmp_path):
    (tmp_path / "run.yaml").write_text(OVERLONG_WARMUP)
    (tmp_path / "ok.yaml").write_text("training:\n  lr: 0.001\n  epochs: 3\n")
    result = check_paths([str(tmp_path), str(tmp_path / "gone.yaml")], CheckOptions(isolated=True))
    assert result.exit_code == 2  # an attribute, like files and input_errors
    assert repr(result) == "CheckResult(2 files, 1 findings, 1 input errors, exit_code=2)"
    report = result.files[1]
    assert repr(report).startswith(f"FileReport({report.path!r}, 1 findings, reading='generic'")
    (finding,) = report.findings
    assert repr(finding) == (
        f"Finding({finding.file}:4:18-4:19 T001 warning key='training.warmup_epochs': {finding.message!r})"
    )
    outcome = cfglint.fix(text="training:\n  lr: '0.001'\n", filename="run.yaml", unsafe=True)
    assert repr(outcome) == f"FixOutcome('run.yaml', changed=True, applied=[{', '.join(f.code for f in outcome.applied)}], 0 remaining, 0 refused)"
    assert outcome.applied


def test_the_package_is_typed():
    assert os.path.isfile(os.path.join(os.path.dirname(cfglint.__file__), "py.typed"))
