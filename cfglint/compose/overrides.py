"""Hydra command-line overrides, read as Hydra's own grammar reads them, never evaluated.

Rules, each from Hydra's source (facebookresearch/hydra):
- An override is `key=value`, `~key`, `~key=value`, `+key=value` or `++key=value`
  (hydra/grammar/OverrideParser.g4, rule `override`). A key is a package (`db`,
  `trainer.max_epochs`, `$x`, `a.0.b`) or a group path (`hydra/launcher`), optionally
  followed by `@package` (rule `key`, lexer rules KEY_SPECIAL and DOT_PATH).
- `=` swallows the whitespace after it (lexer rule EQUAL); `key=` is the empty string
  (overrides_visitor.py, visitOverride).
- A value is one element, or elements joined by `,`, which is a sweep (rule
  `simpleChoiceSweep`); an element is a primitive, `[...]`, `{k: v, ...}` or a function
  call `name(...)` (rule `element`). cfglint checks one launch, so sweeps and the sweep
  functions (`choice`, `range`, `interval`, `glob`, `shuffle`, `sort`, `tag`) are refused,
  and so is every other function (casts, `extend_list`): cfglint does not evaluate them.
- A primitive of one token converts: INT (`-20`, `1_000`) to int, FLOAT (`3.14`, `1e-3`,
  `inf`, `nan`) to float, BOOL (`true` in any case) to bool, NULL (`null` in any case) to
  None; a quoted value is a string with its escaped quotes unescaped; several tokens are
  one string, outer whitespace stripped and `\\`-escapes unescaped
  (overrides_visitor.py, `_createPrimitive`, `_unescape_quoted_string`; OverrideLexer.g4).
Values are read by this grammar, not as YAML: the two disagree (`1_000` and `inf` are numbers,
`TrUe` is true, `a,b` is a sweep, `\\,` an escaped comma, `key=` the empty string, for Hydra only).
"""

from __future__ import annotations

import re

from cfglint.document import Document, Entry, Mapping, Node, Scalar, Sequence, Span
from cfglint.record import Record

# The path of the document that holds the overrides' text, one override a line.
OVERRIDES_PATH = "--override"

_SEGMENT = r"(?:[a-zA-Z_$][a-zA-Z0-9_$\-]*|0|[1-9](?:_?[0-9])*)"
_PACKAGE = rf"(?:{_SEGMENT}(?:\.{_SEGMENT})+|[a-zA-Z_$][a-zA-Z0-9_$\-]*)?"
_GROUP = r"[a-zA-Z_][a-zA-Z0-9_\-]*(?:/[a-zA-Z_][a-zA-Z0-9_\-]*)+"
_OVERRIDE = re.compile(rf"(?P<prefix>~|\+\+|\+)?(?P<key>{_GROUP}|{_PACKAGE})(?:@(?P<package>{_PACKAGE}))?(?P<equal>=[ \t]*)?")

# Value-mode tokens (OverrideLexer.g4, mode VALUE_MODE), in the lexer's order of preference
# for equally long matches; the longest match wins, as in ANTLR.
_INT_UNSIGNED = r"(?:0|[1-9](?:_?[0-9])*)"
# The longer alternative first: a regular expression takes the first that matches, ANTLR the longest.
_POINT_FLOAT = rf"(?:{_INT_UNSIGNED}?\.[0-9](?:_?[0-9])*|{_INT_UNSIGNED}\.)"
_TOKENS = [
    ("POPEN", r"[ \t]*\([ \t]*"),
    ("COMMA", r"[ \t]*,[ \t]*"),
    ("PCLOSE", r"[ \t]*\)"),
    ("BRACKET_OPEN", r"\[[ \t]*"),
    ("BRACKET_CLOSE", r"[ \t]*\]"),
    ("BRACE_OPEN", r"\{[ \t]*"),
    ("BRACE_CLOSE", r"[ \t]*\}"),
    ("COLON", r"[ \t]*:[ \t]*"),
    ("EQUAL", r"[ \t]*=[ \t]*"),
    ("FLOAT", rf"[+-]?(?:(?:{_INT_UNSIGNED}|{_POINT_FLOAT})[eE][+-]?[0-9](?:_?[0-9])*|{_POINT_FLOAT}|[Ii][Nn][Ff]|[Nn][Aa][Nn])"),
    ("INT", rf"[+-]?{_INT_UNSIGNED}"),
    ("BOOL", r"[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]"),
    ("NULL", r"[Nn][Uu][Ll][Ll]"),
    ("UNQUOTED_CHAR", r"[/\-\\+.$%*@?|]"),
    ("ID", r"[a-zA-Z_][a-zA-Z0-9_\-]*"),
    ("ESC", r"(?:\\\\|\\\(|\\\)|\\\[|\\\]|\\\{|\\\}|\\:|\\=|\\,|\\ |\\\t)+"),
    ("WS", r"[ \t]+"),
    ("QUOTED_VALUE", r"\"(?:\\\\)*\"|\".*?[^\\](?:\\\\)*\"|'(?:\\\\)*'|'.*?[^\\](?:\\\\)*'"),
    ("INTERPOLATION", r"\$\{[^}]+\}"),
]
_TOKEN_PATTERNS = [(name, re.compile(pattern)) for name, pattern in _TOKENS]
_PRIMITIVE_TOKENS = frozenset(("QUOTED_VALUE", "ID", "NULL", "INT", "FLOAT", "BOOL", "INTERPOLATION", "UNQUOTED_CHAR", "COLON", "ESC", "WS"))
_DICT_KEY_TOKENS = _PRIMITIVE_TOKENS - {"QUOTED_VALUE", "INTERPOLATION", "COLON"}
_SWEEP_FUNCTIONS = frozenset(("choice", "range", "interval", "glob", "shuffle", "sort", "tag"))
_ESCAPED_QUOTE = {"'": re.compile(r"(\\\\)*\\'|(\\\\)+$"), '"': re.compile(r'(\\\\)*\\"|(\\\\)+$')}


class OverrideError(Exception):
    """An override Hydra's parser would refuse, or a sweep (cfglint checks one launch)."""


class Override(Record):
    """One override as typed: `kind` is "change" (`key=v`), "add" (`+key=v`), "force-add"
    (`++key=v`) or "delete" (`~key`, `~key=v`); `key` is the key or group as written, `package`
    what follows `@` (None without one), `value_text` the value's text (None for `~key`) and
    `value_start` where that text starts in `text`."""

    __slots__ = ("text", "index", "kind", "key", "package", "value_text", "value_start")

    def __init__(self, text: str, index: int, kind: str, key: str, package: str | None, value_text: str | None, value_start: int) -> None:
        self.text = text
        self.index = index
        self.kind = kind
        self.key = key
        self.package = package
        self.value_text = value_text
        self.value_start = value_start


_KINDS = {None: "change", "+": "add", "++": "force-add", "~": "delete"}


def parse_override(text: str, index: int) -> Override:
    """Read one override as Hydra's grammar does; OverrideError names what is wrong."""
    if "\n" in text or "\r" in text:
        raise OverrideError(f"override {text!r}: an override is one line")
    match = _OVERRIDE.match(text)
    if match is None or (match.group("equal") is None and (match.group("prefix") != "~" or match.end() != len(text))):
        raise OverrideError(f"override {text!r}: expected key=value, +key=value, ++key=value or ~key (a key is a dotted path or a group like db or hydra/launcher)")
    kind = _KINDS[match.group("prefix")]
    override = Override(text, index, kind, match.group("key"), match.group("package"), None if match.group("equal") is None else text[match.end() :], match.end())
    if not override.key and override.package is None:
        raise OverrideError(f"override {text!r}: the key is missing")
    if override.value_text:
        _ValueParser(text, match.end(), 0, 0).parse()
    return override


def parse_overrides(texts: list[str]) -> list[Override]:
    return [parse_override(text, index) for index, text in enumerate(texts)]


def overrides_document(overrides: list[Override]) -> Document:
    """The overrides' text, one a line, so positions in a command are positions in a file."""
    doc = Document(OVERRIDES_PATH, "".join(override.text + "\n" for override in overrides), "yaml")
    return doc


def override_value(override: Override, document: Document) -> Node:
    """The override's value as a node whose spans are in `document` (see overrides_document):
    the empty string for `key=`, None (a null scalar at the end of the key) for `~key`."""
    line_start = document.line_starts[override.index]
    if not override.value_text:
        offset = line_start + override.value_start
        span = document.span_at(offset, offset)
        return Scalar(span, (), value=None if override.value_text is None else "", style="plain")
    return _ValueParser(override.text, override.value_start, line_start, override.index + 1).parse()


class _Token(Record):
    __slots__ = ("kind", "text", "start", "end")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end


class _ValueParser:
    """A recursive descent over the value-mode tokens, building positioned nodes."""

    def __init__(self, text: str, start: int, line_start: int, line: int) -> None:
        self.text = text
        self.line_start = line_start  # offset of the override's line in the overrides document
        self.line = line
        self.tokens = self.tokenize(start)
        self.at = 0

    def error(self, what: str) -> OverrideError:
        return OverrideError(f"override {self.text!r}: {what}")

    def tokenize(self, start: int) -> list[_Token]:
        tokens = []
        position = start
        text = self.text
        while position < len(text):
            best: _Token | None = None
            for kind, pattern in _TOKEN_PATTERNS:
                match = pattern.match(text, position)
                if match and match.end() > position and (best is None or match.end() > best.end):
                    best = _Token(kind, match.group(), position, match.end())
            if best is None:
                raise self.error(f"unexpected character {text[position]!r} at column {position + 1}")
            tokens.append(best)
            position = best.end
        return tokens

    def span(self, start: int, end: int) -> Span:
        return Span(self.line, start + 1, self.line, end + 1, self.line_start + start, self.line_start + end)

    def peek(self) -> str | None:
        return self.tokens[self.at].kind if self.at < len(self.tokens) else None

    def take(self, kind: str) -> _Token:
        if self.peek() != kind:
            found = "the end of the value" if self.peek() is None else repr(self.tokens[self.at].text.strip())
            raise self.error(f"expected {kind.lower().replace('_', ' ')}, found {found}")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node:
        node = self.element()
        if self.peek() == "COMMA":
            raise self.error("a comma-separated value is a sweep (several launches); cfglint checks one launch: give one value, or quote it ('a,b') for a string")
        if self.peek() is not None:
            raise self.error(f"unexpected {self.tokens[self.at].text.strip()!r} at column {self.tokens[self.at].start + 1}")
        return node

    def element(self) -> Node:
        kind = self.peek()
        if kind == "BRACKET_OPEN":
            return self.sequence()
        if kind == "BRACE_OPEN":
            return self.mapping()
        if kind == "ID" and self.at + 1 < len(self.tokens) and self.tokens[self.at + 1].kind == "POPEN":
            name = self.tokens[self.at].text
            if name in _SWEEP_FUNCTIONS:
                raise self.error(f"{name}(...) is a sweep (several launches); cfglint checks one launch: give one value")
            raise self.error(f"{name}(...) is a function; cfglint does not evaluate override functions: write the value itself")
        return self.primitive(_PRIMITIVE_TOKENS)

    def sequence(self) -> Sequence:
        opening = self.take("BRACKET_OPEN")
        node = Sequence(self.span(opening.start, opening.start), ())
        if self.peek() != "BRACKET_CLOSE":
            node.items.append(self.element())
            while self.peek() == "COMMA":
                self.at += 1
                node.items.append(self.element())
        closing = self.take("BRACKET_CLOSE")
        node.span = self.span(opening.start, closing.end)
        return node

    def mapping(self) -> Mapping:
        opening = self.take("BRACE_OPEN")
        node = Mapping(self.span(opening.start, opening.start), ())
        if self.peek() != "BRACE_CLOSE":
            self.pair(node)
            while self.peek() == "COMMA":
                self.at += 1
                self.pair(node)
        closing = self.take("BRACE_CLOSE")
        node.span = self.span(opening.start, closing.end)
        return node

    def pair(self, node: Mapping) -> None:
        key = self.primitive(_DICT_KEY_TOKENS)
        self.take("COLON")
        if node.add(Entry(key, self.element())) is not None:
            raise self.error(f"the key {key.value!r} is written twice in one dict")

    def primitive(self, allowed: frozenset[str]) -> Scalar:
        first = self.at
        while self.peek() in allowed:
            self.at += 1
        tokens = self.tokens[first : self.at]
        if tokens and tokens[0].kind == "WS":
            tokens = tokens[1:]
        if tokens and tokens[-1].kind == "WS":
            tokens = tokens[:-1]
        if not tokens:
            found = "the end of the value" if self.peek() is None else repr(self.tokens[self.at].text.strip())
            raise self.error(f"expected a value, found {found}")
        start, end = tokens[0].start, tokens[-1].end
        # A COLON token takes the whitespace around it; the span is the value's own text.
        while self.text[start] in " \t":
            start += 1
        while self.text[end - 1] in " \t":
            end -= 1
        span = self.span(start, end)
        if len(tokens) > 1:
            value = "".join(token.text[1::2] if token.kind == "ESC" else token.text for token in tokens)
            return Scalar(span, (), value=value, style="plain")
        token = tokens[0]
        if token.kind == "QUOTED_VALUE":
            return Scalar(span, (), value=_unquote(token.text), style="single" if token.text[0] == "'" else "double")
        return Scalar(span, (), value=_convert(token), style="plain")


def _convert(token: _Token) -> object:
    text = token.text.strip(" \t") if token.kind == "COLON" else token.text
    if token.kind == "INT":
        return int(text)
    if token.kind == "FLOAT":
        return float(text)
    if token.kind == "NULL":
        return None
    if token.kind == "BOOL":
        return text.lower() == "true"
    if token.kind == "ESC":
        return text[1::2]
    return text


def _unquote(text: str) -> str:
    """A quoted value's string: backslashes before a quote (or at the end) are halved, and an
    odd one escapes the quote (overrides_visitor.py, `_unescape_quoted_string`)."""
    quote, body = text[0], text[1:-1]
    return _ESCAPED_QUOTE[quote].sub(lambda match: match.group().replace("\\\\", "\\").replace("\\" + quote, quote), body)
