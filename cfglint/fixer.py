"""Apply fixes through a safety funnel: nothing reaches a file unless it is proven harmless.

Each pass takes the findings' fixes of the allowed applicability, keeps those whose edits do
not overlap (the others wait for the next pass, as in ruff), splices them into the text, and
then checks, before going on:

1. the patched text parses;
2. its data equals the original data with exactly the fixes' intended changes applied;
3. every comment is still there, in order (an unsafe fix may remove those inside its edits);
4. re-checking no longer reports the fixed findings.

Passes repeat until no fix applies (so a second run changes nothing), within MAX_PASSES.
Any failure leaves the file untouched and names the rule whose fix broke the funnel.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from typing import Any

from cfglint.api import Checker
from cfglint.document import Document, to_data
from cfglint.finding import Finding
from cfglint.fixes import Applicability, Change, Edit
from cfglint.source import load_document

MAX_PASSES = 10


class UnfixableInput(Exception):
    """The input does not parse: it is reported, never patched."""


class FixVerificationError(Exception):
    """A fix failed the funnel; `code` names the rule that produced it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class FixOutcome:
    """A file's text before and after fixing, the findings fixed and those left (fix_bytes fills
    them in as its passes go)."""

    def __init__(self, path: str, original_text: str, encoding: str, bom: bool) -> None:
        self.path = path
        self.original_text = original_text
        self.fixed_text = original_text
        self.encoding = encoding
        self.bom = bom
        self.applied: list[Finding] = []
        self.remaining: list[Finding] = []

    @property
    def changed(self) -> bool:
        return self.fixed_text != self.original_text

    def encoded(self) -> bytes:
        """The patched text in the file's own encoding, with its byte order mark if it had one."""
        data = self.fixed_text.encode(self.encoding)
        if self.bom:
            data = ("\ufeff".encode(self.encoding)) + data
        return data


def fix_bytes(checker: Checker, data: bytes, path: str, *, unsafe: bool = False) -> FixOutcome:
    """Fix one file's bytes; raises UnfixableInput or FixVerificationError (nothing is lost)."""
    original = load_document(path, data)
    syntax = [p for p in original.problems if p.kind == "syntax"]
    if syntax:
        problem = syntax[0]
        raise UnfixableInput(f"{path}:{problem.span.line}:{problem.span.column}: not fixed: {problem.message}")
    minimum = Applicability.UNSAFE if unsafe else Applicability.SAFE
    outcome = FixOutcome(path, original.text, original.encoding, original.bom)
    text = original.text
    findings = _findings(checker, text, path)
    for _ in range(MAX_PASSES):
        chosen = _non_overlapping([f for f in findings if f.fix is not None and f.fix.applicability >= minimum])
        if not chosen:
            outcome.fixed_text, outcome.remaining = text, findings
            return outcome
        patched = apply_edits(text, [edit for finding in chosen for edit in finding.fix.edits])
        after = _findings(checker, patched, path)  # checks the fix, and is the next pass's input
        problem = _verify(path, text, patched, chosen, findings, after)
        if problem is not None:
            raise _culprit(checker, path, text, chosen, findings, problem)
        outcome.applied.extend(chosen)
        text, findings = patched, after
    codes = ", ".join(sorted({f.code for f in chosen}))
    raise FixVerificationError(codes, f"fixes did not converge after {MAX_PASSES} passes; nothing was written")


def _non_overlapping(findings: list[Finding]) -> list[Finding]:
    """Fixes in position order, skipping any that touches text an earlier one edits."""
    chosen: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for finding in sorted(findings, key=lambda f: min(e.start for e in f.fix.edits)):
        spans = [(e.start, e.end) for e in finding.fix.edits]
        # Overlapping spans, or two insertions at one point, cannot both apply in one pass.
        if any((start < t_end and t_start < end) or start == end == t_start for start, end in spans for t_start, t_end in taken):
            continue
        chosen.append(finding)
        taken.extend(spans)
    return chosen


def apply_edits(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _findings(checker: Checker, text: str, path: str) -> list[Finding]:
    return checker.check_bytes(text.encode("utf-8"), path).findings


def _verify(path: str, before: str, after: str, chosen: list[Finding], findings: list[Finding], findings_after: list[Finding]) -> str | None:
    """Why the patched text fails the funnel, or None when it passes; `findings` and
    `findings_after` are the checks of the text before and after."""
    old, new = load_document(path, before.encode("utf-8")), load_document(path, after.encode("utf-8"))
    if new.problems and any(p.kind == "syntax" for p in new.problems):
        return f"the fixed text does not parse: {new.problems[0].message}"
    expected = _expected_data(old, [(change, f.fix.edits[0].start if f.fix.edits else 0) for f in chosen for change in f.fix.changes])
    if expected is None or _normal(expected) != _normal([to_data(root) for root in new.roots]):
        return "the fixed data differs from the original plus the intended changes"
    # Only an unsafe fix may take a comment with the text it removes (ruff #19745); every other
    # comment must come through unchanged and in order.
    removable = [(e.start, e.end) for f in chosen if f.fix.applicability < Applicability.SAFE for e in f.fix.edits]
    kept = [text for offset, text in old.comments() if not any(start <= offset < end for start, end in removable)]
    if kept != [text for _, text in new.comments()]:
        return "a comment was removed or changed"
    before_counts = Counter((f.code, f.key) for f in findings)
    after_counts = Counter((f.code, f.key) for f in findings_after)
    fixed_counts = Counter((f.code, f.key) for f in chosen)
    for key, count in fixed_counts.items():
        if after_counts[key] > before_counts[key] - count:
            return "the fixed finding is still reported"
    return None


def _culprit(checker: Checker, path: str, text: str, chosen: list[Finding], findings: list[Finding], problem: str) -> FixVerificationError:
    """Find which single fix breaks the funnel, to name its rule."""
    for finding in chosen:
        alone = apply_edits(text, list(finding.fix.edits))
        reason = _verify(path, text, alone, [finding], findings, _findings(checker, alone, path))
        if reason is not None:
            return FixVerificationError(finding.code, f"{reason} (fix: {finding.fix.description}); nothing was written")
    codes = ", ".join(sorted({f.code for f in chosen}))
    return FixVerificationError(codes, f"{problem} when these fixes are combined; nothing was written")


def _expected_data(doc: Document, changes: list[tuple[Change, int]]) -> list[Any] | None:
    """Every document's data, with each change applied to the document its edit is in."""
    data = [copy.deepcopy(to_data(root)) for root in doc.roots]
    for change, offset in changes:
        if not data:
            return None
        index = next((i for i, root in enumerate(doc.roots) if root.span.offset <= offset <= root.span.end_offset), 0)
        target = data[index]
        for element in change.path[:-1]:
            try:
                target = target[element]
            except (KeyError, IndexError, TypeError):
                return None
        last = change.path[-1]
        try:
            if change.kind == "set":
                target[last] = change.value
            elif change.kind == "remove":
                del target[last]
            else:
                target[change.value] = target.pop(last)
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _normal(value: Any) -> Any:
    """Data made comparable: NaN equals NaN, and key order does not matter (dicts compare so)."""
    if isinstance(value, float) and math.isnan(value):
        return "<nan>"
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value

