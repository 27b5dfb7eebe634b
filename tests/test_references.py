"""The DeepSpeed config a TrainingArguments YAML names, read with it (R001, R002, -v, the cache)."""

import json
import os
import shutil

import pytest
from click.testing import CliRunner

import cfglint
from cfglint import rules
from cfglint.api import CheckOptions, Checker
from cfglint.cli import main

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "references")
HEADER = "Please correct the following DeepSpeed config values that mismatch TrainingArguments values"


@pytest.fixture
def pair(tmp_path, monkeypatch):
    """The all-"auto" pair copied into a fresh folder, which is the working folder."""
    for name in ("train.yaml", "ds_config.json"):
        shutil.copy(os.path.join(FIXTURES, name), tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def findings(path="train.yaml", **options):
    return cfglint.check(path, options=CheckOptions(isolated=True, **options))


def set_ds(folder, key, value):
    """Write `value` (JSON text) for the "auto" of `key` (a dotted path's last key, found once)
    and return its (line, column)."""
    path = folder / "ds_config.json"
    lines = path.read_text().splitlines()
    matches = [i for i, line in enumerate(lines) if f'"{key.rsplit(".", 1)[-1]}": "auto"' in line and (key != "fp16.enabled" or '"fp16"' in line) and (key != "bf16.enabled" or '"bf16"' in line) and (key != "amp.enabled" or '"amp"' in line)]
    (index,) = matches
    column = lines[index].index('"auto"') + 1
    lines[index] = lines[index].replace('"auto"', value, 1)
    path.write_text("\n".join(lines) + "\n")
    return index + 1, column


def set_yaml(folder, key, value):
    path = folder / "train.yaml"
    text = path.read_text()
    lines = [line for line in text.splitlines() if not line.startswith(f"{key}:")]
    path.write_text("\n".join(lines + ([f"{key}: {value}"] if value is not None else [])) + "\n")


def test_the_rules_are_registered_in_the_r_group():
    assert rules.get("R001").name == "referenced-file-unreadable"
    assert rules.get("R002").name == "deepspeed-trainer-mismatch"
    assert "R referenced files" in rules.__doc__


def test_an_all_auto_pair_stays_quiet(pair):
    assert findings() == []
    result = run("check", "--isolated", "--no-cache", "train.yaml")
    assert (result.exit_code, result.output) == (0, "All checks passed (1 file checked).\n")


# (DeepSpeed key, the explicit value written, the message's HF line, the related keys (file, line, column))
CASES = [
    ("train_micro_batch_size_per_gpu", "16", "- ds train_micro_batch_size_per_gpu=16 vs hf per_device_train_batch_size=4", [("per_device_train_batch_size", 3, 30)]),
    ("gradient_accumulation_steps", "4", "- ds gradient_accumulation_steps=4 vs hf gradient_accumulation_steps=2", [("gradient_accumulation_steps", 4, 30)]),
    ("train_batch_size", "12", "- ds train_batch_size=12 vs hf train_batch_size (calculated)=8 x the world size", [("per_device_train_batch_size", 3, 30), ("gradient_accumulation_steps", 4, 30)]),
    ("gradient_clipping", "1.0", "- ds gradient_clipping=1.0 vs hf max_grad_norm=0.5", [("max_grad_norm", 9, 16)]),
    ("optimizer.params.lr", "1e-4", "- ds optimizer.params.lr=0.0001 vs hf learning_rate=2e-05", [("learning_rate", 7, 16)]),
    ("optimizer.params.betas", "[0.9, 0.95]", "- ds optimizer.params.betas=[0.9, 0.95] vs hf adam_beta1+adam_beta2=[0.9, 0.999]", [("deepspeed", 13, 12)]),
    ("optimizer.params.eps", "1e-6", "- ds optimizer.params.eps=1e-06 vs hf adam_epsilon=1e-08", [("deepspeed", 13, 12)]),
    ("optimizer.params.weight_decay", "0.0", "- ds optimizer.params.weight_decay=0.0 vs hf weight_decay=0.01", [("weight_decay", 8, 15)]),
    ("scheduler.params.warmup_max_lr", "3e-5", "- ds scheduler.params.warmup_max_lr=3e-05 vs hf learning_rate=2e-05", [("learning_rate", 7, 16)]),
    ("scheduler.params.warmup_num_steps", "100", "- ds scheduler.params.warmup_num_steps=100 vs hf warmup_steps=50", [("warmup_steps", 10, 15)]),
    ("scheduler.params.total_num_steps", "2000", "- ds scheduler.params.total_num_steps=2000 vs hf num_training_steps (calculated)=1000", [("max_steps", 6, 12)]),
    ("fp16.enabled", "true", "- ds fp16.enabled=True vs hf fp16|fp16_full_eval+fp16_backend(amp)=False", [("deepspeed", 13, 12)]),
    ("bf16.enabled", "false", "- ds bf16.enabled=False vs hf bf16|bf16_full_eval=True", [("bf16", 12, 7)]),
    ("amp.enabled", "true", "- ds amp.enabled=True vs hf fp16+fp16_backend(apex)=False", [("deepspeed", 13, 12)]),
]


@pytest.mark.parametrize("ds_key, value, hf_line, related", CASES, ids=[case[0] for case in CASES])
def test_each_disagreement_is_an_error_at_the_deepspeed_value(pair, ds_key, value, hf_line, related):
    line, column = set_ds(pair, ds_key, value)
    (finding,) = findings()
    assert (finding.file, finding.span.line, finding.span.column, finding.code, finding.severity) == ("ds_config.json", line, column, "R002", cfglint.Severity.ERROR)
    assert finding.span.end_column == column + len(value)
    assert finding.key == ds_key
    assert f'("{HEADER}: {hf_line}")' in finding.message
    assert 'write "auto" there' in finding.message
    assert [(r.key, r.span.line, r.span.column, r.file) for r in finding.related] == [(key, rl, rc, "train.yaml") for key, rl, rc in related]


def test_the_message_names_both_values_and_both_keys(pair):
    set_ds(pair, "train_micro_batch_size_per_gpu", "16")
    (finding,) = findings()
    assert finding.message.startswith("train_micro_batch_size_per_gpu is 16 in the DeepSpeed config, but HF fills it with 4 from per_device_train_batch_size (4): ")
    set_yaml(pair, "per_device_train_batch_size", None)
    (finding,) = findings()
    assert "HF fills it with 8 from per_device_train_batch_size (8, TrainingArguments' default): " in finding.message
    assert [(r.key, r.span.line) for r in finding.related] == [("deepspeed", 12)]


def test_a_train_batch_size_that_some_world_size_reaches_is_not_judged(pair):
    set_ds(pair, "train_batch_size", "16")  # 2 processes x 4 x 2
    assert findings() == []


def test_equal_explicit_values_pass(pair):
    set_ds(pair, "train_micro_batch_size_per_gpu", "4")
    set_ds(pair, "gradient_clipping", "0.5")
    set_ds(pair, "optimizer.params.betas", "[0.9, 0.999]")
    set_ds(pair, "bf16.enabled", "true")
    set_ds(pair, "scheduler.params.total_num_steps", "1000")
    assert findings() == []


def test_auto_find_batch_size_leaves_the_batch_uncompared(pair):
    set_ds(pair, "train_micro_batch_size_per_gpu", "16")
    set_yaml(pair, "auto_find_batch_size", "true")
    assert findings() == []


def test_defaults_trl_changes_are_unknown_under_huggingface_but_known_under_llama_factory(pair):
    set_yaml(pair, "learning_rate", None)
    set_ds(pair, "optimizer.params.lr", "1e-4")
    assert findings() == []  # SFTConfig and the other TRL configs have their own default
    (finding,) = findings(family="llama-factory")  # LLaMA-Factory's TrainingArguments keep transformers' 5e-5
    assert "- ds optimizer.params.lr=0.0001 vs hf learning_rate=5e-05" in finding.message


def test_warmup_from_a_ratio_needs_the_run_length(pair):
    set_yaml(pair, "warmup_steps", None)
    set_yaml(pair, "warmup_ratio", "0.1")
    line, column = set_ds(pair, "scheduler.params.warmup_num_steps", "50")
    (finding,) = findings()
    assert (finding.span.line, finding.span.column) == (line, column)
    assert "vs hf warmup_steps=100" in finding.message  # ceil(1000 x 0.1)
    set_yaml(pair, "max_steps", None)  # the run's length is num_train_epochs over the data: unknown
    assert findings() == []


def test_json_output_carries_the_deepspeed_file_and_the_yaml_key_with_its_file(pair):
    set_ds(pair, "gradient_clipping", "1.0")
    result = run("check", "--isolated", "--no-cache", "--format", "json", "train.yaml")
    assert result.exit_code == 1
    (finding,) = json.loads(result.output)["findings"]
    assert (finding["file"], finding["line"], finding["column"], finding["code"], finding["key"]) == ("ds_config.json", 5, 24, "R002", "gradient_clipping")
    assert finding["related"] == [{"file": "train.yaml", "key": "max_grad_norm", "line": 9, "column": 16}]
    assert finding["fix"] is None


def test_a_missing_file_is_a_warning_at_the_key_saying_where_cfglint_looked(pair):
    os.remove("ds_config.json")
    (finding,) = findings()
    assert (finding.file, finding.span.line, finding.span.column, finding.span.end_column, finding.code, finding.severity) == ("train.yaml", 13, 12, 26, "R001", cfglint.Severity.WARNING)
    assert finding.message.startswith("deepspeed names 'ds_config.json', which is in none of the places cfglint looked: ds_config.json (beside the config)")
    assert "it may exist on the launch machine" in finding.message
    result = run("check", "--isolated", "--no-cache", "train.yaml")
    assert result.exit_code == 1
    assert result.output.startswith("train.yaml:13:12: R001 [warning] deepspeed names 'ds_config.json'")


def test_a_relative_path_is_found_from_the_working_folder_and_the_work_tree(pair):
    (pair / "configs").mkdir()
    shutil.move("train.yaml", "configs/train.yaml")
    set_ds(pair, "gradient_clipping", "1.0")
    (finding,) = findings("configs/train.yaml")  # HF opens it from the working folder
    assert finding.file == "ds_config.json"
    (pair / ".git").mkdir()
    (pair / "configs" / "sub").mkdir()
    os.chdir(pair / "configs" / "sub")
    (finding,) = findings("../train.yaml")  # found at the work tree's root
    assert (finding.code, finding.file) == ("R002", str(pair / "ds_config.json"))  # outside the working folder: absolute
    os.remove(pair / "ds_config.json")
    (finding,) = findings("../train.yaml")
    assert finding.code == "R001"
    assert f"{os.path.join(str(pair), 'ds_config.json')} (at the git work tree's root)" in finding.message
    assert "ds_config.json (in the working folder)" in finding.message


@pytest.mark.parametrize("value", ["${oc.env:DS_CONFIG}", "$DS_CONFIG", "'{\"zero_optimization\": {\"stage\": 2}}'"])
def test_a_path_known_only_at_launch_is_unknown_not_missing(pair, value):
    os.remove("ds_config.json")
    set_yaml(pair, "deepspeed", value)
    assert findings() == []


def test_an_inline_mapping_is_read_in_place(pair):
    os.remove("ds_config.json")
    set_yaml(pair, "deepspeed", "{train_micro_batch_size_per_gpu: 16, zero_optimization: {stage: 2}}")
    (finding,) = findings()
    assert (finding.file, finding.span.line, finding.span.column, finding.code, finding.key) == ("train.yaml", 13, 45, "R002", "deepspeed.train_micro_batch_size_per_gpu")
    assert [(r.key, r.span.line, r.file) for r in finding.related] == [("per_device_train_batch_size", 3, None)]


@pytest.mark.parametrize(
    "text, said",
    [
        ('{"zero_optimization": {"stage": 2},\n  "gradient_clipping": 1.0,\n}', "which is not valid JSON (line 2, column 27: trailing comma before '}' is not allowed in JSON)"),
        ("[1, 2]", "which holds a list, not a JSON object"),
        ('{"train_micro_batch_size_per_gpu": "auto"}', "which has no zero_optimization block: accelerate's DeepSpeedPlugin refuses it at start-up"),
    ],
)
def test_a_file_the_integration_refuses_is_a_finding_not_a_traceback(pair, text, said):
    (pair / "ds_config.json").write_text(text)
    (finding,) = findings()
    assert (finding.file, finding.span.line, finding.code) == ("train.yaml", 13, "R001")
    assert finding.message.startswith(f"deepspeed names ds_config.json, {said}")


@pytest.mark.parametrize(
    "config, line, key",
    [
        ("base_model: x\nmicro_batch_size: 2\nsequence_len: 512\ndatasets: []\ndeepspeed: deepspeed_configs/zero2.json\n", 5, "deepspeed"),
        ("compute_environment: LOCAL_MACHINE\ndistributed_type: DEEPSPEED\nnum_processes: 8\ndeepspeed_config:\n  deepspeed_config_file: ds.json\n", 5, "deepspeed_config.deepspeed_config_file"),
    ],
    ids=["axolotl", "accelerate"],
)
def test_axolotl_and_accelerate_references_are_followed(tmp_path, monkeypatch, config, line, key):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run.yaml").write_text(config)
    (finding,) = findings("run.yaml")
    assert (finding.code, finding.span.line, finding.key) == ("R001", line, key)


def test_verbose_says_what_each_auto_becomes(pair):
    result = run("check", "--isolated", "--no-cache", "-v", "train.yaml")
    assert result.exit_code == 0
    for line in [
        "train.yaml:   deepspeed: read ds_config.json (beside the config) as a DeepSpeed config",
        'train.yaml:   ds_config.json: train_micro_batch_size_per_gpu "auto" = 4 from per_device_train_batch_size (4)',
        'train.yaml:   ds_config.json: train_batch_size "auto" = the world size x 8 (per_device_train_batch_size (4) x gradient_accumulation_steps (2))',
        "train.yaml:   ds_config.json: gradient_clipping \"auto\" = 0.5 from max_grad_norm (0.5)",
        "train.yaml:   ds_config.json: optimizer.params.eps \"auto\" = 1e-08 from adam_epsilon (1e-08, TrainingArguments' default)",
        'train.yaml:   ds_config.json: scheduler.params.total_num_steps "auto" = 1000 from max_steps (1000)',
        'train.yaml:   ds_config.json: bf16.enabled "auto" = true from bf16 (true), bf16_full_eval (false, TrainingArguments\' default)',
    ]:
        assert line in result.output


def test_a_change_to_the_referenced_file_invalidates_the_cached_result(pair, monkeypatch):
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(pair / "cache"))
    assert run("check", "--isolated", "train.yaml").exit_code == 0
    set_ds(pair, "gradient_clipping", "1.0")
    first = run("check", "--isolated", "--format", "json", "train.yaml")
    assert first.exit_code == 1
    again = run("check", "--isolated", "--format", "json", "train.yaml")  # answered from the cache
    assert json.loads(again.output)["findings"] == json.loads(first.output)["findings"]
    assert json.loads(again.output)["findings"][0]["file"] == "ds_config.json"
    (pair / "ds_config.json").write_text((pair / "ds_config.json").read_text().replace('"gradient_clipping": 1.0', '"gradient_clipping": "auto"'))
    assert run("check", "--isolated", "train.yaml").exit_code == 0


def test_the_report_depends_on_every_place_the_file_was_looked_for(pair):
    report = Checker(CheckOptions(isolated=True)).check(["train.yaml"]).files[0]
    assert report.depends_on == (os.path.join(str(pair), "ds_config.json"),)
    os.remove("ds_config.json")
    report = Checker(CheckOptions(isolated=True)).check(["train.yaml"]).files[0]
    assert os.path.join(str(pair), "ds_config.json") in report.depends_on
    assert os.path.join(os.path.dirname(str(pair)), "ds_config.json") in report.depends_on  # the folder above


def test_an_empty_path_turns_deepspeed_off_and_a_folder_is_not_a_file(pair):
    set_yaml(pair, "deepspeed", "''")  # TrainingArguments: `if self.deepspeed:` is false
    assert findings() == []
    set_yaml(pair, "deepspeed", "'.'")
    (finding,) = findings()
    assert (finding.code, finding.message) == ("R001", "deepspeed names '.', which is not a regular file (.)")


ACCELERATE = "compute_environment: LOCAL_MACHINE\ndistributed_type: DEEPSPEED\nnum_processes: 8\ndeepspeed_config:\n  deepspeed_config_file: ds_config.json\n  zero_stage: 2\n  zero3_init_flag: false\n"


def test_accelerate_refuses_its_own_deepspeed_settings_beside_the_file(pair):
    (pair / "launch.yaml").write_text(ACCELERATE)
    (finding,) = findings("launch.yaml")
    assert (finding.file, finding.span.line, finding.span.column, finding.code, finding.severity, finding.key) == ("launch.yaml", 6, 3, "R003", cfglint.Severity.ERROR, "deepspeed_config.zero_stage")
    assert "(\"When using `deepspeed_config_file`, the following accelerate config variables will be ignored\")" in finding.message
    assert [(r.key, r.span.line, r.span.column) for r in finding.related] == [("deepspeed_config.deepspeed_config_file", 5, 26)]
    (pair / "launch.yaml").write_text(ACCELERATE.replace("  zero_stage: 2\n", ""))
    assert findings("launch.yaml") == []
    (pair / "launch.yaml").write_text(ACCELERATE.replace("DEEPSPEED", "MULTI_GPU"))
    assert findings("launch.yaml") == []  # deepspeed_config is not read at all
