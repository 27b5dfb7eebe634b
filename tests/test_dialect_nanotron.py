"""nanotron: detection, the schedule in phases (warmup, constant phase, decay counted from its
start) and the keys dacite refuses in strict mode, on small configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.schedule import step_plan
from cfglint.source import load_document
from helpers import lint, positions

NANOTRON = """\
general:
  project: tests
  seed: 42
parallelism:
  dp: 2
  pp: 1
  tp: 1
  pp_engine: 1f1b
tokens:
  train_steps: 10000
  micro_batch_size: 4
  batch_accumulation_per_replica: 8
  sequence_length: 2048
checkpoints:
  checkpoints_path: checkpoints
  checkpoint_interval: 1000
optimizer:
  weight_decay: 0.1
  clip_grad: 1.0
  zero_stage: 0
  accumulate_grad_in_fp32: true
  optimizer_factory:
    name: adamW
    adam_beta1: 0.9
    adam_beta2: 0.95
    adam_eps: 1.0e-08
    torch_adam_is_fused: true
  learning_rate_scheduler:
    learning_rate: 0.0003
    lr_warmup_steps: 500
    lr_warmup_style: linear
    lr_decay_style: cosine
    lr_decay_steps: DECAY
    min_decay_lr: 0.00003
"""


def nanotron(decay=9500, extra=""):
    return NANOTRON.replace("DECAY", str(decay)) + extra


def analysed(text):
    doc = load_document("nanotron.yaml", text.encode())
    detection, tied = detect(doc)
    assert detection is not None, tied
    plan = build_plan(doc, detection.dialect)
    return detection.dialect.name, plan, step_plan(plan, detection.dialect.rounding)


def test_detected_and_read():
    name, plan, steps = analysed(nanotron())
    assert name == "nanotron"
    values = {f: plan.get(f).value for f in ("learning_rate", "min_lr", "max_steps", "warmup_steps", "decay_steps", "gradient_accumulation_steps", "batch_size", "clip_grad_norm", "save_interval")}
    assert values == {
        "learning_rate": 0.0003, "min_lr": 0.00003, "max_steps": 10000, "warmup_steps": 500, "decay_steps": 9500,
        "gradient_accumulation_steps": 8, "batch_size": 4, "clip_grad_norm": 1.0, "save_interval": 1000,
    }
    assert (steps.total_steps.value, steps.warmup_steps.value) == (10000, 500)
    assert lint(nanotron()) == []


def test_decay_far_shorter_than_the_run():
    findings = lint(nanotron(decay=1500))
    assert positions(findings) == [("T011", 33, 21)]
    assert "ends at step 2,000 (500 warmup + 1,500 decay = 2,000 steps)" in findings[0].message


def test_decay_starting_step_is_a_constant_phase():
    # 500 warmup, flat until step 4,000, then 6,000 decay steps: exactly the run
    text = nanotron(decay=6000).replace("    min_decay_lr:", "    lr_decay_starting_step: 4000\n    min_decay_lr:")
    _, plan, _ = analysed(text)
    assert plan.get("hold_steps").value == 3500
    assert lint(text) == []
    assert [f.code for f in lint(nanotron(decay=9500).replace("    min_decay_lr:", "    lr_decay_starting_step: 4000\n    min_decay_lr:"))] == ["T011"]


def test_a_flat_warmup_is_no_warmup():
    text = nanotron().replace("lr_warmup_style: linear", "lr_warmup_style: constant")
    _, plan, _ = analysed(text)
    assert plan.get("warmup_steps") is None and plan.get("hold_steps").value == 500
    assert lint(text) == []


def test_decay_starting_inside_the_warmup_is_not_judged():
    text = nanotron(decay=100).replace("    min_decay_lr:", "    lr_decay_starting_step: 200\n    min_decay_lr:")
    _, plan, _ = analysed(text)
    assert plan.get("decay_steps") is None
    assert lint(text) == []


def test_keys_dacite_refuses():
    text = nanotron().replace("    adam_eps: 1.0e-08\n", "").replace("  weight_decay: 0.1\n", "  weight_decay: 0.1\n  adam_eps: 1.0e-08\n")
    text = text.replace("  micro_batch_size: 4", "  micro_batch_sise: 4")
    findings = lint(text)
    assert positions(findings) == [("S005", 11, 3), ("S005", 19, 3)]
    assert "did you mean 'micro_batch_size'?" in findings[0].message
    # a block of the project's own (a Config subclass) at the top level is not judged
    assert lint(nanotron(extra="doremi:\n  domain_names: a, b\n")) == []


def test_pyyaml_reads_an_exponent_without_a_dot_as_a_string():
    findings = lint(nanotron().replace("min_decay_lr: 0.00003", "min_decay_lr: 3e-5"))
    assert positions(findings) == [("Y001", 34, 19)]
