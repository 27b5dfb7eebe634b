"""cfglint.simple_yaml reads plain block YAML into the very tree libyaml's reader builds.

Every accepted text is compared, node by node (type, key path, span, value and its type, style,
tag, anchor, the mapping's key index), and problem by problem, with cfglint.yaml_source's tree
of the same text; every declined text leaves the document untouched. The cases: written edge
cases, generated documents and corpus configs with YAML's punctuation put in and taken out (most
of them broken on purpose: a reader that accepts what libyaml refuses fails here), and each YAML
file of the corpus. A long session: `CFGLINT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_simple_yaml.py`.
"""

import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfglint import simple_yaml
from cfglint.document import Document, Mapping, Scalar, Sequence
from cfglint.source import decode, load_document, read_bytes
from cfglint.yaml_source import load_yaml
from helpers import CORPUS


def _span(span):
    return (span.line, span.column, span.end_line, span.end_column, span.offset, span.end_offset)


def _value(value):
    return ("nan",) if isinstance(value, float) and math.isnan(value) else (type(value).__name__, value)


def _tree(node):
    shape = (type(node).__name__, node.path, _span(node.span), node.tag, node.anchor, node.unknown_tag, node.anchored)
    if isinstance(node, Scalar):
        return shape + (_value(node.value), node.style)
    if isinstance(node, Sequence):
        return shape + (tuple(_tree(item) for item in node.items),)
    assert isinstance(node, Mapping)
    index = tuple((identity, node.entries.index(entry)) for identity, entry in node._index.items())
    return shape + (tuple((_tree(entry.key), _tree(entry.value)) for entry in node.entries), index)


def _document(doc):
    problems = tuple((p.kind, p.message, _span(p.span), p.key, tuple((name, _span(span)) for name, span in p.related)) for p in doc.problems)
    return tuple(_tree(root) for root in doc.roots), problems


def simple(text):
    """The simple reader's document of `text`, or None when it declines (leaving it untouched)."""
    doc = Document("c.yaml", text, "yaml")
    if simple_yaml.read(doc):
        return doc
    assert doc.roots == [] and doc.problems == []
    return None


def assert_same_tree(text):
    """Whether the simple reader took `text`; where it did, its tree is libyaml's."""
    doc = simple(text)
    if doc is not None:
        assert _document(doc) == _document(load_yaml("c.yaml", text))
    return doc is not None


ACCEPTED = [
    "lr: 0.1\nepochs: 10\n",
    "a: 1\nb:\n  c: 2\n  d:\n    e: x\nf: 3\n",
    "a:\n  b: 1\n# a comment\n\nc: 2",  # no final line break
    "a:\n  b: 1\n  \n",  # a trailing line of spaces
    "a:\n  b:\n    c:\n      d: 1\n   ",  # blocks deeper than a last line of spaces end on it
    "a:\n  b:\n    c: 1\n  # c",
    "model:\n  layers:\n    - 64\n    - 128\n  name: net\n",
    "steps:\n- warmup\n- decay\nnext: 1\n",  # a sequence at its key's column
    "runs:\n- name: a\n  lr: 0.1\n- name: b\n  lr: 0.2\nafter: x\n",
    "- a: 1\n  b:\n  - x\n  - y\n- c\n",
    "-   a: 1\n    b: 2\n",
    "a:\nb:\n",  # empty values, at a sibling and at the end
    "a:\n  -\n  - x\n  -\n",
    "a:   # the value is below\n  b: 1\n",
    "betas: [0.9, 0.999]  # Adam\nempty: []\nspaced: [ 1 , 2 ]\nwords: [a b, c]\n",
    "names: ['res2', \"res3\", 'it''s', '6?4']\nnone: {}\nquestion: 6?4\n",
    "s: 'single # not a comment'\nd: \"double\"\ne: \"tab\\there \\u00e9 \\x41 \\\\ \\\" \\/\"\nq: ''\n",
    "a#b: c#d\nurl: http://x.org/a:b\ntime: 12:30\nkey with spaces: value with  spaces\nspaced key  : v\n",
    "1: one\ntrue: yes\nnull: ~\n0x1F: hex\n-1: minus\n.5: half\n",
    "n: null\nt: True\nf: FALSE\ni: -0\no: 0o17\nx: 0xff\ne: 1e-3\ninf: -.inf\nnan: .NaN\nplain: 1_000\n",
    "a: 1\nb: 2\na: 3\n",  # a duplicate key
    "outer:\n  k: 1\n  k: 2\n",
    "---\na: 1\n",
    "# header\n---\na: 1\n",
    "  a: 1\n  b: 2\n",  # a root mapping that does not start at column 1
    "- 1\n- two\n- [3]\n",
    "key:\n  value on the next line\nother: 1\n",
    "key:\n  [1, 2]\n",
    "-\n  a: 1\n",
    "a: -x\nb: ?y\nc: :z\nd: x-\ne: ~x\n",
    "unicode é: ünï  # ok\nemoji: 😀\n",
    "<<: {}\nbase: 1\n",  # a merge key is a key like any other in the tree (Mapping.get merges)
    "text: \"" + "x" * 2000 + "\"\n",  # long quoted scalars are fine
]

DECLINED = [
    "",
    "# only a comment\n",
    "a: &x 1\nb: *x\n",
    "a: !!float 1\n",
    "a: !custom x\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: plain\n  continued\n",
    "a: {b: 1}\n",
    "a: [1,\n  2]\n",
    "a: [[1], [2]]\n",
    "a: [1, 2,]\n",
    "a: [1,,2]\n",
    "a: [?x]\n",
    "a: [6?4, 1]\n",  # in a flow, libyaml ends a plain scalar at `?`: an error
    "'quoted key': 1\n",
    '"quoted key": 1\n',
    "? complex\n: key\n",
    "a:\tb\n",
    "a: 1\r\nb: 2\r\n",
    "a: 1\n...\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "---\n---\na: 1\n",
    "--- a: 1\n",
    "... a: 1\n",
    "a: b: c\n",
    "a: b:\n",
    "- - x\n",
    "a: 'unterminated\n",
    "a: \"bad \\q escape\"\n",
    "a: \"\\ud800\"\n",
    "a:\n  b: 1\n c: 2\n",  # an indentation libyaml refuses
    "a: 1\n  b: 2\n",
    "  a: 1\nb: 2\n",
    "- a\nb: 1\n",
    "a: 1\n- b\n",
    "a: -\n",
    "a: @x\n",
    "a: `x`\n",
    "a: %x\n",
    "a: ,x\n",
    "a: ]\n",
    "a: x\x85y\n",
    "a: x\u2028y\n",
    "a: \ufeffx\n",
    "a: \x07\n",
    "a: " + "9" * 5000 + "\n",  # past the digits Python converts: libyaml's reader reports it
    "k" * 1100 + ": 1\n",  # past libyaml's length for a key
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_plain_block_yaml_gives_libyamls_tree(text):
    assert assert_same_tree(text)


@pytest.mark.parametrize("text", DECLINED)
def test_anything_else_is_declined(text):
    assert simple(text) is None


def test_positions_of_blocks_that_end_at_a_dedent_and_at_the_end():
    """The spans libyaml gives, written out once: a block ends where the next token starts; the
    last one on a line of its own after the text."""
    doc = simple("a:\n  b: 1\n\n# c\nd: [x, 'y']\ne:\n")
    root = doc.roots[0]
    nested = root.get("a").value
    assert _span(nested.span) == (2, 3, 5, 1, 5, 15)  # ends at `d`
    assert _span(root.span) == (1, 1, 7, 1, 0, 30)
    flow = root.get("d").value
    assert _span(flow.span) == (5, 4, 5, 12, 18, 26) and [item.value for item in flow.items] == ["x", "y"]
    assert _span(flow.items[1].span) == (5, 8, 5, 11, 22, 25) and flow.items[1].style == "single"
    empty = root.get("e").value
    assert empty.value is None and _span(empty.span) == (6, 3, 6, 3, 29, 29)  # just after its colon
    assert nested.path == ("a",) and flow.items[1].path == ("d", 1)


def test_a_duplicate_key_is_the_same_problem_as_libyaml_reports():
    doc = simple("a: 1\nb:\n  c: 1\n  c: 2\n")
    (problem,) = doc.problems
    assert problem.kind == "duplicate-key" and problem.key == "b.c" and _span(problem.span) == (4, 3, 4, 4, 17, 18)


def test_config_files_are_read_by_the_simple_reader_only_when_it_is_sure():
    plain = load_document("c.yaml", b"lr: 0.1\n")
    anchored = load_document("c.yaml", b"lr: &lr 0.1\nbase: *lr\n")
    assert _document(plain) == _document(load_yaml("c.yaml", "lr: 0.1\n"))
    assert anchored.roots[0].get("base").value.anchored is not None  # libyaml's alias view


_WORDS = st.sampled_from(["---", "--- x", "... y", "lr", "a b", "x:y", "k#1", "-v", "?q", ":c", "1", "true", "null", "~", "0x1F", "1e3", ".inf", "é", "", " "])
_SCALARS = st.sampled_from(
    ["1", "0.5", "-2", "word", "two words", "'q'", "'it''s'", '"d"', '"e\\n\\u00e9"', '"bad\\q"', "[1, 2]", "[]", "{}", "[a, 'b']",
     "a: b", "x:", "&a 1", "*a", "!t 1", "|", ">", "- x", "-", "#c", "x #c", "x#c", "'open", "[1,", "@x", "%x", "`x`", "~", ".nan", "9" * 30]
)  # fmt: skip


@st.composite
def block_yaml(draw):
    """A block document of mappings and sequences, valid and not: odd indentation, keys and
    values that break the rules, comments and blank lines anywhere."""
    lines = []

    def block(indent, depth):
        sequence = draw(st.booleans())
        for _ in range(draw(st.integers(1, 3))):
            pad = " " * (indent + draw(st.sampled_from([0, 0, 0, 0, 1, -1])) if indent else 0)
            if draw(st.integers(0, 5)) == 0:
                lines.append(draw(st.sampled_from(["", "# note", "   ", "  # indented note"])))
            head = f"{pad}- " if sequence else f"{pad}{draw(_WORDS)}{draw(st.sampled_from([':', ' :', ':']))} "
            if depth < 3 and draw(st.booleans()):
                lines.append(head.rstrip(" ") + draw(st.sampled_from(["", "", "  # below"])))
                block(indent + draw(st.sampled_from([0, 2, 2, 4])), depth + 1)
            else:
                lines.append(head + draw(_SCALARS) + draw(st.sampled_from(["", "", "  # c", " "])))

    block(draw(st.sampled_from([0, 0, 2])), 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n ", "\n   ", "\n      ", "\n  # c", "\n# c", "  "]))


EXAMPLES = int(os.environ.get("CFGLINT_FUZZ_EXAMPLES", "600"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_yaml())
def test_generated_documents_are_read_as_libyaml_reads_them_or_declined(text):
    assert_same_tree(text)


CORPUS_YAML = sorted(
    os.path.join(folder, name) for folder, _, names in os.walk(CORPUS) for name in names if name.endswith((".yaml", ".yml"))
) if os.path.isdir(CORPUS) else []


@pytest.mark.skipif(not CORPUS_YAML, reason="../shared/corpus is not present")
def test_every_corpus_file_the_simple_reader_takes_has_libyamls_tree():
    taken = 0
    for path in CORPUS_YAML:
        taken += assert_same_tree(load_document(path, read_bytes(path)).text)
    assert taken >= 400  # of 553: most real configs are plain block YAML (what makes reading them fast)


# What turns plain YAML into something else: indicators, quotes, flow brackets, line breaks.
_PUNCTUATION = st.sampled_from([" ", "  ", "\n", "\n  ", ": ", ":", "- ", "-", "#", " #", "'", '"', "[", "]", ",", "{}", "{", "?", "\\", "&a ", "*a", "!t ", "|", ">", "%", "@", "~", "--- ", "...", "x", "1", ".5"])


@st.composite
def mutated_corpus_yaml(draw):
    text = list(draw(st.sampled_from(CORPUS_TEXTS)))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "replace"]))
        if operation == "insert":
            text[at:at] = draw(_PUNCTUATION)
        elif operation == "delete":
            del text[at : at + draw(st.integers(1, 5))]
        elif text:
            text[min(at, len(text) - 1)] = draw(_PUNCTUATION)
    return "".join(text)


CORPUS_TEXTS = [decode(read_bytes(path)) for path in CORPUS_YAML if os.path.getsize(path) < 20_000]


@pytest.mark.skipif(not CORPUS_TEXTS, reason="../shared/corpus is not present")
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_corpus_yaml())
def test_mutated_corpus_configs_are_read_as_libyaml_reads_them_or_declined(text):
    """Found `[6?4]`: in a flow, libyaml ends a plain scalar at `?` and refuses the line."""
    assert_same_tree(text)
