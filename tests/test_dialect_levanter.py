"""Levanter: detection, `warmup` as a share (at most 1.0) or whole steps, draccus's decoding of
numbers written as text, and the keys draccus refuses, on small configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.schedule import step_plan
from cfglint.source import load_document
from helpers import lint, positions

LEVANTER = """\
data:
  id: some/dataset
  tokenizer: gpt2
model:
  type: llama
  hidden_dim: 768
  num_heads: 12
  num_layers: 12
  seq_len: 1024
trainer:
  tracker:
    type: wandb
    project: tests
  mp: p=f32,c=bfloat16
  model_axis_size: 1
  per_device_parallelism: -1
  train_batch_size: 256
  num_train_steps: 20000
  steps_per_eval: 500
  checkpointer:
    save_interval: 15m
optimizer:
  learning_rate: 3e-4
  weight_decay: 0.1
  min_lr_ratio: 0.1
  warmup: WARMUP
"""


def levanter(warmup="0.01"):
    return LEVANTER.replace("WARMUP", warmup)


def analysed(text):
    doc = load_document("levanter.yaml", text.encode())
    detection, tied = detect(doc)
    assert detection is not None, tied
    plan = build_plan(doc, detection.dialect)
    return detection.dialect.name, plan, step_plan(plan, detection.dialect.rounding)


def test_detected_and_read():
    name, plan, steps = analysed(levanter())
    assert name == "levanter"
    # draccus decodes `3e-4` (a string to PyYAML) with float(): the rate is read, Y001 stays quiet
    values = {f: plan.get(f).value for f in ("learning_rate", "weight_decay", "max_steps", "global_batch_size", "eval_interval", "warmup_ratio", "d_model")}
    assert values == {"learning_rate": 0.0003, "weight_decay": 0.1, "max_steps": 20000, "global_batch_size": 256, "eval_interval": 500, "warmup_ratio": 0.01, "d_model": 768}
    assert plan.get("batch_size") is None  # per_device_parallelism -1: the whole per-device share
    assert plan.get("save_interval") is None  # a time, not steps
    assert steps.warmup_steps.value == 200
    assert lint(levanter()) == []


def test_warmup_above_one_is_steps_and_one_is_the_whole_run():
    _, plan, steps = analysed(levanter("2000"))
    assert (plan.get("warmup_steps").value, steps.warmup_steps.value) == (2000, 2000)
    assert positions(lint(levanter("1"))) == [("T001", 26, 11)]
    assert positions(lint(levanter("30000"))) == [("T001", 26, 11)]


def test_warmup_within_cycles_is_not_read():
    _, plan, _ = analysed(levanter("0.5") + "  cycles: 4\n")
    assert plan.get("warmup_ratio") is None and plan.get("warmup_steps") is None


def test_a_batch_schedule_is_no_type_error():
    text = levanter().replace("  train_batch_size: 256\n", "  train_batch_size:\n    - start: 0\n      value: 64\n    - start: 1000\n      value: 256\n")
    _, plan, _ = analysed(text)
    assert plan.get("global_batch_size") is None
    assert lint(text) == []


def test_keys_draccus_refuses():
    text = levanter().replace("  steps_per_eval: 500", "  eval_every: 500").replace("  min_lr_ratio: 0.1", "  min_lr_ration: 0.1")
    findings = lint(text)
    assert positions(findings) == [("S005", 19, 3), ("S005", 25, 3)]
    assert "did you mean 'min_lr_ratio'?" in findings[1].message
    # a key of another optimizer type is accepted (the set is the union over the types), and
    # the entry point's own top-level keys are not judged
    assert lint(levanter() + "  beta1: 0.9\nhf_save_steps: 1000\n") == []


def test_a_batch_size_of_minus_one_is_per_device_times_devices():
    text = levanter().replace("train_batch_size: 256", "train_batch_size: -1").replace("per_device_parallelism: -1", "per_device_parallelism: 4")
    _, plan, _ = analysed(text)
    assert (plan.get("global_batch_size"), plan.get("batch_size").value) == (None, 4)
    assert lint(text) == []
