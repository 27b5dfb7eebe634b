"""The JSON contract other tools consume: `findings`, `summary` and `input_errors`.

Lines and columns are 1-based, end columns exclusive; `key` is the dotted key path as written.
"""

from __future__ import annotations

import json

from cfglint.api import CheckResult
from cfglint.finding import Finding
from cfglint.reporters.base import Reporter, counts


def finding_to_dict(finding: Finding) -> dict:
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
        "related": [{"key": r.key, "line": r.span.line, "column": r.span.column} for r in finding.related],
        "fix": None,
    }


class JsonReporter(Reporter):
    def render(self, result: CheckResult) -> str:
        document = {
            "findings": [finding_to_dict(f) for f in result.findings],
            "summary": counts(result),
            "input_errors": result.input_errors,
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
