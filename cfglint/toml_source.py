"""Load TOML into a Document with exact positions.

Two maintained parsers do the reading; nothing here decides what a TOML file means:

- `tomllib` (the standard library, `tomli` before Python 3.11) is what training code such as
  torchtitan and kohya sd-scripts loads a config with: it decides whether the file loads, and
  its data is authoritative. Its syntax errors carry a line and a column, which become the
  syntax problem's position.
- `tomlkit` (python-poetry) keeps every item's exact source text (`as_string()`) and its order,
  so it round-trips byte for byte. It gives the structure and the text of each key and value.

Neither exposes offsets, so they are recovered by walking tomlkit's tree in written order with a
cursor over the text: between two items only whitespace, newlines, commas (inside arrays and
inline tables) and comments can stand, and each key and value must then be found *exactly* at
the cursor, or the walk stops. Table headers (`[a."b c"]`, `[[runs]]`) are read key by key
at the cursor and each key's decoded name must be the one the tree has. Finally the positioned
tree's data must equal tomllib's. Should any check fail (a tomlkit bug, say), the document keeps
tomllib's data with every position at the start of the file, rather than a wrong position.

TOML has no duplicate keys that load: tomllib refuses them ("Cannot overwrite a value"), so
they are syntax problems here, at tomllib's position.
"""

from __future__ import annotations

import bisect
import datetime
import math
import re
from typing import Any

from cfglint.document import Document, Entry, KeyPath, Mapping, Node, ParseProblem, Scalar, Sequence, Span

# Between items: whitespace, newlines, commas (arrays, inline tables) and comments. A `#` is
# never inside a string here, as the cursor only ever skips between whole tokens.
_TRIVIA = re.compile(r"(?:[ \t\r\n,]|#[^\r\n]*)*")
_SPACE = re.compile(r"[ \t]*")
# One key in a table header: bare, basic ("...") or literal ('...').
_KEY = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'""")
_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")

STRING_STYLES = {"SLB": "double", "SLL": "single", "MLB": "multiline-double", "MLL": "multiline-single"}


def standard_toml():
    """The standard library's TOML reader (tomli, its backport, on Python 3.10)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


class _Mismatch(Exception):
    """The walk did not find an item's text where it must be."""


def load_toml(path: str, text: str) -> Document:
    doc = Document(path=path, text=text, format="toml")
    tomllib = standard_toml()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        doc.problems = [_syntax_problem(doc, str(error))]
        return doc
    except RecursionError:
        doc.problems = [ParseProblem("syntax", "nesting too deep to load", doc.span_at(0))]
        return doc
    import tomlkit  # a dependency of cfglint: a missing one is an install error, not a fallback

    try:
        root = _Locator(doc).build(tomlkit.parse(text))
        if _normal(_data(root)) != _normal(data):
            raise _Mismatch("the positioned tree differs from tomllib's data")
    except Exception:  # tomlkit disagrees with tomllib, or a position could not be verified
        root = _unpositioned(doc, data, ())
    doc.roots = [root]
    return doc


def _syntax_problem(doc: Document, message: str) -> ParseProblem:
    """tomllib's message, at the line and column it names (columns count code points, from 1);
    a key or table written twice is pointed at where its second statement starts."""
    match = _POSITION.search(message)
    offset = len(doc.text)
    if match is not None:
        message = message[: match.start()]
        if match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
            starts = doc.line_starts
            offset = starts[line - 1] + column - 1 if line <= len(starts) else len(doc.text)
    offset = min(offset, len(doc.text))
    message = message.strip() or "invalid TOML"
    if message.startswith("Cannot overwrite a value") or (message.startswith("Cannot declare") and message.endswith("twice")):
        offset, name = _statement_start(doc, offset), _duplicate_name(doc.text)
        written = f"'{name}' is written twice" if name else "a key or table is written twice"
        message = f"{written}: TOML refuses the file (tomllib: {message})"
    return ParseProblem("syntax", message, doc.span_at(offset))


def _statement_start(doc: Document, offset: int) -> int:
    """Where the statement that ends at `offset` starts: tomllib reports a duplicate after it.
    The latest line start before which the text still loads is that statement's line."""
    tomllib = standard_toml()
    starts = doc.line_starts
    index = bisect.bisect_right(starts, offset) - 1
    for start in reversed(starts[max(0, index - 200) : index + 1]):
        try:
            tomllib.loads(doc.text[:start])
        except tomllib.TOMLDecodeError:
            continue
        return start + len(doc.text[start:]) - len(doc.text[start:].lstrip(" \t"))
    return offset


def _duplicate_name(text: str) -> str | None:
    """The key tomlkit names for a duplicate (`Key "lr" already exists.`)."""
    try:
        import tomlkit

        tomlkit.parse(text)
    except Exception as error:  # tomlkit's ParseError
        match = re.search(r'Key "(.*)" already exists', str(error))
        return match.group(1) if match else None
    return None


class _Locator:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.pos = 0
        self.root = Mapping(doc.span_at(0), ())
        # Where each container's text is known to start and end, widened as its items are found.
        self.extent: dict[int, list[int]] = {}

    # -- the cursor ------------------------------------------------------------------------

    def skip(self) -> None:
        self.pos = _TRIVIA.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def expect(self, piece: str) -> tuple[int, int]:
        self.skip()
        if not piece or not self.text.startswith(piece, self.pos):
            raise _Mismatch(f"expected {piece!r} at offset {self.pos}")
        start = self.pos
        self.pos += len(piece)
        return start, self.pos

    def expect_inline(self, piece: str) -> tuple[int, int]:
        """`piece` after spaces and tabs only (inside a header or a dotted key)."""
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
        if not self.text.startswith(piece, self.pos):
            raise _Mismatch(f"expected {piece!r} at offset {self.pos}")
        start = self.pos
        self.pos += len(piece)
        return start, self.pos

    def span(self, start: int, end: int) -> Span:
        return self.doc.span_at(start, end)

    def widen(self, node: Node, start: int, end: int) -> None:
        extent = self.extent.setdefault(id(node), [start, end])
        extent[0], extent[1] = min(extent[0], start), max(extent[1], end)

    # -- the tree --------------------------------------------------------------------------

    def build(self, parsed) -> Mapping:
        self.walk(parsed.body, self.root, ())
        self.skip()
        if self.pos != len(self.text):
            raise _Mismatch(f"text left over at offset {self.pos}")
        self.finish(self.root)
        return self.root

    def finish(self, node: Node) -> None:
        """Give tables and arrays of tables the spans their items reach (each once)."""
        # Children first, so a parent's extent includes theirs.
        for current in reversed(list(self._preorder(node))):
            extent = self.extent.get(id(current))
            for child in self._children(current):
                child_extent = self.extent.get(id(child), [child.span.offset, child.span.end_offset])
                if extent is None:
                    extent = self.extent[id(current)] = list(child_extent)
                else:
                    extent[0], extent[1] = min(extent[0], child_extent[0]), max(extent[1], child_extent[1])
            if extent is not None:
                current.span = self.span(extent[0], extent[1])

    @staticmethod
    def _children(node: Node) -> list[Node]:
        if isinstance(node, Mapping):
            return [child for entry in node.entries for child in (entry.key, entry.value)]
        if isinstance(node, Sequence):
            return list(node.items)
        return []

    def _preorder(self, node: Node):
        stack = [node]
        while stack:
            current = stack.pop()
            yield current
            if isinstance(current, (Mapping, Sequence)):
                stack.extend(child for child in self._children(current) if isinstance(child, (Mapping, Sequence)))

    def walk(self, body, mapping: Mapping | None, scope: KeyPath) -> None:
        """Items of one tomlkit container; key/value pairs go into `mapping`."""
        from tomlkit.items import AoT, Table

        for key, item in body:
            if key is None:
                continue  # whitespace and comments: the cursor skips them
            if isinstance(item, AoT):
                for element in item.body:
                    self.aot_element(element)
            elif isinstance(item, Table) and key.is_dotted():
                if mapping is None:
                    raise _Mismatch("a dotted key outside any table")
                self.dotted(key, item, mapping)
            elif isinstance(item, Table):
                if item.display_name is None and item.is_super_table():
                    self.walk(item.value.body, None, scope)  # an implicit table: its children have headers
                else:
                    self.table(item)
            else:
                if mapping is None:
                    raise _Mismatch("a key/value pair outside any table")
                self.pair(key, item, mapping)

    def key_scalar(self, key, mapping: Mapping, inline: bool = False) -> Scalar:
        written = key.as_string().strip()
        start, end = self.expect_inline(written) if inline else self.expect(written)
        return Scalar(self.span(start, end), mapping.path, value=key.key, style=_key_style(written))

    def pair(self, key, item, mapping: Mapping) -> None:
        key_node = self.key_scalar(key, mapping)
        self.expect_inline("=")
        value = self.value(item, mapping.path + (key.key,))
        self.add(mapping, key_node, value)

    def dotted(self, key, table, mapping: Mapping) -> None:
        """`a.b.c = 1`: each leaf is written with its whole dotted prefix."""
        from tomlkit.items import Table

        children = [(k, v) for k, v in table.value.body if k is not None]
        for child_key, child in children:
            key_node = self.key_scalar(key, mapping)
            inner = self.child_mapping(mapping, key.key, key_node)
            self.expect_inline(".")
            if isinstance(child, Table) and child_key.is_dotted():
                self.dotted_tail(child_key, child, inner)
            elif isinstance(child, Table):
                raise _Mismatch("a table under a dotted key")
            else:
                self.pair_inline(child_key, child, inner)

    def dotted_tail(self, key, table, mapping: Mapping) -> None:
        """The rest of a dotted key, after its first part and the dot."""
        from tomlkit.items import Table

        children = [(k, v) for k, v in table.value.body if k is not None]
        for index, (child_key, child) in enumerate(children):
            if index:
                raise _Mismatch("a dotted table with several children")
            key_node = self.key_scalar(key, mapping, inline=True)
            inner = self.child_mapping(mapping, key.key, key_node)
            self.expect_inline(".")
            if isinstance(child, Table) and child_key.is_dotted():
                self.dotted_tail(child_key, child, inner)
            else:
                self.pair_inline(child_key, child, inner)

    def pair_inline(self, key, item, mapping: Mapping) -> None:
        key_node = self.key_scalar(key, mapping, inline=True)
        self.expect_inline("=")
        value = self.value(item, mapping.path + (key.key,))
        self.add(mapping, key_node, value)

    def header_keys(self, closer: str) -> list[tuple[str, Scalar]]:
        """The keys of a `[a.b]` header at the cursor (just after its `[`), up to `closer`."""
        keys: list[tuple[str, Scalar]] = []
        while True:
            self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            match = _KEY.match(self.text, self.pos)
            if match is None:
                raise _Mismatch(f"expected a key at offset {self.pos}")
            written = match.group()
            name = _decode_key(written)
            keys.append((name, Scalar(self.span(match.start(), match.end()), (), value=name, style=_key_style(written))))
            self.pos = _SPACE.match(self.text, match.end()).end()  # type: ignore[union-attr]
            if self.text.startswith(".", self.pos):
                self.pos += 1
                continue
            self.expect_inline(closer)
            return keys

    def navigate(self, keys: list[tuple[str, Scalar]]) -> Mapping:
        """The table that holds the header's last key, creating implicit tables on the way;
        an array of tables on the way stands for its last element."""
        current: Mapping = self.root
        for name, key_node in keys:
            entry = current.get(name)
            if entry is None:
                key_node.path = current.path
                current = self.child_mapping(current, name, key_node)
                continue
            value = entry.value
            if isinstance(value, Sequence) and value.items and isinstance(value.items[-1], Mapping):
                value = value.items[-1]
            if not isinstance(value, Mapping):
                raise _Mismatch(f"header goes through {name!r}, which is not a table")
            current = value
        return current

    def table(self, table) -> None:
        start, _ = self.expect("[")
        keys = self.header_keys("]")
        parent = self.navigate(keys[:-1])
        name, key_node = keys[-1]
        key_node.path = parent.path
        mapping = self.child_mapping(parent, name, key_node)
        self.widen(mapping, start, self.pos)
        self.walk(table.value.body, mapping, mapping.path)

    def aot_element(self, element) -> None:
        start, _ = self.expect("[[")
        keys = self.header_keys("]]")
        parent = self.navigate(keys[:-1])
        name, key_node = keys[-1]
        entry = parent.get(name)
        if entry is None:
            key_node.path = parent.path
            sequence = Sequence(self.span(start, self.pos), parent.path + (name,))
            self.add(parent, key_node, sequence)
        elif isinstance(entry.value, Sequence):
            sequence = entry.value
        else:
            raise _Mismatch(f"[[{name}]] after a value that is not an array of tables")
        mapping = Mapping(self.span(start, self.pos), sequence.path + (len(sequence.items),))
        sequence.items.append(mapping)
        self.widen(sequence, start, self.pos)
        self.widen(mapping, start, self.pos)
        self.walk(element.value.body, mapping, mapping.path)

    def child_mapping(self, parent: Mapping, name: str, key_node: Scalar) -> Mapping:
        """The table `name` in `parent`, created (with `key_node` as its key) when it is new."""
        entry = parent.get(name)
        if entry is not None:
            if not isinstance(entry.value, Mapping):
                raise _Mismatch(f"{name!r} is not a table")
            return entry.value
        mapping = Mapping(key_node.span, parent.path + (name,))
        self.add(parent, key_node, mapping)
        return mapping

    def add(self, mapping: Mapping, key_node: Scalar, value: Node) -> None:
        if mapping.add(Entry(key_node, value)) is not None:
            raise _Mismatch(f"{key_node.value!r} twice in one table")

    def value(self, item, path: KeyPath) -> Node:
        from tomlkit.items import Array, InlineTable, String

        raw = item.as_string()
        start, end = self.expect(raw)
        span = self.span(start, end)
        if isinstance(item, Array):
            sequence = Sequence(span, path)
            self.pos = start + 1
            for index, element in enumerate(list(item)):
                sequence.items.append(self.value(element, path + (index,)))
            self.expect("]")
            if self.pos != end:
                raise _Mismatch(f"array at offset {start} does not end where its text does")
            self.extent[id(sequence)] = [start, end]
            return sequence
        if isinstance(item, InlineTable):
            mapping = Mapping(span, path)
            self.pos = start + 1
            self.walk(item.value.body, mapping, path)
            self.expect("}")
            if self.pos != end:
                raise _Mismatch(f"inline table at offset {start} does not end where its text does")
            self.extent[id(mapping)] = [start, end]
            return mapping
        if isinstance(item, String):
            style = STRING_STYLES.get(item.type.name, "double")
            return Scalar(span, path, value=str(item), style=style)
        return Scalar(span, path, value=_plain(item.unwrap()), style="plain")


def _plain(value: Any) -> Any:
    """tomlkit's value as tomllib gives it (plain int, float, bool, date and time types)."""
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond, value.tzinfo)
    if isinstance(value, datetime.date):
        return datetime.date(value.year, value.month, value.day)
    if isinstance(value, datetime.time):
        return datetime.time(value.hour, value.minute, value.second, value.microsecond, value.tzinfo)
    return value


def _key_style(written: str) -> str:
    if written.startswith('"'):
        return "double"
    if written.startswith("'"):
        return "single"
    return "plain"


def _decode_key(written: str) -> str:
    if written.startswith("'"):
        return written[1:-1]
    if written.startswith('"'):
        return standard_toml().loads(f"k = {written}")["k"]
    return written


def _data(node: Node) -> Any:
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [_data(item) for item in node.items]
    assert isinstance(node, Mapping)
    return {entry.key.value: _data(entry.value) for entry in node.entries}


def _normal(value: Any) -> Any:
    """Data made comparable: NaN equals NaN, and an int is not a float nor a bool."""
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return (type(value).__name__, value)


def _unpositioned(doc: Document, data: Any, path: KeyPath) -> Node:
    """tomllib's data as a tree whose every position is the file's start (a last resort)."""
    span = doc.span_at(0)
    if isinstance(data, dict):
        mapping = Mapping(span, path)
        for key, value in data.items():
            mapping.add(Entry(Scalar(span, path, value=key), _unpositioned(doc, value, path + (key,))))
        return mapping
    if isinstance(data, list):
        sequence = Sequence(span, path)
        sequence.items = [_unpositioned(doc, value, path + (index,)) for index, value in enumerate(data)]
        return sequence
    return Scalar(span, path, value=data, style="double" if isinstance(data, str) else "plain")
