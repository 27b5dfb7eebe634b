"""torchtitan TOML job configs: detection, the keys torchtitan reads, and what it refuses."""

import cfglint
from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions

BASE = """\
[job]
dump_folder = "./outputs"

[model]
name = "llama3"
flavor = "8B"

[optimizer]
name = "AdamW"
lr = 3e-4
eps = 1e-8

[lr_scheduler]
warmup_steps = 200  # warm up
%(scheduler)s
[training]
local_batch_size = 1
seq_len = 8192
steps = 1000
%(training)s
[parallelism]
data_parallel_shard_degree = -1

[checkpoint]
enable = %(checkpoint)s
interval = 5000

[validation]
enable = true
freq = 5000
steps = 1200

[activation_checkpoint]
mode = "selective"
"""


def config(scheduler="", training="", checkpoint="false"):
    return BASE % {"scheduler": scheduler, "training": training, "checkpoint": checkpoint}


def read(text, name="llama3_8b.toml"):
    doc = load_document(name, text.encode())
    detection, _ = detect(doc)
    assert detection is not None
    plan = build_plan(doc, detection.dialect)
    return detection.dialect.name, {field: setting.value for field, setting in plan.settings.items()}


def test_detected_and_read_in_optimizer_steps():
    name, values = read(config())
    assert name == "torchtitan"
    assert values == {
        "max_steps": 1000, "batch_size": 1, "seq_len": 8192, "optimizer": "AdamW", "learning_rate": 3e-4,
        "eps": 1e-8, "warmup_steps": 200,
    }


def test_a_clean_config_is_quiet():
    # traps: checkpoint.interval past the run with checkpointing off; validation.freq (torchtitan
    # also validates at step 1) and validation.steps (validation batches, not training steps)
    assert lint(config(), "llama3_8b.toml") == []


def test_decay_ratio_is_a_share_of_all_steps():
    _, values = read(config("decay_ratio = 0.5\nmin_lr_factor = 0.1\n"))
    assert (values["decay_steps"], values["hold_steps"]) == (500, 300)
    assert abs(values["min_lr"] - 3e-5) < 1e-12
    # warmup + decay past the run: torchtitan shortens the decay, so the phases are not read
    _, values = read(config("decay_ratio = 0.9\n"))
    assert "decay_steps" not in values and "hold_steps" not in values


def test_warmup_longer_than_the_run():
    text = config().replace("warmup_steps = 200  # warm up", "warmup_steps = 2000  # warm up")
    assert positions(lint(text, "llama3_8b.toml")) == [("T001", 14, 16)]


def test_save_interval_counts_only_when_checkpointing_is_on():
    assert positions(lint(config(checkpoint="true"), "llama3_8b.toml")) == [("T010", 26, 12)]


def test_unknown_key_in_a_block_stops_the_run():
    findings = lint(config(training="max_nrom = 1.0\n"), "llama3_8b.toml")
    assert positions(findings) == [("S005", 20, 1)]
    assert "did you mean 'max_norm'" in findings[0].message
    fixed = cfglint.fix(text=config(training="max_nrom = 1.0\n"), filename="llama3_8b.toml", unsafe=True).fixed_text
    assert "\nmax_norm = 1.0\n" in fixed and "max_nrom" not in fixed


def test_blocks_of_custom_config_modules_are_not_checked():
    # a block of its own (the transformers backend's module is given on the command line)
    assert lint(config() + '\n[hf_transformers]\nmodel = "Qwen/Qwen3-0.6B"\n', "c.toml") == []
    # a module named in the file: its keys may extend any block
    text = config(training="classifier_free_guidance_prob = 0.1\n").replace('dump_folder = "./outputs"', 'dump_folder = "./outputs"\ncustom_config_module = "torchtitan.models.flux.job_config"')
    assert read(text)[0] == "torchtitan-custom"
    assert lint(text, "flux.toml") == []


def test_v0_1_spellings_are_read_without_key_checks():
    text = config("lr_min = 0.1\n").replace("enable = false", "enable_checkpoint = false")
    name, values = read(text)
    assert name == "torchtitan-v0.1"
    assert abs(values["min_lr"] - 3e-5) < 1e-12  # lr_min is a factor of lr, not a rate: no T007
    assert lint(text, "c.toml") == []


def test_a_key_written_twice_does_not_load():
    findings = lint(config(training="steps = 2000\n"), "c.toml")
    assert positions(findings) == [("D001", 20, 1)]


def test_yaml_with_the_same_keys_is_not_claimed_by_weak_evidence():
    doc = load_document("c.yaml", b"model:\n  flavor: 8B\ntraining:\n  local_batch_size: 4\n")
    assert detect(doc)[0] is None
