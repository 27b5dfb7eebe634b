"""gpt-neox: detection, the keys it reads in either spelling, `warmup` as a share of the
schedule, and the top-level keys NeoXArgs refuses, on small configs written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.schedule import step_plan
from cfglint.source import load_document
from helpers import lint, positions


def analysed(text):
    doc = load_document("neox.yml", text.encode())
    detection, tied = detect(doc)
    assert detection is not None, tied
    plan = build_plan(doc, detection.dialect)
    return detection.dialect.name, plan, step_plan(plan, detection.dialect.rounding, max_steps_rule=detection.dialect.max_steps_rule)


NEOX = """\
# a small model, written JSON-like as gpt-neox configs are
{
  "pipe_parallel_size": 1,
  "model_parallel_size": 1,
  "num_layers": 12,
  "hidden_size": 768,
  "num_attention_heads": 12,
  "seq_length": 2048,
  "pos_emb": "rotary",
  "optimizer": {"type": "Adam", "params": {"lr": 0.0006, "betas": [0.9, 0.95], "eps": 1.0e-8}},
  "min_lr": 0.00006,
  "zero_optimization": {"stage": 1},
  "train_micro_batch_size_per_gpu": 8,
  "gradient_accumulation_steps": 4,
  "gradient_clipping": 1.0,
  "weight_decay": 0.1,
  "train_iters": 20000,
  "lr_decay_iters": LENGTH,
  "lr_decay_style": "cosine",
  "warmup": 0.01,
  "checkpoint_factor": 1000,
  "eval_interval": 1000,
}
"""


def neox(length=20000, **replace):
    text = NEOX.replace("LENGTH", str(length))
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def test_detected_over_deepspeed_and_read():
    name, plan, steps = analysed(neox())
    assert name == "gpt-neox"
    values = {field: plan.get(field).value for field in ("learning_rate", "min_lr", "weight_decay", "max_steps", "scheduler_steps", "warmup_ratio", "gradient_accumulation_steps", "save_interval", "eval_interval", "n_heads")}
    assert values == {
        "learning_rate": 0.0006, "min_lr": 0.00006, "weight_decay": 0.1, "max_steps": 20000, "scheduler_steps": 20000,
        "warmup_ratio": 0.01, "gradient_accumulation_steps": 4, "save_interval": 1000, "eval_interval": 1000, "n_heads": 12,
    }
    assert (steps.total_steps.value, steps.warmup_steps.value) == (20000, 200)
    # "Adam" is FusedAdam in AdamW mode: neither the dialect nor the generic reading names it.
    assert plan.get("optimizer") is None
    assert lint(neox()) == []


def test_dashed_spelling_is_the_same_key():
    text = neox().replace('"train_iters"', '"train-iters"').replace('"lr_decay_iters"', '"lr-decay-iters"').replace('"eval_interval"', '"eval-interval"')
    name, plan, _ = analysed(text)
    assert (name, plan.get("max_steps").value, plan.get("max_steps").key) == ("gpt-neox", 20000, "train-iters")
    assert lint(text) == []


def test_schedule_longer_than_the_run():
    findings = lint(neox(length=320000))
    assert positions(findings) == [("T006", 18, 21)]


def test_warmup_is_a_share_of_the_schedule_not_of_the_run():
    # warmup_iter = 0.01 x lr_decay_iters: a share of the run only where both lengths agree.
    _, plan, steps = analysed(neox(length=40000))
    assert plan.get("warmup_ratio") is None and steps.warmup_steps is None
    _, plan, _ = analysed(neox(length=40000).replace('  "lr_decay_iters": 40000,\n', ""))
    assert plan.get("warmup_ratio").value == 0.01
    _, plan, _ = analysed(neox().replace('"lr_decay_iters": 20000', '"lr_decay_fraction": 0.8'))
    assert plan.get("warmup_ratio") is None


def test_unknown_top_level_keys_are_refused():
    text = neox(**{'"warmup": 0.01': '"warmup_iters": 500', '"eval_interval"': '"eval-intervall"'})
    findings = lint(text)
    assert positions(findings) == [("S005", 20, 3), ("S005", 22, 3)]
    assert "did you mean 'eval-interval'?" in findings[1].message
    # keys inside the DeepSpeed dicts are not NeoXArgs fields and are not checked
    assert lint(neox(**{'"stage": 1': '"stage": 1, "overlap_comm": true'})) == []


def test_pyyaml_reads_an_exponent_without_a_dot_as_a_string():
    findings = lint(neox(**{'"min_lr": 0.00006': '"min_lr": 6e-5'}))
    assert [f.code for f in findings] == ["Y001"]
    assert positions(findings)[0][1:] == (11, 13)


def test_mamba_layers_have_no_heads():
    mamba = neox(**{'"pos_emb": "rotary",': '"attention_config": [[["mamba"], 12]],', '"hidden_size": 768': '"hidden_size": 1024'})
    assert lint(mamba) == []
    attention = mamba.replace('"mamba"', '"flash"')
    assert positions(lint(attention)) == [("M002", 7, 26)]


def test_log_scaled_checkpoints_are_no_interval():
    text = neox(**{'"checkpoint_factor": 1000': '"checkpoint_factor": 2, "checkpoint_scale": "log"', '"train_iters": 20000': '"train_iters": 1'})
    _, plan, _ = analysed(text)
    assert plan.get("save_interval") is None


def test_extra_save_iterations_leave_the_save_interval_unread():
    text = neox(**{'"checkpoint_factor": 1000': '"checkpoint_factor": 50000, "extra_save_iters": [0, 1, 2, 4]'})
    _, plan, _ = analysed(text)
    assert plan.get("save_interval") is None
    assert lint(text) == []
    assert [f.code for f in lint(neox(**{'"checkpoint_factor": 1000': '"checkpoint_factor": 50000'}))] == ["T010"]
