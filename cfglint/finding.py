"""Findings: immutable, sortable records of one problem at one place in one file."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from cfglint.document import Span
from cfglint.record import Record

if TYPE_CHECKING:
    from cfglint.fixes import Fix


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use error, warning or info") from None

    def __str__(self) -> str:
        return self.name.lower()


class UnknownRule(ValueError):
    """A code or name that no rule has (here, so callers need not import every rule to catch it)."""


class Related(Record):
    """Another key involved in a finding (the other side of a comparison), and the file it is
    written in when that is not the finding's own (None)."""

    __slots__ = ("key", "span", "file")

    def __init__(self, key: str, span: Span, file: str | None = None) -> None:
        self.key = key
        self.span = span
        self.file = file


class Violation(Record):
    """What a rule reports: where, which key, what is wrong. The engine adds rule and file."""

    __slots__ = ("span", "key", "message", "related", "severity", "fix")

    def __init__(
        self,
        span: Span,
        key: str | None,
        message: str,
        related: tuple[Related, ...] = (),
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> None:
        self.span = span
        self.key = key
        self.message = message
        self.related = related
        # For a rule whose findings differ in weight; the rule's default severity otherwise.
        self.severity = severity
        self.fix = fix


class Finding(Record):
    """One problem at an exact place in one file: what reporters, the cache and fixes share."""

    __slots__ = ("file", "span", "code", "name", "severity", "message", "key", "related", "fix")

    def __init__(
        self,
        file: str,
        span: Span,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        key: str | None = None,
        related: tuple[Related, ...] = (),
        fix: Fix | None = None,
    ) -> None:
        self.file = file
        self.span = span
        self.code = code
        self.name = name
        self.severity = severity
        self.message = message
        self.key = key
        self.related = related
        self.fix = fix

    def __repr__(self) -> str:  # one line a person can read; the fields are attributes
        s = self.span
        return f"Finding({self.file}:{s.line}:{s.column}-{s.end_line}:{s.end_column} {self.code} {self.severity} key={self.key!r}: {self.message!r})"

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.code, self.message)
