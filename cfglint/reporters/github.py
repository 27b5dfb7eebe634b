"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request."""

from __future__ import annotations

from cfglint.api import CheckResult
from cfglint.finding import Severity
from cfglint.reporters.base import Reporter

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    def render(self, result: CheckResult) -> str:
        lines = []
        for f in result.findings:
            s = f.span
            properties = (
                f"file={_property(f.file)},line={s.line},endLine={s.end_line},"
                f"col={s.column},endColumn={s.end_column},title={_property(f'{f.code} ({f.name})')}"
            )
            lines.append(f"::{_COMMANDS[f.severity]} {properties}::{_data(f.message)}")
        return "\n".join(lines)
