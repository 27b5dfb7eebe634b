"""The OLMo dialect: detection against Composer, OLMo's duration syntax (steps, `NT` tokens,
`Nep` epochs), `scheduler.units`, and the keys its structured config refuses; on configs written
for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text, name="c.yaml"):
    doc = load_document(name, text.encode())
    detection, _ = detect(doc)
    assert detection is not None, "no dialect detected"
    return detection.dialect.name, build_plan(doc, detection.dialect)


TOKENS = """\
run_name: olmo-tokens
model:
  d_model: 768
  n_heads: 12
  max_sequence_length: 2048
  layer_norm_eps: 1e-5
optimizer:
  name: adamw
  learning_rate: 4e-4
  weight_decay: 0.1
scheduler:
  name: cosine_with_warmup
  units: tokens
  t_warmup: 2097152000
  alpha_f: 0.1
tokenizer:
  identifier: allenai/gpt-neox-olmo-dolma-v1_5
data:
  paths:
    - /data/part-0.npy
max_duration: 1e10T
global_train_batch_size: 512
device_train_microbatch_size: 8
max_grad_norm: 1.0
save_interval: 1000
eval_interval: ${save_interval}
"""


def test_token_durations_become_steps_through_the_global_batch_and_sequence_length():
    name, plan = read(TOKENS)
    assert name == "olmo"
    # 512 x 2048 = 1,048,576 tokens a step: ceil(1e10 / 1,048,576) = 9,537 steps; 2,097,152,000 / 1,048,576 = 2,000.
    assert plan.get("max_steps").value == 9537 and plan.get("max_steps").key == "max_duration"
    assert plan.get("warmup_steps").value == 2000
    assert (plan.get("learning_rate").value, plan.get("optimizer").value, plan.get("clip_grad_norm").value) == (4e-4, "adamw", 1.0)
    assert (plan.get("d_model").value, plan.get("n_heads").value, plan.get("eval_interval").value) == (768, 12, 1000)
    assert plan.get("epochs") is None
    assert lint(TOKENS) == []  # 4e-4 and 1e-5 are floats to OmegaConf: no Y001; "1e10T" is no wrong type


def test_a_schedule_sized_in_tokens_is_compared_with_the_run():
    text = TOKENS.replace("  alpha_f: 0.1\n", "  alpha_f: 0.1\n  t_max: 2e10\n")
    assert read(text)[1].get("scheduler_steps").value == 19074  # ceil(2e10 / 1,048,576)
    assert positions(lint(text)) == [("T006", 16, 10)]


def test_tokens_stay_unknown_without_the_sequence_length():
    text = TOKENS.replace("  max_sequence_length: 2048\n", "")
    _, plan = read(text)
    assert plan.get("max_steps") is None and plan.get("warmup_steps") is None


EPOCHS = """\
model:
  d_model: 2048
  n_heads: 16
  max_sequence_length: 4096
optimizer:
  learning_rate: 3.0e-4
scheduler:
  name: linear_with_warmup
  t_warmup: 2000
tokenizer:
  identifier: tokenizers/allenai_dolma2.json
data:
  paths: [/data/a.npy]
max_duration: 1ep
global_train_batch_size: 1024
device_train_microbatch_size: 4
"""


def test_a_warmup_in_steps_is_not_compared_with_an_epoch_count():
    # Composer reads a bare t_warmup as epochs (2,000 epochs of a 1-epoch run); OLMo counts steps.
    name, plan = read(EPOCHS)
    assert name == "olmo"
    assert (plan.get("epochs").value, plan.get("warmup_steps").value, plan.get("max_steps")) == (1, 2000, None)
    assert plan.get("optimizer") is None  # OLMo's default, lionw, is not written
    assert lint(EPOCHS) == []


SHORT = """\
model:
  d_model: 256
  n_heads: 6
  max_sequence_length: 512
optimizer:
  name: adamw
  learning_rate: 1.0e-3
scheduler:
  t_warmup: 1000
tokenizer:
  identifier: gpt2
max_duration: 500
global_train_batch_size: 64
device_train_microbatch_size: 8
eval_interval: 1000
"""


def test_warmup_and_interval_longer_than_a_run_in_steps():
    assert positions(lint(SHORT)) == [("M002", 3, 12), ("T001", 9, 13), ("T010", 15, 16)]


def test_the_constant_scheduler_ignores_t_warmup():
    text = SHORT.replace("scheduler:\n", "scheduler:\n  name: constant\n")
    assert read(text)[1].get("warmup_steps") is None
    assert positions(lint(text)) == [("M002", 3, 12), ("T010", 16, 16)]


def test_durations_that_olmo_refuses_are_wrong_types():
    text = SHORT.replace("max_duration: 500", "max_duration: 1.5e4").replace("t_warmup: 1000", "t_warmup: 100ba")
    found = [(f.code, f.span.line) for f in lint(text) if f.code == "S002"]
    assert found == [("S002", 9), ("S002", 12)]


def test_keys_the_structured_config_does_not_define_are_refused():
    text = SHORT.replace("  learning_rate: 1.0e-3\n", "  learning_rate: 1.0e-3\n  weight_decays: 0.1\n") + "max_steps: 500\n"
    found = [(f.code, f.span.line, f.span.column) for f in lint(text) if f.code == "S005"]
    assert found == [("S005", 8, 3), ("S005", 17, 1)]
    assert "did you mean 'weight_decay'" in next(f.message for f in lint(text) if f.code == "S005")


LLM_FOUNDRY = """\
max_seq_len: 2048
model:
  name: mpt_causal_lm
  d_model: 768
  n_heads: 12
tokenizer:
  name: EleutherAI/gpt-neox-20b
train_loader:
  name: text
optimizer:
  name: decoupled_adamw
  lr: 6.0e-4
scheduler:
  name: cosine_with_warmup
  t_warmup: 100ba
  alpha_f: 0.1
max_duration: 4800ba
global_train_batch_size: 256
device_train_microbatch_size: 16
save_folder: ./checkpoints
"""


def test_llm_foundry_configs_stay_composer():
    assert read(LLM_FOUNDRY)[0] == "composer"


def test_a_warmup_counted_in_tokens_is_reported_with_its_conversion_and_never_fixed_in_steps():
    text = TOKENS.replace("t_warmup: 2097152000", "t_warmup: 2e10")
    (finding,) = lint(text)
    assert (finding.code, finding.span.line, finding.span.column) == ("T001", 14, 13)
    assert "scheduler.t_warmup (2e+10 tokens / 1,048,576 per step = 19,073.5)" in finding.message
    assert finding.fix is None  # a fix would write a step count into a key counted in tokens
