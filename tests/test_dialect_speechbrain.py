"""The SpeechBrain dialect: Brain's run options, the epoch counter and optimizer behind `!ref`,
NewBob's annealing, on small hparams files written for these tests."""

from cfglint.dialects import detect
from cfglint.plan import build_plan
from cfglint.source import load_document
from helpers import lint, positions


def read(text):
    doc = load_document("c.yaml", text.encode())
    detection, _ = detect(doc)
    return (detection.dialect.name if detection else None), (build_plan(doc, detection.dialect) if detection else None)


HPARAMS = """\
seed: 1986
__set_seed: !apply:speechbrain.utils.seed_everything [!ref <seed>]
output_folder: !ref results/<seed>
number_of_epochs: 20
lr: 1e-3
decay: 0.0
grad_accumulation_factor: 2
precision: fp16
ckpt_interval_minutes: 15
epoch_counter: !new:speechbrain.utils.epoch_loop.EpochCounter
    limit: !ref <number_of_epochs>
opt_class: !name:torch.optim.AdamW
    lr: !ref <lr>
    weight_decay: !ref <decay>
lr_annealing: !new:speechbrain.nnet.schedulers.NewBobScheduler
    initial_value: !ref <lr>
    annealing_factor: 0.8
    patient: 0
checkpointer: !new:speechbrain.utils.checkpoints.Checkpointer
    checkpoints_dir: !ref <output_folder>/save
"""


def test_an_hparams_file_reads_brain_run_options_and_follows_references():
    name, plan = read(HPARAMS)
    assert name == "speechbrain"
    assert (plan.get("epochs").value, plan.get("epochs").key) == (20, "number_of_epochs")
    assert (plan.get("learning_rate").value, plan.get("optimizer").value, plan.get("weight_decay").value) == (0.001, "torch.optim.AdamW", 0.0)
    assert (plan.get("gradient_accumulation_steps").value, plan.get("fp16").value) == (2, True)
    assert (plan.get("plateau_factor").value, plan.get("plateau_patience").value) == (0.8, 0)
    assert plan.get("clip_grad_norm") is None  # Brain's default of 5.0 applies
    # 1e-3 is a float to HyperPyYAML (ruamel), ckpt_interval_minutes is minutes.
    assert positions(lint(HPARAMS)) == []


def test_a_duplicate_key_refuses_the_file():
    findings = lint(HPARAMS + "lr: 1e-4\n")
    assert positions(findings) == [("D002", 21, 1)]
    assert "the file does not load" in findings[0].message or "refuses" in findings[0].message


def test_newbob_growing_the_rate_but_not_a_factor_of_one():
    assert positions(lint(HPARAMS.replace("annealing_factor: 0.8", "annealing_factor: 1.5"))) == [("T008", 17, 23)]
    assert positions(lint(HPARAMS.replace("annealing_factor: 0.8", "annealing_factor: 1.0"))) == []


def test_newbob_patience_as_long_as_the_run():
    assert positions(lint(HPARAMS.replace("patient: 0", "patient: 20"))) == [("T009", 18, 14)]


def test_adam_with_weight_decay_is_reported_at_the_variable_it_references():
    text = HPARAMS.replace("torch.optim.AdamW", "torch.optim.Adam").replace("decay: 0.0", "decay: 0.01")
    assert positions(lint(text)) == [("O001", 6, 8)]


def test_the_step_limit_bounds_the_run():
    text = HPARAMS.replace("number_of_epochs: 20\n", "number_of_epochs: 20\noptimizer_step_limit: 1000\nwarmup: 2000\n")
    text += "noam: !new:speechbrain.nnet.schedulers.NoamScheduler\n    lr_initial: !ref <lr>\n    n_warmup_steps: 3000\n"
    name, plan = read(text)
    assert plan.get("max_steps").value == 1000
    assert [f.code for f in lint(text)] == ["T001"]


def test_a_plain_yaml_with_epochs_is_not_speechbrain():
    assert read("number_of_epochs: 3\nopt_class: adam\nlr: 0.1\n")[0] is None
