"""T011: a schedule in phases (warmup, constant, decay) that ends before the run, or outlasts it;
on nanotron configs written for these tests."""

from cfglint import fix
from helpers import lint, positions

RUN = """\
tokens:
  train_steps: 10000
  micro_batch_size: 4
  sequence_length: 2048
  batch_accumulation_per_replica: 1
optimizer:
  learning_rate_scheduler:
    learning_rate: 0.0003
    lr_warmup_steps: 500
    lr_warmup_style: linear
    lr_decay_steps: DECAY
    lr_decay_style: cosine
    min_decay_lr: 0.00003
"""


def test_a_schedule_that_ends_early_trains_the_rest_at_the_floor():
    (finding,) = lint(RUN.replace("DECAY", "1500"))
    assert (finding.code, finding.span.line, finding.span.column, finding.severity.name) == ("T011", 11, 21, "WARNING")
    assert finding.message == (
        "the learning-rate schedule ends at step 2,000 (500 warmup + 1,500 decay = 2,000 steps), but the run takes "
        "tokens.train_steps (10,000): the last 8,000 steps (80%) train at the floor rate, "
        "optimizer.learning_rate_scheduler.min_decay_lr (3e-05); set optimizer.learning_rate_scheduler.lr_decay_steps to 9,500"
    )
    assert [r.key for r in finding.related] == ["optimizer.learning_rate_scheduler.lr_warmup_steps", "tokens.train_steps"]


def test_the_unsafe_fix_decays_over_the_steps_left():
    result = fix(text=RUN.replace("DECAY", "1500"), unsafe=True)
    assert result.fixed_text == RUN.replace("DECAY", "9500")


def test_a_schedule_longer_than_the_run_is_cut_off():
    (finding,) = lint(RUN.replace("DECAY", "9800"))
    assert positions([finding]) == [("T011", 11, 21)]
    assert finding.message == (
        "the learning-rate schedule takes 500 warmup + 9,800 decay = 10,300 steps, longer than the run's "
        "tokens.train_steps (10,000): the decay is cut off and the rate never reaches its floor; "
        "set optimizer.learning_rate_scheduler.lr_decay_steps to 9,500"
    )


def test_a_schedule_that_fits_the_run_or_leaves_a_short_tail_is_quiet():
    assert lint(RUN.replace("DECAY", "9500")) == []
    assert lint(RUN.replace("DECAY", "8600")) == []  # 9,100 of 10,000 steps: a 9 % tail is a choice
    assert lint(RUN.replace("DECAY", "9590")) == []  # 90 steps over: rounding, not a cut-off schedule
