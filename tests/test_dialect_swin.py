"""The Swin Transformer dialect (yacs): detection, the keys yacs refuses, its type check and the
per-stage attention widths, on small configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text):
    doc = load_document("c.yaml", text.encode())
    detection, _ = detect(doc)
    return (detection.dialect.name if detection else None), (build_plan(doc, detection.dialect) if detection else None)


TINY = """\
MODEL:
  TYPE: swin
  NAME: tiny
  DROP_PATH_RATE: 0.2
  SWIN:
    EMBED_DIM: 96
    DEPTHS: [2, 2, 6, 2]
    NUM_HEADS: [3, 6, 12, 24]
TRAIN:
  EPOCHS: 30
  WARMUP_EPOCHS: 5
  BASE_LR: 5e-4
  MIN_LR: "5e-6"
  CLIP_GRAD: 0.0
  WEIGHT_DECAY: 1e-8
  OPTIMIZER:
    NAME: fused_adam
DATA:
  BATCH_SIZE: 64
"""


def test_a_swin_config_is_read_in_epochs_and_its_scaled_rates_stay_unknown():
    name, plan = read(TINY)
    assert name == "swin"
    assert (plan.get("epochs").value, plan.get("warmup_epochs").value, plan.get("batch_size").value) == (30, 5, 64)
    assert (plan.get("d_model").value, plan.get("n_heads").value) == (96, 3)
    # BASE_LR and MIN_LR are scaled by batch x GPUs / 512 in main.py; fused_adam is AdamW-mode apex.
    assert plan.get("learning_rate") is None and plan.get("min_lr") is None and plan.get("optimizer") is None
    # A quoted number is a number to yacs, 5e-4 a float, CLIP_GRAD: 0.0 and DROP_PATH_RATE left alone.
    assert positions(lint(TINY)) == []


def test_a_key_swin_does_not_define_is_refused():
    text = TINY.replace("  WEIGHT_DECAY: 1e-8\n", "  WEIGHT_DECAYS: 1e-8\n").replace("    WINDOW_SIZE", "    WINDOW_SIZE")
    text = text.replace("    NUM_HEADS: [3, 6, 12, 24]\n", "    NUM_HEADS: [3, 6, 12, 24]\n    WINDOWSIZE: 7\n")
    findings = lint(text)
    assert positions(findings) == [("S005", 9, 5), ("S005", 16, 3)]
    assert "did you mean 'WINDOW_SIZE'" in findings[0].message
    assert "did you mean 'WEIGHT_DECAY'" in findings[1].message


def test_a_value_of_another_type_than_the_default_is_refused():
    text = TINY.replace("WARMUP_EPOCHS: 5", "WARMUP_EPOCHS: 2.5").replace("WEIGHT_DECAY: 1e-8", "WEIGHT_DECAY: 0")
    findings = [f for f in lint(text) if f.code == "S002"]
    assert positions(findings) == [("S002", 11, 18), ("S002", 15, 17)]
    assert "Type mismatch" in findings[0].message


def test_yacs_literal_evals_strings_and_pyyaml_reads_yes_as_a_boolean():
    text = TINY + "TEST:\n  CROP: yes\n  SHUFFLE: 'False'\nSEED: '7'\nTAG: 12\n"
    assert positions(lint(text)) == []


def test_heads_that_do_not_divide_a_later_stage_width():
    text = TINY.replace("NUM_HEADS: [3, 6, 12, 24]", "NUM_HEADS: [3, 5, 12, 24]")
    _, plan = read(text)
    assert (plan.get("d_model").value, plan.get("n_heads").value, plan.get("d_model").key) == (192, 5, "MODEL.SWIN.EMBED_DIM x 2 (stage 2 width)")
    assert positions(lint(text)) == [("M002", 8, 20)]


def test_warmup_as_long_as_training_in_epochs():
    text = TINY.replace("WARMUP_EPOCHS: 5", "WARMUP_EPOCHS: 30")
    assert positions(lint(text)) == [("T001", 11, 18)]


def test_detectron2_configs_with_a_swin_backbone_stay_detectron2():
    text = "_BASE_: base.yaml\nMODEL:\n  SWIN:\n    EMBED_DIM: 96\n    OUT_FEATURES: [res2]\nSOLVER:\n  BASE_LR: 0.0001\n"
    assert read(text)[0] == "detectron2"
    assert [f.code for f in lint(text)] == []


def test_upper_case_blocks_without_a_swin_architecture_block_are_not_swin():
    assert read("MODEL:\n  ARCH: resnet\nTRAIN:\n  EPOCHS: 10\n  WARMUP_EPOCHS: 1\n  BASE_LR: 0.1\n")[0] != "swin"


def test_a_config_keeping_the_default_architecture_is_swin_by_its_train_keys():
    text = "MODEL:\n  TYPE: swin\n  NAME: tiny\nTRAIN:\n  EPOCHS: 300\n  WARMUP_EPOCHS: 20\n  BASE_LR: 0.001\n  WEIGHT_DECAYS: 0.05\n"
    assert read(text)[0] == "swin"
    assert positions(lint(text)) == [("S005", 8, 3)]
    assert read("MODEL:\n  TYPE: resnet\nTRAIN:\n  BASE_LR: 0.1\n")[0] is None
