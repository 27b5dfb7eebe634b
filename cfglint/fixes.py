"""Fixes: text edits on the original source, with what they are meant to change in the data.

A fix never re-dumps a file. It splices new text into the spans the document already knows
(a value, a key, an entry), so everything outside those spans stays byte for byte: comments,
key order, quoting, indentation, number spelling, newlines. Each fix also states its intended
data-level change, which the fixer checks the patched file against before anything is written.

Applicability (as in ruff): "safe" fixes restore what the config evidently means; "unsafe"
fixes change the training and run only with --unsafe-fixes; "display" fixes are suggestions
that are shown, never applied.
"""

from __future__ import annotations

import enum
import math
import re
from typing import Any

from cfglint.document import Document, Entry, KeyPath, Mapping, Node, Scalar, Sequence
from cfglint.record import Record


class Applicability(enum.IntEnum):
    DISPLAY = 1
    UNSAFE = 2
    SAFE = 3

    def __str__(self) -> str:
        return {1: "display-only", 2: "unsafe", 3: "safe"}[self.value]


class Edit(Record):
    """Replace text[start:end] (offsets into the decoded text) with `text`."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text


class Change(Record):
    """The data-level meaning of a fix: set a value, remove a key, rename a key, or drop an entry
    loaders ignore (the earlier of two with one key: the data keeps the later).

    The fixer lets no value disappear that a change does not name, shadowed entries included."""

    __slots__ = ("path", "kind", "value")

    def __init__(self, path: KeyPath, kind: str, value: Any = None) -> None:
        self.path = path
        self.kind = kind  # "set", "remove", "rename" or "drop"
        self.value = value  # the new value ("set") or the new key name ("rename")


class Fix(Record):
    """Text edits that resolve one finding, and whether applying them is safe."""

    __slots__ = ("description", "applicability", "edits", "changes")

    def __init__(
        self,
        description: str,
        applicability: Applicability,
        edits: tuple[Edit, ...],
        changes: tuple[Change, ...] = (),
    ) -> None:
        self.description = description
        self.applicability = applicability
        self.edits = edits
        self.changes = changes


# Compiled on first use (re caches them): only a run that builds a fix needs them.
_PLAIN_SAFE = r"^[A-Za-z_][A-Za-z0-9_./-]*$"
_BEFORE_COMMENT = r"[ \t]+(?=#)"
# A block scalar's indicator line: `|`, `>-`, `|2+`, ... and the comment after it, if any.
_BLOCK_HEADER_COMMENT = r"[|>][-+0-9]*([ \t]+#[^\r\n]*)?"


def replace_node(doc: Document, node: Node, text: str) -> Edit:
    """Replace a node's text (its span: a block scalar's indicator line and content, never the
    lines after it). A comment after it on the same line keeps its column when it can (aligned
    comments stay aligned), else its original spacing, tabs included; a comment on a block
    scalar's indicator line stays after the new value. An alias view has no text of its own:
    the edit goes to the anchored text (`anchored`), shared by every alias of it."""
    node = node.written
    doc = doc.source_of(node.span)
    start, end = node.span.offset, node.span.end_offset
    if isinstance(node, Scalar) and node.style in ("literal", "folded"):
        header = re.compile(_BLOCK_HEADER_COMMENT).match(doc.text, start, end)
        return Edit(start, end, text + ((header.group(1) or "") if header else ""))
    gap = re.compile(_BEFORE_COMMENT).match(doc.text, end)
    if gap is None:
        return Edit(start, end, text)
    padding = len(gap.group()) + (end - start) - len(text)
    if padding < 1 or "\t" in gap.group():
        return Edit(start, end, text)  # the comment's column cannot be kept: keep its spacing
    return Edit(start, gap.end(), text + " " * padding)


def yaml_number(value: float | int) -> str:
    """A number spelt so that YAML 1.1 and 1.2 loaders both read it as a number (`1.0e-6`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        mantissa = mantissa if "." in mantissa else mantissa + ".0"
        exponent = exponent if exponent[0] in "+-" else "+" + exponent
        return f"{mantissa}e{exponent}"
    return text


def _dumps(value: Any, **options: Any) -> str:
    """JSON text (also a valid double-quoted YAML scalar); json loads only once a fix is built."""
    import json

    return json.dumps(value, **options)


def toml_number(value: float | int) -> str:
    """A number as TOML writes it: `true`, `3`, `0.001`, `1e-05`, `inf`, `nan`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)  # always has a "." or an "e": a TOML float, never an integer


# A bare TOML key; others are written as basic strings. A literal string holds no `'` and no
# control character (TOML allows tabs in it).
_TOML_BARE_KEY = r"^[A-Za-z0-9_-]+$"
_TOML_LITERAL_SAFE = r"^[^'\x00-\x08\x0a-\x1f\x7f]*$"


def toml_value(value: Any, style: str = "double") -> str:
    """`value` as TOML text; a string keeps a literal (single-quoted) style where it can.

    Raises ValueError for None: TOML has no null."""
    if value is None:
        raise ValueError("TOML has no null")
    if isinstance(value, (bool, int, float)):
        return toml_number(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(str(key))} = {toml_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    text = str(value)
    if style == "single" and re.match(_TOML_LITERAL_SAFE, text):
        return "'" + text + "'"
    # JSON's escapes (\" \\ \n \t \uXXXX ...) are all TOML basic-string escapes; DEL must be escaped too.
    return _dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(name: str) -> str:
    return name if re.match(_TOML_BARE_KEY, name) else toml_value(name)


def render_value(doc: Document, node: Node, value: Any) -> str:
    """`value` written where `node` is, in the file's format and, for text, the node's quoting."""
    if doc.format == "json":
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("JSON has no infinity or NaN")  # json.dumps would write Infinity, which no JSON parser reads
        return _dumps(value, ensure_ascii=False)
    if doc.format == "toml":
        return toml_value(value, node.style if isinstance(node, Scalar) else "double")
    if isinstance(value, (int, float)) and not isinstance(value, str):
        return yaml_number(value)
    if value is None:
        return "null"
    text = str(value)
    style = node.style if isinstance(node, Scalar) else "plain"
    if style == "single" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    if style == "plain" and re.match(_PLAIN_SAFE, text) and _resolves_to_itself(text):
        return text
    return _dumps(text, ensure_ascii=False)


def _resolves_to_itself(text: str) -> bool:
    from cfglint.yaml_core import resolve_plain

    return resolve_plain(text) == text


def set_value(doc: Document, node: Node, value: Any, description: str, applicability: Applicability) -> Fix:
    """Replace a value, keeping everything around it (a value TOML cannot write is only shown)."""
    doc = doc.source_of(node.span)  # in a composed config, the file the value is written in
    if doc.format == "toml" and _toml_table(doc, node):
        return Fix(f"{description} (a TOML table: edit it by hand)", Applicability.DISPLAY, (), (Change(node.path, "set", value),))
    try:
        text = render_value(doc, node, value)
    except ValueError as error:
        return Fix(f"{description} ({error}: remove the key instead)", Applicability.DISPLAY, (), (Change(node.path, "set", value),))
    edit = replace_node(doc, node, text)
    return Fix(description, applicability, (edit,), (Change(node.path, "set", value),))


def respell(doc: Document, node: Node, text: str, description: str) -> Fix:
    """Write the same value differently (`5e-4` -> `5.0e-4`): no data-level change."""
    doc = doc.source_of(node.span)
    return Fix(description, Applicability.SAFE, (replace_node(doc, node, text),))


def rename_key(doc: Document, key: Node, new_name: str, description: str, applicability: Applicability) -> Fix:
    """Rename a mapping key in place, keeping its quoting.

    A TOML table (a `[header]` or dotted keys) may be written in several places; renaming the
    one key cfglint points at would split it, so there the rename is only shown."""
    doc = doc.source_of(key.span)
    old_path = key.path + (key.value,) if isinstance(key, Scalar) else key.path
    if doc.format == "toml":
        text = toml_key(new_name) if not isinstance(key, Scalar) or key.style == "plain" else toml_value(new_name, key.style)
        value = doc.node_at(old_path)[0] if isinstance(key, Scalar) else None
        if _toml_table(doc, value):
            applicability = Applicability.DISPLAY
        return Fix(description, applicability, (replace_node(doc, key, text),), (Change(old_path, "rename", new_name),))
    text = render_value(doc, key, new_name) if doc.format == "yaml" else _dumps(new_name)
    return Fix(description, applicability, (replace_node(doc, key, text),), (Change(old_path, "rename", new_name),))


def _toml_table(doc: Document, node: Node | None) -> bool:
    """A TOML table or array of tables written with headers or dotted keys (not inline)."""
    if isinstance(node, Mapping):
        return not doc.text.startswith("{", node.span.offset)
    if isinstance(node, Sequence):
        return bool(node.items) and isinstance(node.items[0], Mapping) and node.items[0].span.offset == node.span.offset
    return False


def remove_entry(doc: Document, mapping: Mapping, entry: Entry, description: str) -> Fix | None:
    """Delete a whole `key: value` entry; None where that cannot be done cleanly.

    In YAML only entries of block mappings that start their own line are removed, with their
    lines; the fix is unsafe when those lines hold a comment. In JSON the entry goes with the
    comma that separates it from a neighbour.
    """
    doc = doc.source_of(entry.key.span)
    text = doc.text
    if entry.key.anchored is not None:  # an entry seen through an alias: remove it where it is written
        written = mapping.anchored
        entry = next((e for e in written.entries if e.key is entry.key.anchored), None) if isinstance(written, Mapping) else None
        if entry is None:
            return None  # merged into `mapping` from elsewhere: not this mapping's to remove
    start, end = entry.key.span.offset, entry.value.span.end_offset
    key = entry.key.value if isinstance(entry.key, Scalar) else None
    shadowed = mapping.get(key) is not entry if key is not None else False
    intent = (Change(mapping.path + (key,), "drop" if shadowed else "remove"),) if key is not None else ()
    if doc.format == "json":
        after = re.compile(r"\s*,\s*").match(text, end)
        if after is not None:
            return Fix(description, Applicability.SAFE, (Edit(start, after.end(), ""),), intent)
        before = re.compile(r",\s*$").search(text, 0, start)
        if before is None:
            return None
        return Fix(description, Applicability.SAFE, (Edit(before.start(), end, ""),), intent)
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return None  # a flow mapping, or a key that does not start its line
    if end > 0 and text[end - 1] == "\n":
        line_end = end  # a block collection ends where the next line starts
    else:
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end + 1
    removed = text[line_start:line_end]
    # Deleting a comment must be the user's choice (ruff #19745): such a removal is unsafe.
    applicability = Applicability.UNSAFE if "#" in removed else Applicability.SAFE
    if not removed.endswith("\n") and line_start > 0:
        line_start -= 1  # the last line of a file without a final newline: take the newline before it
    return Fix(description, applicability, (Edit(line_start, line_end, ""),), intent)


def _yaml_flow(value: Any) -> str:
    """A small value in YAML flow style: `{loss_shares: {kd: 0.7, feature: 0.1}}`."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key if re.match(_PLAIN_SAFE, str(key)) else _dumps(str(key))}: {_yaml_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return yaml_number(value)
    return _dumps(value)


def insert_top_level_key(doc: Document, name: str, value: Any, description: str, applicability: Applicability) -> Fix | None:
    """Add `name: value` as the first key of the root mapping, in the file's own layout."""
    root = doc.mapping
    if root is None or not root.entries or doc.sources:
        return None  # nothing to insert into, or a root composed from several files
    first = root.entries[0].key.span.offset
    text = doc.text
    line_start = text.rfind("\n", 0, first) + 1
    indent = text[line_start:first]
    newline = "\r\n" if "\r\n" in text else "\n"
    if doc.format == "toml":
        # Before the first entry's line: above any [table] header, where top-level keys belong.
        try:
            insertion = f"{toml_key(name)} = {toml_value(value)}{newline}"
        except ValueError:
            return None
        return Fix(description, applicability, (Edit(line_start, line_start, insertion),), (Change((name,), "set", value),))
    if doc.format == "json":
        entry = f"{_dumps(name)}: {_dumps(value)},"
        insertion = f"{entry} " if indent.strip() else f"{entry}{newline}{indent}"
    elif indent.strip() or text[root.span.offset] == "{":
        return None  # a flow mapping at the root: leave the layout to the user
    else:
        insertion = f"{name}: {_yaml_flow(value)}{newline}{indent}"
    return Fix(description, applicability, (Edit(first, first, insertion),), (Change((name,), "set", value),))
