"""S005: a key that a framework which refuses unknown keys does not define; on configs written
for these tests (Swin's yacs defaults and gpt-neox's NeoXArgs)."""

from cfglint import fix
from helpers import lint, positions

SWIN = """\
MODEL:
  TYPE: swin
  NAME: swin_tiny_patch4_window7_224
TRAIN:
  EPOCHS: 300
  WARMUP_EPOCHS: 20
  BASE_LR: 0.001
  WEIGHT_DECAYS: 0.05
  FANCY_THING: 3
"""


def test_an_unknown_key_is_an_error_with_the_frameworks_own_suggestion():
    typo, unknown = lint(SWIN)
    assert positions([typo, unknown]) == [("S005", 8, 3), ("S005", 9, 3)]
    assert (typo.key, typo.severity.name, typo.span.end_column) == ("TRAIN.WEIGHT_DECAYS", "ERROR", 16)
    assert typo.message == (
        "'WEIGHT_DECAYS' is not a key Swin Transformer YAML (yacs) defines in TRAIN: it refuses keys it does not know, "
        "so the run stops before training; did you mean 'WEIGHT_DECAY'?"
    )
    assert unknown.message.endswith("; remove it or check the spelling")
    assert unknown.fix is None


def test_the_rename_is_unsafe_and_keeps_the_line():
    assert fix(text=SWIN).fixed_text == SWIN  # unsafe: not applied unasked
    assert fix(text=SWIN, unsafe=True).fixed_text == SWIN.replace("WEIGHT_DECAYS", "WEIGHT_DECAY")


def test_a_suggestion_follows_the_spelling_the_config_uses():
    text = '{\n  "pipe-parallel-size": 1,\n  "model-parallel-size": 1,\n  "num-layers": 12,\n  "hidden-size": 768,\n  "num-attention-heads": 12,\n  "seq-length": 2048,\n  "train-iters": 320000,\n  "lr-decay-iters": 320000,\n  "lr-decay-style": "cosine",\n  "eval-intervall": 1000\n}\n'
    (finding,) = [f for f in lint(text, "small.yml") if f.code == "S005"]
    assert (finding.span.line, finding.span.column) == (11, 3)
    assert finding.message.endswith("did you mean 'eval-interval'?")
    assert fix(text=text, unsafe=True, filename="small.yml").fixed_text.count('"eval-interval": 1000') == 1
