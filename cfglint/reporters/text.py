"""`path:line:col: CODE [severity] message`, then the line with a caret under the value."""

from __future__ import annotations

import click

from cfglint.api import CheckResult
from cfglint.document import split_lines
from cfglint.finding import Finding, Severity
from cfglint.reporters.base import Reporter, counts

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


class TextReporter(Reporter):
    def __init__(self, color: bool = False, quiet: bool = False, fixes_by: str | None = None) -> None:
        super().__init__(color, quiet)
        # The command that applies these findings' fixes where `cfglint fix` does not (probe findings).
        self.fixes_by = fixes_by

    def render(self, result: CheckResult) -> str:
        lines: list[str] = []
        for report in result.files:
            for finding in report.findings:
                # A composed config's report (the probe's) may hold findings in its other files.
                lines.extend(self.finding(finding, report.text if finding.file == report.path else ""))
        if not self.quiet:
            lines.append(self.summary(result, self.fixes_by))
        return "\n".join(lines)

    def style(self, text: str, **kwargs) -> str:
        return click.style(text, **kwargs) if self.color else text

    def finding(self, finding: Finding, source: str) -> list[str]:
        span = finding.span
        head = self.style(f"{finding.file}:{span.line}:{span.column}:", bold=True)
        code = self.style(finding.code, fg=_COLORS[finding.severity], bold=True)
        lines = [f"{head} {code} [{finding.severity}] {finding.message}"]
        if source and not self.quiet:
            lines.extend(self.frame(source, finding))
        return lines

    def frame(self, source: str, finding: Finding) -> list[str]:
        span = finding.span
        all_lines = split_lines(source)  # the line counting the span's positions use
        if not 1 <= span.line <= len(all_lines):
            return []
        text = all_lines[span.line - 1].replace("\t", " ")
        gutter = " " * len(str(span.line))
        end = span.end_column if span.end_line == span.line else len(text) + 1
        width = max(1, min(end, len(text) + 1) - span.column)
        caret = " " * (span.column - 1) + self.style("^" * width, fg=_COLORS[finding.severity], bold=True)
        frame = [f"{gutter} |", f"{span.line} | {text}", f"{gutter} | {caret}"]
        for related in finding.related:
            where = f"{related.file}:{related.span.line}:{related.span.column}" if related.file else f"line {related.span.line}"
            frame.append(f"{gutter} = related: {related.key} ({where})")
        if finding.fix is not None:
            frame.append(f"{gutter} = fix ({finding.fix.applicability}): {finding.fix.description}")
        return frame

    @staticmethod
    def summary(result: CheckResult, fixes_by: str | None = None) -> str:
        total = counts(result)
        files = plural(total["files"], "file")
        reading = reading_note(total)
        if not total["files"] and total["passed_by"]:
            return f"Nothing checked: {plural(total['passed_by'], 'file')} passed by (see -v)."
        if not total["findings"]:
            return f"All checks passed ({files} checked{reading})."
        kinds = [plural(total[key], label) for key, label in (("errors", "error"), ("warnings", "warning"), ("infos", "info")) if total[key]]
        with_findings = sum(1 for report in result.files if report.findings)
        summary = f"Found {plural(total['findings'], 'finding')} ({', '.join(kinds)}) in {with_findings} of {files}{reading}."
        safe = sum(1 for f in result.findings if f.fix and str(f.fix.applicability) == "safe")
        unsafe = sum(1 for f in result.findings if f.fix and str(f.fix.applicability) == "unsafe")
        if fixes_by and (safe or unsafe):
            summary += f" {safe + unsafe} fixable with {fixes_by}."
        elif safe:
            summary += f" {safe} fixable with `cfglint fix --write`" + (f" ({unsafe} more with --unsafe-fixes)." if unsafe else ".")
        elif unsafe:
            summary += f" {unsafe} fixable with `cfglint fix --write --unsafe-fixes`."
        return summary


def reading_note(total: dict[str, int]) -> str:
    """"; 1 read generically; 2 with no training settings (syntax checked only)": what a pass covered."""
    note = ""
    if total["read_generically"]:
        note += f"; {total['read_generically']} read generically (no framework dialect, see -v)"
    if total["no_training_settings"]:
        note += f"; {total['no_training_settings']} with no training settings (syntax and duplicate keys checked only)"
    if total["passed_by"]:
        note += f"; {total['passed_by']} passed by (see -v)"
    return note


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"
