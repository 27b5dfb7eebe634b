"""A cache of `check` results for files that did not change, like ruff's.

A file's entry is keyed by a hash of cfglint's version, the command-line options, the settings
file that applies (its path and bytes), the working folder, the file's path and its bytes: any
change to any of them misses. Those decide which other files the check reads, the JSON Schemas the
file names or the settings assign; the entry records each with a hash of its bytes (or that it was
missing), and a change to any of them misses too. A Hydra project's files are composed together,
so they share one entry, at the project's folder (see project_key). The whole cache is one JSON
file in `.cfglint_cache/` (or `$CFGLINT_CACHE_DIR`) holding one entry per path, so checking a few
files keeps the entries of the others. It is read once and, only when an entry changed, written
once per run, atomically. A cache that cannot be read or written is ignored: it only ever saves
time.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from typing import Any

from cfglint import __version__
from cfglint.document import Span
from cfglint.finding import Finding, Related, Severity

DEFAULT_FOLDER = ".cfglint_cache"
# Bumped whenever an entry's layout or the reading behind it changes, so old entries miss.
FORMAT = 6


def cache_folder() -> str:
    return os.environ.get("CFGLINT_CACHE_DIR") or DEFAULT_FOLDER


class Cache:
    def __init__(self, folder: str, options: Any) -> None:
        self.path = os.path.join(folder, f"check-{__version__}.json")
        self.prefix = f"{__version__}|{FORMAT}|{options!r}|".encode()
        self.entries: dict[str, list] = {}  # absolute path -> [key, report entry, {dependency: digest}]
        self.changed = False
        self._settings_digests: dict[str | None, str] = {}
        self._file_digests: dict[str, str] = {}
        try:
            with open(self.path, encoding="utf-8") as handle:
                loaded = json.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            pass

    def key(self, path: str, data: bytes, settings_path: str | None) -> str:
        """The entry's key. The path as typed and the working folder are part of it: a report
        shows paths relative to the working folder, so a run from another folder (`cfglint check
        a.yaml` in configs/ after `cfglint check configs/a.yaml`) must not show the other's."""
        digest = hashlib.sha256(self.prefix)
        digest.update(self._settings_digest(settings_path).encode())
        digest.update(os.path.abspath(path).encode() + b"\0" + os.fsencode(path) + b"\0" + os.fsencode(os.getcwd()) + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def project_key(self, folders: tuple[str, ...], paths: tuple[str, ...], settings_paths: list[str | None]) -> str:
        """The key of a Hydra project's results (see Checker._cached_projects): the working folder,
        the files checked as typed with their settings, and the name and bytes of every YAML file
        below the project's folders, so that an option added or removed misses too."""
        digest = hashlib.sha256(self.prefix + b"project\0" + os.fsencode(os.getcwd()) + b"\0")
        for path, settings_path in sorted(zip(paths, settings_paths), key=lambda pair: pair[0]):
            digest.update(os.fsencode(path) + b"\0" + self._settings_digest(settings_path).encode() + b"\0")
        from cfglint.compose.projects import yaml_below

        for folder in folders:
            digest.update(b"folder\0" + os.fsencode(os.path.abspath(folder)) + b"\0")
            for path, _, _ in yaml_below(folder):
                digest.update(os.fsencode(os.path.relpath(path, folder)) + b"\0" + self._file_digest(path).encode() + b"\0")
        return digest.hexdigest()

    def _settings_digest(self, settings_path: str | None) -> str:
        if settings_path not in self._settings_digests:
            value = "none"
            if settings_path is not None:
                try:
                    with open(settings_path, "rb") as handle:
                        value = f"{os.path.abspath(settings_path)}:{hashlib.sha256(handle.read()).hexdigest()}"
                except OSError:
                    value = "unreadable"
            self._settings_digests[settings_path] = value
        return self._settings_digests[settings_path]

    def get(self, path: str, key: str) -> dict | None:
        stored = self.entries.get(os.path.abspath(path))
        if isinstance(stored, list) and len(stored) == 3 and stored[0] == key and isinstance(stored[2], dict):
            if all(self._file_digest(dependency) == digest for dependency, digest in stored[2].items()):
                return stored[1]
        return None

    def put(self, path: str, key: str, entry: dict, depends_on: tuple[str, ...] = ()) -> None:
        """Store a result with the digest of each other file it was computed from."""
        self.entries[os.path.abspath(path)] = [key, entry, {dependency: self._file_digest(dependency) for dependency in depends_on}]
        self.changed = True

    def _file_digest(self, path: str) -> str:
        """A hash of the file's bytes, "missing", "unreadable" or "not a file" (a FIFO is never
        opened: that would wait for a writer): read once per run."""
        if path not in self._file_digests:
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    self._file_digests[path] = "not a file"
                    return self._file_digests[path]
                with open(path, "rb") as handle:
                    self._file_digests[path] = hashlib.sha256(handle.read()).hexdigest()
            except FileNotFoundError:
                self._file_digests[path] = "missing"
            except OSError:
                self._file_digests[path] = "unreadable"
        return self._file_digests[path]

    def save(self) -> None:
        """Write the entries back if any changed, dropping those of files that are gone."""
        if not self.changed:
            return
        import tempfile

        entries = {path: stored for path, stored in self.entries.items() if os.path.exists(path)}
        folder = os.path.dirname(self.path)
        try:
            os.makedirs(folder, exist_ok=True)
            gitignore = os.path.join(folder, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w", encoding="utf-8") as handle:
                    handle.write("# created by cfglint\n*\n")
            handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(json.dumps(entries, separators=(",", ":")))  # dumps uses the C encoder, dump does not
            os.replace(temporary, self.path)
        except OSError:
            pass  # a read-only tree: work without a cache


def _span(values: list[int]) -> Span:
    return Span(*values)


def _span_values(span: Span) -> list[int]:
    return [span.line, span.column, span.end_line, span.end_column, span.offset, span.end_offset]


def finding_to_entry(finding: Finding) -> dict:
    fix = finding.fix
    return {
        "file": finding.file,  # a finding may lie in a file the checked one names
        "code": finding.code,
        "name": finding.name,
        "severity": int(finding.severity),
        "message": finding.message,
        "span": _span_values(finding.span),
        "key": finding.key,
        "related": [[r.key, _span_values(r.span), r.file] for r in finding.related],
        "fix": None if fix is None else [fix.description, int(fix.applicability), [[e.start, e.end, e.text] for e in fix.edits]],
    }


def finding_from_entry(entry: dict) -> Finding:
    fix = None
    if entry["fix"] is not None:
        from cfglint.fixes import Applicability, Edit, Fix

        description, applicability, edits = entry["fix"]
        fix = Fix(description, Applicability(applicability), tuple(Edit(*edit) for edit in edits))
    return Finding(
        entry["file"],
        _span(entry["span"]),
        entry["code"],
        entry["name"],
        Severity(entry["severity"]),
        entry["message"],
        entry["key"],
        tuple(Related(key, _span(span), file) for key, span, file in entry["related"]),
        fix,
    )
