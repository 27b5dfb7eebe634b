"""The DistillKit dialect: `training_args` read as Hugging Face keys under PyYAML, and
`loss_functions` as relative loss weights and a distillation temperature; on configs written for
these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text, name="c.yaml"):
    doc = load_document(name, text.encode())
    detection, _ = detect(doc)
    assert detection is not None, "no dialect detected"
    return detection.dialect.name, build_plan(doc, detection.dialect)


RUN = """\
project_name: distill-small
model: Qwen/Qwen2.5-0.5B
output_path: ./out
sequence_length: 4096
dataset:
  train_dataset:
    repo_id: HuggingFaceH4/ultrachat_200k
    split: train_sft
teacher:
  kind: hf
  path: Qwen/Qwen2.5-7B
loss_functions:
  - function: cross_entropy
    weight: 1
  - function: kl
    weight: 3
    temperature: 2.0
training_args:
  num_train_epochs: 1
  per_device_train_batch_size: 2
  gradient_accumulation_steps: 4
  learning_rate: 5.0e-6
  lr_scheduler_type: cosine
  warmup_ratio: 0.05
  max_length: 2048
  bf16: true
"""


def test_a_run_config_reads_training_args_and_loss_functions():
    name, plan = read(RUN)
    assert name == "distillkit"
    assert (plan.get("learning_rate").value, plan.get("gradient_accumulation_steps").value, plan.get("warmup_ratio").value) == (5e-6, 4, 0.05)
    assert plan.get("seq_len").value == 2048 and plan.get("seq_len").key == "training_args.max_length"  # overrides sequence_length
    assert {name: s.value for name, s in plan.loss_weights.items()} == {"cross_entropy": 1, "kl": 3}
    assert plan.get("temperature").value == 2.0 and plan.get("temperature").key == "loss_functions[1].temperature"
    assert lint(RUN) == []  # weights 1 and 3 are relative (divided by their sum): no L001


def test_a_training_args_float_pyyaml_reads_as_a_string():
    text = RUN.replace("learning_rate: 5.0e-6", "learning_rate: 5e-6")
    assert positions(lint(text)) == [("Y001", 22, 18)]


def test_a_low_temperature_and_a_negative_weight():
    text = RUN.replace("temperature: 2.0", "temperature: 0.5").replace("weight: 1\n", "weight: -1\n")
    assert positions(lint(text)) == [("L002", 14, 13), ("K001", 17, 18)]


def test_the_temperature_of_a_term_without_one_is_not_read():
    text = RUN.replace("  - function: kl\n    weight: 3\n    temperature: 2.0\n", "  - function: hs_cosine\n    weight: 3\n    temperature: 0.1\n")
    assert read(text)[1].get("temperature") is None
    assert lint(text) == []


def test_warmup_longer_than_max_steps():
    text = RUN.replace("  warmup_ratio: 0.05\n", "  warmup_steps: 500\n  max_steps: 200\n")
    assert positions(lint(text)) == [("T001", 24, 17)]


def test_seed_distillation_json_stays_distillation():
    seed = '{"alpha_kd": 0.7, "alpha_ce": 0.3, "temperature": 2.0, "kd_top_k": 256, "learning_rate": 0.0001}'
    assert read(seed, "kd.json")[0] == "distillation"
