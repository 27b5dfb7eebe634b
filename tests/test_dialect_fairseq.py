"""The fairseq dialect, on small Hydra configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text):
    doc = load_document("c.yaml", text.encode())
    detection, _ = detect(doc)
    return (detection.dialect.name if detection else None), (build_plan(doc, detection.dialect) if detection else None)


def value(plan, field):
    setting = plan.get(field)
    return setting.value if setting else None


FINETUNE = """\
# @package _group_
common:
  fp16: true
  log_interval: 200
checkpoint:
  save_interval_updates: 1000
dataset:
  max_tokens: 1280000
  validate_interval_updates: 1000
distributed_training:
  distributed_world_size: 8
  ddp_backend: legacy_ddp
criterion:
  _name: ctc
  wer_sil_weight: -2
task:
  _name: audio_finetuning
optimization:
  max_update: 20000
  lr: [5e-5]
  update_freq: [4]
optimizer:
  _name: adam
  adam_betas: (0.9,0.98)
  adam_eps: 1e-08
  weight_decay: 0.01
lr_scheduler:
  _name: tri_stage
  warmup_steps: 2000
  hold_steps: 8000
  decay_steps: DECAY
"""


def test_reads_lists_betas_and_adam_as_adamw():
    name, plan = read(FINETUNE.replace("DECAY", "10000"))
    assert name == "fairseq"
    assert value(plan, "learning_rate") == 5e-05 and plan.get("learning_rate").key == "optimization.lr[0]"
    assert value(plan, "gradient_accumulation_steps") == 4
    assert value(plan, "betas") == [0.9, 0.98]
    assert value(plan, "optimizer") == "adam"  # decoupled, as AdamW: the dialect says adam_is_adamw
    assert (value(plan, "max_steps"), value(plan, "warmup_steps"), value(plan, "hold_steps"), value(plan, "decay_steps")) == (20000, 2000, 8000, 10000)
    assert (value(plan, "eval_interval"), value(plan, "save_interval"), value(plan, "log_interval")) == (1000, 1000, 200)


def test_a_schedule_that_fits_the_run_is_quiet():
    # 5e-5 is a float to OmegaConf (no Y001), fairseq's adam decouples weight decay (no O001), and
    # ctc's negative wer_sil_weight is a decoding score, not a loss weight (no L002).
    assert lint(FINETUNE.replace("DECAY", "10000")) == []


def test_tri_stage_longer_than_max_update():
    assert positions(lint(FINETUNE.replace("DECAY", "72000"))) == [("T011", 31, 16)]


def test_tri_stage_ending_long_before_max_update():
    findings = lint(FINETUNE.replace("DECAY", "4000"))
    assert positions(findings) == [("T011", 31, 16)]
    assert "the last 6,000 steps (30%) train at the floor rate" in findings[0].message


PHASES = """\
optimization:
  max_update: 13000
  lr: [0.00005]
  update_freq: [4]
dataset:
  max_tokens: 3200000
lr_scheduler:
  _name: tri_stage
  warmup_steps: 99999
  phase_ratio: [0.1, 0.4, 0.5]
  final_lr_scale: 0.05
task:
  _name: audio_finetuning
"""


def test_phase_ratio_replaces_the_step_keys():
    name, plan = read(PHASES)
    assert name == "fairseq"
    assert (value(plan, "warmup_steps"), value(plan, "hold_steps"), value(plan, "decay_steps")) == (1300, 5200, 6500)
    assert plan.get("warmup_steps").key == "lr_scheduler.phase_ratio[0]" and plan.get("warmup_steps").node.span.line == 10
    assert lint(PHASES) == []  # the ignored warmup_steps: 99999 is not a warmup longer than the run


def test_phase_ratio_without_a_known_max_update_is_unknown():
    _, plan = read(PHASES.replace("max_update: 13000", "max_update: ???"))
    assert (plan.get("warmup_steps"), plan.get("decay_steps")) == (None, None)


RUN = """\
optimization:
  max_update: 1000
  MAX_EPOCH
  lr: [0.0005]
  clip_norm: 0.0
dataset:
  batch_size: 16
lr_scheduler:
  _name: polynomial_decay
  warmup_updates: 4000
  total_num_update: 1000
optimizer:
  _name: adam
task:
  _name: masked_lm
criterion: masked_lm
"""


def test_warmup_longer_than_max_update():
    assert positions(lint(RUN.replace("MAX_EPOCH", ""))) == [("T001", 10, 19)]


def test_beside_max_epoch_max_update_is_not_the_run_length():
    name, plan = read(RUN.replace("MAX_EPOCH", "max_epoch: 3"))
    assert name == "fairseq" and value(plan, "epochs") == 3 and plan.get("max_steps") is None
    # the warmup is still compared with polynomial_decay's own length, total_num_update
    findings = lint(RUN.replace("MAX_EPOCH", "max_epoch: 3"))
    assert positions(findings) == [("T001", 10, 19)] and "lr_scheduler.total_num_update (1000)" in findings[0].message
    assert lint(RUN.replace("MAX_EPOCH", "max_epoch: 3").replace("total_num_update: 1000", "total_num_update: 40000")) == []


def test_a_mandatory_max_epoch_leaves_the_run_length_unknown():
    _, plan = read(RUN.replace("MAX_EPOCH", "max_epoch: ???"))
    assert plan.get("max_steps") is None and plan.get("epochs") is None


def test_zero_means_no_limit_and_a_quoted_number_is_converted():
    _, plan = read(RUN.replace("max_update: 1000", "max_update: 0").replace("MAX_EPOCH", "max_epoch: '5'"))
    assert plan.get("max_steps") is None and value(plan, "epochs") == 5  # OmegaConf's IntegerNode converts '5'
    assert positions(lint(RUN.replace("MAX_EPOCH", "max_epoch: '0'").replace("max_update: 1000", "max_update: '1000'"))) == [("T001", 10, 19)]


def test_a_key_fairseq_does_not_define_stops_the_run():
    findings = lint(RUN.replace("MAX_EPOCH", "max_epochs: 3").replace("warmup_updates: 4000", "warmup_updates: 100"))
    assert positions(findings) == [("S005", 3, 3)]
    assert "did you mean 'max_epoch'?" in findings[0].message
    # lr_scheduler keys depend on its _name and are not checked
    assert lint(RUN.replace("MAX_EPOCH", "").replace("warmup_updates: 4000", "warmup_updates: 100\n  warmup_typo: 1")) == []


def test_several_rates_and_composite_optimizers_leave_the_rate_unknown():
    _, plan = read(RUN.replace("lr: [0.0005]", "lr: [0.25, 0.1]").replace("MAX_EPOCH", ""))
    assert plan.get("learning_rate") is None
    composite = RUN.replace("_name: adam", "_name: composite\n  groups:\n    default:\n      lr: [0.001]").replace("MAX_EPOCH", "")
    _, plan = read(composite.replace("lr: [0.0005]", "lr: [0]"))
    assert plan.get("learning_rate") is None and plan.get("warmup_steps") is None
    assert lint(composite.replace("lr: [0.0005]", "lr: [0]")) == []  # optimization.lr 0 is not the groups' rate


def test_a_duplicate_key_refuses_the_file():
    findings = lint(RUN.replace("MAX_EPOCH", "max_update: 2000"))
    assert positions(findings)[:1] == [("D002", 3, 3)]
    assert "OmegaConf refuses the file" in findings[0].message


def test_decoding_configs_are_not_training_configs():
    infer = "task:\n  _name: audio_finetuning\ndecoding:\n  type: viterbi\ndataset:\n  max_tokens: 1100000\ndistributed_training:\n  distributed_world_size: 1\n  ddp_backend: legacy_ddp\n"
    assert read(infer)[0] != "fairseq"
