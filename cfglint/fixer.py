"""Apply fixes through a safety funnel: nothing reaches a file unless it is proven harmless.

Each pass plans its fixes as a whole, from the findings' fixes of the allowed applicability:

- a fix waits for the next pass when its edits overlap another chosen fix's, or its intent
  touches a key another chosen fix changes, renames, or creates (two renames to one name
  included): fixes that are fine alone can lose a value together;
- a fix is refused, for its finding alone, when it cannot be made harmless: a rename onto a key
  that exists (loaders would keep one of the two values), or a rename or removal inside a block
  that aliases share. A value set on an anchored node is set for every alias of it, and the
  intent and description say so.

The chosen fixes are spliced into the text, which must then pass, before going on:

1. the patched text parses;
2. its data equals the original data with exactly the fixes' intended changes applied;
3. every (path, value) pair the text holds, shadowed duplicates included, is still there
   unless a fix's intent names its path, and no key is written twice that was not before;
4. every comment is still there, in order (an unsafe fix may remove those inside its edits);
5. re-checking no longer reports the fixed findings.

Passes repeat until no fix applies (so a second run changes nothing), within MAX_PASSES.
A pass that fails leaves the file untouched and names the rule whose fix broke the funnel.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from typing import Any

from cfglint.api import Checker
from cfglint.document import MERGE_KEY, Document, KeyPath, Mapping, Node, Scalar, Sequence, format_path, to_data
from cfglint.finding import Finding
from cfglint.fixes import Applicability, Change, Edit, Fix
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
        # Findings whose fix was refused, with why (they are among `remaining`).
        self.refused: list[tuple[Finding, str]] = []
        # A PassedBy when the file was left alone as surely not a training config (pass_by_known).
        self.passed_by = None

    @property
    def changed(self) -> bool:
        return self.fixed_text != self.original_text

    def __repr__(self) -> str:
        applied = ", ".join(f.code for f in self.applied)
        return f"FixOutcome({self.path!r}, changed={self.changed}, applied=[{applied}], {len(self.remaining)} remaining, {len(self.refused)} refused)"

    def encoded(self) -> bytes:
        """The patched text in the file's own encoding, with its byte order mark if it had one."""
        data = self.fixed_text.encode(self.encoding)
        if self.bom:
            data = ("\ufeff".encode(self.encoding)) + data
        return data


def fix_bytes(checker: Checker, data: bytes, path: str, *, unsafe: bool = False, pass_by_known: bool = False) -> FixOutcome:
    """Fix one file's bytes; raises UnfixableInput or FixVerificationError (nothing is lost).

    With pass_by_known, a file whose content shows it is not a training config (a Kubernetes
    manifest...) is left as it is, with outcome.passed_by saying why, as `check` passes it by."""
    original = load_document(path, data)
    outcome = FixOutcome(path, original.text, original.encoding, original.bom)
    outcome.passed_by = checker.passed_by_content(path, original) if pass_by_known else None
    if outcome.passed_by is not None:
        return outcome
    syntax = [p for p in original.problems if p.kind == "syntax"]
    if syntax:
        problem = syntax[0]
        raise UnfixableInput(f"{path}:{problem.span.line}:{problem.span.column}: not fixed: {problem.message}")
    minimum = Applicability.UNSAFE if unsafe else Applicability.SAFE
    text = original.text
    findings = _findings(checker, text, path)
    for _ in range(MAX_PASSES):
        current = load_document(path, text.encode("utf-8"))
        chosen, outcome.refused = _plan(current, [f for f in findings if f.fix is not None and f.fix.applicability >= minimum])
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


def _plan(doc: Document, findings: list[Finding]) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """This pass's fixes in position order, and the findings whose fix is refused (with why).

    A fix that conflicts with an earlier chosen one (overlapping text, or a key both touch)
    waits: the next pass finds it again on the patched text, or finds it no longer needed."""
    sharing = _sharing(doc)
    views = doc.views() if len(doc.roots) > 1 else [doc]
    chosen: list[Finding] = []
    refused: list[tuple[Finding, str]] = []
    taken: list[tuple[int, int]] = []
    touched: list[KeyPath] = []
    for finding in sorted(findings, key=lambda f: min((e.start for e in f.fix.edits), default=-1)):
        offset = min((e.start for e in finding.fix.edits), default=0)
        view = next((v for v in views if v.root is not None and v.root.span.offset <= offset <= v.root.span.end_offset), views[0])
        fix, reason = _harmless(view, sharing, finding.fix)
        if fix is None:
            refused.append((finding, reason))
            continue
        spans = [(e.start, e.end) for e in fix.edits]
        # Overlapping spans, or two insertions at one point, cannot both apply in one pass.
        if any((start < t_end and t_start < end) or start == end == t_start for start, end in spans for t_start, t_end in taken):
            continue
        paths = _touched(fix)
        if any(_nested(p, q) for p in paths for q in touched):
            continue
        chosen.append(finding if fix is finding.fix else finding.replace(fix=fix))
        taken.extend(spans)
        touched.extend(paths)
    return chosen, refused


def _touched(fix: Fix) -> list[KeyPath]:
    """The keys a fix's intent changes: each change's path, and a rename's new path."""
    paths = [change.path for change in fix.changes]
    paths += [change.path[:-1] + (change.value,) for change in fix.changes if change.kind == "rename"]
    return paths


def _nested(a: KeyPath, b: KeyPath) -> bool:
    """One path is the other or inside it: changing one changes the other."""
    return a[: len(b)] == b or b[: len(a)] == a


def _harmless(doc: Document, sharing: dict[int, list[KeyPath]], fix: Fix) -> tuple[Fix | None, str]:
    """The fix with its intent covering every alias it changes, or None and why it is refused."""
    extra: list[Change] = []
    also: list[KeyPath] = []
    at_anchor = True  # the fix edits the anchor itself, not a value reached through an alias
    for change in fix.changes:
        if change.kind == "rename":
            parent, walked = doc.node_at(change.path[:-1])
            if len(walked) == len(change.path) - 1 and isinstance(parent, Mapping):
                existing = parent.get(change.value)
                if existing is not None:
                    target = format_path(change.path[:-1] + (change.value,))
                    return None, f"{target} is already set (line {existing.key.span.line}): renaming {format_path(change.path)} to it would write the key twice, and loaders keep only one of the two values"
        holder = change.path if change.kind == "set" else change.path[:-1]
        node, walked = doc.node_at(holder)
        if len(walked) != len(holder) or node is None:
            continue  # a key the fix creates: nothing shares it
        written = node.written
        if written is not node and not any(e.start < written.span.end_offset and written.span.offset < e.end for e in fix.edits):
            continue  # the edit replaces the alias's own text: only this path changes
        others = [p for p in sharing.get(id(written), ()) if p != holder]
        if not others:
            continue
        names = ", ".join(format_path(p) for p in others)
        if change.kind != "set":
            verb = "renaming" if change.kind == "rename" else "removing"
            return None, f"{format_path(holder) or 'the root'} is shared with {names} through an anchor: {verb} {format_path(change.path)} would change {'it' if len(others) == 1 else 'them'} too"
        named = {c.path for c in fix.changes}
        for other in others:
            if other not in named:
                extra.append(Change(other, "set", change.value))
                also.append(other)
                at_anchor = at_anchor and other != written.path
    if not extra:
        return fix, ""
    if at_anchor:
        which = "which is an alias of it" if len(also) == 1 else "which are aliases of it"
    else:
        which = "which shares the value through an alias" if len(also) == 1 else "which share the value through aliases"
    description = f"{fix.description} (also {', '.join(format_path(p) for p in also)}, {which})"
    return fix.replace(description=description, changes=fix.changes + tuple(extra)), ""


def _sharing(doc: Document) -> dict[int, list[KeyPath]]:
    """For each node that aliases or merge keys make reachable from more than one path, the
    paths a loader reaches it by."""
    paths: dict[int, list[KeyPath]] = {}
    for _, path, node, visible in _walk(doc):
        if visible:
            paths.setdefault(id(node.written), []).append(path)  # an alias view shares its anchor's text
    return {key: found for key, found in paths.items() if len(found) > 1}


def _walk(doc: Document) -> list[tuple[int, KeyPath, Node, bool]]:
    """(document index, path, node, visible) for every value of every document, aliases and
    merge keys expanded as a loader does; an entry shadowed by a later one of the same key is
    walked too, as not visible, so a check can see its value go."""
    found: list[tuple[int, KeyPath, Node, bool]] = []

    def visit(index: int, node: Node, path: KeyPath, visible: bool) -> None:
        if len(found) > _WALK_LIMIT:
            raise _TooLarge
        found.append((index, path, node, visible))
        if node.opaque:
            return
        if isinstance(node, Sequence):
            for position, item in enumerate(node.items):
                visit(index, item, path + (position,), visible)
        elif isinstance(node, Mapping):
            own = [(_key(entry.key), entry) for entry in node.entries if not _is_merge(entry.key)]
            last = {key: position for position, (key, _) in enumerate(own)}
            for position, (key, entry) in enumerate(own):
                visit(index, entry.value, path + (key,), visible and last[key] == position)
            for key in _merged_keys(node):
                if key not in last:
                    visit(index, node.get(key).value, path + (key,), visible)

    for index, root in enumerate(doc.roots):
        visit(index, root, (), True)
    return found


# Past this many values the pair check is skipped (the data check still runs): an alias bomb
# is refused before it gets here, and real configs hold thousands.
_WALK_LIMIT = 200_000


class _TooLarge(Exception):
    pass


def _key(node: Node) -> Any:
    key = to_data(node)
    return repr(key) if isinstance(key, (dict, list)) else key


def _is_merge(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value == MERGE_KEY and node.style == "plain"


def _merged_keys(node: Mapping) -> list[Any]:
    """The keys a mapping takes from its `<<` merges, first merge first, each once."""
    keys: list[Any] = []
    for merged in node.merged_mappings():
        for key in [_key(e.key) for e in merged.entries if not _is_merge(e.key)] + _merged_keys(merged):
            if key not in keys:
                keys.append(key)
    return keys


def _pairs(walked: list[tuple[int, KeyPath, Node, bool]]) -> Counter:
    """Every leaf ((document, path), value) the text holds, shadowed duplicates included."""
    pairs: Counter = Counter()
    for index, path, node, _ in walked:
        if isinstance(node, Scalar):
            pairs[((index, path), _hashable(node.value))] += 1
        elif node.opaque or (isinstance(node, Mapping) and not node.entries) or (isinstance(node, Sequence) and not node.items):
            pairs[((index, path), _hashable(to_data(node)))] += 1
    return pairs


def _hashable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "<nan>"
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return (type(value).__name__, value)


def _lost_pairs(old: Document, new: Document, chosen: list[Finding]) -> str | None:
    """Why a value went missing, or a key is now written twice; None when neither happened."""
    try:
        walked_before, walked_after = _walk(old), _walk(new)
    except _TooLarge:
        return None
    counts_before = Counter((index, path) for index, path, _, _ in walked_before)
    for (index, path), count in Counter((index, path) for index, path, _, _ in walked_after).items():
        if count > 1 and count > counts_before[(index, path)]:
            return f"{format_path(path)} would be written twice, and loaders keep only one of its values"
    before, after = _pairs(walked_before), _pairs(walked_after)
    named = [p for f in chosen for p in _touched(f.fix)]

    def free(pair: tuple[tuple[int, KeyPath], Any]) -> bool:
        return not any(_nested(pair[0][1], p) for p in named)

    gone = [pair for pair in before if free(pair) and after[pair] < before[pair]]
    if gone:
        return f"the value {gone[0][1][1]!r} of {format_path(gone[0][0][1])} would disappear"
    if any(free(pair) and after[pair] > before[pair] for pair in after):
        return "a value the fixes do not name would appear"
    return None


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
    lost = _lost_pairs(old, new, chosen)
    if lost is not None:
        return lost
    # Only an unsafe fix may take a comment with the text it removes (ruff #19745); every other
    # comment must come through unchanged and in order (one an unsafe edit keeps may stay).
    removable = [(e.start, e.end) for f in chosen if f.fix.applicability < Applicability.SAFE for e in f.fix.edits]
    after = [text for _, text in new.comments()]
    matched = 0
    for offset, text in old.comments():
        if matched < len(after) and after[matched] == text:
            matched += 1
        elif not any(start <= offset < end for start, end in removable):
            return "a comment was removed or changed"
    if matched != len(after):
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
            elif change.kind == "drop":
                target[last]  # an ignored duplicate: the loaded data keeps the later entry
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

