"""A parsed config as one tree in which every key and value knows where it is written.

YAML, JSON and TOML all load into this tree (cfglint.yaml_source, cfglint.json_source,
cfglint.toml_source), so rules,
reports and fixes never care which format a config came in. Nothing in the tree is ever
constructed from a tag: a value with a tag cfglint does not know stays an `Opaque` value.
"""

from __future__ import annotations

import bisect
import re
from typing import Any, Iterator, Union

from cfglint.record import Record

PathElement = Union[str, int]
KeyPath = tuple[PathElement, ...]

# Compiled on first use (re caches it): only fixes compare comments.
_COMMENT = r"(?m)(?:^|(?<=\s))#[^\r\n]*"

# A merge key (`<<: *defaults`) pulls the entries of another mapping into this one.
MERGE_KEY = "<<"

# Deeper nesting than this is refused at load time: no real config comes near it, and it keeps
# every recursive walk of the tree (to_data, validation) well inside the interpreter's stack.
MAX_DEPTH = 200


class Span(Record):
    """A region of the source text.

    Lines and columns are 1-based and count characters; the end is exclusive (as in SARIF).
    Offsets index the decoded text (after any byte order mark), which is what text edits need.
    """

    __slots__ = ("line", "column", "end_line", "end_column", "offset", "end_offset")

    def __init__(
        self,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        offset: int,
        end_offset: int,
    ) -> None:
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.offset = offset
        self.end_offset = end_offset


class Opaque(Record):
    """A value whose tag cfglint does not construct (`!import_call`, `!!python/name`, ...)."""

    __slots__ = ("tag", "text")

    def __init__(self, tag: str, text: str) -> None:
        self.tag = tag
        self.text = text

    def __str__(self) -> str:
        return f"{self.tag} {self.text}"


class Node:
    """A value in the config with its exact span and key path.

    Nodes compare by identity: two equal values written in two places are two nodes.

    An alias (`*lr`, `<<: *base`) is its own node, an *alias view*: the anchored node's value
    and structure, the span of the alias text (`*lr`) and the key path the user wrote
    (`optimizer.lr`, or `run.lr` for a key merged into `run`), so findings reached through it
    are reported there. `anchored` names the node whose text the view stands for (for a view of
    a mapping's entry, that entry's own node under the anchor); it is None for a node written in
    place. A fix edits text, and a view has none of its own: edits go to `anchored`'s text,
    which every alias of that anchor shares.
    """

    __slots__ = ("span", "path", "tag", "anchor", "unknown_tag", "anchored")

    def __init__(self, span: Span, path: KeyPath, tag: str | None = None, anchor: str | None = None, unknown_tag: bool = False) -> None:
        self.span = span
        self.path = path
        self.tag = tag
        self.anchor = anchor
        # A tag cfglint does not construct: the value is opaque data.
        self.unknown_tag = unknown_tag
        self.anchored: Node | None = None

    @property
    def written(self) -> Node:
        """The node whose text holds this value: itself, or the anchored node for an alias view."""
        return self if self.anchored is None else self.anchored

    @property
    def opaque(self) -> bool:
        return self.unknown_tag

    def __repr__(self) -> str:
        return f"{type(self).__name__}({format_path(self.path) or '<root>'} at {self.span.line}:{self.span.column})"


class Scalar(Node):
    """A leaf value, with the quoting style it was written in (fixes keep it)."""

    __slots__ = ("value", "style")

    def __init__(
        self,
        span: Span,
        path: KeyPath,
        tag: str | None = None,
        anchor: str | None = None,
        unknown_tag: bool = False,
        value: Any = None,
        style: str = "plain",
    ) -> None:
        # Node's fields are set here, not through Node.__init__: a corpus has tens of thousands of
        # scalars, and the extra call is a tenth of building one.
        self.span = span
        self.path = path
        self.tag = tag
        self.anchor = anchor
        self.unknown_tag = unknown_tag
        self.anchored = None
        self.value = value
        # "plain", "single", "double", "literal", "folded" (YAML) or "json" (a JSON token).
        self.style = style


class Entry:
    """One key and its value in a mapping; the key is a node too, for positions."""

    __slots__ = ("key", "value")

    def __init__(self, key: Node, value: Node) -> None:
        self.key = key
        self.value = value


class Mapping(Node):
    """A mapping in written order, indexed by key identity to find duplicates."""

    __slots__ = ("entries", "_index")

    def __init__(self, span: Span, path: KeyPath, tag: str | None = None, anchor: str | None = None, unknown_tag: bool = False) -> None:
        Node.__init__(self, span, path, tag, anchor, unknown_tag)
        self.entries: list[Entry] = []
        self._index: dict[Any, Entry] = {}

    def add(self, entry: Entry) -> Entry | None:
        """Append an entry; return the earlier entry with the same key, if there was one."""
        self.entries.append(entry)
        key = entry.key
        # Most keys are plain strings: their identity needs no call.
        ident = (str, key.value) if key.__class__ is Scalar and key.value.__class__ is str and not key.unknown_tag else key_identity(key)
        if ident is None:
            return None
        earlier = self._index.get(ident)
        self._index[ident] = entry  # last one wins, as in every loader
        return earlier

    def keys(self) -> list[str]:
        """The string keys written in this mapping."""
        return [key for kind, key in self._index if kind is str]

    def get(self, key: str) -> Entry | None:
        """The entry for `key`, looking through merge keys as loaders do."""
        entry = self._index.get((str, key))
        if entry is not None or (str, MERGE_KEY) not in self._index:
            return entry
        for merged in self.merged_mappings():
            found = merged.get(key)
            if found is not None:
                return found
        return None

    def merged_mappings(self) -> Iterator[Mapping]:
        merge = self._index.get((str, MERGE_KEY))
        if merge is None or not isinstance(merge.key, Scalar) or merge.key.style != "plain":
            return
        sources = merge.value.items if isinstance(merge.value, Sequence) else [merge.value]
        for source in sources:
            if isinstance(source, Mapping):
                yield source


class Sequence(Node):
    """A list of nodes in written order."""

    __slots__ = ("items",)

    def __init__(self, span: Span, path: KeyPath, tag: str | None = None, anchor: str | None = None, unknown_tag: bool = False) -> None:
        Node.__init__(self, span, path, tag, anchor, unknown_tag)
        self.items: list[Node] = []


def key_identity(node: Node) -> tuple[type, Any] | None:
    """What makes two mapping keys the same key: `1` and `"1"` differ, `a` and `"a"` do not."""
    if isinstance(node, Scalar) and not node.unknown_tag:
        value = node.value
        if isinstance(value, float) and value != value:  # NaN never equals itself
            return None
        return (type(value), value)
    return None


# Each alias view costs a node per value the alias expands to (about 0.8 KB); past this many in
# one file (real configs have a few hundred at most), further aliases share the anchored node
# itself, with its span and path, as loaders share it.
MAX_ALIAS_VIEWS = 20_000


def alias_view(node: Node, path: KeyPath, span: Span, views: dict[int, Node]) -> Node:
    """`node` as reached at `path` through an alias written at `span` (see Node); each view is
    recorded in `views` by the identity of its span, so a finding at that span can name it.

    Built with an explicit stack: aliases nest, so a view can be far deeper than MAX_DEPTH.
    """
    pending: list[tuple[Node, Node]] = []

    def view_of(source: Node, at: KeyPath) -> Node:
        where = Span(span.line, span.column, span.end_line, span.end_column, span.offset, span.end_offset)
        view: Node
        if isinstance(source, Scalar):
            view = Scalar(where, at, source.tag, None, source.unknown_tag, source.value, source.style)
        elif isinstance(source, (Mapping, Sequence)):
            view = type(source)(where, at, source.tag, None, source.unknown_tag)
            pending.append((source, view))
        else:
            return source
        view.anchored = source.written
        views[id(where)] = view
        return view

    def child(item: Node, parent: Node, view: Node) -> Node:
        if item.path[: len(parent.path)] != parent.path:
            return item  # a node shared as it is (past MAX_ALIAS_VIEWS)
        return view_of(item, view.path + item.path[len(parent.path) :])

    root = view_of(node, path)
    while pending:
        source, view = pending.pop()
        if isinstance(source, Mapping) and isinstance(view, Mapping):
            entries = {id(entry): Entry(child(entry.key, source, view), child(entry.value, source, view)) for entry in source.entries}
            view.entries = list(entries.values())
            view._index = {ident: entries[id(entry)] for ident, entry in source._index.items()}
        elif isinstance(source, Sequence) and isinstance(view, Sequence):
            view.items = [child(item, source, view) for item in source.items]
    return root


class ParseProblem(Record):
    """Something that stops a file from loading as its author meant: a syntax error or a duplicate key."""

    __slots__ = ("kind", "message", "span", "key", "related", "mapping", "earlier")

    def __init__(
        self,
        kind: str,
        message: str,
        span: Span,
        key: str | None = None,
        related: tuple[tuple[str, Span], ...] = (),
        mapping: Mapping | None = None,
        earlier: Entry | None = None,
    ) -> None:
        self.kind = kind  # "syntax" or "duplicate-key"
        self.message = message
        self.span = span
        self.key = key
        self.related = related
        # For a duplicate key: the mapping and the earlier entry (the one loaders ignore).
        self.mapping = mapping
        self.earlier = earlier


def duplicate_key_problem(parent: Mapping, earlier: Entry, second: Node) -> ParseProblem:
    """A key written twice in one mapping: every loader keeps the last value without a word."""
    first = earlier.key
    label = second.value if isinstance(second, Scalar) else "?"
    name = format_path(parent.path + (str(label),))
    message = (
        f"duplicate key '{label}' (first written at line {first.span.line}): loaders silently keep "
        "only the last value; remove one of them"
    )
    return ParseProblem("duplicate-key", message, second.span, name, ((name, first.span),), parent, earlier)


class ExpansionLimitExceeded(Exception):
    """Aliases expand a document past the size cfglint is willing to build in memory."""


class Document:
    """One config file: its text, its trees (one per YAML document) and its load problems."""

    def __init__(self, path: str, text: str, format: str, encoding: str = "utf-8", bom: bool = False) -> None:
        self.path = path
        self.text = text
        self.format = format  # "yaml", "json" or "toml"
        self.encoding = encoding
        self.bom = bom
        self.roots: list[Node] = []
        self.problems: list[ParseProblem] = []
        self._line_starts: list[int] | None = None
        # Alias views (see Node) by the identity of their span: what a finding's span was reached through.
        self.alias_views: dict[int, Node] = {}
        # For a document built from several files (a Hydra composition, a config with the files it
        # names): the file each span is written in, by the span's identity; a span not here is this
        # file's own.
        self.sources: dict[int, Document] = {}

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {self.format}, {len(self.roots)} root(s), {len(self.problems)} problem(s))"

    @property
    def root(self) -> Node | None:
        return self.roots[0] if self.roots else None

    def views(self) -> list[Document]:
        """One document per YAML document in the file, each read and checked on its own.

        A view shares the file's text (so positions are the file's) and holds one root; the
        file's load problems go with the first view only, so each is reported once.
        """
        if len(self.roots) <= 1:
            return [self]
        views = [self.view(root) for root in self.roots]
        views[0].problems = self.problems
        return views

    def view(self, root: Node) -> Document:
        """A document of `root` alone (one YAML document, a block read as a config of its own)
        over this file's text, positions, alias views and sources, without its load problems."""
        view = Document(self.path, self.text, self.format, self.encoding, self.bom)
        view.roots = [root]
        view._line_starts = self.line_starts
        view.alias_views = self.alias_views
        view.sources = self.sources
        return view

    def source_of(self, span: Span) -> Document:
        """The document whose text `span` counts positions in: this one, or the file it came from."""
        return self.sources.get(id(span), self)

    def text_at(self, span: Span) -> str:
        """The text `span` covers, in whichever file it is written."""
        return self.source_of(span).text[span.offset : span.end_offset]

    def alias_origin(self, span: Span) -> Node | None:
        """The anchored node whose value a finding at `span` reached through an alias, if any."""
        view = self.alias_views.get(id(span))
        return view.anchored if view is not None and view.span is span else None

    @property
    def mapping(self) -> Mapping | None:
        """The first document's root when it is a mapping: what rules and dialects read."""
        root = self.root
        return root if isinstance(root, Mapping) else None

    @property
    def line_starts(self) -> list[int]:
        """Offsets where lines start: only LF, CR and CRLF break lines (YAML 1.2 and JSON;
        U+0085, U+2028 and U+2029 are ordinary characters there, unlike for str.splitlines)."""
        if self._line_starts is None:
            self._line_starts = line_starts(self.text)
        return self._line_starts

    def span_at(self, offset: int, end_offset: int | None = None) -> Span:
        """The span of text between two offsets (a point when there is no end)."""
        end_offset = offset if end_offset is None else end_offset
        line, column = self.line_column(offset)
        end_line, end_column = self.line_column(end_offset)
        return Span(line, column, end_line, end_column, offset, end_offset)

    def line_column(self, offset: int) -> tuple[int, int]:
        # Clamped without max() and min(), whose calls cost more than the rest: JSON positions
        # every token through here.
        length = len(self.text)
        offset = 0 if offset < 0 else length if offset > length else offset
        starts = self.line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def nodes(self, keys: bool = True) -> Iterator[Node]:
        """Every node written in the text once, mapping keys included or not; alias views (whose
        text is the anchor's) and nodes shared by aliases are not walked again."""
        stack: list[Node] = list(self.roots)
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if id(node) in seen or node.anchored is not None:
                continue
            seen.add(id(node))
            yield node
            if isinstance(node, Mapping):
                for entry in node.entries:
                    stack.extend((entry.key, entry.value) if keys else (entry.value,))
            elif isinstance(node, Sequence):
                stack.extend(node.items)

    def string_spans(self) -> list[tuple[int, int]]:
        """(start, end) offsets of quoted and block scalars: text there is data, never a comment."""
        spans = []
        for node in self.nodes():
            if isinstance(node, Scalar) and node.style != "plain":
                start, end = node.span.offset, node.span.end_offset
                if node.style in ("literal", "folded"):  # a comment may follow the `|` or `>`
                    match = re.compile(r"[\r\n]").search(self.text, start, end)
                    start = match.start() if match else end
                spans.append((start, end))
        return spans

    def comments(self) -> list[tuple[int, str]]:
        """(offset, text) of each YAML or TOML comment, in order; JSON has none."""
        if self.format == "json" or "#" not in self.text:
            return []
        inside = self.string_spans()
        return [
            (match.start(), match.group())
            for match in re.finditer(_COMMENT, self.text)
            if not any(start <= match.start() < end for start, end in inside)
        ]

    def node_at(self, path: KeyPath) -> tuple[Node | None, KeyPath]:
        """The deepest node along `path`, and the part of the path that reached it."""
        node = self.root
        walked: list[PathElement] = []
        for element in path:
            child: Node | None = None
            if isinstance(node, Mapping) and isinstance(element, str):
                entry = node.get(element)
                child = entry.value if entry else None
            elif isinstance(node, Sequence) and isinstance(element, int) and 0 <= element < len(node.items):
                child = node.items[element]
            if child is None:
                break
            node = child
            walked.append(element)
        return node, tuple(walked)

    def key_node_at(self, path: KeyPath) -> Node | None:
        """The key node of the entry at `path` (the value node for sequence items and the root)."""
        if not path or not isinstance(path[-1], str):
            return self.node_at(path)[0]
        parent, walked = self.node_at(path[:-1])
        if len(walked) != len(path) - 1 or not isinstance(parent, Mapping):
            return None
        entry = parent.get(path[-1])
        return entry.key if entry else None


_LINE_BREAK = r"\r\n?|\n"


def line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts; the one line counting every position uses."""
    if "\r" in text:
        return [0] + [match.end() for match in re.finditer(_LINE_BREAK, text)]
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


def split_lines(text: str) -> list[str]:
    """The lines of `text` as positions count them (without their breaks), for code frames."""
    if not text:
        return []
    starts = line_starts(text)
    ends = starts[1:] + [len(text)]
    lines = [text[start:end].rstrip("\r\n") for start, end in zip(starts, ends)]
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the empty "line" after a final newline, as splitlines() drops it
    return lines


def utf16_column(line: str, column: int) -> int:
    """A 1-based column counted in code points (as spans count) -> counted in UTF-16 code units,
    as LSP and SARIF consumers count them: a character beyond U+FFFF takes two."""
    return column + sum(1 for char in line[: column - 1] if ord(char) > 0xFFFF)


def format_path(path: KeyPath) -> str:
    """`('scheduler', 'params', 0)` -> `scheduler.params[0]`, as a user would write it."""
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        elif element and (element.isidentifier() or all(c.isalnum() or c in "_-$@/" for c in element)):
            text += f".{element}" if text else element
        else:
            text += f"[{element!r}]"
    return text


# Python's int() refuses longer digit strings (json.loads and PyYAML raise ValueError on them).
MAX_INT_DIGITS = 4300


def too_many_digits(digits: int) -> str:
    return f"an integer of {digits:,} digits: Python refuses more than {MAX_INT_DIGITS:,} (json.loads and YAML loaders raise ValueError)"


# Aliases may expand a small file into billions of values ("billion laughs"); past this many
# the document is refused, as no loader could use it.
MAX_EXPANDED_VALUES = 1_000_000


def to_data(node: Node | None, limit: int = 1_000_000) -> Any:
    """Plain Python data for a tree, expanding aliases and merge keys as a loader would.

    Raises ExpansionLimitExceeded past `limit` values, so an alias bomb cannot eat memory.
    """
    budget = [limit]

    def spend() -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise ExpansionLimitExceeded(f"aliases expand this document past {limit:,} values")

    def build(node: Node | None) -> Any:
        spend()
        if node is None:
            return None
        if isinstance(node, Scalar):
            return node.value
        if node.opaque:
            return Opaque(node.tag or "", "")
        if isinstance(node, Sequence):
            return [build(item) for item in node.items]
        assert isinstance(node, Mapping)
        data: dict[Any, Any] = {}
        for merged in node.merged_mappings():
            for key, value in build(merged).items():
                data.setdefault(key, value)
        own: dict[Any, Any] = {}
        for entry in node.entries:
            if isinstance(entry.key, Scalar) and entry.key.value == MERGE_KEY and entry.key.style == "plain":
                continue
            key = build(entry.key)
            if isinstance(key, (dict, list)):
                key = repr(key)  # a complex key: kept, but as text
            own[key] = build(entry.value)
        data.update(own)
        return data

    return build(node)
