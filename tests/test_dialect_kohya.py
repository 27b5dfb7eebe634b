"""kohya-ss sd-scripts TOML configs: sections flattened, argparse never converting the file's
values, and lr_warmup_steps as a ratio when it is a float."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions

FLAT = """\
pretrained_model_name_or_path = "/models/base.safetensors"
output_name = "my_lora"
save_model_as = "safetensors"
network_module = "networks.lora"
max_data_loader_n_workers = 4
optimizer_type = "AdamW8bit"
learning_rate = 1e-4
lr_scheduler = "cosine"
%(warmup)s
train_batch_size = 2
max_train_steps = 2000
save_every_n_steps = %(save)s
"""

SECTIONS = """\
[model_arguments]
pretrained_model_name_or_path = "/models/base.safetensors"

[saving_arguments]
save_model_as = "safetensors"
save_every_n_epochs = 1

[optimizer_arguments]
optimizer_type = "AdamW8bit"
learning_rate = 1e-4
max_grad_norm = 0.0

[training_arguments]
max_data_loader_n_workers = 4
max_train_steps = 1000
max_train_epochs = 10
gradient_accumulation_steps = 4
"""


def flat(warmup="lr_warmup_steps = 0.05", save="500"):
    return FLAT % {"warmup": warmup, "save": save}


def read(text):
    doc = load_document("lora.toml", text.encode())
    detection, _ = detect(doc)
    assert detection is not None
    plan = build_plan(doc, detection.dialect)
    return detection.dialect.name, {field: setting.value for field, setting in plan.settings.items()}


def test_detected_and_read():
    name, values = read(flat())
    assert name == "kohya"
    assert values == {
        "learning_rate": 1e-4, "scheduler": "cosine", "optimizer": "AdamW8bit", "batch_size": 2,
        "max_steps": 2000, "save_interval": 500, "warmup_ratio": 0.05,
    }
    assert lint(flat(), "lora.toml") == []


def test_sections_are_flattened_and_epochs_override_steps():
    name, values = read(SECTIONS)
    assert name == "kohya"
    # max_train_epochs overrides max_train_steps: the run's length is not in the file
    assert values == {"optimizer": "AdamW8bit", "learning_rate": 1e-4, "clip_grad_norm": 0.0, "epochs": 10, "gradient_accumulation_steps": 4}
    assert lint(SECTIONS, "lora.toml") == []


def test_a_key_in_two_sections_is_the_later_one():
    text = SECTIONS + "\n[extra]\nlearning_rate = 3e-4\n"
    assert read(text)[1]["learning_rate"] == 3e-4


def test_an_integer_warmup_counts_scheduler_steps_and_is_not_read():
    # accelerate steps the scheduler once per process: 5000 scheduler steps are 5000 / processes
    # optimizer steps, and the number of processes is not in the file
    _, values = read(flat(warmup="lr_warmup_steps = 5000"))
    assert "warmup_steps" not in values and "warmup_ratio" not in values
    assert lint(flat(warmup="lr_warmup_steps = 5000"), "lora.toml") == []


def test_a_float_warmup_is_a_ratio_even_when_whole():
    findings = lint(flat(warmup="lr_warmup_steps = 100.0"), "lora.toml")
    assert positions(findings) == [("S003", 9, 19)]
    assert "share of training steps" in findings[0].message
    assert positions(lint(flat(warmup="lr_warmup_steps = 0.5"), "lora.toml")) == [("T002", 9, 19)]


def test_a_number_written_as_text_reaches_the_optimizer_as_text():
    findings = lint(flat().replace("learning_rate = 1e-4", 'learning_rate = "1e-4"'), "lora.toml")
    assert positions(findings) == [("S002", 7, 17)]


def test_save_interval_past_the_run():
    assert positions(lint(flat(save="5000"), "lora.toml")) == [("T010", 12, 22)]


def test_a_typo_is_not_refused():
    # sd-scripts keeps keys argparse does not define and ignores them: no S005
    assert lint(flat() + "lerning_rate = 1e-3\n", "lora.toml") == []


def test_dataset_configs_are_not_claimed():
    doc = load_document("dataset.toml", b'[general]\nenable_bucket = true\n\n[[datasets]]\nresolution = 512\nbatch_size = 4\n\n  [[datasets.subsets]]\n  image_dir = "img"\n  num_repeats = 10\n')
    assert detect(doc)[0] is None
