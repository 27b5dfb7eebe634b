"""The CI report formats on real check results: SARIF, JUnit XML, GitLab code quality, and the
paths and fingerprints they share."""

import hashlib
import json
import os
import xml.etree.ElementTree as ElementTree

import pytest
import xmlschema
from click.testing import CliRunner

from cfglint import rules
from cfglint.api import CheckOptions, Checker
from cfglint.cli import main
from helpers import sarif_problems
from cfglint.reporters.base import located, relative_path, source_root
from cfglint.reporters.gitlab import GitlabReporter
from cfglint.reporters.junit import JunitReporter
from cfglint.reporters.sarif import SarifReporter

XSD = os.path.join(os.path.dirname(__file__), "fixtures", "junit-10.xsd")
# A character beyond U+FFFF (two UTF-16 code units) before the finding on its line.
EMOJI_JSON = '{"seq_len": 96, "label_len": 48, "pred_len": 24, "tag": "\U0001F600", "learning_rate": "0.001"}\n'
WARMUP = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 10\nwarmup_epochs: 12\n"
CLEAN = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 60\nwarmup_epochs: 8\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git work tree (a `.git` folder is what marks one) with the checks run from a subfolder."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "configs").mkdir()
    (root / "configs" / "a.json").write_text(EMOJI_JSON, encoding="utf-8")
    (root / "configs" / "warmup.yaml").write_text(WARMUP)
    (root / "configs" / "clean.yaml").write_text(CLEAN)
    monkeypatch.chdir(root / "configs")
    return root


def check(*paths):
    return Checker(CheckOptions(isolated=True)).check(list(paths))


def sarif(*paths):
    return json.loads(SarifReporter().render(check(*paths)))


def test_sarif_validates_against_the_sarif_2_1_0_schema(repo):
    log = sarif(str(repo / "configs" / "a.json"), "warmup.yaml", "clean.yaml")
    assert sarif_problems(log) == []


def test_sarif_uris_are_escaped_as_upload_sarif_checks_them(repo):
    odd = repo / "my configs" / "ä b#1.yaml"  # a space, a non-ASCII letter, a '#'
    odd.parent.mkdir()
    odd.write_text(WARMUP, encoding="utf-8")
    log = sarif(str(odd))
    assert sarif_problems(log) == []
    (result,) = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20configs/%C3%A4%20b%231.yaml"


def test_sarif_paths_are_relative_to_the_git_work_tree_even_for_absolute_inputs(repo):
    log = sarif(str(repo / "configs" / "a.json"), "warmup.yaml")
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": (repo.as_uri() + "/")}}
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations == [{"uri": "configs/a.json", "uriBaseId": "%SRCROOT%"}, {"uri": "configs/warmup.yaml", "uriBaseId": "%SRCROOT%"}]


def test_sarif_a_file_outside_the_root_keeps_its_file_uri(repo, tmp_path, monkeypatch):
    outside = tmp_path / "elsewhere" / "b c.yaml"
    outside.parent.mkdir()
    outside.write_text(WARMUP)
    monkeypatch.chdir(repo)
    run = sarif("configs/warmup.yaml", str(outside))["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.as_uri() + "/"  # the working folder: no work tree holds both
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations == [{"uri": "configs/warmup.yaml", "uriBaseId": "%SRCROOT%"}, {"uri": outside.as_uri()}]
    assert outside.as_uri().endswith("/elsewhere/b%20c.yaml")


def test_sarif_columns_count_utf16_code_units(repo):
    run = sarif("a.json")["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    (result,) = run["results"]
    # learning_rate's value starts at code point 79; the emoji before it is two UTF-16 units.
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 80, "endLine": 1, "endColumn": 87}
    (fix,) = result["fixes"]
    assert fix["description"] == {"text": "write 0.001 as the number 0.001 (safe fix, applied by `cfglint fix`)"}
    assert fix["artifactChanges"] == [
        {
            "artifactLocation": {"uri": "configs/a.json", "uriBaseId": "%SRCROOT%"},
            "replacements": [{"deletedRegion": {"startLine": 1, "startColumn": 80, "endLine": 1, "endColumn": 87}, "insertedContent": {"text": "0.001"}}],
        }
    ]


def test_sarif_unsafe_fix_related_location_and_invocation(repo):
    run = sarif("warmup.yaml")["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "T001" and result["level"] == "error"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "T001"
    assert result["fixes"][0]["description"]["text"] == "set warmup_epochs to 1 (10 % of training) (unsafe fix (it changes the training), applied by `cfglint fix --unsafe-fixes`)"
    assert result["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"startLine": 5, "startColumn": 16, "endLine": 5, "endColumn": 18}, "insertedContent": {"text": "1"}}
    ]
    assert result["relatedLocations"] == [
        {
            "id": 0,
            "message": {"text": "train_epochs: the key warmup_epochs is checked against"},
            "physicalLocation": {"artifactLocation": {"uri": "configs/warmup.yaml", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 4, "startColumn": 15, "endLine": 4, "endColumn": 17}},
        }
    ]
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]


def test_sarif_display_only_fixes_are_left_out_and_input_errors_are_notifications(repo):
    (repo / "configs" / "short.yaml").write_text(WARMUP.replace("warmup_epochs: 12", "warmup_epochs: 14").replace("train_epochs: 10", "train_epochs: 5"))
    run = sarif("short.yaml", "missing.yaml")["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "T001" and "fixes" not in result  # none proposed: 0.5 epochs rounds to 0
    assert run["invocations"] == [
        {"executionSuccessful": False, "exitCode": 2, "toolExecutionNotifications": [{"level": "error", "message": {"text": "missing.yaml: no such file or directory"}}]}
    ]


def test_sarif_rule_help_is_the_explain_text_and_its_markdown(repo):
    driver = sarif("clean.yaml")["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in rules.RULES]
    s001 = next(rule for rule in driver["rules"] if rule["id"] == "S001")
    explained = CliRunner().invoke(main, ["explain", "S001"]).output
    assert s001["help"]["text"] + "\n" == explained
    assert s001["help"]["markdown"].startswith("**S001** `unknown-key` (default severity: warning)\n\nA key that the config's family does not define.\n")
    assert s001["help"]["markdown"].endswith("\nOptions:\n\n- `allow` (default: `[]`)\n")
    assert s001["helpUri"] == "https://pypi.org/project/cfglint-ml/"


def test_fingerprints_ignore_lines_and_follow_path_code_key_and_occurrence(repo):
    before = sarif("warmup.yaml")["runs"][0]["results"][0]["partialFingerprints"]
    expected = hashlib.sha256("configs/warmup.yaml\0T001\0warmup_epochs\x001".encode()).hexdigest()
    assert before == {"cfglint/v1": expected}
    (repo / "configs" / "warmup.yaml").write_text("# moved down by two lines\n\n" + WARMUP)
    moved = sarif("warmup.yaml")["runs"][0]["results"][0]
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert moved["partialFingerprints"] == before
    twice = "learning_rate: 0.1\nlearning_rate: 0.2\nlearning_rate: 0.3\n"
    (repo / "configs" / "dup.yaml").write_text(twice)
    entries = located(check("dup.yaml"), str(repo))
    assert [(e.finding.code, e.finding.key) for e in entries] == [("D002", "learning_rate"), ("D002", "learning_rate")]
    assert entries[0].fingerprint != entries[1].fingerprint  # the occurrence tells them apart


def test_source_root_and_relative_path(repo, tmp_path):
    assert source_root(check("warmup.yaml")) == str(repo)
    assert relative_path(str(repo / "configs" / "a.json"), str(repo)) == "configs/a.json"
    assert relative_path(str(tmp_path / "x.yaml"), str(repo)) is None
    assert relative_path(str(repo / "..x" / "y.yaml"), str(repo)) == "..x/y.yaml"  # a name starting with dots is inside


def test_source_root_without_a_work_tree_is_the_working_folder(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "w.yaml").write_text(WARMUP)
    monkeypatch.chdir(tmp_path)
    assert source_root(check("sub/w.yaml")) == str(tmp_path)


def test_junit_has_a_suite_per_file_a_failure_per_finding_and_a_pass_per_clean_file(repo):
    text = JunitReporter().render(check("a.json", "warmup.yaml", "clean.yaml"))
    xmlschema.XMLSchema(XSD).validate(text)
    root = ElementTree.fromstring(text)
    assert (root.tag, root.attrib) == ("testsuites", {"name": "cfglint", "tests": "3", "failures": "2", "errors": "0"})
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures"), s.get("errors")) for s in suites] == [
        ("a.json", "1", "1", "0"), ("warmup.yaml", "1", "1", "0"), ("clean.yaml", "1", "0", "0")
    ]
    case = suites[1].find("testcase")
    assert case.attrib == {"name": "T001 (warmup-exceeds-training)", "classname": "warmup.yaml"}
    failure = case.find("failure")
    assert failure.get("type") == "T001"
    assert failure.get("message").startswith("warmup_epochs (12) >= train_epochs (10)")
    assert failure.text == f"warmup.yaml:5:16: T001 [error] {failure.get('message')}"
    passed = suites[2].find("testcase")
    assert passed.attrib == {"name": "no findings", "classname": "clean.yaml"} and list(passed) == []


def test_gitlab_code_quality_has_the_documented_keys_and_types(repo):
    result = check(str(repo / "configs" / "a.json"), "warmup.yaml", "clean.yaml")
    issues = json.loads(GitlabReporter().render(result))
    assert isinstance(issues, list) and len(issues) == 2
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert all(isinstance(issue[key], str) for key in ("description", "check_name", "fingerprint", "severity"))
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert issues[1] == {
        "description": issues[1]["description"],
        "check_name": "T001",
        "fingerprint": hashlib.sha256("configs/warmup.yaml\0T001\0warmup_epochs\x001".encode()).hexdigest(),
        "severity": "major",
        "location": {"path": "configs/warmup.yaml", "lines": {"begin": 5, "end": 5}},
    }
    assert issues[1]["description"].startswith("T001 (warmup-exceeds-training): warmup_epochs (12) >= train_epochs (10)")
    assert issues[0]["location"]["path"] == "configs/a.json"  # given as an absolute path
    sarif_log = json.loads(SarifReporter().render(result))
    assert [r["partialFingerprints"]["cfglint/v1"] for r in sarif_log["runs"][0]["results"]] == [i["fingerprint"] for i in issues]


def test_gitlab_severities(repo):
    (repo / "configs" / "unknown.yaml").write_text("seq_len: 250\nlabel_len: 125\npred_len: 10\nlerning_rate: 0.1\n")
    (repo / "configs" / "small.yaml").write_text("seq_len: 250\nlabel_len: 125\npred_len: 10\nval_size: 50\n")
    issues = json.loads(GitlabReporter().render(check("unknown.yaml", "small.yaml")))
    assert [(i["check_name"], i["severity"]) for i in issues] == [("S001", "minor"), ("M005", "info")]
