"""GitLab code quality (a subset of Code Climate's issue format), for `artifacts:reports:codequality`.

Each finding is {description, check_name, fingerprint, severity, location: {path, lines: {begin,
end}}}: the path is relative to the repository root (base.source_root), the fingerprint is
base.located's (it survives moved lines, as SARIF's does), and the severity maps error -> major,
warning -> minor, info -> info (GitLab's scale: info, minor, major, critical, blocker).
"""

from __future__ import annotations

import json

from cfglint.api import CheckResult
from cfglint.finding import Severity
from cfglint.reporters.base import Reporter, located, source_root

_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitlabReporter(Reporter):
    def render(self, result: CheckResult) -> str:
        issues = []
        for entry in located(result, source_root(result)):
            finding = entry.finding
            issues.append(
                {
                    "description": f"{finding.code} ({finding.name}): {finding.message}",
                    "check_name": finding.code,
                    "fingerprint": entry.fingerprint,
                    "severity": _SEVERITIES[finding.severity],
                    "location": {"path": entry.path or entry.report.path, "lines": {"begin": finding.span.line, "end": finding.span.end_line}},
                }
            )
        return json.dumps(issues, indent=2, ensure_ascii=False)
