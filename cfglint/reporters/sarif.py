"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Columns count UTF-16 code units (`columnKind`), as GitHub and editors count them. Paths are
relative to `%SRCROOT%` (the git work tree holding the checked files, else the working folder,
given in `originalUriBaseIds`); a file outside it keeps its absolute `file://` URI.
`partialFingerprints["cfglint/v1"]` is the fingerprint of base.located (path, code, key and
occurrence; not the line), so an alert follows its finding when lines move. `exitCode` is the
check's own status (--exit-zero changes only the process's). Rules carry their `cfglint
explain` text as `help`; their `helpUri` is the project's page, whose README lists every rule
(there is no page per rule).
"""

from __future__ import annotations

import json
import pathlib
from urllib.parse import quote

from cfglint import __version__
from cfglint.api import CheckResult
from cfglint.document import Document, Span, split_lines, utf16_column
from cfglint.finding import Severity
from cfglint.fixes import Applicability
from cfglint.reporters.base import Located, Reporter, located, relative_path, source_root
from cfglint.source import InputError, decode, read_bytes

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
PROJECT_PAGE = "https://pypi.org/project/cfglint-ml/"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_APPLIES = {Applicability.SAFE: "safe fix, applied by `cfglint fix`", Applicability.UNSAFE: "unsafe fix (it changes the training), applied by `cfglint fix --unsafe-fixes`"}


def _region(span: Span, lines: list[str]) -> dict:
    def column(line: int, value: int) -> int:
        return utf16_column(lines[line - 1], value) if 1 <= line <= len(lines) else value

    return {"startLine": span.line, "startColumn": column(span.line, span.column), "endLine": span.end_line, "endColumn": column(span.end_line, span.end_column)}


class SarifReporter(Reporter):
    def render(self, result: CheckResult) -> str:
        from cfglint import rules

        root = source_root(result)
        index = {rule.code: i for i, rule in enumerate(rules.RULES)}
        driver = {
            "name": "cfglint",
            "version": __version__,
            "informationUri": PROJECT_PAGE,
            "rules": [
                {
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": rule.doc.strip().split("\n\n")[1] if "\n\n" in rule.doc.strip() else rule.summary},
                    "help": {"text": rule.help(), "markdown": rule.help(markdown=True)},
                    "helpUri": PROJECT_PAGE,
                    "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                }
                for rule in rules.RULES
            ],
        }
        lines: dict[str, list[str]] = {}
        docs: dict[str, Document] = {}  # each file's text, for its fixes' offsets, its lines counted once
        results = []
        for entry in located(result, root):
            finding = entry.finding
            text = entry.report.text
            file_lines = lines.setdefault(entry.report.path, split_lines(text))
            artifact = _artifact(entry)
            item = {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": _region(finding.span, file_lines)}}],
                "partialFingerprints": {"cfglint/v1": entry.fingerprint},
            }
            if finding.related:
                item["relatedLocations"] = [
                    {
                        "id": i,
                        "message": {"text": f"{related.key}: the key {finding.key} is checked against" if finding.key else f"{related.key}: a related key"},
                        "physicalLocation": _related_location(related, artifact, file_lines, lines, root),
                    }
                    for i, related in enumerate(finding.related)
                ]
            fix = finding.fix
            if fix is not None and fix.edits and fix.applicability in _APPLIES:
                if entry.report.path not in docs:
                    docs[entry.report.path] = Document(path="", text=text, format="")
                doc = docs[entry.report.path]
                replacements = [{"deletedRegion": _region(doc.span_at(e.start, e.end), file_lines), "insertedContent": {"text": e.text}} for e in fix.edits]
                item["fixes"] = [{"description": {"text": f"{fix.description} ({_APPLIES[fix.applicability]})"}, "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}]}]
            results.append(item)
        invocation = {"executionSuccessful": result.exit_code < 2, "exitCode": result.exit_code}
        if result.input_errors:
            invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": message}} for message in result.input_errors]
        run = {
            "tool": {"driver": driver},
            "invocations": [invocation],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": pathlib.Path(root).as_uri().rstrip("/") + "/"}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        return json.dumps(log, indent=2, ensure_ascii=False)


def _artifact(entry: Located) -> dict:
    return _artifact_of(entry.report.path, entry.path)


def _artifact_of(path: str, relative: str | None) -> dict:
    if relative is None:
        return {"uri": pathlib.Path(path).absolute().as_uri()}
    return {"uri": quote(relative), "uriBaseId": "%SRCROOT%"}


def _related_location(related, artifact: dict, file_lines: list[str], lines: dict[str, list[str]], root: str) -> dict:
    """A related key's location: in the finding's file, or in the other file it is written in
    (whose lines, for UTF-16 columns, are read once; a file that cannot be read counts code points)."""
    if related.file is None:
        return {"artifactLocation": artifact, "region": _region(related.span, file_lines)}
    if related.file not in lines:
        try:
            lines[related.file] = split_lines(decode(read_bytes(related.file)))
        except InputError:
            lines[related.file] = []
    return {"artifactLocation": _artifact_of(related.file, relative_path(related.file, root)), "region": _region(related.span, lines[related.file])}
