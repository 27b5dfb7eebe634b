"""The generic reading (cfglint/vocabulary.py, cfglint/generic.py, engine._read) on configs that
no framework dialect claims: every rule family it feeds, traps it must stay quiet on, and how it
sits beneath the dialects and the settings.

Positions are (code, line, column), 1-based, at the offending value. Findings that rest on a
generic guess are warnings where the rule's own severity is an error.
"""

import os
import textwrap

import pytest

from cfglint.api import GENERIC, CheckOptions, Checker
from cfglint.finding import Severity
from cfglint.settings import SettingsError
from helpers import lint, positions


def read(text, filename="config.yaml", **options):
    """The whole file report (findings, how the file was read) for an inline config."""
    return Checker(CheckOptions(isolated=True, **options)).check_bytes(text.encode("utf-8"), filename)


def loud(findings):
    return [f for f in findings if f.severity.name in ("ERROR", "WARNING")]


def write(folder, name, text):
    path = os.path.join(str(folder), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(textwrap.dedent(text))
    return path


# --------------------------------------------------------------------------------------------
# 1. Configs that must be reported: one layout per test, each rule family the reading feeds.
# --------------------------------------------------------------------------------------------

NESTED_YAML = """\
model:
  name: resnet50
  dropout: 0.2
optim:
  name: AdamW
  lr: 5e-4
  weight_decay: "0.05"
train:
  epochs: 90
  batch_size: 256
"""


def test_yaml11_float_and_number_as_string_in_nested_optim_block():
    report = read(NESTED_YAML)
    assert report.reading == GENERIC
    findings = report.findings
    assert positions(findings) == [("Y001", 6, 7), ("S002", 7, 17)]
    y001, s002 = findings
    assert "5e-4" in y001.message and "5.0e-4" in y001.message
    assert y001.key == "optim.lr"
    # S002 is an error on an exact key; here `weight_decay` under `optim:` is a guess.
    assert s002.severity is Severity.WARNING
    assert "'0.05'" in s002.message and s002.key == "optim.weight_decay"


FLOW_JSON = """\
{
  "optimizer": {"type": "SGD", "lr": 5e-4, "momentum": 0.9},
  "training": {"max_epochs": "30", "grad_accum_steps": 0},
  "model": {"hidden_dropout": 1.0, "attention_dropout": 0.1}
}
"""


def test_json_string_epochs_zero_accumulation_and_dropout_one():
    # JSON has no YAML 1.1: 5e-4 is a float, so no Y001.
    report = read(FLOW_JSON, "run.json")
    assert report.reading == GENERIC
    findings = report.findings
    assert positions(findings) == [("S002", 3, 30), ("S003", 3, 56), ("S003", 4, 31)]
    assert all(f.severity is Severity.WARNING for f in findings)
    assert "'30'" in findings[0].message
    assert findings[2].key == "model.hidden_dropout" and "dropout (1)" in findings[2].message


SUFFIXED_BLOCKS = """\
optimizer_config:
  type: adamw
  learning_rate: -0.001
training_args:
  num_epochs: 10
  label_smoothing: 1.5
distill:
  teacher: bert-large
  temperature: 0
"""


def test_out_of_range_lr_label_smoothing_and_kd_temperature_in_suffixed_blocks():
    findings = lint(SUFFIXED_BLOCKS)
    assert positions(findings) == [("S003", 3, 18), ("S003", 6, 20), ("S003", 9, 16)]
    assert [f.key for f in findings] == ["optimizer_config.learning_rate", "training_args.label_smoothing", "distill.temperature"]
    assert "-0.001" in findings[0].message
    assert "1.5" in findings[1].message
    assert all(f.severity is Severity.WARNING for f in findings)


def test_adam_betas_in_an_inline_solver_block():
    config = "solver: {name: Adam, lr: 0.0003, betas: [0.9, 999]}\ntrain: {epochs: 20, batch_size: 64}\n"
    (finding,) = lint(config)
    assert positions([finding]) == [("O005", 1, 47)]
    assert finding.key == "solver.betas[1]"
    assert "999" in finding.message


def test_warmup_epochs_as_long_as_the_run():
    config = "trainer:\n  max_epochs: 5\nsched:\n  name: cosine\n  warmup_epochs: 5\n"
    (finding,) = lint(config)
    assert positions([finding]) == [("T001", 5, 18)]
    assert finding.severity is Severity.WARNING  # T001 is an error on exact keys
    assert "(5)" in finding.message and "trainer.max_epochs" in finding.message


def test_long_warmup_in_steps_from_dataset_size_and_batch():
    # 50000 samples / batch 100 = 500 steps an epoch, 2 epochs = 1000 steps; warmup 600 is 60 %.
    config = "data:\n  dataset_size: 50000\n  batch_size: 100\ntraining:\n  epochs: 2\n  warmup_steps: 600\n"
    (finding,) = lint(config)
    assert positions([finding]) == [("T002", 6, 17)]
    assert "600" in finding.message and "1,000" in finding.message


def test_warmup_steps_past_the_run_from_steps_per_epoch_in_json():
    config = '{"train": {"epochs": 3, "steps_per_epoch": 100, "warmup_steps": 400}}'
    (finding,) = lint(config, "run.json")
    assert positions([finding]) == [("T001", 1, 65)]
    assert "400" in finding.message and "300" in finding.message


SCHEDULER_IN_MICRO_BATCHES = """\
trainer:
  epochs: 3
  steps_per_epoch: 24941
  gradient_accumulation_steps: 16
  optimizer: adamw
  lr: 0.0001
lr_scheduler:
  type: cosine
  num_training_steps: 74823
"""


def test_scheduler_sized_in_micro_batches_under_accumulation():
    # 24941 x 3 = 74823 micro-batches, / 16 = 4676 optimizer steps.
    (finding,) = lint(SCHEDULER_IN_MICRO_BATCHES)
    assert positions([finding]) == [("T006", 9, 23)]
    assert finding.key == "lr_scheduler.num_training_steps"
    assert finding.severity is Severity.WARNING
    for number in ("74,823", "4,676", "16"):
        assert number in finding.message


def test_plateau_factor_and_patience_against_the_run():
    config = "train:\n  epochs: 10\n  lr: 0.01\n  optimizer: sgd\nscheduler:\n  name: ReduceLROnPlateau\n  factor: 1.5\n  patience: 20\n"
    findings = lint(config)
    assert positions(findings) == [("T008", 7, 11), ("T009", 8, 13)]
    assert "1.5" in findings[0].message
    assert "20" in findings[1].message and "10" in findings[1].message


TARGET_BLOCKS = """\
net:
  _target_: mylib.ResNet
opt_fn:
  _target_: torch.optim.SGD
  lr: 0.1
  momentum: 0.9
decay:
  _target_: torch.optim.lr_scheduler.CosineAnnealingLR
  T_max: 100
  eta_min: 0.5
max_epochs: 100
"""


def test_eta_min_above_lr_in_target_blocks():
    # `opt_fn` and `decay` get their roles from the classes their _target_ builds.
    (finding,) = lint(TARGET_BLOCKS)
    assert positions([finding]) == [("T007", 10, 12)]
    assert "0.5" in finding.message and "0.1" in finding.message


CLASS_PATH_ADAM = """\
engine:
  class_path: torch.optim.Adam
  lr: 0.001
  weight_decay: 0.0001
fit:
  max_epochs: 10
  grad_clip: 10.0
"""


def test_adam_with_coupled_decay_and_weak_clip_through_class_path():
    findings = lint(CLASS_PATH_ADAM)
    assert positions(findings) == [("O001", 4, 17), ("O004", 7, 14)]
    assert "0.0001" in findings[0].message and "Adam" in findings[0].message
    assert "10" in findings[1].message and "0.001" in findings[1].message


LOSS_WEIGHTS = """\
model:
  arch: unet
training:
  epochs: 50
loss_weights:
  dice: 1.0
  bce: -0.5
  boundary: 0.0
  perceptual: 1.0e-6
"""


def test_negative_zero_and_spread_loss_weights_in_a_weights_block():
    findings = lint(LOSS_WEIGHTS)
    assert positions(findings) == [("L002", 7, 8), ("L003", 8, 13), ("L004", 9, 15)]
    assert findings[0].severity is Severity.WARNING and "-0.5" in findings[0].message
    assert findings[1].severity is Severity.INFO
    assert "1e-06" in findings[2].message


def test_negative_weight_by_form_in_a_losses_block_json():
    config = '{"trainer": {"epochs": 5},\n "losses": {"w_recon": 1.0, "kl_weight": -0.01}}'
    (finding,) = lint(config, "vae.json")
    assert positions([finding]) == [("L002", 2, 42)]
    assert "-0.01" in finding.message


LOSS_BLOCK = """\
network:
  depth: 18
loss:
  name: cross_entropy
  smoothing: 1.0
  ce_weight: 1.0
  aux_weight: 0
trainer:
  epochs: 5
"""


def test_label_smoothing_and_zero_weight_in_a_loss_block():
    # In a `loss:` block `smoothing` is label smoothing and `*_weight` keys are the terms' weights.
    findings = lint(LOSS_BLOCK)
    assert positions(findings) == [("S003", 5, 14), ("L003", 7, 15)]
    assert findings[0].key == "loss.smoothing" and findings[0].severity is Severity.WARNING
    assert findings[1].key == "loss.aux_weight" and findings[1].severity is Severity.INFO


KD_SHARES = """\
teacher:
  checkpoint: teacher.pt
kd:
  alpha_soft: 0.7
  alpha_hard: 0.5
  temperature: 4.0
training:
  epochs: 3
"""


# alpha_* weights beside a teacher are KD shares: they must sum to 1.
def test_alpha_shares_beside_a_teacher_must_sum_to_one():
    report = read(KD_SHARES)
    assert report.reading == GENERIC
    assert "loss weight soft = 0.7 from kd.alpha_soft" in report.fields
    (finding,) = report.findings
    assert positions([finding]) == [("L001", 4, 15)]
    assert "1.2" in finding.message


KD_TEMPERATURE_AND_TOP_K = """\
student:
  hidden_size: 384
  num_heads: 6
kd:
  teacher_ckpt: teacher.pt
  temperature: 50
  top_k: 256
eval:
  kd_top_k: 50000
training:
  epochs: 3
"""


def test_kd_temperature_and_eval_top_k_mismatch():
    findings = lint(KD_TEMPERATURE_AND_TOP_K)
    assert positions(findings) == [("K001", 6, 16), ("K003", 9, 13)]
    assert "50" in findings[0].message
    assert "256" in findings[1].message and "50000" in findings[1].message.replace(",", "")


def test_heads_not_dividing_the_network_width_json():
    config = '{"network": {"hidden_size": 768, "num_heads": 10},\n "trainer": {"max_epochs": 3}}'
    (finding,) = lint(config, "net.json")
    assert positions([finding]) == [("M002", 1, 47)]
    assert finding.severity is Severity.WARNING
    assert "768" in finding.message and "10" in finding.message


def test_global_batch_not_micro_times_accumulation_times_world():
    config = "train:\n  global_batch_size: 100\n  micro_batch_size: 8\n  grad_accum: 4\n  world_size: 2\n  max_steps: 1000\n"
    (finding,) = lint(config)
    assert positions([finding]) == [("B001", 2, 22)]
    assert finding.severity is Severity.WARNING
    for number in ("100", "8", "4", "2", "64"):
        assert number in finding.message


def test_eval_and_save_intervals_longer_than_the_run():
    config = "trainer:\n  max_steps: 1000\n  optimizer: adamw\neval:\n  eval_steps: 5000\ncheckpoint:\n  save_steps: 2000\n"
    findings = lint(config)
    assert positions(findings) == [("T010", 5, 15), ("T010", 7, 15)]
    assert findings[0].message.startswith("eval.eval_steps (5000) is longer than the run (at most trainer.max_steps (1,000))")
    assert findings[1].message.startswith("checkpoint.save_steps (2000) is longer than the run")


GRID = """\
lambda_tv: 0.001
lambda_l1: 0.01
trainer:
  epochs: 10
grid:
  lambda_tv: [0.001, 0.001]
  lambda_tvv: [0.01, 0.1]
"""


def test_grid_block_of_lists_repeated_value_and_unknown_key():
    findings = [f for f in lint(GRID) if f.code.startswith("G")]
    assert positions(findings) == [("G002", 6, 22), ("G001", 7, 3)]  # G002 at the repeat
    assert "0.001" in findings[0].message
    assert "did you mean 'lambda_tv'" in findings[1].message


# --------------------------------------------------------------------------------------------
# 2. Traps: configs where a naive reading of a key would report something, but nothing is wrong.
# --------------------------------------------------------------------------------------------


def test_trap_sampling_temperature_under_generation():
    # A sampling temperature of 0.7 is normal; it is no KD temperature (K001 wants >= 1).
    config = "model:\n  name: gpt2\ntrain:\n  epochs: 3\n  lr: 0.0001\ngeneration:\n  temperature: 0.7\n  top_p: 0.9\n  top_k: 50\n"
    assert loud(lint(config)) == []


def test_trap_sampling_block_beside_a_teacher():
    # Even in a distilling config, `sampling.temperature` is the decoder's, not the KD one.
    config = "teacher:\n  path: t.pt\ntrain:\n  epochs: 3\nsampling:\n  temperature: 0.3\n  top_p: 0.95\n"
    assert loud(lint(config)) == []


def test_trap_independent_penalty_weights_summing_past_one():
    # lambda_* weights (and a loss_weights block) are independent penalties, not shares: no L001 for a
    # sum of 3, even in a config that distils (a teacher), where alpha_* would be shares.
    config = "teacher:\n  path: t.pt\nlambda_l1: 0.8\nlambda_tv: 0.5\nlambda_perc: 0.3\ntrainer:\n  epochs: 20\nloss_weights:\n  ce: 1.0\n  aux: 0.4\n"
    assert loud(lint(config)) == []


def test_trap_full_batch_optimizers_at_lr_one():
    # LBFGS and Adadelta take lr 1.0 by default: not "too high".
    for name in ("LBFGS", "Adadelta"):
        config = f"optimizer:\n  name: {name}\n  lr: 1.0\ntrain:\n  epochs: 5\n"
        assert loud(lint(config)) == [], name


def test_trap_large_batch_lars_and_lamb_above_lr_one():
    # LARS/LAMB scale the step per layer: lr 4.8 at batch 4096 is the published recipe.
    for name in ("LARS", "LAMB"):
        config = f'{{"optimizer": {{"type": "{name}", "lr": 4.8, "weight_decay": 1.0e-6}},\n "train": {{"batch_size": 4096, "epochs": 90}}}}'
        assert loud(lint(config, "big.json")) == [], name


def test_trap_adafactor_relative_step_with_null_lr():
    # lr null is how Adafactor's relative step is asked for: not a missing or wrong number.
    config = "optimizer:\n  name: Adafactor\n  relative_step: true\n  scale_parameter: true\n  lr: null\ntrainer:\n  max_steps: 10000\n"
    assert loud(lint(config)) == []


def test_trap_short_run_with_small_warmup_ratio():
    # 50 x 0.01 = 0.5 steps; how it rounds depends on the unknown training code (HF rounds up).
    config = "trainer:\n  max_steps: 50\n  warmup_ratio: 0.01\n  lr: 0.0003\n"
    assert loud(lint(config)) == []


def test_trap_one_epoch_beside_max_steps():
    # max_steps bounds the run; warmup 500 of 10000 steps is short, whatever one epoch is.
    config = "train:\n  epochs: 1\n  max_steps: 10000\n  warmup_steps: 500\n  lr: 0.0003\n"
    assert loud(lint(config)) == []


def test_trap_adamw_with_weight_decay_0_1():
    # Decoupled decay of 0.1 is the usual AdamW setting: no O001 (that is Adam only).
    config = '{"optimizer": {"name": "AdamW", "lr": 3.0e-4, "weight_decay": 0.1}, "trainer": {"max_epochs": 10}}'
    assert loud(lint(config, "run.json")) == []


def test_trap_zero_and_negative_lr_under_eval_and_generation():
    # Evaluation and generation do not train: their lr (0, -1) is no learning rate of the run.
    config = "train:\n  epochs: 3\n  lr: 0.001\neval:\n  lr: 0\ngeneration:\n  learning_rate: -1\n"
    assert loud(lint(config)) == []


def test_trap_token_and_sample_counted_durations():
    # The run is bounded by tokens or samples, in no unit a warmup in steps can be compared with.
    for duration in ("max_tokens: 2000000000", "train_tokens: 300000000000", "num_samples: 1000000"):
        config = f"train:\n  epochs: 1\n  {duration}\n  batch_size: 512\n  warmup_steps: 2000\n  lr: 0.0006\n"
        assert loud(lint(config)) == [], duration


def test_trap_early_stopping_patience_beside_few_epochs():
    # early_stopping.patience is no plateau patience (T009): it stops the run, by design early.
    config = (
        "trainer:\n  max_epochs: 5\nscheduler:\n  name: ReduceLROnPlateau\n  factor: 0.5\n  patience: 2\n"
        "early_stopping:\n  monitor: val_loss\n  patience: 10\n"
    )
    assert loud(lint(config)) == []


def test_trap_profiler_warmup_steps():
    # A profiler's warmup is profiler steps, not an lr warmup: 10 of 20 steps is fine.
    config = "trainer:\n  max_steps: 20\n  lr: 0.001\nprofiler:\n  wait: 1\n  warmup_steps: 10\n  active: 3\n"
    assert loud(lint(config)) == []


def test_trap_two_stages_side_by_side():
    # stage1 and stage2 are separate runs: stage1's warmup of 5 epochs is not stage2's 3-epoch run.
    config = (
        "model:\n  dropout: 0.1\n"
        "stage1:\n  epochs: 30\n  warmup_epochs: 5\n  lr: 0.001\n"
        "stage2:\n  epochs: 3\n  lr: 0.00001\n"
    )
    report = read(config)
    assert report.reading == GENERIC  # model.dropout is read; the stages are not
    assert loud(report.findings) == []
    assert "not read: separate configs side by side under the top level: stage1, stage2" in report.fields
    assert not any(field.startswith(("epochs", "warmup_epochs", "learning_rate")) for field in report.fields)


def test_trap_dropout_like_keys_under_data_augmentation():
    # A probability of applying an augmentation may well be 1.0: it is no model dropout.
    config = "data:\n  augmentation:\n    dropout_prob: 1.0\n    drop_rate: 1.0\nmodel:\n  dropout: 0.1\ntrain:\n  epochs: 10\n"
    assert loud(lint(config)) == []


def test_trap_top_level_augmentation_block_with_dropout_probability():
    # An augmentation block's probabilities belong to the data pipeline, wherever the block sits: a
    # top-level `augmentation:` must not inherit the top level's role (it once gave S003 on dropout_p).
    config = "augmentation:\n  dropout_p: 1.0\nmodel:\n  dropout: 0.1\ntrain:\n  epochs: 10\n"
    assert loud(lint(config)) == []


def test_trap_eval_interval_in_unknown_units():
    # `eval_interval` does not say steps or epochs: 5000 may be samples; no T010 guess.
    config = "trainer:\n  max_steps: 1000\n  eval_interval: 5000\n  save_interval: 2000\n  lr: 0.001\n"
    assert loud(lint(config)) == []


# --------------------------------------------------------------------------------------------
# 3. The reading among the dialects and the settings.
# --------------------------------------------------------------------------------------------

HF = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\n"


def test_a_config_without_training_settings_is_not_read():
    report = read("name: my-run\ntags: [a, b]\n")
    assert report.reading == "none"
    assert report.findings == []


def test_dialect_generic_forces_the_generic_reading():
    config = HF + "learning_rate: '2e-5'\n"
    exact = read(config)
    assert exact.reading == "framework"
    assert [(f.code, f.severity) for f in exact.findings] == [("S002", Severity.ERROR)]
    forced = read(config, family="generic")
    assert forced.reading == GENERIC
    assert [(f.code, f.span.line, f.span.column, f.severity) for f in forced.findings] == [("S002", 4, 16, Severity.WARNING)]


def test_dialect_generic_reads_what_no_dialect_would_claim():
    # Not even a training setting is needed once the generic reading is forced.
    report = read("name: my-run\n", family="generic")
    assert report.reading == GENERIC
    assert report.findings == []


def test_detected_dialect_keeps_priority_and_generic_fills_in():
    # learning_rate is HF's own key (exact: an error); model.dropout only the generic reading reads (a warning).
    config = HF + "learning_rate: 0\nmodel:\n  dropout: 1.0\nsolver:\n  lr: 0.5\n"
    report = read(config)
    assert report.reading == "framework"
    assert report.dialect.startswith("huggingface")
    findings = report.findings
    # solver.lr (0.5) does not replace the exact learning_rate: no O002 on it, and the 0 is still reported.
    assert positions(findings) == [("S003", 4, 16), ("S003", 6, 12)]
    assert [(f.key, f.severity) for f in findings] == [("learning_rate", Severity.ERROR), ("model.dropout", Severity.WARNING)]


def test_two_different_lrs_under_different_blocks_make_lr_unknown():
    single = "optimizer:\n  name: Adam\ntrainer:\n  epochs: 3\n  lr: 5.0\n"
    assert [f.code for f in loud(lint(single))] == ["O002"]
    both = "optimizer:\n  name: Adam\n  lr: 0.001\ntrainer:\n  epochs: 3\n  lr: 5.0\n"
    report = read(both)
    assert loud(report.findings) == []
    assert any(field.startswith("learning_rate unknown") for field in report.fields)


def test_the_same_lr_under_two_keys_is_not_ambiguous():
    config = "optimizer:\n  name: Adam\n  lr: 5.0\ntrainer:\n  epochs: 3\n  learning_rate: 5.0\n"
    assert [f.code for f in loud(lint(config))] == ["O002"]


def test_setting_generic_false_turns_the_reading_off(tmp_path):
    write(tmp_path, ".cfglint.yaml", "generic: false\n")
    plain = write(tmp_path, "runs/plain.yaml", NESTED_YAML)
    hf = write(tmp_path, "runs/hf.yaml", HF + "learning_rate: 0\nmodel:\n  dropout: 1.0\n")
    on = Checker(CheckOptions(isolated=True)).check([plain, hf])
    assert [positions(r.findings) for r in on.files] == [[("Y001", 6, 7), ("S002", 7, 17)], [("S003", 4, 16), ("S003", 6, 12)]]
    off = Checker().check([plain, hf])  # discovers tmp_path/.cfglint.yaml
    plain_report, hf_report = off.files
    assert plain_report.reading == "none"
    assert positions(plain_report.findings) == []
    # The dialect's exact key is still read; the generic fill-in (model.dropout) is gone.
    assert hf_report.reading == "framework"
    assert positions(hf_report.findings) == [("S003", 4, 16)]


def test_setting_generic_false_in_pyproject_and_a_wrong_value(tmp_path):
    write(tmp_path, "a/pyproject.toml", "[tool.cfglint]\ngeneric = false\n")
    config = write(tmp_path, "a/run.yaml", NESTED_YAML)
    (report,) = Checker().check([config]).files
    assert (report.reading, report.findings) == ("none", [])
    write(tmp_path, "b/.cfglint.yaml", "generic: 'no'\n")
    config = write(tmp_path, "b/run.yaml", NESTED_YAML)
    with pytest.raises(SettingsError, match=r"\.cfglint\.yaml:1:1: 'generic' must be true or false"):
        Checker().check([config])


def test_setting_loader_omegaconf_silences_yaml11_floats(tmp_path):
    settings = write(tmp_path, "cfg/.cfglint.yaml", "loader: omegaconf\n")
    config = "optim:\n  name: AdamW\n  lr: 5e-4\ntrain:\n  epochs: 3\n"
    assert positions(lint(config)) == [("Y001", 3, 7)]
    checker = Checker(CheckOptions(config=settings))
    report = checker.check_bytes(config.encode("utf-8"), str(tmp_path / "cfg" / "run.yaml"))
    assert report.reading == GENERIC
    assert report.findings == []
    # Under OmegaConf 0e-4 is the float 0: only the out-of-range lr is left.
    report = checker.check_bytes(config.replace("lr: 5e-4", "lr: 0e-4").encode("utf-8"), str(tmp_path / "cfg" / "run.yaml"))
    assert positions(report.findings) == [("S003", 3, 7)]
    assert "optim.lr (0) must be above 0" in report.findings[0].message


def test_a_second_dropout_beside_a_mistyped_first_is_still_a_guess():
    findings = lint('{"attention_dropout": "3e-4", "train": {"attention_dropout": 1}}', "run.json")
    assert [(f.code, f.key, f.severity.name) for f in findings if f.code == "S003"] == [("S003", "train.attention_dropout", "WARNING")]
