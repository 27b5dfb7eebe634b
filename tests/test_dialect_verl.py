"""The verl dialect: global steps as the unit, the warmup's -1, Megatron's Adam, the critic's own
optimizer and the config-group fragments, on small configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text):
    doc = load_document("c.yaml", text.encode())
    detection, _ = detect(doc)
    return (detection.dialect.name if detection else None), (build_plan(doc, detection.dialect) if detection else None)


PPO = """\
defaults:
  - ppo_trainer
  - _self_
data:
  train_batch_size: 1024
actor_rollout_ref:
  actor:
    strategy: fsdp
    ppo_mini_batch_size: 256
    ppo_micro_batch_size_per_gpu: 4
    grad_clip: 1.0
    optim:
      lr: 1e-6
      lr_warmup_steps: -1
      lr_warmup_steps_ratio: 0.0
      total_training_steps: -1
      weight_decay: 0.01
      lr_scheduler_type: constant
  rollout:
    n: 5
    temperature: 1.0
critic:
  optim:
    lr: 1e-5
    lr_warmup_steps: 500
trainer:
  total_epochs: 15
  total_training_steps: 200
  critic_warmup: 0
  save_freq: -1
  test_freq: 10
"""


def test_a_ppo_config_is_read_in_global_steps_and_the_critic_is_not_the_plan():
    name, plan = read(PPO)
    assert name == "verl"  # outweighs the Hydra markers (`defaults`)
    assert (plan.get("learning_rate").value, plan.get("max_steps").value, plan.get("epochs").value) == (1e-06, 200, 15)
    assert plan.get("warmup_steps") is None and plan.get("warmup_ratio").value == 0.0  # -1: the ratio decides
    assert plan.get("eval_interval").value == 10 and plan.get("save_interval") is None  # -1: off
    assert plan.get("batch_size") is None and plan.get("global_batch_size") is None
    # 1e-6 is a float to OmegaConf; the critic's warmup of 500 and the rollout's temperature are not read.
    assert positions(lint(PPO)) == []


def test_a_warmup_longer_than_the_run_in_global_steps():
    text = PPO.replace("lr_warmup_steps: -1", "lr_warmup_steps: 300")
    assert positions(lint(text)) == [("T001", 14, 24)]


def test_a_test_interval_longer_than_the_run():
    findings = lint(PPO.replace("test_freq: 10", "test_freq: 500"))
    assert positions(findings) == [("T010", 31, 14)]


def test_torch_adam_with_weight_decay_under_fsdp_but_not_megatron_adam():
    text = PPO.replace("      lr: 1e-6\n", "      lr: 1e-6\n      optimizer: Adam\n      optimizer_impl: torch.optim\n")
    assert positions(lint(text)) == [("O001", 19, 21)]
    megatron = text.replace("strategy: fsdp", "strategy: megatron").replace("optimizer: Adam", "optimizer: adam")
    assert read(megatron)[1].get("optimizer") is None
    assert positions(lint(megatron)) == []


def test_megatron_takes_the_ratio_of_lr_decay_steps():
    text = PPO.replace("strategy: fsdp", "strategy: megatron").replace("lr_warmup_steps_ratio: 0.0", "lr_warmup_steps_ratio: 0.5\n      lr_decay_steps: 1000")
    assert read(text)[1].get("warmup_ratio") is None
    assert positions(lint(text)) == []


def test_an_optimizer_fragment_is_verl():
    fragment = "_target_: verl.workers.config.McoreOptimizerConfig\noptimizer: adam\nlr: 1e-3\nlr_warmup_steps_ratio: 0.0\nweight_decay: 0.01\nclip_grad: 1.0\nlr_decay_style: constant\n"
    name, plan = read(fragment)
    assert name == "verl" and plan.get("optimizer") is None and plan.get("learning_rate").value == 0.001
    assert positions(lint(fragment)) == []


def test_a_trainer_config_without_actor_rollout_ref_is_not_verl():
    assert read("defaults:\n  - _self_\ntrainer:\n  total_epochs: 3\n  total_training_steps: 10\noptim:\n  lr: 1e-5\n")[0] != "verl"
