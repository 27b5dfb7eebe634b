"""What the reading covers beyond one flat document: every YAML document, bounds on the run,
unknown keys only as probable typos, and output that says what was read."""

from click.testing import CliRunner

from cfglint.cli import main
from cfglint.api import CheckOptions, Checker
from helpers import lint, positions

# --- multi-document YAML: every document is read and checked ------------------------------


def test_every_document_of_a_multi_document_file_is_checked():
    text = "optimizer: {name: adamw, lr: 0.001}\nepochs: 3\n---\noptimizer: {name: adamw, lr: -0.01}\nepochs: 3\n"
    findings = lint(text)
    assert positions(findings) == [("S003", 4, 30)]
    assert findings[0].key == "optimizer.lr"
    assert "(-0.01) must be above 0" in findings[0].message


def test_documents_are_read_each_by_its_own_dialect():
    hugging_face = "per_device_train_batch_size: 8\nnum_train_epochs: 1\nlr_scheduler_type: cosine\nmax_steps: 100\nwarmup_steps: 500\n"
    generic = "train: {epochs: 4}\nwarmup_epochs: 6\n"
    findings = lint(hugging_face + "---\n" + generic)
    assert positions(findings) == [("T001", 5, 15), ("T001", 8, 16)]
    assert [f.severity.name for f in findings] == ["ERROR", "WARNING"]  # an exact key, then a generic guess


def test_a_duplicate_key_in_a_later_document_is_reported_once():
    findings = lint("lr: 0.1\n---\nlr: 0.1\nlr: 0.2\n")
    assert [(code, line) for code, line, _ in positions(findings)] == [("D002", 4)]


# --- bounds: a cap decides where the dataset size is unknown ------------------------------

TORCHTUNE = """\
optimizer:
  _component_: torch.optim.AdamW
  lr: 2.0e-5
lr_scheduler:
  _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup
  num_warmup_steps: {warmup}
epochs: 1
max_steps_per_epoch: 50
checkpointer:
  _component_: torchtune.training.FullModelHFCheckpointer
"""


def test_a_warmup_past_the_per_epoch_cap_is_an_error_without_the_dataset_size():
    (finding,) = lint(TORCHTUNE.format(warmup=100))
    assert positions([finding]) == [("T001", 6, 21)]
    assert finding.severity.name == "ERROR"
    assert "num_warmup_steps (100) >= at most 50 optimizer steps of training" in finding.message


def test_a_warmup_inside_the_cap_is_not_judged_against_the_bound():
    # 5 of at most 50 steps: the share is at least 10 %, which says nothing is wrong.
    assert lint(TORCHTUNE.format(warmup=5)) == []


def test_a_bound_never_decides_a_rule_that_needs_the_exact_length():
    # The scheduler length can only be compared with the run's exact length.
    text = "optimizer: {name: adamw, lr: 0.001}\nepochs: 2\nmax_steps_per_epoch: 100\nscheduler: {name: cosine, num_training_steps: 1000}\n"
    assert lint(text) == []


LIGHTNING = """\
seed_everything: 1
trainer:
  max_epochs: 3
  accumulate_grad_batches: 2
  limit_train_batches: {limit}
model:
  class_path: my.Module
  init_args:
    lr: 0.001
lr_scheduler:
  class_path: my.Warmup
  init_args:
    warmup_steps: 400
"""


def test_lightning_limit_train_batches_bounds_the_run():
    # 100 batches, 2 per optimizer step, 3 epochs: at most 150 steps.
    findings = lint(LIGHTNING.format(limit=100))
    assert positions(findings) == [("T001", 13, 19)]
    assert "at most 150 optimizer steps" in findings[0].message
    assert findings[0].severity.name == "WARNING"  # the warmup key is a generic spelling


def test_a_float_limit_train_batches_is_a_share_and_bounds_nothing():
    assert lint(LIGHTNING.format(limit=0.25)) == []


def test_lightning_stops_at_the_first_of_max_steps_and_max_epochs():
    text = "seed_everything: 1\ntrainer:\n  max_epochs: 100\n  max_steps: 200\n  val_check_interval: 1.0\nmodel:\n  class_path: m.M\n  init_args:\n    warmup_steps: 300\n"
    (finding,) = lint(text)
    assert positions([finding]) == [("T001", 9, 19)]
    assert "at most trainer.max_steps (200)" in finding.message


def test_max_steps_beside_epochs_in_a_loop_of_ones_own_is_an_upper_bound():
    text = "train:\n  epochs: 1\n  max_steps: 1000\n  warmup_steps: 1500\n"
    (finding,) = lint(text)
    assert positions([finding]) == [("T001", 4, 17)]
    assert "at most train.max_steps (1,000)" in finding.message


def test_epochs_beside_max_steps_do_not_bound_a_plateau_patience():
    # A loop may honour max_steps alone, so one epoch is not the length of this run.
    text = "epochs: 1\nmax_steps: 5000\nscheduler: {type: ReduceLROnPlateau, factor: 0.5, patience: 3}\n"
    assert lint(text) == []


def test_schedule_shows_bounds_as_at_most(tmp_path):
    path = tmp_path / "recipe.yaml"
    path.write_text(TORCHTUNE.format(warmup=5))
    result = CliRunner().invoke(main, ["schedule", str(path)])
    assert result.exit_code == 0, result.output
    assert "  optimizer steps per epoch   at most 50  (max_steps_per_epoch)\n" in result.output
    assert "  optimizer steps in total    at most 50  (at most 50 per epoch (max_steps_per_epoch) x 1 (epochs) = 50)\n" in result.output


# --- the seed families: unknown keys only as probable typos -------------------------------

DISTILLATION = '{"alpha_kd": 0.5, "kd_top_k": 64, "temperature": 2.0, %s}'


def test_a_misspelt_key_is_still_reported_with_its_suggestion():
    (finding,) = lint(DISTILLATION % '"lerning_rate": 0.0001', "kd.json")
    assert (finding.code, finding.span.column) == ("S001", 55)
    assert finding.message.endswith("did you mean 'learning_rate'?")


def test_an_unknown_key_of_another_loss_term_is_not_renamed_to_a_known_one():
    assert [f for f in lint(DISTILLATION % '"alpha_ce": 0.5', "kd.json") if f.code == "S001"] == []


def test_an_unknown_key_in_another_unit_is_not_renamed_across_units():
    forecasting = "seq_len: 96\nlabel_len: 48\npred_len: 24\ntrain_epochs: 10\nwarmup_steps: 100\n"
    assert [f for f in lint(forecasting) if f.code == "S001"] == []


def test_ordinary_blocks_of_a_trainer_are_allowed():
    text = "seq_len: 96\nlabel_len: 48\npred_len: 24\ndata:\n  root: ./data\nmodel:\n  name: TimesNet\nlogging:\n  wandb: true\n"
    assert [f for f in lint(text) if f.code == "S001"] == []


# --- nothing silent: the summary and -v say what was read ---------------------------------


def test_the_summary_says_which_files_were_read_generically_or_not_at_all(tmp_path):
    (tmp_path / "loop.yaml").write_text("optim: {type: adamw, lr: 0.001}\ntrain: {epochs: 10}\n")
    (tmp_path / "notes.yaml").write_text("title: notes\nauthors: [ada]\n")
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", str(tmp_path)])
    assert result.exit_code == 0
    assert result.output == (
        "All checks passed (2 files checked; 1 read generically (no framework dialect, see -v); "
        "1 with no training settings (syntax and duplicate keys checked only)).\n"
    )


def test_verbose_lists_each_field_with_the_key_it_came_from(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("optim: {type: adamw, lr: 0.001}\ntrain: {epochs: 10}\n")
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", "-v", str(path)])
    lines = [line.split(": ", 1)[1] for line in result.stderr.splitlines()]
    assert lines == [
        "dialect generic (no framework dialect matched; read through the vocabulary of key spellings); settings defaults",
        "  optimizer = 'adamw' from optim.type (generic spelling)",
        "  learning_rate = 0.001 from optim.lr (generic spelling)",
        "  epochs = 10 from train.epochs (generic spelling, in epochs)",
    ]


def test_json_counts_how_files_were_read(tmp_path):
    import json

    (tmp_path / "loop.yaml").write_text("optim: {type: adamw, lr: 0.001}\n")
    result = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", "--format", "json", str(tmp_path)])
    summary = json.loads(result.output)["summary"]
    assert (summary["read_by_dialect"], summary["read_generically"], summary["no_training_settings"]) == (0, 1, 0)


def test_a_fix_in_a_later_document_is_verified_against_that_document():
    from cfglint.api import CheckOptions, Checker
    from cfglint.fixer import fix_bytes

    text = 'optim: {type: adamw, lr: 0.001}\n---\noptim: {type: adamw, lr: "0.01"}\nepochs: 3\n'
    checker = Checker(CheckOptions(isolated=True))
    assert not fix_bytes(checker, text.encode(), "two.yaml").changed  # a fix resting on a generic spelling is unsafe
    outcome = fix_bytes(checker, text.encode(), "two.yaml", unsafe=True)
    assert outcome.fixed_text == "optim: {type: adamw, lr: 0.001}\n---\noptim: {type: adamw, lr: 0.01}\nepochs: 3\n"


def test_every_dropout_of_a_model_is_range_checked():
    text = "model:\n  hidden_dropout: 0.1\n  attention_dropout: 1.0\n  resid_pdrop: 0.1\n"
    findings = lint(text)
    assert positions(findings) == [("S003", 3, 22)]
    assert findings[0].message.startswith("model.attention_dropout (1) must be in [0, 1)")


def test_a_generic_batch_cap_bounds_the_run_like_lightnings():
    text = "trainer:\n  epochs: 2\n  limit_train_batches: 40\n  accumulate_grad_batches: 4\n  warmup_steps: 25\n"
    (finding,) = lint(text)
    assert positions([finding]) == [("T001", 5, 17)]
    assert "at most 20 optimizer steps" in finding.message


def test_a_file_named_for_inference_is_not_read_as_training():
    text = "batch_size: 64\nlr: -1\n"
    assert lint(text, "diar_infer_meeting.yaml") == []
    assert positions(lint(text, "train_and_eval.yaml")) == [("S003", 2, 5)]


# --- the loader: what a value is depends on what reads it ---------------------------------


def test_upper_case_blocks_leave_the_loader_open_between_yacs_and_pyyaml():
    # yacs literal_evals every string, an EasyDict config read with PyYAML (OpenPCDet) does not:
    # neither `5e-4` (Y001) nor a quoted number (S002) can be judged, and the quoted value stays unknown.
    text = 'MODEL:\n  TYPE: swin\nTRAIN:\n  BASE_LR: 5e-4\n  WEIGHT_DECAY: "0.05"\n  EPOCHS: 300\n  WARMUP_EPOCHS: 400\n'
    findings = lint(text)
    assert positions(findings) == [("T001", 7, 18)]
    assert "TRAIN.WARMUP_EPOCHS (400) >= TRAIN.EPOCHS (300)" in findings[0].message


def test_the_loader_setting_names_yacs_and_a_quoted_number_is_then_the_number(tmp_path):
    (tmp_path / ".cfglint.yaml").write_text("loader: yacs\n")
    config = tmp_path / "run.yaml"
    config.write_text('train:\n  epochs: "3"\n  warmup_epochs: 5\n')
    (report,) = Checker(CheckOptions()).check([str(config)]).files
    assert positions(report.findings) == [("T001", 3, 18)]


def test_a_warmup_switched_off_in_its_block_is_not_read():
    text = "OPTIMIZATION:\n  NUM_EPOCHS: 6\n  LR: 0.003\n  LR_WARMUP: False\n  WARMUP_EPOCH: 10\n"
    assert lint(text) == []
    assert positions(lint(text.replace("False", "True"))) == [("T001", 5, 17)]


def test_a_project_optimizer_name_is_not_taken_for_adam():
    # OpenPCDet's adam_onecycle decouples its weight decay; only plain names say Adam.
    text = "OPTIMIZATION:\n  OPTIMIZER: adam_onecycle\n  LR: 0.003\n  WEIGHT_DECAY: 0.01\n"
    assert lint(text) == []
    assert [f.code for f in lint(text.replace("adam_onecycle", "adam"))] == ["O001"]


def test_positive_and_negative_sample_weights_are_not_loss_terms():
    text = "loss:\n  pos_cls_weight: 1.0\n  neg_cls_weight: 0.0\n  cls_weight: 1.0\n  reg_weight: 2.0\n"
    report = Checker(CheckOptions(isolated=True)).check_bytes(text.encode(), "run.yaml")
    assert [f for f in report.fields if f.startswith("loss weight")] == [
        "loss weight cls = 1.0 from loss.cls_weight",
        "loss weight reg = 2.0 from loss.reg_weight",
    ]


def test_a_quoted_number_in_a_detectron2_config_is_a_number():
    text = 'MODEL:\n  META_ARCHITECTURE: GeneralizedRCNN\nSOLVER:\n  BASE_LR: "0.02"\n  MAX_ITER: 90000\n  IMS_PER_BATCH: 16\n'
    assert [f.code for f in lint(text)] == []


def test_hyperpyyaml_references_and_class_tags_are_followed():
    text = (
        "lr: 1.0e-3\nweight_decay: 0.9999\nnumber_of_epochs: 10\n"
        "opt_class: !name:torch.optim.Adam\n  lr: !ref <lr>\n"
        "lr_annealing: !new:torch.optim.lr_scheduler.ExponentialLR\n  gamma: !ref <weight_decay>\n"
    )
    report = Checker(CheckOptions(isolated=True)).check_bytes(text.encode(), "hparams.yaml")
    assert report.findings == []
    assert "learning_rate = 0.001 from lr (generic spelling)" in report.fields
    # weight_decay is used as the scheduler's gamma, so it is not read as weight decay
    assert not any(field.startswith("weight_decay") for field in report.fields)


def test_a_hyperpyyaml_noam_scheduler_makes_the_optimizers_lr_a_placeholder():
    text = (
        "number_of_epochs: 10\n"
        "optimizer: !name:torch.optim.Adam\n  lr: 0\n  betas: [0.9, 0.98]\n"
        "lr_annealing: !new:speechbrain.nnet.schedulers.NoamScheduler\n  lr_initial: 1.0\n  n_warmup_steps: 4000\n"
    )
    report = Checker(CheckOptions(isolated=True)).check_bytes(text.encode(), "hparams.yaml")
    assert report.findings == []  # lr 0 is set by the Noam scheduler, not trained at
    assert "scheduler = 'speechbrain.nnet.schedulers.NoamScheduler' from lr_annealing (generic spelling)" in report.fields


def test_lightning_runs_max_steps_exactly_when_no_epochs_are_set():
    text = "trainer:\n  max_steps: 1000\n  accumulate_grad_batches: 2\n  val_check_interval: 100\nmodel:\n  class_path: m.M\n  init_args:\n    lr: 0.001\n"
    checker = Checker(CheckOptions(isolated=True))
    report = checker.check_bytes(text.encode(), "fit.yaml")
    assert report.steps == "trainer.max_steps (1,000)"  # not "at most": max_epochs becomes -1
