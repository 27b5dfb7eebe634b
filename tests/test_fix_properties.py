"""Property test of the fix funnel on generated configs with comments and mixed styles.

Each example writes a forecasting config whose values are mutated in ways some rule fixes: a
number quoted, a float spelt `5e-4`, a key written twice. Whatever the mix, fixing must give a
file that parses, keeps every comment, no longer has a safe fix to apply, and does not change
when fixed again.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

import cfglint
from cfglint.source import load_document

KEYS = ["learning_rate", "min_lr", "weight_decay", "dropout", "clip_grad_norm", "d_model", "n_heads", "batch_size"]
NUMBERS = {"learning_rate": "0.001", "min_lr": "1.0e-6", "weight_decay": "0.0001", "dropout": "0.1", "clip_grad_norm": "1.0", "d_model": "512", "n_heads": "8", "batch_size": "32"}
SPELLINGS = {"learning_rate": "1e-3", "min_lr": "1e-6", "weight_decay": "1e-4"}


@st.composite
def configs(draw):
    lines = ["# forecasting run", "seq_len: 96", "label_len: 48", "pred_len: 24"]
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True, min_size=1, max_size=len(KEYS))):
        mutation = draw(st.sampled_from(["plain", "double", "single", "yaml12", "duplicate"]))
        value = NUMBERS[key]
        if mutation == "double":
            value = f'"{value}"'
        elif mutation == "single":
            value = f"'{value}'"
        elif mutation == "yaml12" and key in SPELLINGS:
            value = SPELLINGS[key]
        comment = draw(st.sampled_from(["", "  # note", "      # aligned", " #x"]))
        if mutation == "duplicate":
            lines.append(f"{key}: {value}")
        lines.append(f"{key}: {value}{comment}")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["# a line comment", "", "   # indented comment"])))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline


def comments(text):
    return [c for _, c in load_document("c.yaml", text.encode()).comments()]


@settings(max_examples=150, deadline=None)
@given(configs())
def test_fixing_keeps_the_guarantees(text):
    outcome = cfglint.fix(text, filename="run.yaml")
    fixed = outcome.fixed_text
    assert not load_document("run.yaml", fixed.encode()).problems
    assert comments(fixed) == comments(text)
    assert not any(f.fix and str(f.fix.applicability) == "safe" for f in outcome.remaining)
    assert not cfglint.fix(fixed, filename="run.yaml").changed
    assert ("\r\n" in fixed) == ("\r\n" in text)
