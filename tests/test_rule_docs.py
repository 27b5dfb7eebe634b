"""Every rule's documented examples run as tests, so the docs cannot rot (as in pycodestyle).

A rule's docstring has "Fails:" and "Passes:" sections of fenced examples. Each example must
(or must not) produce that rule's code. A fence tagged `file=NAME` is a support file written
beside the examples of its section (a JSON Schema, a Hydra group file `model/small.yaml`)
rather than an example; `file=overrides` holds the command's `--override`s, one per line.
"""

import re

import pytest

import json

from cfglint import rules
from cfglint.api import CheckOptions, Checker
from cfglint.probe.report import ProbeReport

_FENCE = re.compile(r"```(\w+)(?: file=(\S+))?\n(.*?)```", re.DOTALL)


def sections(doc: str):
    fails, _, passes = doc.partition("\nPasses:")
    _, _, fails = fails.partition("\nFails:")
    return {"fails": _FENCE.findall(fails), "passes": _FENCE.findall(passes)}


def cases():
    for rule in (r for r in rules.RULES if not r.raised_by_engine):
        for expectation, fences in sections(rule.doc).items():
            support = [(name, body) for _, name, body in fences if name]
            examples = [(lang, body) for lang, name, body in fences if not name]
            for number, (lang, body) in enumerate(examples, 1):
                yield pytest.param(rule, expectation, lang, body, support, id=f"{rule.code}-{expectation}-{number}")


def run_example(folder, name, lang, body, support):
    """Check one example; a `probe.json` support file is the probe measurement it is checked against.
    The result's findings are the example's."""
    probe = None
    overrides: list[str] = []
    for support_name, text in support:
        if support_name == "overrides":  # the `--override`s of the command, one per line
            overrides = text.splitlines()
            continue
        (folder / support_name).parent.mkdir(parents=True, exist_ok=True)  # a group file: model/small.yaml
        (folder / support_name).write_text(text)
        if support_name == "probe.json":
            probe = ProbeReport.from_dict(json.loads(text))
    config = folder / f"{name}.{'json' if lang == 'json' else 'yaml'}"
    config.write_text(body)
    # The example's findings, and those of a composition it starts in the files it composes or
    # in the overrides (an option without a file, a refused override).
    return Checker(CheckOptions(isolated=True, overrides=overrides), probe=probe).check([str(config)])


@pytest.mark.parametrize("rule, expectation, lang, body, support", list(cases()))
def test_documented_example(tmp_path, rule, expectation, lang, body, support):
    result = run_example(tmp_path, "example", lang, body, support)
    codes = [f.code for f in result.findings]
    if expectation == "fails":
        assert rule.code in codes, f"{rule.code} example should fail: {result.findings}"
    else:
        assert codes == [], f"{rule.code} passing example has findings: {result.findings}"


def test_every_rule_documents_both_a_failing_and_a_passing_example():
    for rule in (r for r in rules.RULES if not r.raised_by_engine):
        found = sections(rule.doc)
        assert found["fails"] and found["passes"], rule.code
        assert rule.doc.strip().splitlines()[0] == rule.doc.strip().splitlines()[0].strip()
        assert "Why:" in rule.doc, rule.code


def test_codes_and_names_are_unique_and_well_formed():
    assert len(rules.BY_CODE) == len(rules.RULES) == len(rules.BY_NAME)
    for rule in rules.RULES:
        assert re.fullmatch(r"[A-Z][0-9]{3}", rule.code), rule.code
        assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name), rule.name


def test_a_rule_documents_a_fix_exactly_when_its_examples_have_one(tmp_path):
    """The docs say "Fix" for the rules whose failing examples come with a fix, and only those."""
    for rule in (r for r in rules.RULES if not r.raised_by_engine):
        fences = sections(rule.doc)["fails"]
        support = [(name, body) for _, name, body in fences if name]
        has_fix = False
        for number, (lang, _, body) in enumerate((f for f in fences if not f[1]), 1):
            result = run_example(tmp_path, f"{rule.code}-{number}", lang, body, support)
            has_fix |= any(f.fix is not None for f in result.findings if f.code == rule.code)
        assert ("\nFix" in rule.doc) == has_fix, rule.code
