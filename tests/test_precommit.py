"""The pre-commit hooks, run for real by pre-commit in a repository that also holds other tools'
YAML and JSON: pre-commit installs this checkout with pip into a fresh environment (a copy of the
tree, committed, so uncommitted changes are what is tested), then runs the hooks.

Each test installs once (15 to 20 seconds here with pip's cache warm); they are marked
builds_package, so the suite the sdist's own tree runs leaves them out."""

import os
import shutil
import subprocess
import sys

import pytest

from test_walk import CLEAN

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FILES = {
    "package.json": '{"name": "web", "version": "1.0.0", "scripts": {"build": "tsc"}}\n',
    "tsconfig.json": '{\n  // strict mode\n  "compilerOptions": {"strict": true, "target": "es2022",},\n}\n',
    ".vscode/settings.json": '{\n  // format on save\n  "editor.formatOnSave": true,\n  "python.testing.pytestEnabled": true\n}\n',
    ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n",
    "docker-compose.yml": "services:\n  trainer:\n    image: pytorch/pytorch\n    command: python train.py\n",
    "environment.yml": "name: ml\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch\n",
    "mkdocs.yml": "site_name: Training docs\nnav:\n  - Home: index.md\n",
    "configs/run.yaml": CLEAN,
}


def environment(tmp_path) -> dict[str, str]:
    """pre-commit's own store in the test's folder; git and pip that ask nothing and read no user
    configuration; no PYTHONPATH, so the hooks run the installed copy."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PRE_COMMIT_HOME")}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "store"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.com",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        CFGLINT_CACHE_DIR=str(tmp_path / "cfglint-cache"),
    )
    return env


def run(command: list[str], cwd, env) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def commit_all(folder, env) -> None:
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "files"]):
        done = run(command, folder, env)
        assert done.returncode == 0, done.stderr


def hook_repository(tmp_path, env) -> str:
    """This checkout as pre-commit clones it: a git repository at a commit (tests and caches left out)."""
    copy = tmp_path / "cfglint"
    ignored = shutil.ignore_patterns(".git", ".venv*", "*.egg-info", "__pycache__", "build", "dist", ".*cache*", ".hypothesis", "tests")
    shutil.copytree(ROOT, copy, ignore=ignored)
    commit_all(copy, env)
    return str(copy)


def user_repository(tmp_path, env, files: dict[str, str]) -> str:
    folder = tmp_path / "project"
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    commit_all(folder, env)
    return str(folder)


def pre_commit(*args: str, cwd, env) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "pre_commit", *args], cwd, env)


@pytest.mark.builds_package
def test_both_hooks_pass_on_a_repository_of_other_tools_files_and_a_clean_config(tmp_path):
    env = environment(tmp_path)
    hooks = hook_repository(tmp_path, env)
    config = f"repos:\n  - repo: {hooks}\n    rev: HEAD\n    hooks:\n      - id: cfglint-fix\n      - id: cfglint\n"
    project = user_repository(tmp_path, env, {**FILES, ".pre-commit-config.yaml": config})
    # the clean config is clean: cfglint reads it and finds nothing
    checked = run([sys.executable, "-m", "cfglint", "check", "--isolated", "configs/run.yaml"], project, dict(env, PYTHONPATH=ROOT))
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (1 file checked).\n")
    result = pre_commit("try-repo", hooks, "--all-files", cwd=project, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert [line.rsplit(".", 1)[-1] for line in output.splitlines() if line.startswith("cfglint")] == ["Passed", "Passed"]
    assert run(["git", "status", "--porcelain"], project, env).stdout == ""  # nothing was changed


@pytest.mark.builds_package
def test_the_fix_hook_changes_a_file_and_fails_then_passes(tmp_path):
    env = environment(tmp_path)
    hooks = hook_repository(tmp_path, env)
    revision = run(["git", "rev-parse", "HEAD"], hooks, env).stdout.strip()
    config = f"repos:\n  - repo: {hooks}\n    rev: {revision}\n    hooks:\n      - id: cfglint-fix\n      - id: cfglint\n"
    quoted = CLEAN.replace("learning_rate: 0.001", 'learning_rate: "0.001"  # peak')
    project = user_repository(tmp_path, env, {"tsconfig.json": FILES["tsconfig.json"], "configs/run.yaml": quoted, ".pre-commit-config.yaml": config})
    first = pre_commit("run", "--all-files", cwd=project, env=env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "- files were modified by this hook" in first.stdout
    with open(os.path.join(project, "configs", "run.yaml"), encoding="utf-8") as handle:
        assert handle.read() == CLEAN.replace("learning_rate: 0.001", "learning_rate: 0.001    # peak")
    second = pre_commit("run", "--all-files", cwd=project, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert [line.rsplit(".", 1)[-1] for line in second.stdout.splitlines() if line.startswith("cfglint")] == ["Passed", "Passed"]
