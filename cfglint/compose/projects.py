"""Hydra projects among the files a run checks: which files are roots, which are options of
their config groups, and the compositions that check every option in the context it runs in.

A Hydra config folder holds root configs (files with a `defaults:` list, directly in the folder:
`configs/train.yaml`) and config groups (its subfolders: `configs/model/mnist.yaml` is option
`mnist` of group `model`). A group file alone is a fragment: its warmup means nothing without
the trainer file's epochs. So each group file is checked inside a root's composition: the
root's own defaults when they choose it, else the root with that option chosen (`model=other`,
or `+experiment=long` for a group the defaults list leaves out), as a user would launch it.
A file that no composition reaches is checked alone, as before.

The config folder of a file is found by looking up from it (a few levels, never past the git
work tree) for a folder of roots that names the file's top folder as a group (see place and
groups_named), so a pre-commit run that names only `configs/model/mnist.yaml` still checks it
with `configs/train.yaml`.
"""

from __future__ import annotations

import os
import re
import stat
from typing import TYPE_CHECKING

from cfglint.record import Record
from cfglint.source import YAML_SUFFIXES, InputError, load_document, read_bytes

if TYPE_CHECKING:
    from cfglint.document import Document

# A root config's defaults list starts a line at the top level; compiled on first use.
_DEFAULTS_LINE = rb"(?m)^defaults[ \t]*:"


def may_have_defaults(data: bytes) -> bool:
    """Whether a file's bytes may hold a top-level defaults list (a cheap test before parsing;
    every file checked takes it, and most lack the word: a substring test rules them out)."""
    if not (data.startswith(b"defaults") or b"\ndefaults" in data):
        return False
    return re.search(_DEFAULTS_LINE, data) is not None


# How far up from a file a config folder is looked for: group files nest (model/net/x.yaml).
MAX_LEVELS = 4
# How far below a folder of roots its files are read for the groups they name.
EVIDENCE_LEVELS = 2


def has_defaults_list(doc: Document) -> bool:
    """Whether a document has a top-level `defaults:` list: a Hydra root or option with a defaults list."""
    from cfglint.document import Sequence

    root = doc.mapping
    entry = root.get("defaults") if root is not None else None
    return entry is not None and isinstance(entry.value, Sequence)


def _head(path: str) -> bytes | None:
    """The first MiB of a regular file, or None: a FIFO named like a config would block a read
    forever (as read_bytes refuses it), and an unreadable file says nothing."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return handle.read(1 << 20)
    except OSError:
        return None


def yaml_below(folder: str, levels: int | None = None):
    """(path, top subfolder or "", depth) of each YAML file in `folder` (depth 0) and in its
    subfolders, up to `levels` folders down (all without a limit), in a stable order, leaving out
    the folders a walk leaves out."""
    from cfglint.walk import skipped_folder

    for current, folders, names in os.walk(folder):
        relative = os.path.relpath(current, folder)
        depth = 0 if relative == "." else relative.count(os.sep) + 1
        folders[:] = sorted(name for name in folders if not skipped_folder(name)) if levels is None or depth < levels else []
        top = "" if depth == 0 else relative.split(os.sep, 1)[0]
        for name in sorted(names):
            if name.lower().endswith(YAML_SUFFIXES):
                yield os.path.join(current, name), top, depth


def _top(group: str) -> str:
    """The top folder of a group as a defaults list writes it: `/model/lm@pkg` -> `model`."""
    return group.split("@", 1)[0].lstrip("/").split("/", 1)[0]


class Unit(Record):
    """One composition to check: a root and the overrides it is launched with. A unit that
    chooses a group option to check that option in context names it: `label` is the override
    that chooses it, `target` its file."""

    __slots__ = ("root", "overrides", "label", "target")

    def __init__(self, root: str, overrides: tuple[str, ...] = (), label: str = "", target: str | None = None) -> None:
        self.root = root
        self.overrides = overrides
        self.label = label
        self.target = target

    def describe(self) -> str:
        return self.root + (f" with {self.label}" if self.label else "")


class GroupFile(Record):
    """A file below a folder of roots: its config folder and its config path there, without the
    suffix (`model/mnist`, `solver/musicgen/base_32khz`)."""

    __slots__ = ("config_dir", "config_path")

    def __init__(self, config_dir: str, config_path: str) -> None:
        self.config_dir = config_dir
        self.config_path = config_path

    def choice(self, choices: dict[str, object]) -> tuple[str, str]:
        """(group, override) that chooses this file as a launch would. The group is the longest
        folder prefix the composition already chooses an option of (`model/net` when model/x.yaml
        chose model/net/small.yaml), else the top folder, which a root's defaults list names
        (the rest of the path is then the option, as Hydra allows: `solver=musicgen/base_32khz`).
        A group the composition has no choice for is added: `+debug=limit`."""
        chosen = {name.split("@", 1)[0].lstrip("/") for name in choices}
        parts = self.config_path.split("/")
        for cut in range(len(parts) - 1, 0, -1):
            group = "/".join(parts[:cut])
            if group in chosen:
                return group, f"{group}={'/'.join(parts[cut:])}"
        return parts[0], f"+{parts[0]}={'/'.join(parts[1:])}"


class Projects:
    """Finds config folders and their roots; each folder is listed and each file read once."""

    def __init__(self) -> None:
        self._candidates: dict[str, list[str]] = {}  # folder -> YAML files whose text has `defaults:`
        self._groups: dict[str, set[str]] = {}  # folder of roots -> the top-level groups it has (groups_named)
        self._documents: dict[str, Document] = {}
        self._group_folders: dict[str, tuple[str, str] | None] = {}  # folder -> (config folder, its path below it) or None
        self._work_trees: dict[str, bool] = {}  # folder -> whether it holds a `.git`

    def read(self, path: str) -> Document:
        """A file's document, read once per run (the folders' reading may have read it already);
        raises InputError when it cannot be read."""
        key = os.path.normpath(path)
        doc = self._documents.get(key)
        if doc is None:
            doc = self._documents[key] = load_document(path, read_bytes(path))
        return doc

    def load(self, path: str) -> Document | None:
        """read(), or None when the file does not exist or cannot be read (a file a root names)."""
        try:
            return self.read(path)
        except InputError:
            return None

    def roots_in(self, folder: str) -> list[str]:
        """The root configs directly in `folder`: YAML files whose defaults list parses as one."""
        return [path for path in self._candidates_in(folder) if (doc := self.load(path)) is not None and has_defaults_list(doc)]

    def groups_named(self, folder: str) -> set[str]:
        """The top-level groups (`model` of `model/net`) of a folder of roots: those its roots'
        defaults lists choose; those a file of its groups names absolutely (`- /model: lm/base`
        in solver/musicgen/base.yaml); and subfolders whose own files are written as group
        options (a `# @package` header, or an `override` of a group their own list does not
        choose: no primary config can be that). Only files one or two folders down count, so a
        stray root high above (a folder of scratch files) claims nothing far below it."""
        if folder not in self._groups:
            from cfglint.compose.hydra import default_choices, defaults_entries, package_header

            names = set()
            for root in self.roots_in(folder):
                names.update(_top(group) for group in default_choices(self.load(root)))  # type: ignore[arg-type]
            for path, top, depth in yaml_below(folder, EVIDENCE_LEVELS):
                if depth == 0:
                    continue  # the roots, read above
                head = _head(path)
                if head is None or not (may_have_defaults(head) or b"@package" in head[:4096]):
                    continue
                doc = self.load(path)
                if doc is None:
                    continue
                entries = defaults_entries(doc)
                names.update(_top(entry.group) for entry in entries if entry.group and entry.group.startswith("/"))
                if depth == 1:
                    chosen = {_top(entry.group) for entry in entries if entry.group and not entry.override}
                    refused_as_primary = any(entry.override and entry.group and not entry.group.lstrip("/").startswith("hydra/") and _top(entry.group) not in chosen for entry in entries)
                    if refused_as_primary or package_header(doc)[0] is not None:
                        names.add(top)
            self._groups[folder] = names
        return self._groups[folder]

    def _candidates_in(self, folder: str) -> list[str]:
        if folder not in self._candidates:
            found = []
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                names = []
            for name in names:
                if not name.lower().endswith(YAML_SUFFIXES):
                    continue
                path = os.path.join(folder, name)
                head = _head(path)
                if head is not None and may_have_defaults(head):
                    found.append(path)
            self._candidates[folder] = found
        return self._candidates[folder]

    def place(self, path: str, has_defaults: bool) -> tuple[str | None, GroupFile | None]:
        """Where `path` sits in a Hydra project: (its folder, None) for a root (a file with a
        defaults list, `has_defaults`, that no folder above makes a group option), (None, its
        group option) for a file in a group folder below a folder whose roots' defaults lists
        name that group, (None, None) for any other file. The farthest such folder within
        MAX_LEVELS wins: a group file may have its own defaults list (model/x.yaml choosing
        model/net/y.yaml), which makes its folder look like a config folder too."""
        if not path.lower().endswith(YAML_SUFFIXES):
            return None, None
        folder = os.path.dirname(path) or "."
        above = self._group_folder(folder)
        if above is not None:
            config_dir, below = above
            return None, GroupFile(config_dir, f"{below}/{os.path.splitext(os.path.basename(path))[0]}")
        return (os.path.abspath(folder), None) if has_defaults else (None, None)

    def _group_folder(self, folder: str) -> tuple[str, str] | None:
        """(config folder, group) when `folder` is a group folder (see place), else None; once
        per folder. The config folder is written as `folder` is (relative or absolute), so that
        its roots' paths are too."""
        if folder in self._group_folders:
            return self._group_folders[folder]
        found = None
        parts: list[str] = []
        current = os.path.abspath(folder)
        for _ in range(MAX_LEVELS):
            if current not in self._work_trees:  # each folder looked at once, not once per folder below it
                self._work_trees[current] = os.path.exists(os.path.join(current, ".git"))
            if self._work_trees[current]:
                break  # never look above the work tree
            parent = os.path.dirname(current)
            if parent == current:
                break
            parts.insert(0, os.path.basename(current))
            current = parent
            written = current if os.path.isabs(folder) else os.path.relpath(current)
            if self._candidates_in(written) and parts[0] in self.groups_named(written):
                found = (written, "/".join(parts))  # the folder's path below the config folder
        self._group_folders[folder] = found
        return found
