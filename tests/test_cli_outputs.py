"""Output options on the command line: --output-format, --output-file pairs, --color and the
color variables, fix --diff and --exit-non-zero-on-fix, the error style, shell completion."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cfglint.cli import main

BAD = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 6\nwarmup_epochs: 8\n"
QUOTED = 'seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 10\nlearning_rate: "0.001"\n'
MESSAGE = "warmup_epochs (8) >= train_epochs (6): the learning rate never reaches its peak and never decays; make warmup_epochs a small part of train_epochs (typically 1-10 % of the epochs) or train longer"
PLAIN = f"bad.yaml:5:16: T001 [error] {MESSAGE}\n"
COLORED = f"\x1b[1mbad.yaml:5:16:\x1b[0m \x1b[31m\x1b[1mT001\x1b[0m [error] {MESSAGE}\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    with open("bad.yaml", "w") as handle:
        handle.write(BAD)

    def invoke(*args, env=None, input=None):
        return CliRunner().invoke(main, list(args), env=env, input=input, prog_name="cfglint", catch_exceptions=False)

    return invoke


def test_output_format_is_format(run):
    assert run("check", "--isolated", "--output-format", "json", "bad.yaml").output == run("check", "--isolated", "--format", "json", "bad.yaml").output
    assert json.loads(run("check", "--isolated", "--output-format", "json", "bad.yaml").output)["findings"][0]["code"] == "T001"


def test_each_output_file_takes_the_format_before_it(run):
    result = run("check", "--isolated", "--no-cache", "-q", "--format", "sarif", "-o", "results.sarif", "--format", "junit", "--output-file", "report.xml", "--format", "text", "bad.yaml")
    assert (result.exit_code, result.output) == (1, PLAIN)
    assert json.load(open("results.sarif"))["runs"][0]["results"][0]["ruleId"] == "T001"
    assert open("report.xml").read().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="cfglint" tests="1" failures="1" errors="0">')
    assert sorted(os.listdir(".")) == ["bad.yaml", "report.xml", "results.sarif"]  # written through temporary files, none left


def test_one_output_file_without_a_format_gets_the_text_report(run):
    result = run("check", "--isolated", "-q", "-o", "out.txt", "bad.yaml")
    assert (result.exit_code, result.output) == (1, "")
    assert open("out.txt").read() == PLAIN
    dash = run("check", "--isolated", "-q", "--format", "text", "-o", "-", "bad.yaml")
    assert dash.output == PLAIN  # `-` is stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o", "a.txt", "--format", "sarif"], "--output-file a.txt must follow the --format it is for"),
        (["--format", "sarif", "-o", "a", "-o", "b"], "--output-file b must follow the --format it is for"),
        (["-o", "a", "-o", "b"], "several --output-file need a --format each, before it"),
        (["--format", "json", "--format", "sarif"], "only one --format can go to stdout; give the others an --output-file"),
        (["--format", "json", "-o", "same", "--format", "sarif", "-o", "./same"], "two --format write the same --output-file"),
    ],
)
def test_ambiguous_outputs_are_usage_errors(run, args, message):
    result = run("check", "--isolated", *args, "bad.yaml")
    assert (result.exit_code, result.output) == (2, f"cfglint: error: {message}\n")
    assert sorted(os.listdir(".")) == ["bad.yaml"]


def test_an_output_file_never_overwrites_a_checked_file(run):
    result = run("check", "--isolated", "--format", "sarif", "-o", "./bad.yaml", "bad.yaml")
    assert (result.exit_code, result.output) == (2, "cfglint: error: --output-file ./bad.yaml is a file being checked; not overwritten\n")
    assert open("bad.yaml").read() == BAD


def test_an_output_file_that_cannot_be_written_is_exit_2(run):
    result = run("check", "--isolated", "-q", "--format", "sarif", "-o", "missing/results.sarif", "bad.yaml")
    assert result.exit_code == 2
    assert result.output.startswith("cfglint: error: missing/results.sarif: cannot write in ")


@pytest.mark.parametrize(
    "args, env, colored",
    [
        ([], {}, False),  # not a terminal
        (["--color", "always"], {}, True),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": ""}, False),  # set but empty: not forced
        ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True),  # forced, as force-color.org's example has it
        ([], {"NO_COLOR": "1"}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag wins
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_flag_and_variables(run, args, env, colored):
    result = run("check", "--isolated", "-q", *args, "bad.yaml", env=env)
    assert result.output == (COLORED if colored else PLAIN)


@pytest.mark.parametrize("env, colored", [({}, True), ({"NO_COLOR": "1"}, False), ({"NO_COLOR": ""}, True), ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True)])
def test_auto_colors_a_terminal_unless_no_color_is_set_and_not_empty(monkeypatch, env, colored):
    from cfglint.commands.common import use_color

    class Terminal:
        @staticmethod
        def isatty():
            return True

    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert use_color("auto") is colored
    assert use_color("never") is False


def test_color_is_for_text_on_stdout_only(run):
    sarif = run("check", "--isolated", "--format", "sarif", "--color", "always", "bad.yaml").output
    assert "\x1b[" not in sarif and json.loads(sarif)["runs"][0]["results"][0]["ruleId"] == "T001"
    written = run("check", "--isolated", "-q", "--color", "always", "-o", "out.txt", "bad.yaml")
    assert written.output == "" and open("out.txt").read() == PLAIN


def test_fix_diff_prints_changes_nothing_and_exits_1(run):
    with open("q.yaml", "w") as handle:
        handle.write(QUOTED)
    result = run("fix", "--isolated", "--diff", "q.yaml")
    assert result.exit_code == 1
    assert '-learning_rate: "0.001"\n+learning_rate: 0.001\n' in result.output
    assert open("q.yaml").read() == QUOTED
    colored = run("fix", "--isolated", "--diff", "--color", "always", "q.yaml")
    assert '\x1b[31m-learning_rate: "0.001"\x1b[0m\n\x1b[32m+learning_rate: 0.001\x1b[0m\n' in colored.output
    assert "\x1b[1m--- a/q.yaml\x1b[0m\n\x1b[1m+++ b/q.yaml\x1b[0m\n\x1b[36m@@ -2,4 +2,4 @@\x1b[0m\n" in colored.output
    with open("q.yaml", "w") as handle:
        handle.write(QUOTED.replace('"0.001"', "0.001"))
    assert run("fix", "--isolated", "--diff", "q.yaml").exit_code == 0


@pytest.mark.parametrize("other, named", [("--write", "--write"), ("--output=x.yaml", "--output")])
def test_fix_diff_goes_with_nothing_that_writes(run, other, named):
    result = run("fix", "--isolated", "--diff", other, "bad.yaml")
    assert (result.exit_code, result.output) == (2, f"cfglint: error: --diff prints a diff and changes nothing: it cannot go with {named}\n")


def test_fix_diff_of_stdin_prints_the_diff_not_the_bytes(run):
    changed = run("fix", "--isolated", "--diff", "-", "--stdin-filename", "q.yaml", input=QUOTED)
    assert changed.exit_code == 1
    assert changed.output.startswith("--- a/q.yaml\n+++ b/q.yaml\n@@ -2,4 +2,4 @@\n")
    assert '-learning_rate: "0.001"\n+learning_rate: 0.001\n' in changed.output
    clean = run("fix", "--isolated", "--diff", "-", "--stdin-filename", "q.yaml", input=QUOTED.replace('"0.001"', "0.001"))
    assert (clean.exit_code, clean.output) == (0, "")


def test_fix_write_exits_as_ruff_does(run):
    with open("q.yaml", "w") as handle:
        handle.write(QUOTED)
    fixed = run("fix", "--isolated", "--write", "q.yaml")
    assert fixed.exit_code == 0  # changed, and nothing at the fail level is left
    assert open("q.yaml").read() == QUOTED.replace('"0.001"', "0.001")
    with open("q.yaml", "w") as handle:
        handle.write(QUOTED)
    assert run("fix", "--isolated", "--write", "--exit-non-zero-on-fix", "q.yaml").exit_code == 1
    assert run("fix", "--isolated", "--write", "--exit-non-zero-on-fix", "q.yaml").exit_code == 0  # nothing left to change
    left = run("fix", "--isolated", "--write", "--exit-non-zero-on-fix", "bad.yaml")
    assert left.exit_code == 1 and open("bad.yaml").read() == BAD  # T001 is left (no fix proposed)
    info = "seq_len: 250\nlabel_len: 125\npred_len: 10\nval_size: 50\n"
    with open("i.yaml", "w") as handle:
        handle.write(info)
    assert run("fix", "--isolated", "--write", "i.yaml").exit_code == 0  # an info is below the fail level


@pytest.mark.parametrize(
    "args, line",
    [
        (["check", "--format", "nope"], "cfglint: error: Invalid value for '--format' / '--output-format': 'nope' is not one of 'text', 'json', 'github', 'sarif', 'junit', 'gitlab'; see `cfglint check --help`"),
        (["chek"], "cfglint: error: No such command 'chek'; see `cfglint --help`"),
        (["fix", "--jobs", "2"], "cfglint: error: No such option '--jobs'; see `cfglint fix --help`"),
        (["schema", "export", "--output-dir"], "cfglint: error: Option '--output-dir' requires an argument"),
        (["check", "--isolated", "nope.yaml"], "cfglint: error: nope.yaml: no such file or directory"),
    ],
)
def test_errors_have_one_style(run, args, line):
    result = run(*args)
    assert result.output.splitlines()[0] == line
    assert result.exit_code == 2


def test_a_refused_fix_is_a_warning(run):
    with open("broken.yaml", "w") as handle:
        handle.write("a: [1\n")
    result = run("fix", "--isolated", "--write", "broken.yaml")
    assert result.output.startswith("cfglint: warning: broken.yaml:2:1: not fixed: ")
    assert result.exit_code == 1


def test_the_command_alone_still_prints_its_help(run):
    assert run().output.startswith("Usage: cfglint [OPTIONS] COMMAND [ARGS]...")


def completion(words, cword, mode="bash_complete"):
    env = {**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(cword), "_CFGLINT_COMPLETE": mode}
    return subprocess.run([sys.executable, "-m", "cfglint"], env=env, capture_output=True, text=True, check=True).stdout


def test_shell_completion_with_the_lazy_command_group():
    assert completion("cfglint ch", 1) == "plain,check\n"
    assert completion("cfglint check --output-f", 2) == "plain,--output-format\nplain,--output-file\n"
    assert completion("cfglint check --format ", 3) == "".join(f"plain,{name}\n" for name in ("text", "json", "github", "sarif", "junit", "gitlab"))
    assert completion("", 0, "bash_source").startswith("_cfglint_completion() {\n")
