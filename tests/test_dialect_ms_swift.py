"""The ms-swift dialect: config files become command-line flags (every value through float()),
the Hugging Face keys of `swift sft` and the Megatron-SWIFT keys of `megatron sft`; on configs
written for these tests."""

from cfglint.engine import analyse
from cfglint.settings import Settings
from cfglint.source import load_document
from helpers import lint, positions


def read(text, name="c.yaml"):
    analysis = analyse(load_document(name, text.encode()), Settings())
    assert analysis.detection is not None, "no dialect detected"
    return analysis.detection.dialect.name, analysis.plan


SFT = """\
model: Qwen/Qwen2.5-7B-Instruct
tuner_type: lora
lora_rank: 8
target_modules: all-linear
dataset:
  - 'AI-ModelScope/alpaca-gpt4-data-en#500'
split_dataset_ratio: 0.01
max_length: 2048
num_train_epochs: 1
per_device_train_batch_size: 1
learning_rate: 1e-4
gradient_accumulation_steps: 16
eval_steps: 50
save_steps: "50"
warmup_ratio: 0.05
output_dir: output
"""


def test_a_swift_sft_config_is_read_as_command_line_flags():
    name, plan = read(SFT)
    assert name == "ms-swift"
    assert (plan.get("learning_rate").value, plan.get("epochs").value, plan.get("seq_len").value) == (1e-4, 1, 2048)
    assert (plan.get("gradient_accumulation_steps").value, plan.get("save_interval").value) == (16, 50)  # "50" is --save_steps 50
    assert lint(SFT) == []  # 1e-4 is the string "1e-4" to PyYAML, then float("1e-4"): no Y001, no S002


def test_a_duplicate_key_keeps_the_last_value():
    findings = lint(SFT + "learning_rate: 2e-4\n")
    assert positions(findings) == [("D002", 17, 1)]
    assert "refuses" not in findings[0].message


GRPO = """\
rlhf_type: grpo
model: Qwen/Qwen2.5-7B-Instruct
dataset: AI-MO/NuminaMath-TIR#1000
per_device_train_batch_size: 4
gradient_accumulation_steps: 1
num_generations: 8
num_iterations: 1
learning_rate: 1e-6
num_train_epochs: 1
warmup_ratio: 0.05
max_steps: 40
save_steps: 100
temperature: 1.0
"""


def test_grpo_inner_iterations_are_not_the_run_length():
    name, plan = read(GRPO)
    assert name == "ms-swift"
    assert plan.get("max_steps").value == 40 and plan.get("temperature") is None
    # num_iterations is GRPO's updates per batch, not a run of 1 iteration (warmup 0.05 x 40 is fine)
    assert positions(lint(GRPO)) == [("T010", 12, 13)]


MEGATRON = """\
model: Qwen/Qwen3-8B
tuner_type: full
dataset: swift/self-cognition#1000
split_dataset_ratio: 0.01
micro_batch_size: 2
global_batch_size: 16
train_iters: 100
lr: 1e-5
min_lr: 1e-5
lr_warmup_iters: 200
optimizer: adam
weight_decay: 0.1
clip_grad: 1.0
save_steps: 50
max_length: 4096
"""


def test_megatron_keys_are_read_and_min_lr_equal_to_lr_is_a_constant_rate():
    name, plan = read(MEGATRON)
    assert name == "ms-swift"
    assert (plan.get("learning_rate").value, plan.get("max_steps").value, plan.get("warmup_steps").value) == (1e-5, 100, 200)
    assert (plan.get("batch_size").value, plan.get("global_batch_size").value, plan.get("clip_grad_norm").value) == (2, 16, 1.0)
    assert plan.get("min_lr") is None
    assert plan.get("optimizer").value == "adamw"  # Megatron-Core's adam decouples weight decay: no O001
    assert positions(lint(MEGATRON)) == [("T001", 10, 18)]


def test_megatron_epochs_override_train_iters_and_a_floor_above_the_rate_is_reported():
    text = MEGATRON.replace("train_iters: 100\n", "train_iters: 100\nnum_train_epochs: 2\n").replace("min_lr: 1e-5", "min_lr: 1e-4")
    _, plan = read(text)
    assert plan.get("max_steps") is None and plan.get("epochs").value == 2
    assert positions(lint(text)) == [("T007", 10, 9)]


def test_hugging_face_recipes_stay_huggingface():
    hf = "model_name_or_path: gpt2\nper_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\ndataset_num_proc: 12\n"
    assert read(hf)[0] == "huggingface"
