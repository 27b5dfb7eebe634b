"""What every reporter shares."""

from __future__ import annotations

from cfglint.api import FRAMEWORK, GENERIC, NOTHING_READ, CheckResult


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
