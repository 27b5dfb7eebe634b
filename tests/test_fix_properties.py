"""Property test of `cfglint.fix` on generated configs, judged by independent parsers.

Each example writes a forecasting config (YAML or JSON) around values in every scalar style
(plain, quoted, literal and folded with each chomping indicator), anchors, aliases and merges,
U+2028/U+2029/U+0085 inside quoted strings, tabs before comments, and comments; then mutates
some keys in ways a rule fixes: a number quoted (or written as a block scalar), a misspelt key,
a key written twice, `5e-4` (a string to PyYAML), a warmup longer than the run. After
`cfglint.fix(..., unsafe=True)`:

- the output parses with PyYAML (YAML) or json (JSON);
- PyYAML's (json's) data after equals its data before with exactly the applied fixes' stated
  intents applied, and every applied fix is on a mutated key;
- every comment survives byte for byte, a tab before a comment stays a tab, and the final line
  break stays;
- every finding on a key points at that key's text or its value's text, as PyYAML's own event
  marks give them (character offsets: PyYAML counts U+2028 as a line break, YAML 1.2 does not);
- no safe fix is left over, and a second pass changes nothing.

CI runs a few hundred examples; `CFGLINT_PROPERTY_EXAMPLES=5000` runs a long one by hand.
"""

import copy
import json
import os
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cfglint

EXAMPLES = int(os.environ.get("CFGLINT_PROPERTY_EXAMPLES", "200"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BASE = [("seq_len", "96"), ("label_len", "48"), ("pred_len", "24")]
NUMBERS = {"learning_rate": "0.001", "dropout": "0.1", "d_model": "512", "n_heads": "8", "batch_size": "32", "weight_decay": "0.0001"}
MISSPELT = {"learning_rate": "lerning_rate", "dropout": "dropuot", "batch_size": "batch_szie"}
# A second misspelling with the same suggestion, and a value of its own: renaming both loses one.
MISSPELT_AGAIN = {"learning_rate": ("learnin_rate", "0.0001"), "dropout": ("dropou", "0.2")}
OTHER = {"learning_rate": "0.002", "dropout": "0.3", "d_model": "256", "n_heads": "4", "batch_size": "64", "weight_decay": "0.01"}
EXPONENT = {"learning_rate": "5e-4", "weight_decay": "1e-4"}
SEPARATORS = ["\u2028", "\u2029", "\u0085"]
BLOCK = ["|", "|-", "|+", ">", ">-", ">+"]


class Config:
    """The text being built, the comments written into it, and the keys mutated."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.comments: list[str] = []
        self.tabbed: list[str] = []
        self.mutated: set[str] = set()

    def comment(self, draw, trailing: bool) -> str:
        text = f"# c{len(self.comments)}" + draw(st.sampled_from(["", " note", " é ü", " key: value", ' "quoted"']))
        self.comments.append(text)
        if not trailing:
            return draw(st.sampled_from(["", "  "])) + text
        gap = draw(st.sampled_from([" ", "  ", "\t", " \t", "      "]))
        if "\t" in gap:
            self.tabbed.append(text)
        return gap + text

    def trailing(self, draw) -> str:
        return self.comment(draw, True) if draw(st.booleans()) else ""


def string_value(draw) -> str:
    """A text value in a random flow style, with a Unicode line separator inside the quotes."""
    words = draw(st.sampled_from(["run", "a b", "0.001", "x: y", "it's"]))
    style = draw(st.sampled_from(["plain", "single", "double"]))
    if style == "plain" and words in ("run",):
        return words
    separator = draw(st.sampled_from([""] + SEPARATORS))
    if style == "single":
        return "'" + (words + separator + "end").replace("'", "''") + "'"
    return json.dumps(words + separator + "end", ensure_ascii=False)


def block_value(draw, content: str, indent: str = "  ") -> list[str]:
    header = draw(st.sampled_from(BLOCK))
    lines = [header] + [indent + line for line in content.split("\n")]
    return lines


def mutated_keys():
    """One to four distinct keys to mutate, in a random order (no rejected draws)."""
    return st.tuples(st.permutations(sorted(NUMBERS) + ["warmup"]), st.integers(1, 4)).map(lambda drawn: drawn[0][: drawn[1]])


@st.composite
def yaml_configs(draw):
    config = Config()
    out = config.lines
    if draw(st.booleans()):
        out.append(config.comment(draw, False))
    for key, value in BASE:
        out.append(f"{key}: {value}{config.trailing(draw)}")
    # context the mutations sit among: every scalar style, anchors, aliases, merges
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["string", "block", "anchor", "merge", "comment", "blank"]))
        n = len(out)
        if kind == "string":
            out.append(f"title_{n}: {string_value(draw)}{config.trailing(draw)}")
        elif kind == "block":
            header, *body = block_value(draw, draw(st.sampled_from(["one line", "two\nlines", "tail\n"])))
            out.append(f"notes_{n}: {header}{config.trailing(draw)}")
            out.extend(body)
        elif kind == "anchor":
            out.append(f"base_{n}: &a{n} {string_value(draw)}")
            out.append(f"copy_{n}: *a{n}{config.trailing(draw)}")
        elif kind == "merge":
            out.extend([f"defaults_{n}: &m{n}", f"  eps_{n}: 1.0e-8{config.trailing(draw)}", f"block_{n}:", f"  <<: *m{n}", f"  extra_{n}: {string_value(draw)}"])
        elif kind == "comment":
            out.append(config.comment(draw, False))
        else:
            out.append("")
    for key in draw(mutated_keys()):
        if key == "warmup":
            out.append(f"train_epochs: 20{config.trailing(draw)}")
            out.append(f"warmup_epochs: 30{config.trailing(draw)}")
            config.mutated.add("warmup_epochs")
            continue
        value = NUMBERS[key]
        options = ["double", "single", "block", "anchored", "duplicate"] + (["misspelt"] if key in MISSPELT else []) + (["exponent"] if key in EXPONENT else [])
        options += ["misspelt twice"] if key in MISSPELT_AGAIN else []
        mutation = draw(st.sampled_from(options))
        config.mutated.add(key)
        if mutation == "double":
            out.append(f'{key}: "{value}"{config.trailing(draw)}')
        elif mutation == "single":
            out.append(f"{key}: '{value}'{config.trailing(draw)}")
        elif mutation == "block":
            header, *body = block_value(draw, value)
            out.append(f"{key}: {header}{config.trailing(draw)}")
            out.extend(body)
            if draw(st.booleans()):
                out.append(config.comment(draw, False))
        elif mutation == "anchored":
            out.append(f'{key}: &{key} "{value}"{config.trailing(draw)}')
            out.append(f"{key}_copy: *{key}")
            config.mutated.add(f"{key}_copy")
        elif mutation == "duplicate":
            out.append(f"{key}: {OTHER[key]}")  # the entry the fix removes: no comment of its own
            out.append(f"{key}: {value}{config.trailing(draw)}")
        elif mutation == "misspelt":
            out.append(f"{MISSPELT[key]}: {value}{config.trailing(draw)}")
            config.mutated.add(MISSPELT[key])
        elif mutation == "misspelt twice":
            again, other = MISSPELT_AGAIN[key]
            out.append(f"{MISSPELT[key]}: {value}{config.trailing(draw)}")
            out.append(f"{again}: {other}{config.trailing(draw)}")
            config.mutated.update((MISSPELT[key], again))
        else:
            out.append(f"{key}: {EXPONENT[key]}{config.trailing(draw)}")
    if draw(st.booleans()):
        out.append(config.comment(draw, False))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(out) + draw(st.sampled_from([newline, ""]))
    return text, config


@st.composite
def json_configs(draw):
    config = Config()
    entries = [(key, value) for key, value in BASE]
    for n in range(draw(st.integers(0, 2))):
        entries.append((f"title_{n}", json.dumps(draw(st.sampled_from(["run", "a b"])) + draw(st.sampled_from([""] + SEPARATORS)) + "end", ensure_ascii=False)))
    for key in draw(mutated_keys()):
        if key == "warmup":
            entries += [("train_epochs", "20"), ("warmup_epochs", "30")]
            config.mutated.add("warmup_epochs")
            continue
        value = NUMBERS[key]
        mutation = draw(st.sampled_from(["quoted", "duplicate"] + (["misspelt"] if key in MISSPELT else []) + (["misspelt twice"] if key in MISSPELT_AGAIN else [])))
        config.mutated.add(key)
        if mutation == "quoted":
            entries.append((key, f'"{value}"'))
        elif mutation == "duplicate":
            entries += [(key, OTHER[key]), (key, value)]
        elif mutation == "misspelt twice":
            again, other = MISSPELT_AGAIN[key]
            entries += [(MISSPELT[key], value), (again, other)]
            config.mutated.update((MISSPELT[key], again))
        else:
            entries.append((MISSPELT[key], value))
            config.mutated.add(MISSPELT[key])
    if draw(st.booleans()):
        body = "{" + ", ".join(f'"{key}": {value}' for key, value in entries) + "}"
    else:
        body = "{\n" + ",\n".join(f'  "{key}": {value}' for key, value in entries) + "\n}"
    return body + draw(st.sampled_from(["\n", ""])), config


def marks(text: str) -> dict[str, list[tuple[int, int]]]:
    """For each top-level key, the (start, end) character offsets of its key's text and of its
    value's text, as PyYAML's parser events mark them (an alias is marked where it is written;
    a collection by its start alone, end -1)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events = iter(yaml.parse(text, Loader=yaml.SafeLoader))
    for event in events:
        if isinstance(event, yaml.MappingStartEvent):
            break
    else:
        return spans
    for event in events:
        if isinstance(event, yaml.MappingEndEvent):
            break
        found = [(event.start_mark.index, event.end_mark.index)]
        key = event.value if isinstance(event, yaml.ScalarEvent) else None
        _skip(events, event)
        value = next(events)
        found += _value_spans(text, value)
        _skip(events, value)
        if key is not None:
            spans.setdefault(key, []).extend(found)
    return spans


def _skip(events, event) -> None:
    """Past the end of a collection that `event` starts."""
    depth = 1 if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) else 0
    while depth:
        event = next(events)
        depth += isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) - isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent))


def _value_spans(text: str, event) -> list[tuple[int, int]]:
    """A value's text. A block scalar's PyYAML end mark runs past its content's last line break
    (and any kept blank lines): its text ends with the content's last line, and starts at the
    indicator or at the content (either is the value's own text)."""
    start, end = event.start_mark.index, event.end_mark.index
    if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None:
        # PyYAML's mark starts at `&anchor` / `!tag`; the value's own text starts after them.
        properties = re.compile(r"(?:[&!][^\s,\[\]{}]*[ \t]*)+").match(text, start)
        start = properties.end() if properties else start
    if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        return [(start, -1)]
    if not (isinstance(event, yaml.ScalarEvent) and event.style in ("|", ">")):
        return [(start, end)]
    end = start + len(text[start:end].rstrip("\r\n"))
    header = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)[ ]*").match(text, start)
    return [(start, end), (header.end(), end)]


def intended(before, applied):
    """The data before with exactly the applied fixes' intents applied."""
    data = copy.deepcopy(before)
    for finding in applied:
        if finding.code == "Y001" and isinstance(data.get(finding.key), str):
            data[finding.key] = float(data[finding.key])  # a respelling: PyYAML now reads the float
        for change in finding.fix.changes:
            *parents, last = change.path
            target = data
            for part in parents:
                target = target[part]
            if change.kind == "set":
                target[last] = change.value
            elif change.kind == "rename":
                assert change.value not in target, f"renaming {last} onto {change.value}, which is there: one value is lost"
                target[change.value] = target.pop(last)
            elif change.kind == "remove":
                target.pop(last)
            else:
                assert change.kind == "drop", change.kind  # the ignored earlier duplicate: the loaded data keeps the later value
    return data


def for_pyyaml(text: str) -> str:
    """The text with each tab before a comment read as a space: YAML 1.2 allows a tab there,
    PyYAML refuses it. One character for one, so PyYAML's offsets are the text's."""
    return re.sub(r"[ \t]+(?=# c[0-9])", lambda gap: gap.group().replace("\t", " "), text)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset, counting line breaks as YAML 1.2 and JSON do:
    LF, CR and CRLF only (U+2028, U+2029 and U+0085 inside a string break no line)."""
    before = text[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    return len(breaks) + 1, offset - (breaks[-1].end() if breaks else 0) + 1


def check_fix(text: str, config: Config, filename: str, load) -> None:
    outcome = cfglint.fix(text=text, filename=filename, unsafe=True)
    fixed = outcome.fixed_text
    after = load(for_pyyaml(fixed))  # parses with the independent parser
    assert after == intended(load(for_pyyaml(text)), outcome.applied)
    assert {f.key for f in outcome.applied} <= config.mutated, [(f.code, f.key) for f in outcome.applied]
    assert re.findall(r"# c\d+[^\r\n]*", fixed) == config.comments
    assert fixed.endswith(("\n", "\r")) == text.endswith(("\n", "\r")), "the final line break"
    assert ("\r\n" in fixed) == ("\r\n" in text)
    assert not [f.code for f in outcome.remaining if f.fix and str(f.fix.applicability) == "safe"]
    for comment in config.tabbed:
        assert "\t" + comment in fixed or "\t " + comment in fixed, comment
    where = marks(for_pyyaml(text))
    for finding in cfglint.check(text=text, filename=filename):
        if finding.key in where:
            span = finding.span
            assert (span.offset, span.end_offset) in where[finding.key] or (span.offset, -1) in where[finding.key], (
                finding.code,
                finding.key,
                finding.span,
                where[finding.key],
            )
            assert (span.line, span.column) == line_column(text, span.offset), (finding.code, finding.key, span)
            assert (span.end_line, span.end_column) == line_column(text, span.end_offset), (finding.code, finding.key, span)
    assert not cfglint.fix(text=fixed, filename=filename, unsafe=True).changed


@PROPERTY
@given(yaml_configs())
def test_fixing_yaml_changes_only_what_the_fixes_intend(example):
    text, config = example
    check_fix(text, config, "run.yaml", yaml.safe_load)


@PROPERTY
@given(json_configs())
def test_fixing_json_changes_only_what_the_fixes_intend(example):
    text, config = example
    check_fix(text, config, "run.json", json.loads)
