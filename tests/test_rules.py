"""Each rule on inline configs of the three seed families, with exact positions."""

from helpers import lint, positions

PRODUCTION = """\
d_model: 416
n_heads: 8
enc_in: 118
c_out: 4
target_indices: [0, 1, 2, 3]
seq_len: 250
label_len: 125
pred_len: 10
train_epochs: 50
learning_rate: 0.001
warmup_epochs: 8
dropout: 0.1
gradient_accumulation_steps: 3
"""


def edit(text, old, new):
    assert old in text
    return text.replace(old, new)


def test_clean_production_config_has_no_findings():
    assert lint(PRODUCTION) == []


def test_warmup_epochs_not_below_train_epochs():
    (finding,) = lint(edit(PRODUCTION, "train_epochs: 50", "train_epochs: 6"))
    assert positions([finding]) == [("T001", 11, 16)]
    assert finding.message.startswith("warmup_epochs (8) >= train_epochs (6): the learning rate never reaches its peak")
    assert [(r.key, r.span.line) for r in finding.related] == [("train_epochs", 9)]
    assert (finding.span.end_line, finding.span.end_column) == (11, 17)


def test_warmup_steps_against_deepspeed_total_steps():
    config = '{"zero_optimization": {"stage": 2}, "train_micro_batch_size_per_gpu": 4,\n "scheduler": {"type": "WarmupDecayLR", "params": {"warmup_num_steps": 5000, "total_num_steps": 4676}}}'
    (finding,) = lint(config, "ds.json")
    assert positions([finding]) == [("T001", 2, 72)]
    assert finding.key == "scheduler.params.warmup_num_steps"
    assert finding.message.startswith("scheduler.params.warmup_num_steps (5000) >= scheduler.params.total_num_steps (4676)")


def test_label_len_longer_than_seq_len():
    (finding,) = lint(edit(PRODUCTION, "label_len: 125", "label_len: 300"))
    assert positions([finding]) == [("M001", 7, 12)]
    assert "label_len (300) > seq_len (250)" in finding.message


def test_d_model_not_divisible_by_heads_names_divisors():
    (finding,) = lint(edit(PRODUCTION, "n_heads: 8", "n_heads: 6"))
    assert positions([finding]) == [("M002", 2, 10)]
    assert finding.message == (
        "d_model (416) is not divisible by n_heads (6): attention gives each head d_model / n_heads (69.33) "
        "dimensions; choose n_heads from 1, 2, 4, 8, 13, 16, 26, 32, 52"
    )


def test_target_indices_outside_enc_in_and_longer_than_c_out():
    config = edit(edit(PRODUCTION, "enc_in: 118", "enc_in: 4"), "target_indices: [0, 1, 2, 3]", "target_indices: [0, 1, 2, 4, -1]")
    findings = lint(config)
    assert positions(findings) == [("M003", 5, 17), ("M003", 5, 27), ("M003", 5, 30)]
    assert findings[0].message.startswith("target_indices lists 5 targets but c_out (4) outputs only 4")
    assert findings[1].message.startswith("target index 4 is outside the 4 input columns (enc_in (4))")


def test_values_out_of_range():
    config = edit(edit(edit(PRODUCTION, "learning_rate: 0.001", "learning_rate: 0"), "dropout: 0.1", "dropout: 1.0"), "gradient_accumulation_steps: 3", "gradient_accumulation_steps: 0")
    findings = lint(config)
    assert positions(findings) == [("S003", 10, 16), ("S003", 12, 10), ("S003", 13, 30)]
    assert findings[0].message == "learning_rate (0) must be above 0: the weights never move"
    assert findings[1].message == "dropout (1) must be in [0, 1): dropout 1 zeroes every activation"


def test_distillation_temperature_warmup_ratio_clip_out_of_range():
    config = '{"alpha_kd": 0.7, "kd_top_k": 256,\n "temperature": 0,\n "warmup_ratio": 1.5,\n "max_grad_norm": -1}'
    findings = lint(config, "kd.json")
    assert positions(findings) == [("S003", 2, 17), ("S003", 3, 18), ("S003", 4, 19)]
    assert findings[0].message.startswith("temperature (0) must be above 0: softmax(logits / T)")
    assert findings[2].message.startswith("max_grad_norm (-1) must not be negative")


def test_nan_learning_rate_is_not_finite():
    findings = lint(edit(PRODUCTION, "learning_rate: 0.001", "learning_rate: .nan"))
    assert positions(findings) == [("S003", 10, 16)]
    assert "is not a finite number" in findings[0].message


def test_unknown_key_with_suggestion():
    (finding,) = lint(edit(PRODUCTION, "learning_rate: 0.001", "lerning_rate: 0.001"))
    assert positions([finding]) == [("S001", 10, 1)]
    assert finding.message == "unknown key 'lerning_rate' at the top level: the training code will ignore it or fail; did you mean 'learning_rate'?"


def test_unknown_key_in_nested_block_of_distillation_json():
    config = '{"alpha_kd": 0.7, "kd_top_k": 256, "scheduler": {"type": "cosine", "num_train_steps": 10}}'
    (finding,) = lint(config, "kd.json")
    assert positions([finding]) == [("S001", 1, 68)]
    assert finding.key == "scheduler.num_train_steps"
    assert "did you mean 'num_training_steps'?" in finding.message


def test_number_written_as_string_is_wrong_type():
    (finding,) = lint(edit(PRODUCTION, "learning_rate: 0.001", 'learning_rate: "0.0005"'))
    assert positions([finding]) == [("S002", 10, 16)]
    assert finding.message == "learning_rate is the string '0.0005', expected a number: a training script reads it as text; write it without quotes (0.0005)"


def test_wrong_type_in_structure_learning_grid_and_optimizer():
    config = "lambda_sparse: 0.0001\nlambda_acyclic: 1.0e-5\noptimizer:\n  lr: '5e-4'\ngrid:\n  lambda_sparse: [1.0e-4, null]\n"
    findings = lint(config)
    assert positions(findings) == [("S002", 4, 7), ("G002", 6, 27)]
    assert findings[1].message.startswith("grid.lambda_sparse[1] (None) is not a number, but lambda_sparse is")


def test_wrong_type_in_a_framework_dialect_comes_from_the_plan():
    config = "per_device_train_batch_size: 4\nnum_train_epochs: 3\nlr_scheduler_type: cosine\nlearning_rate: '2e-5'\n"
    assert positions(lint(config)) == [("S002", 4, 16)]


def test_placeholders_are_not_type_errors():
    config = '{"train_micro_batch_size_per_gpu": "auto", "zero_optimization": {"stage": 3}, "gradient_clipping": "auto", "optimizer": {"type": "AdamW", "params": {"lr": "auto"}}}'
    assert lint(config, "ds.json") == []


def test_duplicate_key_and_syntax_error_rules():
    findings = lint("learning_rate: 0.001\nlearning_rate: 0.003\n")
    assert positions(findings) == [("D002", 2, 1)]
    assert [(r.key, r.span.line) for r in findings[0].related] == [("learning_rate", 1)]
    assert positions(lint("a: [1\n")) == [("D001", 2, 1)]


def test_rule_selection():
    config = edit(edit(PRODUCTION, "n_heads: 8", "n_heads: 6"), "train_epochs: 50", "train_epochs: 6")
    assert [f.code for f in lint(config)] == ["M002", "T001"]
    assert [f.code for f in lint(config, select=["T"])] == ["T001"]
    assert [f.code for f in lint(config, ignore=["warmup-exceeds-training"])] == ["M002"]
