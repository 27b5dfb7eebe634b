"""Which files a run reads: the folder walk, and the files that are surely not training configs.

A repository holds YAML, JSON and TOML of many tools besides its training configs; pre-commit
names every staged one. Those below are passed by, whether named or met in a walk, each for the
reason given (`-v` prints it). The list is by name, so the walk stays a walk: only Kubernetes
manifests and conda environments, which have any name, are recognised by their parsed content
(known_content). Each entry must be unmistakable: a name a training config could plausibly have
(`values.yaml`, `environment.yml`, `config.json`) is matched only with what makes it certain.
"""

from __future__ import annotations

import functools
import os
import re
from fnmatch import translate

from cfglint.settings import SETTINGS_FILES
from cfglint.source import JSON_SUFFIXES, TOML_SUFFIXES, YAML_SUFFIXES

# Folders never searched when a folder is given (folders whose name starts with "." neither).
SKIPPED_FOLDERS = {"node_modules", "__pycache__", "venv", "site-packages"}


def skipped_folder(name: str) -> bool:
    """Whether a folder walk leaves out a folder of this name (the language server too)."""
    return name.startswith(".") or name in SKIPPED_FOLDERS

# TOML files that configure tools, not training. cfglint's own settings files are among them.
TOOL_SETTINGS_FILES = frozenset(
    name.lower()
    for name in (
        *SETTINGS_FILES, ".cfglint.toml", "Cargo.toml", "ruff.toml", ".ruff.toml", "rustfmt.toml", ".rustfmt.toml",
        "clippy.toml", ".clippy.toml", "rust-toolchain.toml", "deny.toml", "taplo.toml", ".taplo.toml", "typos.toml",
        "_typos.toml", ".typos.toml", "pixi.toml", "hatch.toml", "uv.toml", "netlify.toml", "book.toml", "Cross.toml",
        "mypy.toml", "pyrefly.toml", "ty.toml", "dprint.toml", "stylua.toml", ".stylua.toml", "samconfig.toml",
    )
)

# File names (lower case, fnmatch patterns) and why each is not a training config.
KNOWN_NAMES = {
    "package.json": "an npm package manifest",
    "package-lock.json": "an npm lock file",
    "npm-shrinkwrap.json": "an npm lock file",
    "tsconfig*.json": "TypeScript compiler settings",
    "jsconfig*.json": "JavaScript editor settings",
    ".eslintrc*": "ESLint settings",
    ".prettierrc*": "Prettier settings",
    ".stylelintrc*": "Stylelint settings",
    ".babelrc*": "Babel settings",
    "biome.json": "Biome settings",
    "deno.json": "Deno settings",
    "lerna.json": "Lerna settings",
    "composer.json": "a PHP Composer manifest",
    "renovate.json": "Renovate settings",
    ".renovaterc.json": "Renovate settings",
    ".devcontainer.json": "a dev container definition",
    ".gitlab-ci.yml": "a GitLab CI pipeline",
    "azure-pipelines*.yml": "an Azure Pipelines pipeline",
    ".travis.yml": "a Travis CI pipeline",
    "bitbucket-pipelines.yml": "a Bitbucket pipeline",
    "appveyor.yml": "an AppVeyor pipeline",
    ".appveyor.yml": "an AppVeyor pipeline",
    "docker-compose*.yml": "a Docker Compose file",
    "docker-compose*.yaml": "a Docker Compose file",
    "compose.yml": "a Docker Compose file",
    "compose.yaml": "a Docker Compose file",
    "compose.*.yml": "a Docker Compose file",
    "compose.*.yaml": "a Docker Compose file",
    "kustomization.yaml": "a Kustomize file",
    "kustomization.yml": "a Kustomize file",
    "chart.yaml": "a Helm chart's metadata",
    "mkdocs.yml": "MkDocs settings",
    "mkdocs.yaml": "MkDocs settings",
    ".readthedocs.yaml": "Read the Docs settings",
    ".readthedocs.yml": "Read the Docs settings",
    ".pre-commit-config.yaml": "pre-commit settings",
    ".pre-commit-config.yml": "pre-commit settings",
    ".pre-commit-hooks.yaml": "a pre-commit hook manifest",
    "codecov.yml": "Codecov settings",
    ".codecov.yml": "Codecov settings",
    "codecov.yaml": "Codecov settings",
    ".codecov.yaml": "Codecov settings",
    ".yamllint*": "yamllint settings",
    ".markdownlint*": "markdownlint settings",
    ".goreleaser.yml": "GoReleaser settings",
    ".goreleaser.yaml": "GoReleaser settings",
    "citation.cff": "citation metadata",
    **{name: "a tool's settings" for name in TOOL_SETTINGS_FILES},
}
# Folders whose files are never training configs (JSON with comments lives in the editor ones).
KNOWN_FOLDERS = {
    ".vscode": "VS Code settings (.vscode/)",
    ".idea": "JetBrains IDE settings (.idea/)",
    ".zed": "Zed editor settings (.zed/)",
    ".devcontainer": "a dev container definition (.devcontainer/)",
    ".github": "GitHub settings (.github/: workflows, dependabot, issue templates)",
    ".gitlab": "GitLab settings (.gitlab/)",
    ".circleci": "a CircleCI pipeline (.circleci/)",
}
_HELM_VALUES = "values(?:[.-].*)?\\.ya?ml\\Z"


def known_file(path: str) -> str | None:
    """Why the file at `path` is surely not a training config, judged by its name; None if it may be one."""
    folder, name = os.path.split(os.path.normpath(path))
    name = name.lower()
    if name in KNOWN_NAMES:
        return KNOWN_NAMES[name]
    globs, reasons = _wildcard_names()
    matched = globs.match(name)
    if matched is not None:
        return reasons[int(matched.lastgroup[1:])]
    parts = folder.replace("\\", "/").split("/")
    for part in parts:
        if part in KNOWN_FOLDERS:
            return KNOWN_FOLDERS[part]
    # A Helm chart: values files beside Chart.yaml, Go templates (not YAML) under its templates/.
    if re.match(_HELM_VALUES, name) and _is_chart(folder):
        return "a Helm chart's values (beside Chart.yaml)"
    if "templates" in parts:
        chart = "/".join(parts[: len(parts) - 1 - parts[::-1].index("templates")]) or "."
        if _is_chart(chart):
            return "a Helm template (under a chart's templates/)"
    return None


@functools.lru_cache(maxsize=None)
def _wildcard_names() -> tuple[re.Pattern, list[str]]:
    """The known names with wildcards as one pattern, a group per name in order, and each name's
    reason: one match per file, not one per name. Compiled on first use, not at start-up."""
    wildcards = [(pattern, reason) for pattern, reason in KNOWN_NAMES.items() if "*" in pattern]
    pattern = "|".join(f"(?P<g{index}>{translate(name)})" for index, (name, _) in enumerate(wildcards))
    return re.compile(pattern), [reason for _, reason in wildcards]


def _is_chart(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder or ".", "Chart.yaml"))


_CONDA_KEYS = frozenset(("name", "channels", "dependencies", "prefix", "variables"))


def known_content(doc) -> str | None:
    """Why a parsed file is surely not a training config, judged by its top-level keys: a
    Kubernetes manifest (every document has apiVersion and kind) or a conda environment
    (dependencies, and nothing but conda's own keys). None if it may be a training config."""
    from cfglint.document import Mapping, Sequence

    roots = [root for root in doc.roots if root is not None]
    if not roots or not all(isinstance(root, Mapping) for root in roots):
        return None
    if all(all(_string(root, key) for key in ("apiVersion", "kind")) for root in roots):
        return "a Kubernetes manifest (apiVersion and kind)"
    if len(roots) == 1:
        entry = roots[0].get("dependencies")
        if entry is not None and isinstance(entry.value, Sequence) and set(roots[0].keys()) <= _CONDA_KEYS:
            return "a conda environment (name, channels, dependencies)"
    return None


def _string(mapping, key: str) -> bool:
    from cfglint.document import Scalar

    entry = mapping.get(key)
    return entry is not None and isinstance(entry.value, Scalar) and isinstance(entry.value.value, str)


def iter_config_files(paths: list[str], errors: list[str], respect_gitignore=lambda folder: True):
    """(path, named explicitly) for each YAML, JSON and TOML file under `paths`: folders are
    searched, leaving out what git ignores when `respect_gitignore(folder)` says so; a file
    named is yielded whatever its name (the caller decides what to pass by)."""
    suffixes = YAML_SUFFIXES + JSON_SUFFIXES + TOML_SUFFIXES
    for path in paths:
        if os.path.isdir(path):
            ignored = git_ignored(path) if respect_gitignore(path) else frozenset()
            for folder, subfolders, files in os.walk(path):
                subfolders[:] = sorted(
                    d for d in subfolders
                    if not skipped_folder(d) and (not ignored or os.path.normpath(os.path.join(folder, d)) not in ignored)
                )
                for name in sorted(files):
                    if name.lower().endswith(suffixes):
                        file = os.path.join(folder, name)
                        if not ignored or os.path.normpath(file) not in ignored:
                            yield file, False
        elif os.path.lexists(path):
            yield path, True
        else:
            errors.append(f"{path}: no such file or directory")


def git_ignored(folder: str) -> frozenset[str]:
    """The files and folders under `folder` that git ignores (.gitignore files at every level,
    negations, .git/info/exclude and the global excludes file), as normalised paths joined to
    `folder`. Git answers, so its rules are exact; an ignored folder comes back whole, not file
    by file. Empty outside a work tree, without git, or when `folder` itself is ignored (a
    folder named on the command line is walked)."""
    if "GIT_DIR" not in os.environ and work_tree(folder) is None:
        return frozenset()
    import shutil  # only here: outside a work tree a run never pays for these imports
    import subprocess

    git = shutil.which("git")
    if git is None:
        return frozenset()
    command = [git, "-C", folder, "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"]
    try:
        listed = subprocess.run(command, capture_output=True, check=False)
    except OSError:
        return frozenset()
    entries = [os.fsdecode(entry) for entry in listed.stdout.split(b"\0") if entry]
    if listed.returncode != 0 or entries == ["./"]:
        return frozenset()
    return frozenset(os.path.normpath(os.path.join(folder, entry)) for entry in entries)


def work_tree(folder: str) -> str | None:
    """The nearest folder at or above `folder` holding a `.git`, or None: outside one, git is
    not started at all, and reports fall back to the working folder."""
    folder = os.path.abspath(folder)
    while not os.path.exists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    return folder
