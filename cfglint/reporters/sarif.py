"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json

from cfglint import __version__
from cfglint.api import CheckResult
from cfglint.finding import Severity
from cfglint.reporters.base import Reporter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _region(span) -> dict:
    return {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line, "endColumn": span.end_column}


def _location(path: str, span) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": path.replace("\\", "/"), "uriBaseId": "%SRCROOT%"}, "region": _region(span)}}


class SarifReporter(Reporter):
    def render(self, result: CheckResult) -> str:
        from cfglint import rules

        index = {rule.code: i for i, rule in enumerate(rules.RULES)}
        driver = {
            "name": "cfglint",
            "version": __version__,
            "informationUri": "https://pypi.org/project/cfglint-ml/",
            "rules": [
                {
                    "id": rule.code,
                    "name": rule.name,
                    "shortDescription": {"text": rule.summary},
                    "fullDescription": {"text": rule.doc.strip().split("\n\n")[1] if "\n\n" in rule.doc.strip() else rule.summary},
                    "defaultConfiguration": {"level": _LEVELS[rule.severity]},
                }
                for rule in rules.RULES
            ],
        }
        results = []
        for finding in result.findings:
            entry = {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _LEVELS[finding.severity],
                "message": {"text": finding.message},
                "locations": [_location(finding.file, finding.span)],
            }
            if finding.related:
                entry["relatedLocations"] = [
                    {"id": i, "message": {"text": related.key}, **_location(finding.file, related.span)}
                    for i, related in enumerate(finding.related)
                ]
            results.append(entry)
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{"tool": {"driver": driver}, "results": results}]}
        return json.dumps(log, indent=2, ensure_ascii=False)
