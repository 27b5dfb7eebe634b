"""Block YAML as most configs write it, read line by line without libyaml.

Most training configs are block mappings and sequences of one-line scalars (`lr: 3.0e-4`,
`- resnet`, `name: "run"`, `betas: [0.9, 0.999]`) with comments. For those, one pass over the
lines builds the very tree cfglint.yaml_source builds from libyaml's events (the same nodes,
paths, spans, values, styles and duplicate-key problems) in about four fifths of the time (the
corpus's 456 such files: 124-130 ms against 156-158 ms), with no event objects and no marks, and
without importing ruamel.yaml. Anything else (anchors, aliases, tags, block and multi-line
scalars, flow mappings, quoted keys, tabs, several documents, directives, and every error) is
declined and the file goes to libyaml as before. The reader declines whenever it is not sure:
`read` returns False, never a guess. tests/test_simple_yaml.py compares the two readers' trees on
written edge cases, on generated documents, on mutated corpus configs and on the corpus.
"""

from __future__ import annotations

import re

from cfglint.document import MAX_DEPTH, Document, Entry, KeyPath, Mapping, Node, Scalar, Sequence, Span, duplicate_key_problem
from cfglint.yaml_core import PATTERNS_BY_FIRST, key_in_path, resolve_plain

# Characters libyaml reads differently from a Python string (tabs, carriage returns, its other
# line breaks, a byte order mark inside the text) or refuses (control characters): declined.
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_PLAIN_FIRST = r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[\-?:](?=\S))"
# A plain key: no indicator first (`-`, `?`, `:` only before a non-space), then anything but
# `: ` and ` #`; spaces before its colon are not part of it.
_KEY_TEXT = rf"{_PLAIN_FIRST}(?:[^\s:]++|:(?=\S)| ++(?=[^\s#:]))*+"
_KEY = re.compile(rf"{_KEY_TEXT}( *):(?= |$)")
# The most common line: `key: word` (a plain scalar, then perhaps a comment) or `key:`; never a
# document marker (`--- a: 1` starts a document).
_ENTRY_LINE = re.compile(rf"(?!(?:---|\.\.\.)(?: |$))( *)({_KEY_TEXT}) *:(?: +({_PLAIN_FIRST}(?:[^\s:]++|:(?=\S)| ++(?=[^\s#]))*+))? *(?: #.*)?$")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:([0abtnvfre \"/\\N_LP])|x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
_ESCAPED = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b",
    " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
# A flow sequence on one line, of plain or quoted scalars: `[0.9, 0.999]`, `["res2", "res3"]`
# (in a flow, libyaml ends a plain scalar at `?` too).
_FLOW = re.compile(r"""\[((?:[^\[\]{}#:'"?]|'[^'\n]*'|"[^"\\\n]*")*)\]""")
_FLOW_ENTRY = re.compile(r""" *((?:[^,'" ]|'[^']*'|"[^"]*"| +(?=[^, ]))*) *(?:,|$)""")
# What a plain scalar may not start with (YAML's indicators); `-`, `?` and `:` may, before a
# character that is not a space.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Past these, libyaml's own limits (a key's length, sizes, nesting) and the integer digit limit
# are for yaml_source to apply.
_MAX_TEXT = 1_000_000
_MAX_PLAIN = 1000


class _Declined(Exception):
    pass


def read(doc: Document) -> bool:
    """Build `doc.roots` (and duplicate-key problems) from its text; False, with `doc` untouched,
    when the text is not plain block YAML."""
    text = doc.text
    if len(text) > _MAX_TEXT or _UNUSUAL.search(text) is not None:
        return False
    reader = _Reader()
    try:
        reader.read(text)
    except _Declined:
        return False
    if reader.root is None:
        return False  # no document at all: libyaml says what the file holds
    doc.roots.append(reader.root)
    doc.problems.extend(reader.problems)
    return True


class _Frame:
    """An open block collection: its node, the column its keys or dashes stand in, whether it is
    a sequence written at its parent key's column, and the key waiting for its value."""

    __slots__ = ("node", "indent", "indentless", "key")

    def __init__(self, node: Node, indent: int, indentless: bool) -> None:
        self.node = node
        self.indent = indent
        self.indentless = indentless
        self.key: Scalar | None = None


class _Reader:
    def __init__(self) -> None:
        self.stack: list[_Frame] = []
        self.problems: list = []
        self.root: Node | None = None
        # A key or dash with nothing after it on its line: (offset, line, column) just after it,
        # where libyaml puts an empty value when no deeper line follows.
        self.waiting: tuple[int, int, int] | None = None

    def read(self, text: str) -> None:
        stack, problems, patterns = self.stack, self.problems, PATTERNS_BY_FIRST
        offset = 0
        number = 0
        marked = False  # a `---` started the document
        for line in text.split("\n"):
            start = offset
            offset += len(line) + 1
            number += 1
            match = _ENTRY_LINE.match(line)
            if match is not None:
                # The common line, inlined: `key: word` or `key:`.
                indent = match.end(1)
                if self.waiting is not None or not stack or stack[-1].indent != indent or stack[-1].node.__class__ is not Mapping:
                    self.arrange(indent, Mapping, start + indent, number)  # the top block is now a mapping at `indent`
                frame = stack[-1]
                parent = frame.node
                first, end = match.span(2)
                written = match.group(2)
                if end - first > _MAX_PLAIN or match.end(3) - match.start(3) > _MAX_PLAIN:
                    raise _Declined  # see _plain
                key_value = resolve_plain(written) if written[:1] in patterns else written  # most keys are words: no call
                key = Scalar(Span(number, first + 1, number, end + 1, start + first, start + end), parent.path, None, None, False, key_value, "plain")
                first, end = match.span(3)
                if first < 0:
                    frame.key = key
                    colon = line.index(":", match.end(2))
                    self.waiting = (start + colon + 1, number, colon + 2)
                    continue
                written = match.group(3)
                value = resolve_plain(written) if written[:1] in patterns else written
                node = Scalar(Span(number, first + 1, number, end + 1, start + first, start + end), parent.path + ((key_value if key_value.__class__ is str else key_in_path(key_value)),), None, None, False, value, "plain")
                entry = Entry(key, node)
                if key_value.__class__ is str:  # Mapping.add's common case, inlined as in yaml_source
                    parent.entries.append(entry)
                    index = parent._index
                    earlier = index.get((str, key_value))
                    index[(str, key_value)] = entry  # last one wins, as in every loader
                else:
                    earlier = parent.add(entry)
                if earlier is not None:
                    problems.append(duplicate_key_problem(parent, earlier, key))
                continue
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            indent = len(line) - len(content)
            if indent == 0 and content.startswith(("---", "...", "%")):
                if content != "---" or marked or stack or self.root is not None:
                    raise _Declined  # a directive, a document end, or a second document
                marked = True
                continue
            if content[0] == "-" and (len(content) == 1 or content[1] == " "):
                self.arrange(indent, Sequence, start + indent, number)
                self.item(line, indent, start, number)
            elif (key_match := _KEY.match(line, indent)) is not None:
                self.arrange(indent, Mapping, start + indent, number)
                self.entry(line, key_match, start, number)
            else:
                self.scalar_line(line, indent, start, number)
        if self.waiting is not None:
            self.empty_value()
        # libyaml ends the blocks deeper than where the text stops (after a last line of spaces
        # or a comment, with no line break) there, and the others on a line of its own after it.
        column = len(line)
        while stack and stack[-1].indent > column:
            self.close(len(text), number, column + 1)
        while stack:
            self.close(len(text), number + 1 if column else number, 1)

    # --- blocks --------------------------------------------------------------------------------

    def arrange(self, indent: int, kind: type, first: int, number: int) -> None:
        """Open and close blocks as libyaml's indentation rules do, so that the top block takes a
        line of `kind` (Sequence for a `- ` item, Mapping for a key) at `indent`; decline where
        libyaml would refuse the line."""
        stack = self.stack
        if self.waiting is not None:
            top = stack[-1]
            if indent > top.indent or (kind is Sequence and indent == top.indent and top.key is not None):
                self.waiting = None  # the block is the value
                self.open(kind, indent, first, number, indentless=indent == top.indent)
                return
            self.empty_value()
        while stack and stack[-1].indent > indent:
            self.close(first, number, indent + 1)
        if stack and stack[-1].indentless and kind is Mapping and stack[-1].indent == indent:
            self.close(first, number, indent + 1)  # a key at the parent's column ends the sequence
        if not stack:
            if self.root is not None:
                raise _Declined  # a dedent past the first block: libyaml refuses it
            self.open(kind, indent, first, number, indentless=False)
            return
        top = stack[-1]
        if top.indent != indent or top.node.__class__ is not kind:
            raise _Declined

    def open(self, kind: type, indent: int, offset: int, number: int, indentless: bool) -> None:
        if len(self.stack) >= MAX_DEPTH // 2:
            raise _Declined
        node = kind(Span(number, indent + 1, number, indent + 1, offset, offset), self.child_path())
        self.stack.append(_Frame(node, indent, indentless))

    def close(self, offset: int, number: int, column: int) -> None:
        """Close the top block where the next token starts, as libyaml's block end does."""
        node = self.stack.pop().node
        span = node.span
        node.span = Span(span.line, span.column, number, column, span.offset, offset)
        self.attach(node)

    def child_path(self) -> KeyPath:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        parent = frame.node
        if parent.__class__ is Sequence:
            return parent.path + (len(parent.items),)
        key = frame.key.value
        return parent.path + ((key if key.__class__ is str else key_in_path(key)),)

    def attach(self, node: Node) -> None:
        """Give `node` to the open block: as its next item, or as the waiting key's value."""
        if not self.stack:
            self.root = node
            return
        frame = self.stack[-1]
        parent = frame.node
        if parent.__class__ is Sequence:
            parent.items.append(node)
            return
        key = frame.key
        frame.key = None
        earlier = parent.add(Entry(key, node))
        if earlier is not None:
            self.problems.append(duplicate_key_problem(parent, earlier, key))

    def empty_value(self) -> None:
        offset, number, column = self.waiting
        self.waiting = None
        self.attach(Scalar(Span(number, column, number, column, offset, offset), self.child_path(), None, None, False, None, "plain"))

    # --- lines ---------------------------------------------------------------------------------

    def item(self, line: str, indent: int, start: int, number: int) -> None:
        """`- value`, `- key: value` (a mapping in the sequence) or `-` (a deeper line follows)."""
        column = indent + 1
        while column < len(line) and line[column] == " ":
            column += 1
        if column == len(line) or line[column] == "#":
            self.waiting = (start + indent + 1, number, indent + 2)
        elif line[column] == "-" and (column + 1 == len(line) or line[column + 1] == " "):
            raise _Declined  # `- - x`: a sequence in a sequence on one line
        elif (key := _KEY.match(line, column)) is not None:
            self.open(Mapping, column, start + column, number, indentless=False)
            self.entry(line, key, start, number)
        else:
            self.attach(self.value(line, column, start, number))

    def entry(self, line: str, match: re.Match, start: int, number: int) -> None:
        """`key: value`, or `key:` with its value on the lines below (`match`: the key)."""
        indent = match.start()
        colon = match.end() - 1
        end = colon - len(match.group(1))
        frame = self.stack[-1]
        frame.key = Scalar(Span(number, indent + 1, number, end + 1, start + indent, start + end), frame.node.path, None, None, False, _plain(line[indent:end]), "plain")
        column = colon + 1
        while column < len(line) and line[column] == " ":
            column += 1
        if column == len(line) or line[column] == "#":
            self.waiting = (start + colon + 1, number, colon + 2)
        else:
            self.attach(self.value(line, column, start, number))

    def scalar_line(self, line: str, indent: int, start: int, number: int) -> None:
        """A value written on the line below its key or dash (`key:` then `  [1, 2]`)."""
        if self.waiting is None or indent <= self.stack[-1].indent:
            raise _Declined  # a scalar where a key or item belongs, or a multi-line scalar
        self.waiting = None
        self.attach(self.value(line, indent, start, number))

    def value(self, line: str, column: int, start: int, number: int) -> Node:
        """The one-line scalar or flow sequence at `column`, which must end the line (but for a
        comment); a deeper line after it would continue it, which arrange declines."""
        first = line[column]
        path = self.child_path()
        if first == "[":
            return self.flow(line, column, start, number, path)
        if line.startswith("{}", column):  # an empty flow mapping
            _only_comment_after(line, column + 2)
            return Mapping(Span(number, column + 1, number, column + 3, start + column, start + column + 2), path)
        if first == "'" or first == '"':
            end, value, style = _quoted(line, column)
            _only_comment_after(line, end)
        else:
            if first in _INDICATORS and (first not in "-?:" or column + 1 == len(line) or line[column + 1] == " "):
                raise _Declined  # an anchor, alias, tag, block scalar, flow mapping...
            comment = line.find(" #", column)
            text = (line[column:] if comment < 0 else line[column:comment]).rstrip(" ")
            if ": " in text or text.endswith(":"):
                raise _Declined  # a mapping inside a value, which libyaml refuses
            end, value, style = column + len(text), _plain(text), "plain"
        return Scalar(Span(number, column + 1, number, end + 1, start + column, start + end), path, None, None, False, value, style)

    def flow(self, line: str, column: int, start: int, number: int, path: KeyPath) -> Sequence:
        match = _FLOW.match(line, column)
        if match is None:
            raise _Declined  # nested, over several lines, with a mapping or a comment inside
        end = match.end()
        _only_comment_after(line, end)
        node = Sequence(Span(number, column + 1, number, end + 1, start + column, start + end), path)
        if not match.group(1).strip(" "):
            return node
        items = node.items
        at = column + 1
        while at < end - 1:
            entry = _FLOW_ENTRY.match(line, at, end - 1)
            first, stop = entry.span(1)
            if first == stop or entry.end() == at:
                raise _Declined  # an empty entry (`[1,,2]`, `[1,]`)
            text = line[first:stop]
            if text[0] == "'" or text[0] == '"':
                quoted_end, value, style = _quoted(line, first)
                if quoted_end != stop:
                    raise _Declined
            elif text[0] in _INDICATORS and (text[0] != "-" or len(text) == 1 or text[1] == " "):
                raise _Declined
            else:
                value, style = _plain(text), "plain"
            items.append(Scalar(Span(number, first + 1, number, stop + 1, start + first, start + stop), path + (len(items),), None, None, False, value, style))
            at = entry.end()
            if line[at - 1] == "," and at == end - 1:
                raise _Declined  # a trailing comma
        return node


def _plain(text: str) -> object:
    """A plain scalar's value; declined past libyaml's length for a key and far below Python's
    limit on an integer's digits (libyaml's reader reports those)."""
    if len(text) > _MAX_PLAIN:
        raise _Declined
    return resolve_plain(text)


def _quoted(line: str, column: int) -> tuple[int, str, str]:
    """(end, value, style) of the one-line quoted scalar at `column`."""
    if line[column] == "'":
        match = _SINGLE.match(line, column)
        if match is None:
            raise _Declined  # over several lines
        return match.end(), match.group(1).replace("''", "'"), "single"
    match = _DOUBLE.match(line, column)
    if match is None:
        raise _Declined
    body = match.group(1)
    if "\\" in body:
        body = _unescape(body)
    return match.end(), body, "double"


def _unescape(body: str) -> str:
    """A double-quoted scalar's escapes, as YAML defines them; decline an unknown one."""
    parts = []
    at = 0
    while True:
        slash = body.find("\\", at)
        if slash < 0:
            parts.append(body[at:])
            return "".join(parts)
        match = _ESCAPE.match(body, slash)
        if match is None:
            raise _Declined
        parts.append(body[at:slash])
        single, *hexadecimal = match.groups()
        if single is not None:
            parts.append(_ESCAPED[single])
        else:
            code = int(next(digits for digits in hexadecimal if digits is not None), 16)
            if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
                raise _Declined
            parts.append(chr(code))
        at = match.end()


def _only_comment_after(line: str, end: int) -> None:
    """Decline unless nothing but spaces and a comment (after a space) follows `end`."""
    rest = line[end:]
    stripped = rest.lstrip(" ")
    if stripped and (stripped[0] != "#" or len(stripped) == len(rest)):
        raise _Declined
