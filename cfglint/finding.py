"""Findings: immutable, sortable records of one problem at one place in one file."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cfglint.document import Span

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


@dataclass(frozen=True, slots=True)
class Related:
    """Another key involved in a finding (the other side of a comparison)."""

    key: str
    span: Span


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule reports: where, which key, what is wrong. The engine adds rule and file."""

    span: Span
    key: str | None
    message: str
    related: tuple[Related, ...] = ()
    # For a rule whose findings differ in weight; the rule's default severity otherwise.
    severity: Severity | None = None
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at an exact place in one file: what reporters, the cache and fixes share."""

    file: str
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    key: str | None = None
    related: tuple[Related, ...] = ()
    fix: Fix | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.code, self.message)
