"""Batch and accumulation rules (B001-B003) and the litgpt dialect they need."""

from helpers import lint, positions

DS = '{"train_batch_size": %s, "train_micro_batch_size_per_gpu": 8, "gradient_accumulation_steps": 4,\n "zero_optimization": {"stage": 2}%s}'


def test_global_batch_not_a_multiple_without_world_size():
    (finding,) = lint(DS % (100, ""), "ds.json")
    assert positions([finding]) == [("B001", 1, 22)]
    assert finding.message == (
        "train_batch_size (100) is not a multiple of train_micro_batch_size_per_gpu (8) x gradient_accumulation_steps (4) = 32: "
        "no whole number of replicas gives it, so the engine refuses to start; use a multiple of 32 (e.g. 128)"
    )
    assert lint(DS % (128, ""), "ds.json") == []


def test_global_batch_exact_when_world_size_is_known():
    config = "checkpoint_dir: c\ndevices: 2\ntrain:\n  global_batch_size: 32\n  micro_batch_size: 4\n"
    assert lint(config) == []  # litgpt derives accumulation: 32 // 2 // 4 = 4, no mismatch to report
    hf = "per_device_train_batch_size: 4\nnum_train_epochs: 1\nlr_scheduler_type: cosine\n"
    assert lint(hf) == []


def test_litgpt_truncated_global_batch():
    config = "checkpoint_dir: checkpoints/model\ndevices: 1\ntrain:\n  global_batch_size: 16\n  micro_batch_size: 3\n"
    (finding,) = lint(config)
    assert positions([finding]) == [("B002", 4, 22)]
    assert finding.message == (
        "train.global_batch_size (16) is not a multiple of train.micro_batch_size (3): accumulation is "
        "16 (train.global_batch_size) // (1 devices x 3 (train.micro_batch_size)) = 5, so each optimizer step sees 15 samples, "
        "not 16; use a multiple of 3"
    )


def test_epoch_shorter_than_accumulation():
    config = '{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 3, "steps_per_epoch": 10,\n "gradient_accumulation_steps": 16}'
    (finding,) = lint(config, "kd.json")
    assert positions([finding]) == [("B003", 2, 33)]
    assert finding.message.startswith("an epoch has steps_per_epoch (10), fewer than one accumulation window of 16")
