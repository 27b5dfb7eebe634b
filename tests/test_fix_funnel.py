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


def install_rule(monkeypatch, check):
    rule = Rule("Z902", "test-fix", Severity.WARNING, "A rule with a fix.", check, "A rule with a fix.")
    monkeypatch.setattr(rules, "RULES", rules.RULES + (rule,))
    monkeypatch.setattr(rules, "BY_CODE", {**rules.BY_CODE, "Z902": rule})


def rename(doc, mapping, old, new):
    from cfglint.fixes import rename_key

    entry = mapping.get(old)
    return Violation(entry.key.span, old, f"rename {old}", fix=rename_key(doc, entry.key, new, f"rename {old} to {new}", Applicability.SAFE))


def cli(path, *options):
    from click.testing import CliRunner

    from cfglint.cli import main

    return CliRunner().invoke(main, ["fix", "--isolated", "--write", "--select", "Z902", *options, str(path)], catch_exceptions=False)


def test_a_rename_inside_a_shared_block_is_refused_for_that_finding_alone(monkeypatch, tmp_path):
    def check(ctx):
        root = ctx.document.mapping
        yield rename(ctx.document, root.get("a").value, "bta", "beta")
        if root.get("gama") is not None:
            yield rename(ctx.document, root, "gama", "gamma")

    install_rule(monkeypatch, check)
    path = tmp_path / "c.yaml"
    path.write_text("a: &x\n  bta: 2\nb: *x\ngama: 3\n")
    result = cli(path)
    assert path.read_text() == "a: &x\n  bta: 2\nb: *x\ngamma: 3\n"
    assert result.exit_code == 1
    assert f"cfglint: warning: {path}:2:3: Z902 not fixed: a is shared with b through an anchor: renaming a.bta would change it too\n" in result.output
    assert "Fixed 1 finding in 1 file; 1 remaining." in result.output


def test_a_refused_fix_alone_exits_1_and_leaves_the_file(monkeypatch, tmp_path):
    install_rule(monkeypatch, lambda ctx: [rename(ctx.document, ctx.document.mapping, "lr", "learning_rate")])
    path = tmp_path / "c.yaml"
    path.write_text("learning_rate: 0.1\nlr: 0.2\n")
    result = cli(path)
    assert path.read_text() == "learning_rate: 0.1\nlr: 0.2\n"
    assert result.exit_code == 1
    assert f"cfglint: warning: {path}:2:1: Z902 not fixed: learning_rate is already set (line 1): renaming lr to it would write the key twice, and loaders keep only one of the two values\n" in result.output


def test_renames_to_one_name_wait_so_one_value_is_never_lost(monkeypatch, tmp_path):
    def check(ctx):
        root = ctx.document.mapping
        for old in ("lr", "l_r"):
            if root.get(old) is not None and root.get("learning_rate") is None:
                yield rename(ctx.document, root, old, "learning_rate")

    install_rule(monkeypatch, check)
    outcome = fix_bytes(Checker(CheckOptions(isolated=True, select=["Z902"])), b"lr: 0.1\nl_r: 0.2\n", "c.yaml")
    assert outcome.fixed_text == "learning_rate: 0.1\nl_r: 0.2\n"
    assert outcome.refused == []


def test_a_fix_that_writes_a_key_twice_is_refused_by_the_pair_check(monkeypatch):
    """The loaded data would be the same (the later value wins); the earlier value is lost."""

    def check(ctx):
        entry = ctx.document.mapping.get("lr")
        if entry is not None:
            yield Violation(entry.key.span, "lr", "rename lr", fix=Fix("lie about a rename", Applicability.SAFE, (Edit(entry.key.span.offset, entry.key.span.end_offset, "learning_rate"),), (Change(("lr",), "remove"),)))

    install_rule(monkeypatch, check)
    with pytest.raises(FixVerificationError) as error:
        fix_bytes(Checker(CheckOptions(isolated=True, select=["Z902"])), b"lr: 0.1\nlearning_rate: 0.2\n", "c.yaml")
    assert "learning_rate would be written twice" in str(error.value)


def test_a_shadowed_value_may_not_disappear_unnamed(monkeypatch):
    """Removing the ignored duplicate keeps the loaded data: only an intent that names it may."""

    def check(ctx):
        first = ctx.document.mapping.entries[0]
        if len(ctx.document.mapping.entries) == 2:
            yield Violation(first.key.span, "lr", "dup", fix=Fix("remove it silently", Applicability.SAFE, (Edit(0, len("lr: 0.1\n"), ""),)))

    install_rule(monkeypatch, check)
    with pytest.raises(FixVerificationError) as error:
        fix_bytes(Checker(CheckOptions(isolated=True, select=["Z902"])), b"lr: 0.1\nlr: 0.2\n", "c.yaml")
    assert "the value 0.1 of lr would disappear" in str(error.value)


def test_a_fix_that_replaces_an_alias_itself_changes_only_that_key(monkeypatch):
    def check(ctx):
        entry = ctx.document.mapping.get("min_lr")
        if entry.value.value == "0.1":
            span = entry.value.span
            yield Violation(span, "min_lr", "a string", fix=Fix("write 0.1 as a number", Applicability.SAFE, (Edit(span.offset, span.end_offset, "0.1"),), (Change(("min_lr",), "set", 0.1),)))

    install_rule(monkeypatch, check)
    outcome = fix_bytes(Checker(CheckOptions(isolated=True, select=["Z902"])), b'lr: &a "0.1"\nmin_lr: *a\n', "c.yaml", unsafe=True)
    # The edit is on `*a`, the alias's own text: the anchored lr keeps its value.
    assert outcome.fixed_text == 'lr: &a "0.1"\nmin_lr: 0.1\n'
    assert [f.fix.description for f in outcome.applied] == ["write 0.1 as a number"]
