"""Positions: spans are the value's own text in every scalar style, lines break only at LF, CR
and CRLF, and fixes and code frames use the same spans and the same line counting."""

import pytest

import cfglint
from cfglint.fixer import apply_edits
from cfglint.fixes import replace_node
from cfglint.reporters.text import TextReporter
from cfglint.source import load_document
from helpers import lint

FORECAST = "seq_len: 250\nlabel_len: 125\npred_len: 10\n"


def fixed(text, filename="config.yaml", unsafe=False):
    outcome = cfglint.fix(text=text, filename=filename, unsafe=unsafe)
    return outcome.fixed_text, [f.code for f in outcome.applied]


def value_node(doc, *path):
    node, walked = doc.node_at(path)
    assert walked == path
    return node


def where(finding):
    s = finding.span
    return (s.line, s.column, s.end_line, s.end_column)


# --- block scalars ---------------------------------------------------------------------------

BLOCKS = ["|", ">", "|-", ">+", "|2", ">-2"]


@pytest.mark.parametrize("indicator", BLOCKS)
def test_a_fix_on_a_block_scalar_in_the_middle_keeps_the_comment_and_lines_after_it(indicator):
    before = FORECAST + f"learning_rate: {indicator}\n  0.001\n# peak rate\ntrain_epochs: 6\n"
    assert fixed(before) == (FORECAST + "learning_rate: 0.001\n# peak rate\ntrain_epochs: 6\n", ["S002"])


@pytest.mark.parametrize("indicator", BLOCKS)
def test_a_fix_on_a_block_scalar_at_the_end_of_the_file_keeps_the_final_newline(indicator):
    assert fixed(FORECAST + f"learning_rate: {indicator}\n  0.001\n") == (FORECAST + "learning_rate: 0.001\n", ["S002"])


def test_a_fix_on_a_block_scalar_without_a_final_newline_joins_no_lines():
    assert fixed(FORECAST + "learning_rate: |\n  0.001") == (FORECAST + "learning_rate: 0.001", ["S002"])


def test_a_fix_on_a_block_scalar_keeps_the_blank_lines_after_it():
    before = FORECAST + "learning_rate: >+\n  0.001\n\n\n# peak rate\ntrain_epochs: 6\n"
    assert fixed(before) == (FORECAST + "learning_rate: 0.001\n\n\n# peak rate\ntrain_epochs: 6\n", ["S002"])


@pytest.mark.parametrize("indicator", BLOCKS)
def test_an_edit_on_a_nested_block_scalar_keeps_the_indented_comment_after_it(indicator):
    text = f"optim:\n  lr: {indicator}\n    0.001\n  # peak rate\n  betas: [0.9, 0.999]\n"
    doc = load_document("c.yaml", text.encode())
    edit = replace_node(doc, value_node(doc, "optim", "lr"), "0.001")
    assert apply_edits(text, [edit]) == "optim:\n  lr: 0.001\n  # peak rate\n  betas: [0.9, 0.999]\n"


@pytest.mark.parametrize("item", ["|\n    0.001\n", ">-\n    0.001\n\n"])
def test_an_edit_on_a_block_scalar_in_a_sequence_keeps_the_next_item(item):
    text = f"lrs:\n  - {item}  - 0.002\n"
    doc = load_document("c.yaml", text.encode())
    edit = replace_node(doc, value_node(doc, "lrs", 0), "0.001")
    assert apply_edits(text, [edit]) == "lrs:\n  - 0.001\n" + ("\n" if item.endswith("\n\n") else "") + "  - 0.002\n"


def test_a_comment_on_the_indicator_line_stays_after_the_new_value():
    before = FORECAST + "learning_rate: |-  # peak\n  0.001\ntrain_epochs: 6\n"
    assert fixed(before) == (FORECAST + "learning_rate: 0.001  # peak\ntrain_epochs: 6\n", ["S002"])


def test_check_and_fix_agree_on_a_block_scalar():
    text = FORECAST + "learning_rate: |\n  0.001\n# peak rate\n"
    [finding] = [f for f in lint(text) if f.code == "S002"]
    assert finding.fix is not None and str(finding.fix.applicability) == "safe"
    assert fixed(text)[1] == ["S002"]


@pytest.mark.parametrize(
    "value, text",
    [
        ("0.001", "0.001"),
        ("'0.001'", "'0.001'"),
        ('"0.001"', '"0.001"'),
        ("|\n  0.001\n\n# c\n", "|\n  0.001"),
        (">-\n  0.001\n  0.002  \n\n", ">-\n  0.001\n  0.002  "),
        ("|+\n  0.001\n\n", "|+\n  0.001"),
        ("&lr |2\n   0.001\n", "|2\n   0.001"),
        ("!!str\n  '0.001'\n", "'0.001'"),
        ("|\nb: 1\n", "|"),
    ],
)
def test_a_scalar_span_is_the_value_own_text_in_every_style(value, text):
    doc = load_document("c.yaml", f"a: {value}".encode())
    node = value_node(doc, "a")
    assert doc.text[node.span.offset : node.span.end_offset] == text
    assert doc.line_column(node.span.offset) == (node.span.line, node.span.column)
    assert doc.line_column(node.span.end_offset) == (node.span.end_line, node.span.end_column)


def test_a_finding_on_a_block_scalar_points_at_the_block():
    [finding] = [f for f in lint(FORECAST + "learning_rate: >-\n  0.001\n\n# peak rate\n") if f.code == "S002"]
    assert where(finding) == (4, 16, 5, 8)


# --- line counting -------------------------------------------------------------------------

SEPARATORS = ["\u2028", "\u2029", "\u0085"]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_unicode_line_separator_in_a_yaml_string_breaks_no_line(separator):
    findings = lint(f'name: "a{separator}b"\n' + FORECAST + 'learning_rate: "0.001"\n')
    [finding] = [f for f in findings if f.code == "S002"]
    assert where(finding) == (5, 16, 5, 23)


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_unicode_line_separator_does_not_move_later_values_on_its_line(separator):
    doc = load_document("c.yaml", (FORECAST + f'lr: ["a{separator}b", "0.001"]\n').encode())
    second = value_node(doc, "lr", 1)
    assert (second.span.line, second.span.column, second.span.end_line, second.span.end_column) == (4, 13, 4, 20)


@pytest.mark.parametrize("separator", SEPARATORS)
def test_a_unicode_line_separator_in_a_json_string_breaks_no_line(separator):
    text = '{"name": "a%sb", "seq_len": 250, "label_len": 125, "pred_len": 10,\n "learning_rate": "0.001"}\n' % separator
    [finding] = [f for f in lint(text, filename="c.json") if f.code == "S002"]
    assert where(finding) == (2, 19, 2, 26)
    frame = TextReporter().frame(text, finding)
    assert frame[1] == '2 |  "learning_rate": "0.001"}'
    assert frame[2] == "  |                   ^^^^^^^"


def test_a_lone_cr_breaks_a_json_line():
    text = '{"seq_len": 250, "label_len": 125, "pred_len": 10,\r "learning_rate": "0.001"}'
    [finding] = [f for f in lint(text, filename="c.json") if f.code == "S002"]
    assert where(finding) == (2, 19, 2, 26)
    assert TextReporter().frame(text, finding)[1] == '2 |  "learning_rate": "0.001"}'


@pytest.mark.parametrize("ending", ["\r", "\u2028\n", "\u2029\r\n", "\u0085\r"])
def test_the_code_frame_shows_the_finding_line_after_a_break_in_a_comment(ending):
    """A lone CR ends a line; U+2028, U+2029 and U+0085 in a comment do not."""
    text = f"seq_len: 250  # input{ending}label_len: 125\npred_len: 10\nlearning_rate: \"0.001\"\n"
    [finding] = [f for f in lint(text) if f.code == "S002"]
    assert where(finding) == (4, 16, 4, 23)
    frame = TextReporter().frame(text, finding)
    assert frame[1] == '4 | learning_rate: "0.001"'
    assert frame[2] == "  |                ^^^^^^^"


def test_a_finding_and_its_fix_edit_share_the_line_after_a_separator():
    text = 'name: "a\u2028b"\n' + FORECAST + 'learning_rate: "0.001"\n'
    [finding] = [f for f in lint(text) if f.code == "S002"]
    doc = load_document("c.yaml", text.encode())
    [edit] = finding.fix.edits
    assert doc.line_column(edit.start) == (finding.span.line, finding.span.column)


# --- spacing before a comment --------------------------------------------------------------


def test_a_tab_before_a_trailing_comment_is_kept():
    before = FORECAST + 'learning_rate: "0.0005"\t# peak\n'
    assert fixed(before) == (FORECAST + "learning_rate: 0.0005\t# peak\n", ["S002"])


def test_spaces_before_a_trailing_comment_still_keep_its_column():
    before = FORECAST + 'learning_rate: "0.0005"  # peak\n'
    assert fixed(before) == (FORECAST + "learning_rate: 0.0005    # peak\n", ["S002"])


# --- aliases -------------------------------------------------------------------------------


def test_a_finding_through_a_scalar_alias_is_at_the_alias_and_names_the_anchor():
    text = FORECAST + 'base_lr: &lr "0.001"\nlearning_rate: *lr\n'
    [finding] = [f for f in lint(text) if f.code == "S002"]
    assert (where(finding), finding.key) == ((5, 16, 5, 19), "learning_rate")
    assert [(r.key, r.span.line, r.span.column) for r in finding.related] == [("base_lr", 4, 14)]
    [edit] = finding.fix.edits  # the alias has no text of its own: the fix edits the anchor's
    assert text[edit.start : edit.end] == '"0.001"' and edit.start == text.index('"0.001"')


def test_a_finding_through_a_merge_key_is_at_the_merge_with_the_key_the_user_wrote():
    text = FORECAST + 'defaults: &d\n  learning_rate: "0.001"\nrun:\n  <<: *d\n'
    [finding] = [f for f in lint(text) if f.code == "S002"]
    assert (where(finding), finding.key) == ((7, 7, 7, 9), "run.learning_rate")
    assert [(r.key, r.span.line, r.span.column) for r in finding.related] == [("defaults.learning_rate", 5, 18)]


def test_an_alias_inside_a_flow_mapping_is_a_view_at_the_alias():
    text = "learning_rate: &lr 0.5\noptimizer: {name: adamw, lr: *lr}\n"
    doc = load_document("c.yaml", text.encode())
    anchor, view = value_node(doc, "learning_rate"), value_node(doc, "optimizer", "lr")
    assert (view.value, view.path, view.anchored) == (0.5, ("optimizer", "lr"), anchor)
    assert text[view.span.offset : view.span.end_offset] == "*lr" and (view.span.line, view.span.column) == (2, 30)
    assert anchor.anchored is None and anchor.written is anchor and view.written is anchor


def test_the_entries_of_an_aliased_mapping_are_views_with_the_paths_the_user_wrote():
    text = "base: &opt\n  type: adamw\n  betas: [0.9, 1.5]\noptimizer: *opt\n"
    doc = load_document("c.yaml", text.encode())
    beta = value_node(doc, "optimizer", "betas", 1)
    assert (beta.value, beta.path, beta.span.line, beta.span.column) == (1.5, ("optimizer", "betas", 1), 4, 12)
    assert beta.anchored is value_node(doc, "base", "betas", 1)
    assert doc.alias_origin(beta.span) is beta.anchored
    assert doc.key_node_at(("optimizer", "type")).anchored is doc.key_node_at(("base", "type"))
    # The views have no text of their own: walking the written nodes never meets them.
    assert all(node.anchored is None for node in doc.nodes())
    assert len(list(doc.nodes())) == 10  # 5 keys, 2 mappings, a list and its 2 numbers


def test_an_edit_on_an_alias_view_lands_on_the_anchored_text():
    text = "base: &opt\n  lr: '0.5'  # peak\n  wd: 0.1\noptimizer: *opt\n"
    doc = load_document("c.yaml", text.encode())
    edit = replace_node(doc, value_node(doc, "optimizer", "lr"), "0.5")
    assert apply_edits(text, [edit]) == "base: &opt\n  lr: 0.5    # peak\n  wd: 0.1\noptimizer: *opt\n"


def test_removing_an_entry_seen_through_an_alias_removes_it_where_it_is_written():
    from cfglint.fixes import remove_entry

    text = "base: &opt\n  lr: 0.5\n  wd: 0.1\noptimizer: *opt\nrun:\n  <<: *opt\n"
    doc = load_document("c.yaml", text.encode())
    optimizer = value_node(doc, "optimizer")
    fix = remove_entry(doc, optimizer, optimizer.get("wd"), "remove wd")
    assert apply_edits(text, list(fix.edits)) == "base: &opt\n  lr: 0.5\noptimizer: *opt\nrun:\n  <<: *opt\n"
    run = value_node(doc, "run")  # `wd` is merged into run from elsewhere: not run's to remove
    assert remove_entry(doc, run, run.get("wd"), "remove wd") is None


def test_alias_views_are_bounded_and_past_the_bound_aliases_share_the_anchored_node(monkeypatch):
    import cfglint.yaml_source

    monkeypatch.setattr(cfglint.yaml_source, "MAX_ALIAS_VIEWS", 3)
    doc = load_document("c.yaml", b"a: &a [1, 2]\nb: *a\nc: *a\n")
    assert value_node(doc, "b").anchored is value_node(doc, "a")  # a view of three values
    assert value_node(doc, "c") is value_node(doc, "a")  # past the bound: the node itself


@pytest.mark.parametrize(
    "output_format, expected",
    [
        ("json", '"line": 5,\n      "column": 16,'),
        ("sarif", '"startLine": 5,\n                  "startColumn": 16,'),
        ("github", "line=5,endLine=5,col=16,endColumn=23"),
        ("text", 'c.yaml:5:16: S002'),
    ],
)
def test_every_output_format_counts_lines_as_yaml_does(tmp_path, monkeypatch, output_format, expected):
    from click.testing import CliRunner

    from cfglint.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.yaml").write_text('name: "a\u2028b"\n' + FORECAST + 'learning_rate: "0.001"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", "--format", output_format, "c.yaml"], catch_exceptions=False)
    assert expected in result.output


def test_aliases_nested_far_past_the_depth_limit_load_without_recursion():
    depth = 150  # each under MAX_DEPTH, but every alias nests the previous anchor: 1,800 levels
    lines = ["a0: &a0 " + "[" * depth + "1" + "]" * depth]
    lines += [f"a{i}: &a{i} " + "[" * depth + f"*a{i - 1}" + "]" * depth for i in range(1, 12)]
    doc = load_document("d.yaml", ("\n".join(lines) + "\n").encode())
    assert not doc.problems
    node, walked = doc.node_at(("a11",) + (0,) * (depth * 12))
    assert len(walked) == 1 + depth * 12 and node.value == 1 and node.anchored is value_node(doc, "a0", *(0,) * depth)
