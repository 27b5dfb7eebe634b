"""Load any YAML into a Document with exact positions, never constructing anything.

cfglint.source tries cfglint.simple_yaml first, which reads the plain block YAML most configs
are into the same tree without libyaml; every other file comes here.

The tree is built from libyaml's event stream (ruamel.yaml.clib), not from ruamel's
composer: the C composer recurses and crashes the interpreter on deeply nested input, and the
round-trip loader is about ten times slower. Plain scalars are resolved here with the YAML 1.2
core schema; tags cfglint does not know leave the value opaque.
"""

from __future__ import annotations

import re

from _ruamel_yaml import CParser
from ruamel.yaml import events
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from cfglint.document import (
    MAX_ALIAS_VIEWS,
    MAX_DEPTH,
    MERGE_KEY,
    MAX_EXPANDED_VALUES,
    MAX_INT_DIGITS,
    Document,
    Entry,
    KeyPath,
    Mapping,
    Node,
    ParseProblem,
    Scalar,
    Sequence,
    Span,
    alias_view,
    duplicate_key_problem,
    too_many_digits,
)
from cfglint.yaml_core import PATTERNS_BY_FIRST, key_in_path, resolve_plain

_CORE = "tag:yaml.org,2002:"
_STYLES = {"": "plain", None: "plain", "'": "single", '"': "double", "|": "literal", ">": "folded"}

# An `&anchor` or `!tag` with the space, line breaks and comments between it and the value.
_NODE_PROPERTY = re.compile(r"[&!][^\s,\[\]{}]*(?:\s+(?:#[^\r\n]*)?)*")


class _TooDeep(Exception):
    pass


class _BadValue(Exception):
    """A scalar no loader can convert (an integer past Python's digit limit)."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset


def _resolve_tagged(tag: str, text: str) -> tuple[object, bool]:
    """The value of a scalar with an explicit core tag; (text, True) when the tag stays opaque."""
    if not tag.startswith(_CORE):
        return text, True
    kind = tag[len(_CORE) :]
    if kind in ("str", "binary", "timestamp"):
        return text, False
    value = resolve_plain(text)
    wanted = {"null": type(None), "bool": bool, "int": int, "float": (int, float)}.get(kind)
    if wanted is None or not isinstance(value, wanted) or (kind == "int" and isinstance(value, bool)):
        return text, True
    return (float(value) if kind == "float" else value), False


def load_yaml(path: str, text: str) -> Document:
    doc = Document(path=path, text=text, format="yaml")
    try:
        builder = _Builder(doc)
        builder.build()
        if builder.expanded > MAX_EXPANDED_VALUES:
            doc.roots = []
            doc.problems = [ParseProblem("syntax", f"aliases expand this document past {MAX_EXPANDED_VALUES:,} values (an alias bomb); refused", doc.span_at(0))]
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        offset = mark.index if mark is not None else 0
        message = error.problem or "invalid YAML"
        if error.context and error.context_mark is not None and error.context_mark is not mark:
            message += f" ({error.context} started at line {error.context_mark.line + 1}, column {error.context_mark.column + 1})"
        elif error.context:
            message += f" ({error.context})"
        doc.roots = []
        doc.problems = [ParseProblem("syntax", message, doc.span_at(offset))]
    except YAMLError as error:  # a reader error without a mark (e.g. a control character)
        doc.roots = []
        doc.problems = [ParseProblem("syntax", str(error).strip().splitlines()[0], doc.span_at(0))]
    except _TooDeep as error:
        doc.roots = []
        doc.problems = [ParseProblem("syntax", f"nesting deeper than {MAX_DEPTH} levels", doc.span_at(error.args[0]))]
    except _BadValue as error:
        doc.roots = []
        doc.problems = [ParseProblem("syntax", str(error), doc.span_at(error.offset))]
    return doc


_BLOCK_BREAK = re.compile(r"[\r\n]")


def block_scalar_end(text: str, start: int, end: int) -> int:
    """Where a block scalar that starts (at its indicator) at `start` ends its own text: after
    the last character of its last content line, before that line's break. `end` is libyaml's
    end mark, past the break and any trailing blank lines. An empty block ends with its header.
    """
    header = _BLOCK_BREAK.search(text, start, end)
    if header is None:
        return end  # the indicator is the last thing in the file
    body = text[header.start() : end]
    content = len(body.rstrip(" \t\r\n"))
    if content == 0:
        return header.start()
    last = _BLOCK_BREAK.search(text, header.start() + content, end)
    return last.start() if last is not None else end


class _Builder:
    """Turns the event stream into Nodes with an explicit stack (no recursion)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.anchors: dict[str, Node] = {}
        # How many values the document holds with every alias expanded, counted as it is built
        # (an anchored node's size is known when it closes, before any alias can use it).
        self.sizes: dict[int, int] = {}
        self.expanded = 0
        self.view_budget = MAX_ALIAS_VIEWS
        # libyaml counts U+0085, U+2028 and U+2029 as line breaks (YAML 1.1); YAML 1.2 does not.
        text = doc.text
        self.marks_agree = "\x85" not in text and "\u2028" not in text and "\u2029" not in text
        # The scalar styles whose span is libyaml's marks as they are (not block scalars).
        self.as_marked = frozenset(("", None, "'", '"')) if self.marks_agree else frozenset()

    def span(self, event, start: int, style: str = "plain") -> Span:
        """The value's own text, for every scalar style: the one span findings and fixes use.

        `start` may sit after an `&anchor` or `!tag`. A block scalar (`|`, `>`, with chomping or
        indentation indicators) runs from its indicator to the end of its last content line:
        libyaml's end mark also takes the line break and the blank lines after it, and an edit
        there would pull the next line (or a comment) onto the value's line.
        libyaml's own line counts are used where they agree with YAML 1.2 (it also breaks lines at
        U+0085, U+2028 and U+2029); elsewhere positions come from the document's line counting.
        """
        first, last = event.start_mark, event.end_mark
        end = last.index
        if style == "literal" or style == "folded":
            end = block_scalar_end(self.doc.text, start, end)
        if self.marks_agree and start == first.index and end == last.index:
            return Span(first.line + 1, first.column + 1, last.line + 1, last.column + 1, start, end)
        return self.doc.span_at(start, end)

    def value_start(self, event: events.NodeEvent) -> int:
        """Where the value itself starts, after any `&anchor` and `!tag` written before it."""
        start = event.start_mark.index
        if event.anchor is None and getattr(event, "ctag", None) is None:
            return start
        text, end = self.doc.text, event.end_mark.index
        while start < len(text) and text[start] in "&!":
            match = _NODE_PROPERTY.match(text, start)
            if match is None:
                break
            start = match.end()
        return min(start, end)  # an anchored empty value ends where its properties do

    def build(self) -> None:
        parser = CParser(self.doc.text)
        get_event, scalar, attach, child_path = parser.get_event, self.scalar, self.attach, self.child_path
        Scalar_, End = events.ScalarEvent, (events.MappingEndEvent, events.SequenceEndEvent)
        as_marked, styles, patterns_by_first = self.as_marked, _STYLES, PATTERNS_BY_FIRST
        max_digits, max_values, problems = MAX_INT_DIGITS, MAX_EXPANDED_VALUES, self.doc.problems
        # Each frame: [container node, pending key node or None, expanded size so far]
        stack: list[list] = []
        while True:
            event = get_event()
            kind = type(event)
            if kind is Scalar_:  # most events: handled first
                text = event.value
                # `ctag`, not the `tag` property (a call per event): libyaml's tag, a str or None.
                if event.ctag is None and event.anchor is None and event.style in as_marked and len(text) <= max_digits and stack:
                    # The common case, inlined (child_path, attach, resolve_plain's dispatch and
                    # Mapping.add's plain-key case too): no properties to skip, no digit limit to
                    # check, libyaml's marks are the value's own span, and the value goes into
                    # the open collection.
                    first, last = event.start_mark, event.end_mark
                    span = Span(first.line + 1, first.column + 1, last.line + 1, last.column + 1, first.index, last.index)
                    value = text
                    if event.implicit[0] and text[:1] in patterns_by_first:  # most plain scalars are words
                        value = resolve_plain(text)
                    style = styles.get(event.style, "plain")
                    frame = stack[-1]
                    parent, pending = frame[0], frame[1]
                    total = frame[2] + 1
                    frame[2] = total if total <= max_values else max_values + 1
                    if parent.__class__ is Sequence:
                        node = Scalar(span, parent.path + (len(parent.items),), None, None, False, value, style)
                        parent.items.append(node)
                    elif pending is None:  # a key
                        frame[1] = Scalar(span, parent.path, None, None, False, value, style)
                    else:
                        key = pending.value if pending.__class__ is Scalar else None
                        frame[1] = None
                        entry = Entry(pending, Scalar(span, parent.path + ((key if key.__class__ is str else key_in_path(key)),), None, None, False, value, style))
                        if key.__class__ is str and not pending.unknown_tag:
                            parent.entries.append(entry)
                            index = parent._index
                            earlier = index.get((str, key))
                            index[(str, key)] = entry  # last one wins, as in every loader
                        else:
                            earlier = parent.add(entry)
                        if earlier is not None:
                            problems.append(duplicate_key_problem(parent, earlier, pending))
                    continue
                else:
                    node = scalar(event, child_path(stack))
                    if event.anchor is not None:
                        self.anchors[event.anchor] = node
                attach(stack, node)
                continue
            if kind is events.StreamEndEvent:
                return
            if kind is events.DocumentStartEvent:
                self.anchors = {}
                continue
            if kind in (events.StreamStartEvent, events.DocumentEndEvent):
                continue
            if kind in End:
                node, _, size = stack.pop()
                self.sizes[id(node)] = size
                end = event.end_mark
                if self.marks_agree:
                    node.span = Span(node.span.line, node.span.column, end.line + 1, end.column + 1, node.span.offset, end.index)
                else:
                    node.span = self.doc.span_at(node.span.offset, end.index)
                if node.anchor is not None:  # only now, so an alias can never point into its own anchor
                    self.anchors[node.anchor] = node
                attach(stack, node)
                continue

            path = child_path(stack)
            if kind is events.AliasEvent:
                node = self.anchors.get(event.anchor)
                if node is None:  # libyaml reports undefined aliases itself; stay safe anyway
                    raise MarkedYAMLError(problem=f"found undefined alias {event.anchor!r}", problem_mark=event.start_mark)
                self.attach(stack, self.alias(event, node, stack, path))
                continue
            # A collection starts.
            if len(stack) >= MAX_DEPTH:
                raise _TooDeep(event.start_mark.index)
            start = self.value_start(event)
            tag = event.ctag
            unknown = tag is not None and tag not in (_CORE + "map", _CORE + "seq", _CORE + "omap", _CORE + "set")
            cls = Mapping if kind is events.MappingStartEvent else Sequence
            first = event.start_mark
            if self.marks_agree and start == first.index:
                span = Span(first.line + 1, first.column + 1, first.line + 1, first.column + 1, start, start)
            else:
                span = self.doc.span_at(start, start)
            node = cls(span, path, tag, event.anchor, unknown)
            stack.append([node, None, 1])

    def alias(self, event: events.AliasEvent, node: Node, stack: list[list], path: KeyPath) -> Node:
        """The node an alias stands for, as a view at the alias (see cfglint.document.Node).

        A mapping merged with `<<: *base` (or `<<: [*a, *b]`) lends its keys to the mapping that
        merges it, so its view's path is that mapping's. Past MAX_ALIAS_VIEWS views the anchored
        node itself is shared, which keeps memory bounded whatever the aliases expand to.
        """
        size = 1 if node.__class__ is Scalar else self.sizes.get(id(node.written), 1)
        if size > self.view_budget:
            return node
        self.view_budget -= size
        if stack and isinstance(node, Mapping):
            frame = stack[-1]
            merging = frame if frame[0].__class__ is Mapping else (stack[-2] if len(stack) > 1 and frame[0].__class__ is Sequence and frame[0].path[-1:] == (MERGE_KEY,) else None)
            key = merging[1] if merging is not None else None
            if isinstance(key, Scalar) and key.value == MERGE_KEY and key.style == "plain":
                path = merging[0].path
        return alias_view(node, path, self.span(event, event.start_mark.index), self.doc.alias_views)

    @staticmethod
    def child_path(stack: list[list]) -> KeyPath:
        if not stack:
            return ()
        parent, pending_key = stack[-1][0], stack[-1][1]
        if parent.__class__ is Sequence:
            return parent.path + (len(parent.items),)
        if pending_key is None:  # this node is a key
            return parent.path
        key = pending_key.value if pending_key.__class__ is Scalar else None
        return parent.path + ((key if key.__class__ is str else key_in_path(key)),)  # most keys: no calls

    def scalar(self, event: events.ScalarEvent, path: KeyPath) -> Scalar:
        text, tag = event.value, event.ctag
        if tag is None and event.anchor is None and len(text) <= MAX_INT_DIGITS:
            # No properties to skip, no digit limit to check (build() handles the marked styles).
            value = resolve_plain(text) if event.implicit[0] else text
            style = _STYLES.get(event.style, "plain")
            return Scalar(self.span(event, event.start_mark.index, style), path, None, None, False, value, style)
        start = self.value_start(event)
        unknown = False
        digits = len(text.lstrip("+-"))
        read_as_number = (tag is None and event.implicit[0]) or tag == _CORE + "int"
        if read_as_number and digits > MAX_INT_DIGITS and text.lstrip("+-").isdigit():
            raise _BadValue(start, too_many_digits(digits))
        if tag is not None and tag != "!":
            value, unknown = _resolve_tagged(tag, text)
        elif event.implicit[0]:
            value = resolve_plain(text)
        else:
            value = text
        style = _STYLES.get(event.style, "plain")
        return Scalar(self.span(event, start, style), path, tag, event.anchor, unknown, value, style)

    def attach(self, stack: list[list], node: Node) -> None:
        # `node.written`, inlined: this runs for every node of every file.
        size = 1 if node.__class__ is Scalar else self.sizes.get(id(node if node.anchored is None else node.anchored), 1)
        if not stack:
            self.doc.roots.append(node)
            self.expanded = min(self.expanded + size, MAX_EXPANDED_VALUES + 1)
            return
        frame = stack[-1]
        total = frame[2] + size
        frame[2] = total if total <= MAX_EXPANDED_VALUES else MAX_EXPANDED_VALUES + 1  # min(), without a call per node
        parent = frame[0]
        if parent.__class__ is Sequence:
            parent.items.append(node)
        elif frame[1] is None:
            frame[1] = node
        else:
            key, frame[1] = frame[1], None
            earlier = parent.add(Entry(key, node))
            if earlier is not None:
                self.doc.problems.append(duplicate_key_problem(parent, earlier, key))
