"""What every reporter shares."""

from __future__ import annotations

import os

from cfglint.api import FRAMEWORK, GENERIC, NOTHING_READ, CheckResult, FileReport
from cfglint.finding import Finding
from cfglint.record import Record
from cfglint.walk import work_tree


class Reporter:
    """Turns a check result into one output format."""

    def __init__(self, color: bool = False, quiet: bool = False) -> None:
        self.color = color
        self.quiet = quiet

    def render(self, result: CheckResult) -> str:
        raise NotImplementedError


def counts(result: CheckResult) -> dict[str, int]:
    findings = result.findings
    return {
        "files": len(result.files),
        "findings": len(findings),
        "errors": sum(1 for f in findings if f.severity.name == "ERROR"),
        "warnings": sum(1 for f in findings if f.severity.name == "WARNING"),
        "infos": sum(1 for f in findings if f.severity.name == "INFO"),
        # How the files were read: never "passed" without saying what was understood.
        "read_by_dialect": sum(1 for r in result.files if r.reading == FRAMEWORK),
        "read_generically": sum(1 for r in result.files if r.reading == GENERIC),
        "no_training_settings": sum(1 for r in result.files if r.reading == NOTHING_READ),
        # Files named or found but not checked: not training configs, or excluded (-v says which).
        "passed_by": len(result.passed_by),
    }


def source_root(result: CheckResult) -> str:
    """The folder report paths are relative to: the git work tree holding the checked files (the
    nearest folder above them with a `.git`), else the working folder."""
    cwd = os.getcwd()
    paths = [os.path.abspath(report.path) for report in result.files if report.path != "-"]
    try:
        folder = os.path.commonpath(paths) if paths else cwd
    except ValueError:  # on different drives
        return cwd
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    return work_tree(folder) or cwd


def relative_path(path: str, root: str) -> str | None:
    """`path` relative to `root` with forward slashes, or None when it lies outside `root`."""
    try:
        relative = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


class Located(Record):
    """A finding with its report, its path relative to the source root (None outside it) and its
    fingerprint."""

    __slots__ = ("report", "finding", "path", "fingerprint")

    def __init__(self, report: FileReport, finding: Finding, path: str | None, fingerprint: str) -> None:
        self.report = report
        self.finding = finding
        self.path = path
        self.fingerprint = fingerprint


def located(result: CheckResult, root: str) -> list[Located]:
    """Every finding, in file order, with a fingerprint that survives moved lines: a SHA-256 of the
    file's path relative to `root` (its absolute path outside it), the rule code, the dotted key
    and how many findings of that code on that key came before it in the file; never the line or
    the message, which change when lines move or a value is edited."""
    import hashlib

    entries = []
    for report in result.files:
        path = relative_path(report.path, root)
        seen: dict[tuple[str, str], int] = {}
        for finding in report.findings:
            identity = (finding.code, finding.key or "")
            seen[identity] = seen.get(identity, 0) + 1
            text = "\0".join((path or os.path.abspath(report.path), *identity, str(seen[identity])))
            entries.append(Located(report, finding, path, hashlib.sha256(text.encode("utf-8")).hexdigest()))
    return entries
