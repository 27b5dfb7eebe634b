"""Load JSON into a Document with exact positions and duplicate keys kept.

The standard library's decoder knows neither positions nor duplicate keys (the last one wins
silently), so this is a small parser of its own. It is iterative, so nesting depth costs heap,
not interpreter stack, and it accepts what Python's `json` accepts (NaN, Infinity) so that it
never rejects a file the user's training script can read.
"""

from __future__ import annotations

import math
import re

from cfglint.document import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    Document,
    Entry,
    KeyPath,
    Mapping,
    Node,
    ParseProblem,
    Scalar,
    Sequence,
    duplicate_key_problem,
    too_many_digits,
)

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.DOTALL)
_LITERALS = (
    ("true", True),
    ("false", False),
    ("null", None),
    ("NaN", math.nan),
    ("Infinity", math.inf),
    ("-Infinity", -math.inf),
)


class _SyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def load_json(path: str, text: str) -> Document:
    doc = Document(path=path, text=text, format="json")
    try:
        doc.roots = [_Parser(doc).parse()]
    except _SyntaxError as error:
        doc.roots = []
        doc.problems = [ParseProblem("syntax", str(error), doc.span_at(error.offset))]
    return doc


class _Parser:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text

    def skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.text, pos).end()  # type: ignore[union-attr]

    def parse(self) -> Node:
        text = self.text
        pos = self.skip(0)
        if pos >= len(text):
            raise _SyntaxError("empty file: a JSON document needs a value", pos)
        # Each frame is [open container, key waiting for its value].
        stack: list[list] = []
        while True:
            pos = self.skip(pos)
            opener = text[pos : pos + 1]
            if opener in ("{", "["):
                if len(stack) >= MAX_DEPTH:
                    raise _SyntaxError(f"nesting deeper than {MAX_DEPTH} levels", pos)
                path = self.child_path(stack)
                span = self.doc.span_at(pos, pos)
                container: Node = Mapping(span, path) if opener == "{" else Sequence(span, path)
                stack.append([container, None])
                pos = self.skip(pos + 1)
                if text.startswith("}" if opener == "{" else "]", pos):
                    node, pos = self.close(stack, pos)
                else:
                    if opener == "{":
                        pos = self.read_key(stack[-1], pos)
                    continue
            else:
                node, pos = self.read_scalar(pos, self.child_path(stack))
            # A value is complete: attach it and read what follows it.
            while True:
                if not stack:
                    end = self.skip(pos)
                    if end < len(text):
                        raise _SyntaxError(self.unexpected(end, "after the JSON value"), end)
                    return node
                frame = stack[-1]
                self.attach(frame, node)
                pos = self.skip(pos)
                closer = "}" if isinstance(frame[0], Mapping) else "]"
                char = text[pos : pos + 1]
                if char == ",":
                    after = self.skip(pos + 1)
                    if text.startswith(closer, after):
                        raise _SyntaxError(f"trailing comma before '{closer}' is not allowed in JSON", pos)
                    pos = self.read_key(frame, after) if closer == "}" else after
                    break
                if char == closer:
                    node, pos = self.close(stack, pos)
                    continue
                raise _SyntaxError(self.unexpected(pos, f"expected ',' or '{closer}'"), pos)

    def close(self, stack: list[list], pos: int) -> tuple[Node, int]:
        node = stack.pop()[0]
        node.span = self.doc.span_at(node.span.offset, pos + 1)
        return node, pos + 1

    @staticmethod
    def child_path(stack: list[list]) -> KeyPath:
        if not stack:
            return ()
        container, key = stack[-1]
        if isinstance(container, Sequence):
            return container.path + (len(container.items),)
        return container.path + (key.value,)

    def attach(self, frame: list, node: Node) -> None:
        container = frame[0]
        if isinstance(container, Sequence):
            container.items.append(node)
            return
        key, frame[1] = frame[1], None
        earlier = container.add(Entry(key, node))
        if earlier is not None:
            self.doc.problems.append(duplicate_key_problem(container, earlier, key))

    def read_key(self, frame: list, pos: int) -> int:
        if self.text[pos : pos + 1] != '"':
            raise _SyntaxError(self.unexpected(pos, "expected a double-quoted key"), pos)
        frame[1], pos = self.read_string(pos, frame[0].path)
        pos = self.skip(pos)
        if self.text[pos : pos + 1] != ":":
            raise _SyntaxError(self.unexpected(pos, "expected ':' after the key"), pos)
        return pos + 1

    def read_string(self, pos: int, path: KeyPath) -> tuple[Scalar, int]:
        match = _STRING.match(self.text, pos)
        if match is None:
            raise _SyntaxError("unterminated string (or a raw control character inside it)", pos)
        token = match.group()
        if "\\" not in token:
            value = token[1:-1]  # no escape: the text is the value (_STRING refuses control characters)
        else:
            import json  # only for escapes, which most configs never write

            try:
                value = json.loads(token)
            except json.JSONDecodeError as error:
                raise _SyntaxError(f"invalid string: {error.msg}", pos + error.pos) from None
        return Scalar(self.doc.span_at(pos, match.end()), path, value=value, style="double"), match.end()

    def read_scalar(self, pos: int, path: KeyPath) -> tuple[Scalar, int]:
        text = self.text
        if text.startswith('"', pos):
            return self.read_string(pos, path)
        match = _NUMBER.match(text, pos)
        if match:
            token = match.group()
            digits = len(token.lstrip("-"))
            if not (match.group(1) or match.group(2)) and digits > MAX_INT_DIGITS:
                raise _SyntaxError(too_many_digits(digits), pos)
            value = float(token) if match.group(1) or match.group(2) else int(token)
            return Scalar(self.doc.span_at(pos, match.end()), path, value=value, style="json"), match.end()
        for word, value in _LITERALS:
            if text.startswith(word, pos):
                end = pos + len(word)
                return Scalar(self.doc.span_at(pos, end), path, value=value, style="json"), end
        raise _SyntaxError(self.unexpected(pos, "expected a value"), pos)

    def unexpected(self, pos: int, expectation: str) -> str:
        text = self.text
        if pos >= len(text):
            return f"unexpected end of file: {expectation}"
        if text.startswith(("//", "/*", "#"), pos):
            return "comments are not allowed in JSON"
        if text[pos] == "'":
            return "strings must use double quotes in JSON"
        return f"unexpected {text[pos]!r}: {expectation}"
