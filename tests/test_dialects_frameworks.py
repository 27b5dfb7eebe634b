"""Each framework dialect: detection from its own keys and its step arithmetic, on small configs
written for these tests."""

import pytest
from click.testing import CliRunner

from cfglint.cli import main
from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.schedule import step_plan
from cfglint.source import load_document
from helpers import lint, positions


def analysed(text, name="c.yaml", **overrides):
    doc = load_document(name, text.encode())
    detection, _ = detect(doc)
    assert detection is not None, "no dialect detected"
    plan = build_plan(doc, detection.dialect)
    return detection.dialect.name, plan, step_plan(plan, detection.dialect.rounding, derives_accumulation=detection.dialect.derives_accumulation, **overrides)


LIGHTNING = """\
seed_everything: 0
trainer:
  max_epochs: 3
  max_steps: -1
  accumulate_grad_batches: 4
  gradient_clip_val: 1.0
model:
  class_path: pkg.Module
  init_args:
    learning_rate: 1e-3
data:
  class_path: pkg.Data
  init_args:
    batch_size: 32
"""


def test_lightning_cli_rounds_a_partial_window_up_and_reads_module_arguments():
    name, plan, steps = analysed(LIGHTNING, steps_per_epoch=101)
    assert name == "lightning-cli"
    assert (plan.get("learning_rate").value, plan.get("batch_size").value, plan.get("max_steps")) == (0.001, 32, None)
    assert (steps.optimizer_steps_per_epoch.value, steps.total_steps.value) == (26, 78)  # ceil(101 / 4) x 3


def test_lightning_cli_fragment_with_top_level_class_path():
    assert analysed("class_path: pkg.Module\ninit_args:\n  lr: 0.1\n")[0] == "lightning-cli"


HYDRA = """\
defaults:
  - model: mnist
  - _self_
trainer:
  _target_: lightning.pytorch.trainer.Trainer
  max_epochs: ${epochs}
  max_steps: ???
epochs: 10
model:
  optimizer:
    _target_: torch.optim.Adam
    lr: ${..base_lr}
  base_lr: 0.001
  scheduler:
    _target_: torch.optim.lr_scheduler.ReduceLROnPlateau
    factor: 0.1
    patience: 12
"""


def test_hydra_resolves_references_and_leaves_mandatory_values_unknown():
    name, plan, _ = analysed(HYDRA)
    assert name == "hydra"
    assert plan.get("epochs").value == 10 and plan.get("epochs").key == "trainer.max_epochs"
    assert plan.get("learning_rate").value == 0.001 and plan.get("learning_rate").node.span.line == 12
    assert plan.get("max_steps") is None
    assert positions(lint(HYDRA)) == [("T009", 17, 15)]  # patience 12 >= 10 epochs, found through ${epochs}


def composer(duration, warmup):
    return COMPOSER.replace("DURATION", duration).replace("WARMUP", warmup)


COMPOSER = """\
variables:
  seq: 2048
max_seq_len: ${variables.seq}
global_train_batch_size: 256
device_train_microbatch_size: 8
max_duration: DURATION
optimizer:
  name: decoupled_adamw
  lr: 6.0e-4
scheduler:
  name: cosine_with_warmup
  t_warmup: WARMUP
train_loader:
  name: text
"""


@pytest.mark.parametrize(
    "duration, warmup, total, warmup_steps",
    [
        ("1000ba", "100ba", 1000, 100),
        ("1000ba", "0.02dur", 1000, 20),
        ("2560000sp", "50ba", 10000, 50),  # samples / global batch
        ("5242880000tok", "0.01dur", 10000, 100),  # tokens / (global batch x sequence length)
    ],
)
def test_composer_time_strings(duration, warmup, total, warmup_steps):
    name, plan, steps = analysed(composer(duration, warmup))
    assert name == "composer"
    assert (steps.total_steps.value, steps.warmup_steps.value) == (total, warmup_steps)


def test_composer_epochs_and_a_bad_time_string():
    _, plan, _ = analysed(composer("2ep", "0.02dur"))
    assert (plan.get("epochs").value, plan.get("warmup_ratio").value, plan.get("max_steps")) == (2, 0.02, None)
    findings = lint(composer("2eps", "100ba"))
    assert positions(findings) == [("S002", 6, 15)]
    assert "expected a time string such as 2ep, 100ba or 0.02dur" in findings[0].message
    assert positions(lint(composer("50ba", "100ba"))) == [("T001", 12, 13)]


def test_accelerate_sets_the_world_size():
    name, plan, _ = analysed("compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\nnum_processes: 8\nmixed_precision: bf16\n")
    assert (name, plan.get("world_size").value) == ("accelerate", 8)


TORCHDISTILL = """\
datasets:
  name: &name 'cifar10'
models:
  teacher_model: {key: resnet34}
  student_model: {key: resnet18}
train:
  num_epochs: 20
  train_data_loader:
    dataset_id: !join [*name, '/train']
    kwargs: {batch_size: 64}
  optimizer:
    key: 'SGD'
    kwargs: {lr: 0.1, momentum: 0.9, weight_decay: 0.0005}
    grad_accum_step: 2
    max_grad_norm: 5.0
  criterion:
    key: 'WeightedSumLoss'
    kwargs:
      kd: {criterion: {key: KDLoss, kwargs: {temperature: 4.0, alpha: 0.0}}, weight: 1000.0}
      ce: {weight: 1.0e-7}
"""


def test_torchdistill_reads_the_train_block_and_never_its_loss_weights():
    name, plan, steps = analysed(TORCHDISTILL, steps_per_epoch=100)
    assert name == "torchdistill"
    assert (plan.get("learning_rate").value, plan.get("gradient_accumulation_steps").value, plan.get("batch_size").value) == (0.1, 2, 64)
    assert plan.loss_weights == {}
    assert steps.total_steps.value == 1000  # 100 / 2 x 20
    assert lint(TORCHDISTILL) == []  # alpha 0.0 and weights 1000 / 1e-7 are torchdistill conventions


def test_mdistiller_yacs_blocks():
    name, plan, _ = analysed("EXPERIMENT:\n  NAME: x\nDISTILLER:\n  TYPE: KD\nSOLVER:\n  LR: 0.05\n  EPOCHS: 240\n  BATCH_SIZE: 64\n")
    assert (name, plan.get("learning_rate").value, plan.get("epochs").value, plan.get("optimizer")) == ("mdistiller", 0.05, 240, None)


def test_dinov2_counts_epochs_of_its_official_length():
    config = "student:\n  arch: vit_large\nteacher:\n  momentum_teacher: 0.994\noptim:\n  epochs: 10\n  warmup_epochs: 10\n  base_lr: 0.004\ntrain:\n  OFFICIAL_EPOCH_LENGTH: 1250\n"
    name, plan, steps = analysed(config)
    assert (name, steps.micro_batches_per_epoch.value) == ("dinov2", 1250)
    assert positions(lint(config)) == [("T001", 7, 18)]


def test_gcastle_reads_pyyaml_tagged_floats():
    name, plan, _ = analysed("dataset_params:\n  x_file: None\nmodel_params:\n  lambda1: 0.1\n  h_tol: !!float 1e-8\n  lr: 1e-3\n")
    assert name == "causal-discovery"
    assert positions(lint("dataset_params:\n  x_file: None\nmodel_params:\n  lr: 1e-3\n")) == [("Y001", 4, 7)]  # gCastle reads with PyYAML


def test_detectron2_iterations():
    config = "_BASE_: base.yaml\nSOLVER:\n  IMS_PER_BATCH: 16\n  BASE_LR: 0.02\n  MAX_ITER: 1000\n  WARMUP_ITERS: 1500\n"
    name, _, steps = analysed(config)
    assert (name, steps.total_steps.value, steps.warmup_steps.value) == ("detectron2", 1000, 1500)
    assert positions(lint(config)) == [("T001", 6, 17)]


def test_latent_diffusion_lightning_block():
    config = "model:\n  base_learning_rate: 1.0e-4\n  target: ldm.Model\nlightning:\n  trainer:\n    max_steps: 100000\n    accumulate_grad_batches: 2\n"
    name, plan, _ = analysed(config)
    assert (name, plan.get("max_steps").value, plan.get("gradient_accumulation_steps").value) == ("latent-diffusion", 100000, 2)


def test_bing_bert_first_phase():
    config = '{"bert_token_file": "bert-base-uncased", "bert_model_config": {"hidden_dropout_prob": 0.1},\n "mixed_seq_training": {"128": {"num_epochs": 2, "warmup_proportion": 1.2, "learning_rate": 4e-4, "total_training_steps": 1000}}}'
    name, plan, _ = analysed(config, "bert.json")
    assert (name, plan.get("warmup_ratio").value, plan.get("max_steps").value) == ("bing-bert", 1.2, 1000)
    assert [f.code for f in lint(config, "bert.json")] == ["S003"]  # a warmup proportion above 1


def test_dialects_command_and_the_dialect_alias():
    listing = CliRunner().invoke(main, ["dialects"]).output
    assert "composer             MosaicML Composer / llm-foundry YAML" in listing
    shown = CliRunner().invoke(main, ["dialects", "torchdistill"]).output
    assert "  gradient_accumulation_steps  train.optimizer.grad_accum_step" in shown
    assert "Steps: rounded down over the whole run" in shown
    result = CliRunner().invoke(main, ["check", "--isolated", "--dialect", "nope", "x.yaml"])
    assert result.exit_code == 2
