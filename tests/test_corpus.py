"""All 622 real configs in ../shared/corpus go through check without a traceback."""

import os
import subprocess
import sys

from cfglint.api import CheckOptions, Checker


def test_every_corpus_config_is_checked_without_crashing(corpus):
    result = Checker(CheckOptions(isolated=True)).check([corpus])
    assert len(result.files) == 622
    assert result.input_errors == []
    syntax = sorted(os.path.basename(f.file) for f in result.findings if f.code == "D001")
    # Only the DeepSpeed templates with placeholders are not valid JSON.
    assert syntax == sorted(
        [
            "ds_config_TEMPLATE.json",
            "ds_config_structural_pruning_TEMPLATE.json",
            "ds_config_gpt2-medium_1clmetric_TEMPLATE.json",
            "ds_config_gpt2-medium_2clmetrics_TEMPLATE.json",
            "ds_config_gpt2_TEMPLATE.json",
            "ds_config_temp.json",
        ]
    )


def test_known_corpus_problems_are_found_at_their_positions(corpus):
    path = os.path.join(corpus, "causal_discovery/larslorch__avici/experiments/linear-hparam/methods.yaml")
    (report,) = Checker(CheckOptions(isolated=True)).check([path]).files
    assert [(f.code, f.span.line, f.span.column) for f in report.findings][:2] == [("D002", 72, 3), ("D002", 74, 3)]


def test_the_command_line_over_the_corpus_has_no_traceback(corpus):
    run = subprocess.run(
        [sys.executable, "-m", "cfglint", "check", "--isolated", "--exit-zero", "--format", "json", corpus],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0
    assert "Traceback" not in run.stderr
