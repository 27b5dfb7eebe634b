"""Loading YAML and JSON: exact positions, duplicate keys, tags, aliases and bad input."""

import math

import pytest

from cfglint.document import MAX_INT_DIGITS, Mapping, Opaque, Scalar, to_data
from cfglint.source import load_document


def load(text, name="c.yaml"):
    return load_document(name, text.encode("utf-8") if isinstance(text, str) else text)


def value_node(doc, *path):
    node, walked = doc.node_at(path)
    assert walked == path
    return node


def test_yaml_value_positions_are_exact_and_one_based_with_exclusive_end():
    doc = load("optimizer:\n  lr: 0.0005  # peak\n  name: 'adamw'\n")
    lr = value_node(doc, "optimizer", "lr")
    assert (lr.span.line, lr.span.column, lr.span.end_line, lr.span.end_column) == (2, 7, 2, 13)
    assert doc.text[lr.span.offset : lr.span.end_offset] == "0.0005"
    name = value_node(doc, "optimizer", "name")
    assert (name.span.column, name.span.end_column, name.style, name.value) == (9, 16, "single", "adamw")
    assert doc.key_node_at(("optimizer", "name")).span.column == 3


def test_yaml_positions_count_characters_and_survive_crlf_and_bom():
    doc = load("\ufeffnäme: 1\r\nlr: \"é\"\r\n".encode("utf-8"))
    assert doc.bom and doc.encoding == "utf-8"
    lr = value_node(doc, "lr")
    assert (lr.span.line, lr.span.column, lr.span.end_column) == (2, 5, 8)
    assert doc.text[lr.span.offset : lr.span.end_offset] == '"é"'


def test_yaml_core_schema_scalars():
    doc = load("a: 5e-4\nb: '5e-4'\nc: true\nd: ~\ne: 0x10\nf: .inf\ng: 1_000\nh: !!float 1e-8\n")
    data = to_data(doc.root)
    assert data == {"a": 0.0005, "b": "5e-4", "c": True, "d": None, "e": 16, "f": math.inf, "g": "1_000", "h": 1e-8}
    # The value span starts after the tag, at the text the user wrote.
    h = value_node(doc, "h")
    assert doc.text[h.span.offset : h.span.end_offset] == "1e-8"


def test_unknown_tags_are_opaque_and_never_constructed():
    doc = load("a: !import_call {key: x}\nb: !!python/object/apply:os.system ['echo hi']\nc: !join [a, b]\n")
    assert not doc.problems
    data = to_data(doc.root)
    assert all(isinstance(data[key], Opaque) for key in "abc")


def test_anchors_aliases_and_merge_keys():
    doc = load("base: &base {lr: 0.1, epochs: 3}\nrun:\n  <<: *base\n  epochs: 5\n")
    assert to_data(doc.root)["run"] == {"lr": 0.1, "epochs": 5}
    run = value_node(doc, "run")
    assert isinstance(run, Mapping)
    lr = run.get("lr").value  # found through the merge key: at the merge, under run
    assert (lr.span.line, lr.span.column, lr.path) == (3, 7, ("run", "lr"))
    assert lr.anchored is value_node(doc, "base", "lr") and lr.anchored.span.line == 1


def test_merging_a_list_of_aliases_gives_each_merged_key_the_merging_path():
    doc = load("a: &a {lr: 0.1}\nb: &b {wd: 0.01}\nrun:\n  <<: [*a, *b]\n")
    run = value_node(doc, "run")
    assert [(run.get(key).value.path, run.get(key).value.span.column) for key in ("lr", "wd")] == [(("run", "lr"), 8), (("run", "wd"), 12)]
    assert to_data(doc.root)["run"] == {"lr": 0.1, "wd": 0.01}


def test_yaml_positions_ignore_unicode_line_separators_in_strings():
    doc = load('a: "x\u2028y\u2029z\x85"\nb: 1\n')
    b = value_node(doc, "b")
    assert (b.span.line, b.span.column, b.span.end_line, b.span.end_column) == (2, 4, 2, 5)


def test_a_value_after_an_anchor_on_its_own_line_starts_at_the_value():
    doc = load("a: &x\n  1\nb: !!str  # note\n  two\n")
    assert [(n.span.line, n.span.column) for n in (value_node(doc, "a"), value_node(doc, "b"))] == [(2, 3), (4, 3)]


def test_self_referencing_alias_is_a_syntax_error_not_a_cycle():
    doc = load("a: &x [1, *x]\n")
    assert [p.kind for p in doc.problems] == ["syntax"]


def test_multi_document_yaml_loads_every_document():
    doc = load("a: 1\n---\nb: 2\n")
    assert [to_data(root) for root in doc.roots] == [{"a": 1}, {"b": 2}]


@pytest.mark.parametrize(
    "text, name, line, column",
    [
        ("a: 1\na: 2\n", "c.yaml", 2, 1),
        ('{"a": 1,\n "a": 2}', "c.json", 2, 2),
    ],
)
def test_duplicate_keys_are_problems_with_both_positions(text, name, line, column):
    doc = load(text, name)
    (problem,) = doc.problems
    assert problem.kind == "duplicate-key"
    assert (problem.span.line, problem.span.column) == (line, column)
    assert problem.related[0][1].line == 1
    assert to_data(doc.root) == {"a": 2}


def test_json_positions_are_exact():
    doc = load('{\n  "scheduler": {"type": "cosine", "num_training_steps": 74823}\n}', "c.json")
    steps = value_node(doc, "scheduler", "num_training_steps")
    assert (steps.span.line, steps.span.column, steps.span.end_column) == (2, 57, 62)
    assert steps.value == 74823
    key = doc.key_node_at(("scheduler", "type"))
    assert (key.span.line, key.span.column) == (2, 17)


@pytest.mark.parametrize(
    "text, message, line, column",
    [
        ('{"a": 1,}', "trailing comma before '}' is not allowed in JSON", 1, 8),
        ('{"a": 1} // note', "comments are not allowed in JSON", 1, 10),
        ('{"a": 1', "unexpected end of file: expected ',' or '}'", 1, 8),
        ("{'a': 1}", "strings must use double quotes in JSON", 1, 2),
        ("", "empty file: a JSON document needs a value", 1, 1),
        ('{"a": "x\ny"}', "unterminated string (or a raw control character inside it)", 1, 7),
    ],
)
def test_json_syntax_errors_are_one_problem_at_their_position(text, message, line, column):
    doc = load(text, "c.json")
    (problem,) = doc.problems
    assert (problem.kind, problem.message, problem.span.line, problem.span.column) == ("syntax", message, line, column)
    assert doc.roots == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", None), ("~", None), ("null", None), ("Null", None), ("NULL", None), ("nULL", "nULL"), ("none", "none"),
        ("true", True), ("True", True), ("TRUE", True), ("tRUE", "tRUE"), ("false", False), ("FALSE", False), ("fAlse", "fAlse"),
        ("0", 0), ("007", 7), ("0o17", 15), ("0o18", "0o18"), ("0x1F", 31), ("0xg", "0xg"), ("0.5", 0.5), ("0b101", "0b101"),
        ("12", 12), ("1e5", 100000.0), ("5.", 5.0), ("1_000", "1_000"), ("1.2.3", "1.2.3"), ("1e", "1e"),
        ("+12", 12), ("-0", 0), ("-1.5e-3", -0.0015), ("+.inf", math.inf), ("-.Inf", -math.inf), ("-x", "-x"), ("-", "-"),
        (".5", 0.5), (".INF", math.inf), (".NaN", "nan"), (".nan", "nan"), ("-.nan", "-.nan"), (".", "."), ("inf", "inf"), ("nan", "nan"),
    ],
)
def test_yaml_plain_scalars_resolve_by_the_core_schema(text, expected):
    """Every first character the resolver dispatches on, with a match and a near miss."""
    from cfglint.yaml_core import resolve_plain

    value = resolve_plain(text)
    if expected == "nan" and text != "nan":
        assert isinstance(value, float) and math.isnan(value)
    else:
        assert type(value) is type(expected) and value == expected


def test_json_strings_with_and_without_escapes():
    doc = load('{"plain": "a é 😀 /", "escaped": "a\\n\\u00e9\\"", "empty": ""}', "c.json")
    assert to_data(doc.root) == {"plain": "a é 😀 /", "escaped": 'a\né"', "empty": ""}
    assert doc.text[value_node(doc, "escaped").span.offset : value_node(doc, "escaped").span.end_offset] == '"a\\n\\u00e9\\""'


def test_json_accepts_what_python_json_accepts():
    doc = load('{"a": NaN, "b": -Infinity, "c": 1e400, "d": 123456789012345678901234567890}', "c.json")
    data = to_data(doc.root)
    assert math.isnan(data["a"]) and data["b"] == -math.inf and data["c"] == math.inf
    assert data["d"] == 123456789012345678901234567890


@pytest.mark.parametrize("name", ["c.yaml", "c.json"])
def test_deep_nesting_is_refused_without_recursion(name):
    doc = load("[" * 100_000, name)
    (problem,) = doc.problems
    assert problem.message == "nesting deeper than 200 levels"


def test_yaml_syntax_error_position_and_context():
    doc = load("a: [1, 2\nb: 3\n")
    (problem,) = doc.problems
    assert problem.message.startswith("did not find expected ',' or ']' (while parsing a flow sequence started at line 1, column 4)")
    assert (problem.span.line, problem.span.column) == (2, 2)


def test_tabs_in_indentation_are_a_syntax_error():
    doc = load("a:\n\t- x\n")
    assert doc.problems[0].kind == "syntax" and doc.problems[0].span.line == 2


@pytest.mark.parametrize(
    "data, message",
    [
        (b"a: \xff\n", "not valid UTF-8 text: byte 0xff at byte offset 3; save the file as UTF-8"),
        (b"\x00\x01\x02binary", "the file contains a NUL character: it is binary, not a config"),
    ],
)
def test_bytes_that_are_not_text_become_one_problem(data, message):
    doc = load(data)
    assert [p.message for p in doc.problems] == [message]


def test_utf16_with_bom_is_decoded():
    doc = load("lr: 0.1\n".encode("utf-16"))
    assert doc.encoding.startswith("utf-16") and to_data(doc.root) == {"lr": 0.1}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "42\n", "- a\n- b\n"])
def test_empty_scalar_and_list_roots_load(text):
    doc = load(text)
    assert not doc.problems and doc.mapping is None


def test_quoted_key_and_numeric_key_are_different_keys():
    doc = load("1: a\n'1': b\n")
    assert not doc.problems
    assert isinstance(doc.root.entries[0].key, Scalar)


def test_an_anchored_empty_value_has_a_span_that_does_not_run_backwards():
    """Found by fuzzing: `&a:` (an anchor on an empty key) once gave a span ending before it started."""
    doc = load("datasets:\n  &datasets:\n  &train value: !import_call\n    key: x\n")
    for node in doc.nodes():
        assert node.span.offset <= node.span.end_offset, node


@pytest.mark.parametrize("name, template", [("a.json", '{"c": -%s}'), ("a.yaml", "c: -%s\n")])
def test_the_integer_digit_limit_counts_digits_not_the_sign(name, template):
    at_limit = load_document(name, (template % ("9" * MAX_INT_DIGITS)).encode())
    assert at_limit.problems == [] and to_data(at_limit.root)["c"] == -int("9" * MAX_INT_DIGITS)
    over = load_document(name, (template % ("9" * (MAX_INT_DIGITS + 1))).encode())
    assert [p.message.split(":")[0] for p in over.problems] == [f"an integer of {MAX_INT_DIGITS + 1:,} digits"]


@pytest.mark.parametrize(
    "text, lines",
    [
        ("", []),
        ("\n", [""]),
        ("a\nb", ["a", "b"]),
        ("a\r\nb\rc\n", ["a", "b", "c"]),
        ("a\u2028b\x85c\u2029\n\fd\n", ["a\u2028b\x85c\u2029", "\fd"]),
    ],
)
def test_code_frame_lines_break_only_at_lf_cr_and_crlf(text, lines):
    from cfglint.document import split_lines

    assert split_lines(text) == lines


def test_line_starts_count_crlf_once_and_a_lone_cr_as_a_break():
    from cfglint.document import line_starts

    assert line_starts("a\r\nb\rc\n\u2028d") == [0, 3, 5, 7]
