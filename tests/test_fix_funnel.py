"""The safety funnel refuses any fix that breaks a guarantee, and names the rule that made it."""

import pytest

from cfglint import rules
from cfglint.api import CheckOptions, Checker
from cfglint.finding import Severity, Violation
from cfglint.fixer import FixVerificationError, fix_bytes
from cfglint.fixes import Applicability, Change, Edit, Fix
from cfglint.rule import Rule

TEXT = "alpha: 1  # keep me\nbeta: 2\n"


def install(monkeypatch, make_fix):
    """Register a rule Z901 that reports `beta` with the fix `make_fix` returns."""

    def check(ctx):
        entry = ctx.document.mapping.get("beta")
        if entry is not None and entry.value.value == 2:
            yield Violation(entry.value.span, "beta", "beta is 2", fix=make_fix(ctx.document, entry))

    bad = Rule("Z901", "test-bad-fix", Severity.WARNING, "A rule with a broken fix.", check, "A rule with a broken fix.")
    monkeypatch.setattr(rules, "RULES", rules.RULES + (bad,))
    monkeypatch.setattr(rules, "BY_CODE", {**rules.BY_CODE, "Z901": bad})


def run():
    return fix_bytes(Checker(CheckOptions(isolated=True)), TEXT.encode(), "c.yaml", unsafe=True)


@pytest.mark.parametrize(
    "make_fix, reason",
    [
        (lambda doc, e: Fix("break it", Applicability.SAFE, (Edit(e.value.span.offset, e.value.span.end_offset, "[3"),), (Change(("beta",), "set", 3),)), "does not parse"),
        (lambda doc, e: Fix("lie about it", Applicability.SAFE, (Edit(e.value.span.offset, e.value.span.end_offset, "3"),), (Change(("beta",), "set", 4),)), "data differs"),
        (lambda doc, e: Fix("eat the comment", Applicability.SAFE, (Edit(0, len("alpha: 1  # keep me"), "alpha: 1"), Edit(e.value.span.offset, e.value.span.end_offset, "3")), (Change(("beta",), "set", 3),)), "comment"),
        (lambda doc, e: Fix("do nothing", Applicability.SAFE, (Edit(e.value.span.offset, e.value.span.end_offset, "2"),), ()), "still reported"),
    ],
)
def test_a_broken_fix_is_refused_and_names_its_rule(monkeypatch, make_fix, reason):
    install(monkeypatch, make_fix)
    with pytest.raises(FixVerificationError) as error:
        run()
    assert error.value.code == "Z901"
    assert reason in str(error.value) and "nothing was written" in str(error.value)


def test_a_good_fix_passes_the_funnel(monkeypatch):
    install(monkeypatch, lambda doc, e: Fix("set beta to 3", Applicability.SAFE, (Edit(e.value.span.offset, e.value.span.end_offset, "3"),), (Change(("beta",), "set", 3),)))
    outcome = run()
    assert outcome.fixed_text == "alpha: 1  # keep me\nbeta: 3\n"
    assert [f.code for f in outcome.applied] == ["Z901"]


def test_the_command_line_exits_3_names_the_rule_and_leaves_the_file(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from cfglint.cli import main

    install(monkeypatch, lambda doc, e: Fix("break it", Applicability.SAFE, (Edit(e.value.span.offset, e.value.span.end_offset, "[3"),), (Change(("beta",), "set", 3),)))
    path = tmp_path / "c.yaml"
    path.write_text(TEXT)
    result = CliRunner().invoke(main, ["fix", "--isolated", "--write", str(path)], catch_exceptions=False)
    assert result.exit_code == 3
    assert f"cfglint: error: {path}: fix by Z901: the fixed text does not parse" in result.output
    assert path.read_text() == TEXT
