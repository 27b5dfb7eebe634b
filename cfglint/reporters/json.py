"""The JSON contract other tools consume: `findings`, `summary` and `input_errors`.

Lines and columns are 1-based, end columns exclusive; `key` is the dotted key path as written;
`related` lists the other keys involved, each with the file it is written in;
`fix` is null or {applicability: safe|unsafe|display-only, description, edits: [{line, column,
end_line, end_column, text}]}.
"""

from __future__ import annotations

import json

from cfglint.api import CheckResult, FileReport
from cfglint.document import Document
from cfglint.finding import Finding
from cfglint.reporters.base import Reporter, counts


def report_findings(report: FileReport) -> list[dict]:
    """Each finding of one file's report as its JSON object; the fixes' offsets are read against
    the file's text, whose lines are counted once."""
    doc = Document(path="", text=report.text, format="")
    return [finding_to_dict(finding, doc) for finding in report.findings]


def fix_to_dict(finding: Finding, doc: Document) -> dict | None:
    """A fix with its edits as 1-based positions (end column exclusive) and the text to put there."""
    if finding.fix is None:
        return None
    edits = []
    for edit in finding.fix.edits:
        span = doc.span_at(edit.start, edit.end)
        edits.append({"line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column, "text": edit.text})
    return {"applicability": str(finding.fix.applicability), "description": finding.fix.description, "edits": edits}


def finding_to_dict(finding: Finding, doc: Document) -> dict:
    span = finding.span
    return {
        "file": finding.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "code": finding.code,
        "name": finding.name,
        "severity": str(finding.severity),
        "message": finding.message,
        "key": finding.key,
        "related": [{"file": r.file or finding.file, "key": r.key, "line": r.span.line, "column": r.span.column} for r in finding.related],
        "fix": fix_to_dict(finding, doc),
    }


class JsonReporter(Reporter):
    def render(self, result: CheckResult) -> str:
        document = {
            "findings": [entry for report in result.files for entry in report_findings(report)],
            "summary": counts(result),
            "input_errors": result.input_errors,
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
