"""The LLaMA-Factory dialect: detection over the huggingface dialect, OmegaConf's reading of
numbers (no Y001), `cutoff_len` as the sequence length, and the `use_*` optimizers; on configs
written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text, name="c.yaml"):
    doc = load_document(name, text.encode())
    detection, _ = detect(doc)
    assert detection is not None, "no dialect detected"
    return detection.dialect.name, build_plan(doc, detection.dialect)


SFT = """\
model_name_or_path: Qwen/Qwen3-4B
trust_remote_code: true
stage: sft
do_train: true
finetuning_type: lora
lora_rank: 8
lora_target: all
dataset: identity,alpaca_en_demo
template: qwen3
cutoff_len: 2048
max_samples: 1000
output_dir: saves/qwen3-4b/lora/sft
logging_steps: 10
save_steps: 500
plot_loss: true
per_device_train_batch_size: 1
gradient_accumulation_steps: 8
learning_rate: 1e-4
num_train_epochs: 3.0
lr_scheduler_type: cosine
warmup_ratio: 0.1
bf16: true
max_new_tokens: 512
max_length: 4096
"""


def test_a_sft_recipe_is_llama_factory_and_reads_hugging_face_keys():
    name, plan = read(SFT)
    assert name == "llama-factory"
    assert (plan.get("learning_rate").value, plan.get("epochs").value, plan.get("warmup_ratio").value) == (1e-4, 3.0, 0.1)
    assert (plan.get("batch_size").value, plan.get("gradient_accumulation_steps").value, plan.get("save_interval").value) == (1, 8, 500)
    # cutoff_len is the training length; max_length is GeneratingArguments' generation length.
    assert plan.get("seq_len").value == 2048 and plan.get("seq_len").key == "cutoff_len"
    assert lint(SFT) == []  # OmegaConf reads 1e-4 as a float: no Y001


def test_a_quoted_number_stays_a_string():
    text = SFT.replace("learning_rate: 1e-4", 'learning_rate: "1e-4"')
    assert positions(lint(text)) == [("S002", 18, 16)]


SHORT = """\
model_name_or_path: meta-llama/Llama-3.2-1B-Instruct
stage: dpo
finetuning_type: full
dataset: dpo_en_demo
template: llama3
cutoff_len: 2048
per_device_train_batch_size: 2
gradient_accumulation_steps: 4
learning_rate: 5.0e-6
max_steps: 200
warmup_steps: 500
save_steps: 1000
lr_scheduler_type: cosine
"""


def test_warmup_and_save_interval_longer_than_max_steps():
    assert positions(lint(SHORT)) == [("T001", 11, 15), ("T010", 12, 13)]


def test_a_duplicate_key_stops_omegaconf_from_loading_the_file():
    findings = lint(SHORT + "learning_rate: 1.0e-5\n")
    assert positions(findings) == [("T001", 11, 15), ("T010", 12, 13), ("D002", 14, 1)]
    assert "OmegaConf refuses the file" in findings[-1].message


def test_use_muon_replaces_the_adamw_of_optim():
    muon = SHORT.replace("warmup_steps: 500\nsave_steps: 1000\n", "").replace("learning_rate: 5.0e-6", "learning_rate: 0.02") + "use_muon: true\n"
    _, plan = read(muon)
    assert plan.get("optimizer").value == "muon" and plan.get("optimizer").key == "use_muon"
    assert lint(muon) == []  # 0.02 is an ordinary Muon rate; for AdamW it would be O002
    assert positions(lint(muon.replace("use_muon: true", "use_muon: false"))) == [("O002", 9, 16)]


TRL = """\
model_name_or_path: Qwen/Qwen2.5-1.5B
dataset_name: trl-lib/Capybara
learning_rate: 2.0e-5
num_train_epochs: 1
per_device_train_batch_size: 8
gradient_accumulation_steps: 2
gradient_checkpointing: true
lr_scheduler_type: cosine
warmup_ratio: 0.03
output_dir: Qwen2.5-1.5B-SFT
"""


def test_hugging_face_recipes_stay_huggingface():
    assert read(TRL)[0] == "huggingface"
    assert read(TRL + "dataset: extra\n")[0] == "huggingface"  # `dataset` alone is not LLaMA-Factory


V1 = """\
model: Qwen/Qwen3-0.6B
model_class: llm
dist_config:
  name: fsdp2
train_dataset: data/v1_sft_demo.yaml
output_dir: outputs/test
micro_batch_size: 1
global_batch_size: 8
cutoff_len: 2048
learning_rate: 1e-4
max_steps: 50
save_steps: 100
"""


def test_v1_configs_are_their_own_dialect_with_their_own_key_list():
    name, plan = read(V1)
    assert name == "llama-factory-v1"
    assert (plan.get("learning_rate").value, plan.get("max_steps").value, plan.get("global_batch_size").value) == (1e-4, 50, 8)
    assert positions(lint(V1)) == [("T010", 12, 13)]
    typo = lint(V1.replace("learning_rate:", "learning_rat:"))
    assert positions(typo) == [("S005", 10, 1), ("T010", 12, 13)]
    assert "did you mean 'learning_rate'" in typo[0].message


def test_v1_optimizer_plugin_takes_its_own_settings():
    text = V1 + "optim_config:\n  name: muon\n  wd: 0.1\n"
    _, plan = read(text)
    assert plan.get("optimizer").value == "muon" and plan.get("learning_rate") is None
