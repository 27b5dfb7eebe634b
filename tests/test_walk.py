"""Which files a run reads: files that are surely not training configs are passed by (named or
walked), `exclude` with --force-exclude, and .gitignore in folder walks."""

import json
import os
import subprocess

import pytest
from click.testing import CliRunner

from cfglint.api import CheckOptions, Checker
from cfglint.cli import main

CLEAN = "seq_len: 96\nlabel_len: 48\npred_len: 24\ntrain_epochs: 10\nlearning_rate: 0.001\nwarmup_epochs: 1\n"
BROKEN = "lr: [0.001\n"

# Files of other tools a repository holds, each with why it is passed by.
NOT_TRAINING = {
    "package.json": ('{"name": "web", "version": "1.0.0"}\n', "an npm package manifest"),
    "tsconfig.json": ('{\n  // strict\n  "compilerOptions": {"strict": true,},\n}\n', "TypeScript compiler settings"),
    ".vscode/settings.json": ('{\n  // editor\n  "editor.formatOnSave": true\n}\n', "VS Code settings (.vscode/)"),
    ".github/workflows/ci.yml": ("on: [push]\njobs: {test: {runs-on: ubuntu-latest}}\n", "GitHub settings (.github/: workflows, dependabot, issue templates)"),
    "docker-compose.yml": ("services:\n  web: {image: nginx}\n", "a Docker Compose file"),
    "mkdocs.yml": ("site_name: Docs\n", "MkDocs settings"),
    "pyproject.toml": ('[project]\nname = "x"\n', "a tool's settings"),
    "deploy/web.yaml": ("apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: Service\n", "a Kubernetes manifest (apiVersion and kind)"),
    "environment.yml": ("name: ml\nchannels: [conda-forge]\ndependencies: [python=3.11, pip]\n", "a conda environment (name, channels, dependencies)"),
    "chart/Chart.yaml": ("apiVersion: v2\nname: web\nversion: 0.1.0\n", "a Helm chart's metadata"),
    "chart/values.yaml": ("replicaCount: 1\n", "a Helm chart's values (beside Chart.yaml)"),
    "chart/templates/deployment.yaml": ("replicas: {{ .Values.replicaCount }}\n", "a Helm template (under a chart's templates/)"),
}


def write(files: dict[str, str]) -> None:
    for path, text in files.items():
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def cfglint(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def git(*args):
    environment = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], check=True, capture_output=True, env=environment)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A folder with the other tools' files and one clean training config."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / ".cache"))
    write({path: text for path, (text, _) in NOT_TRAINING.items()})
    write({"configs/run.yaml": CLEAN})
    return tmp_path


def skipped_lines(paths):
    return [f"{os.path.normpath(path)}: skipped: {NOT_TRAINING[path][1]}, not a training config" for path in paths]


def test_named_files_of_other_tools_are_passed_by_and_listed_with_verbose(repo):
    named = sorted(NOT_TRAINING)
    result = cfglint("check", "--isolated", "-v", *named, "configs/run.yaml")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[: len(named)] == skipped_lines(named)  # in the order named
    assert result.stdout == f"All checks passed (1 file checked; {len(named)} passed by (see -v)).\n"


def test_a_run_where_every_named_file_is_passed_by_exits_0(repo):
    result = cfglint("check", "--isolated", "tsconfig.json", ".vscode/settings.json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "Nothing checked: 2 files passed by (see -v).\n", "")
    fixed = cfglint("fix", "--write", "--isolated", "tsconfig.json", "environment.yml")
    assert (fixed.exit_code, fixed.output) == (0, "Fixed 0 findings in 0 files; 2 passed by (see -v).\n")
    assert open("tsconfig.json").read() == NOT_TRAINING["tsconfig.json"][0]


def test_a_folder_walk_passes_them_by_too_and_json_counts_them(repo):
    result = cfglint("check", "--isolated", "--format", "json", ".")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)["summary"]
    # .vscode/ and .github/ are not walked at all (folders starting with "." never are)
    assert (summary["files"], summary["passed_by"]) == (1, len(NOT_TRAINING) - 2)
    verbose = cfglint("check", "--isolated", "-v", ".")
    assert "./chart/templates/deployment.yaml" not in verbose.stderr  # paths are shown as display paths
    assert "chart/templates/deployment.yaml: skipped: a Helm template (under a chart's templates/), not a training config" in verbose.stderr.splitlines()


def test_no_skip_known_checks_them_anyway(repo):
    result = cfglint("check", "--isolated", "--no-skip-known", "tsconfig.json")
    assert result.exit_code == 1
    assert result.stdout.startswith("tsconfig.json:2:3: D001 [error] ")


def test_include_setting_checks_a_known_file(repo):
    write({".cfglint.yaml": "include: [environment.yml]\n"})
    result = cfglint("check", "-v", "environment.yml", "mkdocs.yml")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed (1 file checked; 1 with no training settings (syntax and duplicate keys checked only); 1 passed by (see -v)).\n"
    assert result.stderr.splitlines()[0] == "mkdocs.yml: skipped: MkDocs settings, not a training config"
    assert result.stderr.splitlines()[1].startswith("environment.yml: dialect none detected")


def test_content_is_recognised_only_when_it_is_unmistakable(repo):
    write({
        "k8s-and-more.yaml": "apiVersion: v1\nkind: Pod\n---\nlr: 0.1\n",  # one document is not a manifest
        "env.yml": "name: ml\ndependencies: [pip]\nlr: 0.1\n",  # not a key conda knows
        "values.yaml": "replicaCount: 1\n",  # no Chart.yaml beside it
        "templates/a.yaml": "x: 1\n",  # no chart above
    })
    checker = Checker(CheckOptions(isolated=True))
    result = checker.check(["k8s-and-more.yaml", "env.yml", "values.yaml", "templates/a.yaml"])
    assert [report.path for report in result.files] == ["k8s-and-more.yaml", "env.yml", "values.yaml", "templates/a.yaml"]
    assert result.passed_by == []


def test_a_pass_by_for_content_is_cached_like_a_report(repo):
    first = cfglint("check", "--isolated", "-v", "deploy/web.yaml")
    second = cfglint("check", "--isolated", "-v", "deploy/web.yaml")
    assert os.path.isdir(".cache")
    assert first.stderr == second.stderr == "deploy/web.yaml: skipped: a Kubernetes manifest (apiVersion and kind), not a training config\n"


def test_force_exclude_applies_exclude_to_named_files(repo):
    write({".cfglint.yaml": "exclude: ['legacy/*']\n", "legacy/old.yaml": BROKEN})
    settings = os.path.join(str(repo), ".cfglint.yaml")
    assert cfglint("check", "legacy/old.yaml").exit_code == 1  # named: checked, as ruff does
    result = cfglint("check", "--force-exclude", "-v", "legacy/old.yaml", "configs/run.yaml")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == f"legacy/old.yaml: skipped: excluded by 'legacy/*' in {settings}"
    assert result.stdout == "All checks passed (1 file checked; 1 passed by (see -v)).\n"
    assert cfglint("fix", "--write", "legacy/old.yaml").exit_code == 1  # not fixed: it does not parse
    fixed = cfglint("fix", "--write", "--force-exclude", "-v", "legacy/old.yaml")
    assert (fixed.exit_code, fixed.output) == (0, f"legacy/old.yaml: skipped: excluded by 'legacy/*' in {settings}\nFixed 0 findings in 0 files; 1 passed by (see -v).\n")
    assert open("legacy/old.yaml").read() == BROKEN


@pytest.fixture
def git_repo(tmp_path, monkeypatch):
    """A git work tree whose .gitignore leaves out a folder of broken YAML and some logs."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / ".cache"))
    write({
        "configs/run.yaml": CLEAN,
        "generated/bad.yaml": BROKEN,
        "logs/noise.yaml": BROKEN,
        "logs/keep.yaml": CLEAN,
        ".gitignore": "generated/\n",
        "logs/.gitignore": "*.yaml\n!keep.yaml\n",  # a nested .gitignore with a negation
    })
    git("init", "-q")
    return tmp_path


def checked(result):
    return json.loads(result.stdout)["summary"]["files"]


def test_a_folder_walk_leaves_out_what_git_ignores(git_repo):
    result = cfglint("check", "--isolated", "--format", "json", ".")
    assert result.exit_code == 0
    assert checked(result) == 2  # configs/run.yaml and logs/keep.yaml
    named = cfglint("check", "--isolated", "generated/bad.yaml")  # named explicitly: checked
    assert named.exit_code == 1 and named.stdout.startswith("generated/bad.yaml:2:1: D001 [error] ")
    walked = cfglint("check", "--isolated", "generated")  # a folder named that git ignores as a whole
    assert walked.exit_code == 1 and walked.stdout.startswith("generated/bad.yaml:2:1: D001 [error] ")


def test_a_tracked_file_is_walked_even_if_a_pattern_matches_it(git_repo):
    git("add", "-f", "logs/noise.yaml")
    result = cfglint("check", "--isolated", "--format", "json", ".")
    assert checked(result) == 3 and result.exit_code == 1


def test_respect_gitignore_false_walks_everything(git_repo):
    write({".cfglint.yaml": "respect-gitignore: false\n"})
    result = cfglint("check", "--format", "json", ".")
    assert (checked(result), result.exit_code) == (4, 1)


def test_respect_gitignore_must_be_a_boolean(git_repo):
    write({".cfglint.yaml": "respect-gitignore: 'no'\n"})
    result = cfglint("check", ".")
    assert (result.exit_code, result.stderr) == (2, f"cfglint: error: {os.path.join(str(git_repo), '.cfglint.yaml')}:1:1: 'respect-gitignore' must be true or false\n")


def test_outside_a_git_work_tree_the_walk_reads_every_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / ".cache"))
    write({"configs/run.yaml": CLEAN, "generated/bad.yaml": BROKEN, ".gitignore": "generated/\n"})
    result = cfglint("check", "--isolated", "--format", "json", ".")
    assert (checked(result), result.exit_code) == (2, 1)


def test_no_corpus_config_is_passed_by(corpus):
    result = Checker(CheckOptions(isolated=True)).check([corpus], jobs=1)
    assert result.passed_by == []
    assert len(result.files) + len(result.input_errors) == 622
