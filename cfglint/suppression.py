"""Inline suppressions in YAML comments and key-path ignores from the settings.

`# cfglint: disable=CODE` silences CODE on its own line, `disable-next-line=CODE` on the next
line, `disable-file=CODE` in the whole file. Codes may be rule names too. A suppression that
silences nothing is remembered, so the unused-suppression rule can report it (like ruff's
RUF100): stale suppressions hide the next real problem.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from cfglint.document import Document, Span
from cfglint.finding import Finding
from cfglint.record import Record

_DIRECTIVE = r"(?:^|(?<=\s))#\s*cfglint:\s*(disable-next-line|disable-file|disable)\s*=\s*([\w\-]+(?:\s*,\s*[\w\-]+)*)"  # compiled on first use: only a file with a "cfglint:" comment needs it


class Directive:
    """One `# cfglint: disable...` comment, and which of its codes suppressed something."""

    def __init__(self, kind: str, span: Span, target_line: int | None) -> None:
        self.kind = kind  # "disable", "disable-next-line" or "disable-file"
        self.span = span
        self.target_line = target_line  # None for disable-file
        self.codes: dict[str, str] = {}  # code -> the selector as written
        self.used: set[str] = set()
        self.unknown: list[str] = []


class UnusedSuppression(Record):
    """A suppression comment that suppressed nothing, for C001."""

    __slots__ = ("span", "selector", "reason")

    def __init__(self, span: Span, selector: str, reason: str) -> None:
        self.span = span
        self.selector = selector
        self.reason = reason


def parse_directives(doc: Document, resolve) -> list[Directive]:
    """Directives written in YAML or TOML comments; `resolve` maps a code or name to a code (or None)."""
    if doc.format == "json" or "cfglint:" not in doc.text:
        return []
    inside = doc.string_spans()
    directives = []
    for match in re.finditer(_DIRECTIVE, doc.text):
        offset = match.start()
        if any(start <= offset < end for start, end in inside):
            continue  # a "#" inside a quoted string is text, not a comment
        span = doc.span_at(offset, match.end())
        kind = match.group(1)
        target = {"disable": span.line, "disable-next-line": span.line + 1}.get(kind)
        directive = Directive(kind, span, target)
        for selector in (s.strip() for s in match.group(2).split(",")):
            code = resolve(selector)
            if code is None:
                directive.unknown.append(selector)
            else:
                directive.codes[code] = selector
        directives.append(directive)
    return directives


class Suppressions:
    def __init__(self, directives: list[Directive], key_ignores: list[tuple[str, str | None]]) -> None:
        self.directives = directives
        # (code, key glob or None for the whole file) from the settings' per-file-ignores
        self.key_ignores = key_ignores

    def suppresses(self, finding: Finding) -> bool:
        for code, pattern in self.key_ignores:
            if code == finding.code and (pattern is None or (finding.key is not None and fnmatchcase(finding.key, pattern))):
                return True
        hit = False
        for directive in self.directives:
            if finding.code not in directive.codes:
                continue
            if directive.target_line is None or directive.target_line == finding.span.line:
                directive.used.add(finding.code)
                hit = True
        return hit

    def unused(self) -> list[UnusedSuppression]:
        found = []
        for directive in self.directives:
            for selector in directive.unknown:
                found.append(UnusedSuppression(directive.span, selector, f"'{selector}' is not a cfglint rule code or name; `cfglint rules` lists them"))
            for code, selector in directive.codes.items():
                if code not in directive.used:
                    where = "in this file" if directive.target_line is None else f"on line {directive.target_line}"
                    found.append(UnusedSuppression(directive.span, selector, f"unused suppression of {selector}: no such finding {where}; remove it"))
        return found
