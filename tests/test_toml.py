"""TOML configs: exact positions from tomlkit's text, data from tomllib, fixes that keep the layout."""

import datetime
import math

import pytest
import tomlkit
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import cfglint
from cfglint.api import CheckOptions, Checker
from cfglint.document import Document, Mapping, Scalar, Sequence, to_data
from cfglint.source import load_document
from cfglint.toml_source import _Locator, standard_toml, load_toml
from helpers import lint, positions

tomllib = standard_toml()

CONFIG = """\
# a small run
name = "llama"       # model
model.dim = 256
model.attn."n heads" = 8

[training]
steps = 1000         # total
lr = 1e-3
started = 1979-05-27T07:32:00Z
note = '''
two # lines, not a comment
'''

[[stages]]
name = 'warmup'
args = {ratio = 0.1, kind.name = "linear"}

[[stages]]
name = "decay"
sizes = [1, 2,
  3,  # trailing
]

[training.inner]
p = 1
"""


def where(doc, *path):
    """(line, column, end line, end column) of the key at `path` and of its value."""
    key = doc.key_node_at(path)
    value = doc.node_at(path)[0]
    return tuple((n.span.line, n.span.column, n.span.end_line, n.span.end_column) for n in (key, value))


def test_keys_and_values_have_exact_positions():
    doc = load_toml("c.toml", CONFIG)
    assert doc.problems == []
    assert where(doc, "name") == ((2, 1, 2, 5), (2, 8, 2, 15))
    # dotted keys: each part is its own key, at its own column
    assert where(doc, "model", "dim") == ((3, 7, 3, 10), (3, 13, 3, 16))
    assert where(doc, "model", "attn", "n heads") == ((4, 12, 4, 21), (4, 24, 4, 25))
    assert where(doc, "model", "attn")[0] == (4, 7, 4, 11)
    assert where(doc, "model")[0] == (3, 1, 3, 6)  # the first place the table is written
    # a [table]: its key is in the header, its span runs from the header to its last item
    assert where(doc, "training") == ((6, 2, 6, 10), (6, 1, 25, 6))
    assert where(doc, "training", "steps") == ((7, 1, 7, 6), (7, 9, 7, 13))
    assert where(doc, "training", "lr")[1] == (8, 6, 8, 10)
    assert where(doc, "training", "started")[1] == (9, 11, 9, 31)
    assert where(doc, "training", "note")[1] == (10, 8, 12, 4)
    # arrays of tables: one sequence, an item per [[header]]
    assert where(doc, "stages")[0] == (14, 3, 14, 9)
    assert where(doc, "stages", 0, "name") == ((15, 1, 15, 5), (15, 8, 15, 16))
    assert where(doc, "stages", 1, "name") == ((19, 1, 19, 5), (19, 8, 19, 15))
    # inline tables and arrays
    assert where(doc, "stages", 0, "args") == ((16, 1, 16, 5), (16, 8, 16, 43))
    assert where(doc, "stages", 0, "args", "ratio") == ((16, 9, 16, 14), (16, 17, 16, 20))
    assert where(doc, "stages", 0, "args", "kind", "name") == ((16, 27, 16, 31), (16, 34, 16, 42))
    assert where(doc, "stages", 1, "sizes") == ((20, 1, 20, 6), (20, 9, 22, 2))
    assert where(doc, "stages", 1, "sizes", 2)[1] == (21, 3, 21, 4)
    # a table continued after others ([training.inner] after [[stages]])
    assert where(doc, "training", "inner", "p") == ((25, 1, 25, 2), (25, 5, 25, 6))
    assert where(doc, "training", "inner")[0] == (24, 11, 24, 16)


def test_values_are_tomllibs():
    doc = load_toml("c.toml", CONFIG)
    assert to_data(doc.root) == tomllib.loads(CONFIG)
    started = doc.node_at(("training", "started"))[0].value
    assert started == datetime.datetime(1979, 5, 27, 7, 32, tzinfo=datetime.timezone.utc)
    assert doc.node_at(("training", "note"))[0].value == "two # lines, not a comment\n"
    assert doc.node_at(("training", "lr"))[0].style == "plain"
    assert doc.node_at(("stages", 0, "name"))[0].style == "single"


def test_comments_are_found_and_strings_are_not_comments():
    doc = load_toml("c.toml", CONFIG)
    assert [text for _, text in doc.comments()] == ["# a small run", "# model", "# total", "# trailing"]


def test_toml_by_suffix_and_in_folder_walks(tmp_path):
    (tmp_path / "run.toml").write_text("[training]\nsteps = 10\n")
    (tmp_path / "pyproject.toml").write_text("[tool.cfglint]\nignore = []\n")
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\n')
    (tmp_path / ".cfglint.yaml").write_text("ignore: []\n")
    (tmp_path / "a.yaml").write_text("lr: 1\n")
    assert load_document("run.toml", b"a = 1\n").format == "toml"
    errors, passed_by = [], []
    checker = Checker(CheckOptions(isolated=True))
    walked = [p.rsplit("/", 1)[-1] for p in checker.config_files([str(tmp_path)], errors, passed_by)]
    assert walked == ["a.yaml", "run.toml"]
    assert [(p.path.rsplit("/", 1)[-1], p.reason) for p in passed_by] == [
        (".cfglint.yaml", "a tool's settings, not a training config"),
        ("Cargo.toml", "a tool's settings, not a training config"),
        ("pyproject.toml", "a tool's settings, not a training config"),
    ]
    # named on the command line too (pre-commit names them), unless known files are checked anyway
    assert list(checker.config_files([str(tmp_path / "pyproject.toml")], errors)) == []
    everything = Checker(CheckOptions(isolated=True, skip_known=False))
    assert list(everything.config_files([str(tmp_path / "pyproject.toml")], errors)) == [str(tmp_path / "pyproject.toml")]
    assert errors == []


def test_syntax_error_is_a_finding_at_tomllibs_position():
    findings = lint("[training]\nsteps = 10\nlr = = 1\n", "c.toml")
    assert positions(findings) == [("D001", 3, 6)]
    assert "Invalid value" in findings[0].message


def test_key_written_twice_is_a_syntax_error_at_the_second_key():
    findings = lint("[training]\nsteps = 10\nsteps = 20\n", "c.toml")
    assert positions(findings) == [("D001", 3, 1)]
    assert findings[0].message.startswith("'steps' is written twice: TOML refuses the file")


def test_yaml_that_is_not_toml_is_not_read_as_yaml():
    findings = lint("training:\n  steps: 10\n", "c.toml")
    assert [f.code for f in findings] == ["D001"]


def test_a_finding_on_a_toml_config():
    text = "[training]\nmax_steps = 1000\nwarmup_steps = 5000  # too long\n"
    findings = lint(text, "run.toml")
    assert positions(findings) == [("T001", 3, 16)]


def test_fix_keeps_comments_and_alignment():
    before = (
        "# a run\n"
        "[training]\n"
        "max_steps = 1000     # total\n"
        "warmup_steps = 5000  # too long\n"
        'batch_size = "32"    # per device\n'
        "\n"
        "[optimizer]\n"
        "name = 'adam'\n"
        "weight_decay = 0.1\n"
    )
    after = (
        "# a run\n"
        "[training]\n"
        "max_steps = 1000     # total\n"
        "warmup_steps = 100   # too long\n"
        "batch_size = 32      # per device\n"
        "\n"
        "[optimizer]\n"
        "name = 'adamw'\n"
        "weight_decay = 0.1\n"
    )
    outcome = cfglint.fix(text=before, filename="run.toml", unsafe=True)
    assert outcome.fixed_text == after
    assert sorted(f.code for f in outcome.applied) == ["O001", "S002", "T001"]
    assert tomllib.loads(outcome.fixed_text)["training"] == {"max_steps": 1000, "warmup_steps": 100, "batch_size": 32}


def test_values_are_written_as_toml():
    from cfglint.fixes import toml_key, toml_value

    assert toml_value(1e-5) == "1e-05" and tomllib.loads("v = 1e-05")["v"] == 1e-5
    assert toml_value(True) == "true" and toml_value(3) == "3" and toml_value(2.0) == "2.0"
    assert toml_value(math.inf) == "inf" and toml_value(math.nan) == "nan"
    assert toml_value('say "hi"\n') == '"say \\"hi\\"\\n"'
    assert toml_value("it's", "single") == '"it\'s"' and toml_value("ok", "single") == "'ok'"
    assert toml_value({"a b": [1, 2.5]}) == '{"a b" = [1, 2.5]}'
    assert toml_key("lr_warmup") == "lr_warmup" and toml_key("n heads") == '"n heads"'
    with pytest.raises(ValueError):
        toml_value(None)


def test_a_renamed_table_key_is_only_shown():
    from cfglint.fixes import Applicability, rename_key

    doc = load_toml("c.toml", "[trainig]\nsteps = 1\n[trainig.inner]\na = 1\nx = {b = 1}\n")
    table = rename_key(doc, doc.key_node_at(("trainig",)), "training", "rename", Applicability.UNSAFE)
    assert table.applicability == Applicability.DISPLAY
    inline = rename_key(doc, doc.key_node_at(("trainig", "inner", "x")), "y", "rename", Applicability.UNSAFE)
    assert inline.applicability == Applicability.UNSAFE and inline.edits[0].text == "y"


def test_empty_file_is_an_empty_table():
    doc = load_toml("c.toml", "# nothing yet\n")
    assert doc.problems == [] and isinstance(doc.root, Mapping) and doc.root.entries == []


# -- property: every span holds exactly the text of its key or value ---------------------------

_BARE = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True)
_KEYS = st.one_of(_BARE, st.text(st.characters(codec="utf-8", exclude_characters="\x7f", exclude_categories=("Cs", "Cc")), min_size=1, max_size=6))
_SCALARS = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, width=64),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=10),
    st.dates(),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)), max_leaves=8)
_TABLES = st.dictionaries(_KEYS, st.one_of(_VALUES, st.dictionaries(_KEYS, _VALUES, max_size=3), st.lists(st.dictionaries(_KEYS, _SCALARS, min_size=1, max_size=2), min_size=1, max_size=2)), max_size=5)


def _key_text(doc, node):
    written = doc.text[node.span.offset : node.span.end_offset]
    return written[1:-1] if written.startswith("'") else tomllib.loads(f"k = {written}")["k"] if written.startswith('"') else written


def _check_spans(text):
    doc = load_toml("p.toml", text)
    assert doc.problems == []
    _Locator(Document("p.toml", text, "toml")).build(tomlkit.parse(text))  # raises rather than fall back
    assert to_data(doc.root) == tomllib.loads(text)
    for node in doc.nodes(keys=False):
        if isinstance(node, Scalar):
            written = doc.text[node.span.offset : node.span.end_offset]
            assert tomllib.loads(f"v = {written}")["v"] == node.value, (written, node)
            assert doc.span_at(node.span.offset, node.span.end_offset) == node.span
        elif isinstance(node, (Mapping, Sequence)):
            for entry in node.entries if isinstance(node, Mapping) else ():
                assert _key_text(doc, entry.key) == entry.key.value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TABLES)
def test_spans_match_the_text_of_dumped_documents(data):
    try:
        text = tomlkit.dumps(data)
        expected = tomllib.loads(text)
    except Exception:
        assume(False)
    assume(expected == data)
    _check_spans(text)


_SPACES = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def _hand_written(draw):
    """Documents laid out as people write them: dotted keys, odd spacing, comments, headers."""
    lines, used = [], set()
    for table in range(draw(st.integers(0, 3))):
        name = draw(_BARE)
        if name in used:
            continue
        used.add(name)
        array = draw(st.booleans())
        for _ in range(2 if array else 1):
            head = f"[{draw(_SPACES)}{name}{draw(_SPACES)}]" if not array else f"[[{name}]]"
            lines.append(head + draw(st.sampled_from(["", "  # header"])))
            keys = set()
            for _ in range(draw(st.integers(0, 3))):
                key = draw(st.lists(_BARE, min_size=1, max_size=3))
                if any(tuple(key[: i + 1]) in keys or tuple(key[:i]) in keys for i in range(len(key))):
                    continue
                keys.add(tuple(key))
                written = draw(_SPACES).join(["."]).join(key) if len(key) > 1 else key[0]
                value = draw(st.sampled_from(["1", "-2.5e-3", "true", '"a # b"', "'lit'", "[1, [2, 3], ]", "{x = 1, y.z = 'q'}", '"""\nml\n"""', "1979-05-27", "inf"]))
                lines.append(f"{draw(_SPACES)}{written}{draw(_SPACES)}={draw(_SPACES)}{value}{draw(st.sampled_from(['', ' # c']))}")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(_hand_written())
def test_spans_match_the_text_of_hand_written_documents(text):
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
    _check_spans(text)


def test_a_top_level_key_goes_above_the_first_table():
    from cfglint.fixer import apply_edits
    from cfglint.fixes import Applicability, insert_top_level_key

    doc = load_toml("c.toml", "# head\n[training]\nsteps = 1\n")
    fix = insert_top_level_key(doc, "intent", {"loss_shares": {"kd": 0.7}}, "add", Applicability.UNSAFE)
    patched = apply_edits(doc.text, list(fix.edits))
    assert patched == "# head\nintent = {loss_shares = {kd = 0.7}}\n[training]\nsteps = 1\n"
    assert tomllib.loads(patched)["intent"] == {"loss_shares": {"kd": 0.7}}


def test_a_position_that_cannot_be_verified_falls_back_to_the_start(monkeypatch):
    from cfglint import toml_source

    def broken(self, parsed):
        raise toml_source._Mismatch("simulated")

    monkeypatch.setattr(toml_source._Locator, "build", broken)
    doc = load_toml("c.toml", "[training]\nsteps = 10\n")
    assert to_data(doc.root) == {"training": {"steps": 10}}
    assert {(n.span.line, n.span.column) for n in doc.nodes()} == {(1, 1)}
