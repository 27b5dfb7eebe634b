"""Optimizer, clipping and regularisation rules (O001-O007)."""

from helpers import lint, positions

STRUCTURE = "lambda_sparse: 0.0001\nlambda_acyclic: 0.00001\n"
HF = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\n"


def test_adam_with_weight_decay_in_the_structure_learner():
    (finding,) = lint(STRUCTURE + "optimizer:\n  name: Adam\n  lr: 0.0005\n  weight_decay: 0.0001\n")
    assert positions([finding]) == [("O001", 6, 17)]
    assert finding.message.startswith("optimizer.weight_decay (0.0001) with Adam: Adam adds weight decay to the gradient")
    assert [r.key for r in finding.related] == ["optimizer.name"]


def test_deepspeed_adam_is_adamw_mode_and_stays_quiet():
    config = '{"train_micro_batch_size_per_gpu": 8, "zero_optimization": {"stage": 2}, "optimizer": {"type": "Adam", "params": {"lr": 1e-4, "weight_decay": 0.01}}}'
    assert lint(config, "ds.json") == []


def test_learning_rate_too_high_and_too_low():
    (finding,) = lint(HF + "learning_rate: 0.05\n")
    assert positions([finding]) == [("O002", 4, 16)]
    assert finding.message.startswith("learning_rate (0.05) is above the usual range for adamw_torch (up to 0.01)")
    (finding,) = lint(HF + "learning_rate: 2.0e-9\n")
    assert positions([finding]) == [("O003", 4, 16)]
    assert lint(STRUCTURE + "optimizer:\n  name: SGD\n  lr: 0.5\n") == []


def test_seed_004_clip_10_with_adam_at_1e_3():
    (finding,) = lint(STRUCTURE + "optimizer:\n  name: Adam\n  lr: 0.001\ngrad_clip: 10.0\n")
    assert positions([finding]) == [("O004", 6, 12)]
    assert finding.message.startswith("grad_clip (10) hardly ever clips while Adam runs at optimizer.lr (0.001)")
    (finding,) = lint(STRUCTURE + "optimizer:\n  name: Adam\n  lr: 0.001\ngrad_clip: 0\n")
    assert "disables clipping" in finding.message
    assert lint(STRUCTURE + "optimizer:\n  name: Adam\n  lr: 0.001\ngrad_clip: 1.0\n") == []


def test_betas_out_of_range_points_at_the_item():
    config = '{"train_micro_batch_size_per_gpu": 8, "zero_optimization": {"stage": 2},\n "optimizer": {"type": "AdamW", "params": {"lr": 1e-4, "betas": [0.9, 999]}}}'
    (finding,) = lint(config, "ds.json")
    assert positions([finding]) == [("O005", 2, 71)]
    assert finding.key == "optimizer.params.betas[1]"


def test_epsilon_underflow_only_without_fp32_optimizer_state():
    (finding,) = lint('{"kd_top_k": 256, "temperature": 4.0, "fp16": true, "optimizer": "AdamW", "adam_epsilon": 1e-8}', "kd.json")
    assert positions([finding]) == [("O006", 1, 91)]
    assert lint(HF + "fp16: true\nadam_epsilon: 1.0e-8\n") == []


def test_weight_decay_too_high_and_decay_budget():
    (finding,) = lint(HF + "learning_rate: 0.001\nweight_decay: 0.5\n")
    assert positions([finding]) == [("O007", 5, 15)]
    constant = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: constant\n"
    assert lint(constant + "learning_rate: 0.001\nweight_decay: 0.1\nmax_steps: 100000\n") == []  # 10 timescales: a recipe
    (finding,) = lint(constant + "learning_rate: 0.001\nweight_decay: 0.1\nmax_steps: 1000000\n")
    assert finding.code == "O007"
    assert "a memory of 1 / (lr x wd) = 10,000 steps, and the run is 100 of those" in finding.message


def test_deepspeed_explicit_zero_clip_is_its_default_and_stays_quiet():
    config = '{"train_batch_size": 256, "gradient_clipping": 0, "zero_optimization": {"stage": 0}, "optimizer": {"type": "Adam", "params": {"lr": 0.001}}}'
    assert lint(config, "ds.json") == []
