"""Schedule and warmup rules (T002-T010), with positions and the numbers in their messages."""

import os

from helpers import lint, positions

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")

KD = """{
  "alpha_kd": 0.7, "kd_top_k": 256,
  "num_epochs": 3,
  "steps_per_epoch": 24941,
  "gradient_accumulation_steps": 16,
  "warmup_ratio": 0.1,
  "scheduler": {"type": "cosine", "num_training_steps": 74823}
}"""


def test_seed_003_scheduler_sized_in_micro_batches_is_an_error_at_its_line():
    (finding,) = lint(KD, "kd.json")
    assert positions([finding]) == [("T006", 7, 57)]
    assert str(finding.severity) == "error"
    assert finding.message == (
        "scheduler.num_training_steps (74823) counts micro-batches, but the scheduler steps once per optimizer step: "
        "4,676 optimizer steps (74,823 micro-batches / 16 (gradient_accumulation_steps) = 4,676.4, rounded down: 4,676); "
        "the schedule would run 16x too long and the learning rate never leave warmup or decay; set it to 4676"
    )
    assert [r.key for r in finding.related] == ["steps_per_epoch", "num_epochs", "gradient_accumulation_steps"]


def test_scheduler_length_otherwise_off_is_a_warning():
    (finding,) = lint(KD.replace("74823", "3000"), "kd.json")
    assert (finding.code, str(finding.severity)) == ("T006", "warning")
    assert "the schedule ends early and trains the rest at its final rate; set it to 4676" in finding.message
    assert lint(KD.replace("74823", "4676"), "kd.json") == []


def test_the_seed_emergency_fix_example_reports_the_scheduler():
    with open(os.path.join(EXAMPLES, "emergency_fix_config.json")) as handle:
        findings = lint(handle.read(), "emergency_fix_config.json")
    assert ("T006", 10, 57) in positions(findings)


HF = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\n"


def test_long_warmup_in_epochs_and_in_steps():
    (finding,) = lint("seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 20\nwarmup_epochs: 8\n")
    assert positions([finding]) == [("T002", 5, 16)]
    assert finding.message.startswith("warmup_epochs (8) is 40% of train_epochs (20)")
    (finding,) = lint(HF + "max_steps: 1000\nwarmup_steps: 300\n")
    assert positions([finding]) == [("T002", 5, 15)]
    assert finding.message.startswith("warmup is 30% of training: warmup_steps (300) of max_steps (1,000)")


def test_warmup_ratio_that_rounds_to_zero():
    config = '{"alpha_kd": 0.7, "kd_top_k": 256, "num_epochs": 1, "steps_per_epoch": 640,\n "gradient_accumulation_steps": 16, "warmup_ratio": 0.01}'
    (finding,) = lint(config, "kd.json")
    assert positions([finding]) == [("T003", 2, 53)]
    assert finding.message.startswith("warmup_ratio (0.01) of 40 optimizer steps")


def test_fraction_in_warmup_steps():
    (finding,) = lint(HF + "warmup_steps: 0.1\n")
    assert positions([finding]) == [("T004", 4, 15)]
    assert "write warmup_ratio: 0.1 instead" in finding.message


def test_warmup_steps_and_ratio_both_set_names_what_the_trainer_uses():
    (finding,) = lint(HF + "warmup_steps: 100\nwarmup_ratio: 0.1\n")
    assert positions([finding]) == [("T005", 5, 15)]
    assert finding.message == (
        "warmup_steps (100) and warmup_ratio (0.1) are both set: the Hugging Face Trainer uses warmup_steps "
        "and ignores warmup_ratio; keep one of them"
    )


def test_min_lr_not_below_lr():
    (finding,) = lint("seq_len: 250\nlabel_len: 125\npred_len: 10\nlearning_rate: 0.0001\nmin_lr: 0.001\n")
    assert positions([finding]) == [("T007", 5, 9)]
    assert [r.key for r in finding.related] == ["learning_rate"]


STRUCTURE = "lambda_sparse: 0.0001\nlambda_acyclic: 0.00001\nepochs: 10\nscheduler:\n  type: ReduceLROnPlateau\n"


def test_plateau_factor_and_patience():
    findings = lint(STRUCTURE + "  factor: 1.5\n  patience: 10\n  cooldown: 2\n")
    assert positions(findings) == [("T008", 6, 11), ("T009", 7, 13)]
    assert findings[1].message.startswith("scheduler.patience (10) >= epochs (10): the plateau scheduler can never cut")


def test_intervals_longer_than_the_run():
    findings = lint(HF + "max_steps: 1000\neval_steps: 5000\nsave_steps: 0.5\nlogging_steps: 2000\n")
    assert positions(findings) == [("T010", 5, 13), ("T010", 7, 16)]
    assert findings[0].message == "eval_steps (5000) is longer than the run (max_steps (1,000)): it never evaluates during the run; use an interval below 1,000"


def test_axolotl_refuses_both_warmup_keys():
    config = "base_model: m\nmicro_batch_size: 2\nsequence_len: 2048\nwarmup_steps: 10\nwarmup_ratio: 0.1\n"
    (finding,) = lint(config)
    assert finding.message == (
        "warmup_steps (10) and warmup_ratio (0.1) are both set: axolotl refuses the config at start-up "
        "(it accepts only one of them); keep one of them"
    )


def test_warmup_steps_counted_in_micro_batches():
    config = KD.replace('"warmup_ratio": 0.1', '"warmup_steps": 7482').replace("74823", "4676")
    (finding,) = lint(config, "kd.json")
    assert positions([finding]) == [("T006", 6, 19)]
    assert str(finding.severity) == "error"
    assert finding.message == (
        "warmup_steps (7,482) looks counted in micro-batches: it is 160% of 4,676 optimizer steps (74,823 micro-batches "
        "/ 16 (gradient_accumulation_steps) = 4,676.4, rounded down: 4,676), but warmup counts optimizer steps; "
        "7482 / 16 = 467: set it to 467"
    )


def test_gradient_accumulation_must_be_a_whole_number():
    (finding,) = lint(HF + "gradient_accumulation_steps: 2.5\n")
    assert positions([finding]) == [("S002", 4, 30)]
    assert finding.message == "gradient_accumulation_steps is the number 2.5, expected an integer"
