"""The LAVIS dialect: OmegaConf loading, the runner's own conversions, iteration-based runs and
warmups that only the first epoch holds, on small configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text):
    doc = load_document("c.yaml", text.encode())
    detection, _ = detect(doc)
    return (detection.dialect.name if detection else None), (build_plan(doc, detection.dialect) if detection else None)


EPOCHS = """\
model:
  arch: blip2
  model_type: pretrain
run:
  task: image_text_pretrain
  lr_sched: linear_warmup_cosine_lr
  init_lr: "1e-4"
  min_lr: 1e-5
  warmup_lr: 1e-6
  weight_decay: 0.05
  max_epoch: 10
  warmup_steps: 5000
  batch_size_train: 100
  world_size: 1
  amp: True
"""


def test_an_epoch_run_reads_the_runner_keys_and_leaves_a_multi_epoch_warmup_unknown():
    name, plan = read(EPOCHS)
    assert name == "lavis"
    # init_lr goes through float(): the quoted value is the number, not a type error.
    assert (plan.get("learning_rate").value, plan.get("min_lr").value, plan.get("epochs").value) == (0.0001, 1e-05, 10)
    assert plan.get("batch_size").value == 100 and plan.get("max_steps") is None
    # The warmup runs only during epoch 0: whether 5000 iterations fit in it is not known.
    assert plan.get("warmup_steps") is None
    # OmegaConf reads 1e-5 as a float (no Y001), run.world_size is the launcher's.
    assert positions(lint(EPOCHS)) == []


def test_a_duplicate_key_refuses_the_file():
    findings = lint(EPOCHS + "  max_epoch: 5\n")
    assert positions(findings) == [("D002", 16, 3)]
    assert "OmegaConf refuses the file" in findings[0].message


def test_min_lr_above_init_lr():
    assert positions(lint(EPOCHS.replace("min_lr: 1e-5", "min_lr: 1e-3"))) == [("T007", 8, 11)]


ITERATIONS = """\
model:
  arch: blip
run:
  task: captioning
  runner: runner_iter
  max_iters: 2e3
  iters_per_inner_epoch: 2e3
  max_epoch: 100
  lr_sched: linear_warmup_cosine_lr
  init_lr: 2e-5
  min_lr: 0
  warmup_steps: 2000
  batch_size_train: 16
"""


def test_an_iteration_run_is_max_iters_long_and_a_warmup_inside_the_inner_epoch_is_read():
    name, plan = read(ITERATIONS)
    assert name == "lavis"
    assert (plan.get("max_steps").value, plan.get("warmup_steps").value, plan.get("epochs")) == (2000, 2000, None)
    assert positions(lint(ITERATIONS)) == [("T001", 12, 17)]


def test_a_warmup_past_the_inner_epoch_or_with_accumulation_is_not_read():
    _, plan = read(ITERATIONS.replace("iters_per_inner_epoch: 2e3", "iters_per_inner_epoch: 500"))
    assert plan.get("warmup_steps") is None and plan.get("max_steps").value == 2000
    _, plan = read(ITERATIONS + "  accum_grad_iters: 2\n")
    assert plan.get("warmup_steps") is None and plan.get("max_steps") is None


def test_a_fractional_warmup_is_read_whatever_the_epochs():
    assert positions(lint(EPOCHS.replace("warmup_steps: 5000", "warmup_steps: 0.1"))) == [("T004", 12, 17)]


def test_an_evaluation_config_has_no_training_settings():
    text = EPOCHS.replace("  amp: True\n", "  evaluate: True\n").replace("max_epoch: 10", "max_epoch: 0")
    _, plan = read(text)
    assert plan.empty
    assert positions(lint(text)) == []


def test_a_model_default_config_is_lavis():
    assert read("model:\n  arch: blip2_opt\n  load_finetuned: False\n  drop_path_rate: 0\npreprocess:\n  vis_processor:\n    train:\n      name: blip_image_train\n")[0] == "lavis"
    assert read("datasets:\n  coco_caption:\n    data_type: images\n    build_info:\n      images:\n        storage: coco/\n")[0] == "lavis"
