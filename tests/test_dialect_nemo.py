"""The NeMo dialect, on small configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text):
    doc = load_document("c.yaml", text.encode())
    detection, _ = detect(doc)
    dialect = detection.dialect if detection else None
    plan = build_plan(doc, dialect) if dialect else None
    return (dialect.name if dialect else None), plan


def value(plan, field):
    setting = plan.get(field)
    return setting.value if setting else None


ASR = """\
name: Conformer-CTC-BPE
model:
  train_ds:
    manifest_filepath: ???
    batch_size: 16
  validation_ds:
    manifest_filepath: ???
    batch_size: 64
  encoder:
    _target_: nemo.collections.asr.modules.ConformerEncoder
    d_model: 512
    n_heads: 8
  optim:
    name: OPTIMIZER
    lr: LR
    betas: [0.9, 0.98]
    weight_decay: 1e-3
    sched:
      name: SCHEDULER
      warmup_steps: WARMUP
      warmup_ratio: null
      min_lr: 1e-6
      max_steps: 500
trainer:
  devices: -1
  max_epochs: -1
  max_steps: MAX_STEPS
  accumulate_grad_batches: 1
  gradient_clip_val: 0.0
  val_check_interval: VAL
  log_every_n_steps: 10
exp_manager:
  exp_dir: null
  create_checkpoint_callback: true
  checkpoint_callback_params:
    every_n_train_steps: 2000
"""


def asr(optimizer="adamw", lr="2.0", scheduler="NoamAnnealing", warmup="10000", max_steps="100000", val="1.0"):
    return (
        ASR.replace("OPTIMIZER", optimizer).replace("LR", lr).replace("SCHEDULER", scheduler)
        .replace("WARMUP", warmup).replace("MAX_STEPS", max_steps).replace("VAL", val)
    )


def test_detected_over_hydra_and_lightning_keys_and_reads_model_optim():
    name, plan = read(asr(lr="1e-3", scheduler="CosineAnnealing"))
    assert name == "nemo"
    assert (value(plan, "optimizer"), value(plan, "learning_rate"), value(plan, "weight_decay"), value(plan, "min_lr")) == ("adamw", 0.001, 0.001, 1e-06)
    assert (value(plan, "max_steps"), value(plan, "epochs"), value(plan, "warmup_steps"), value(plan, "warmup_ratio")) == (100000, None, 10000, None)
    assert (value(plan, "batch_size"), value(plan, "save_interval"), value(plan, "log_interval")) == (16, 2000, 10)
    # trainer.max_steps overwrites sched.max_steps (ModelPT.setup_optimization): not the schedule's length
    assert plan.get("scheduler_steps") is None
    # val_check_interval 1.0 is a share of an epoch, not a number of steps
    assert plan.get("eval_interval") is None


def test_a_noam_scale_and_fractional_intervals_are_quiet():
    # lr 2.0 is NoamAnnealing's scale (no O002), 1e-3 and 1e-6 are floats to OmegaConf (no Y001),
    # gradient_clip_val 0 is Lightning's own "no clipping" (no O004), sched.max_steps 500 is overwritten.
    assert lint(asr()) == []


def test_warmup_longer_than_the_run():
    assert positions(lint(asr(lr="1e-3", scheduler="CosineAnnealing", warmup="100000", max_steps="20000"))) == [("T001", 20, 21)]


def test_sched_max_steps_counts_only_without_trainer_max_steps():
    _, plan = read(asr(max_steps="-1"))
    assert value(plan, "scheduler_steps") == 500 and plan.get("max_steps") is None
    assert positions(lint(asr(lr="1e-3", scheduler="CosineAnnealing", warmup="1000", max_steps="-1"))) == [("T001", 20, 21)]


def test_an_integer_val_check_interval_counts_batches():
    _, plan = read(asr(val="200000"))
    assert value(plan, "eval_interval") == 200000
    assert positions(lint(asr(val="200000"))) == [("T010", 30, 23)]
    _, plan = read(asr(val="200000").replace("accumulate_grad_batches: 1", "accumulate_grad_batches: 4"))
    assert plan.get("eval_interval") is None  # batches, not optimizer steps, under accumulation


def test_adam_with_weight_decay_and_a_quoted_rate():
    findings = lint(asr(optimizer="adam", lr="'0.001'", scheduler="CosineAnnealing"))
    assert positions(findings) == [("S002", 15, 9), ("O001", 17, 19)]


def test_a_lightning_or_hydra_config_without_nemo_blocks_is_not_nemo():
    lightning = "trainer:\n  max_epochs: 3\n  accumulate_grad_batches: 2\nmodel:\n  optim:\n    name: adam\n    lr: 0.001\n"
    assert read(lightning)[0] == "lightning-cli"
    assert read("exp_manager:\n  exp_dir: null\n")[0] is None  # one marker block alone is below the threshold
