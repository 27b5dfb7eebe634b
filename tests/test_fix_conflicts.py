"""A pass of fixes is planned as a whole: fixes that are fine alone never lose a value together."""

from click.testing import CliRunner

from cfglint.cli import main

FORECAST = "seq_len: 96\nlabel_len: 48\npred_len: 24\ntrain_epochs: 10\n"


def fix(tmp_path, name, text, *options):
    path = tmp_path / name
    path.write_bytes(text.encode())
    result = CliRunner().invoke(main, ["fix", "--isolated", "--write", "--unsafe-fixes", *options, str(path)], catch_exceptions=False)
    return result, path.read_bytes().decode()


def test_two_renames_to_one_key_keep_both_values_in_yaml(tmp_path):
    result, text = fix(tmp_path, "run.yaml", FORECAST + "lerning_rate: 0.01\nlearnin_rate: 0.0001\n")
    assert text == FORECAST + "learning_rate: 0.01\nlearnin_rate: 0.0001\n"
    assert result.exit_code == 1
    assert result.output.endswith("Fixed 1 finding in 1 file; 1 remaining.\n")


def test_two_renames_to_one_key_keep_both_values_in_json(tmp_path):
    original = '{"seq_len": 96, "label_len": 48, "pred_len": 24, "train_epochs": 10,\n "lerning_rate": 0.01, "learnin_rate": 0.0001}\n'
    result, text = fix(tmp_path, "run.json", original)
    assert text == '{"seq_len": 96, "label_len": 48, "pred_len": 24, "train_epochs": 10,\n "learning_rate": 0.01, "learnin_rate": 0.0001}\n'
    assert result.exit_code == 1
    assert result.output.endswith("Fixed 1 finding in 1 file; 1 remaining.\n")


def test_a_second_pass_changes_nothing_after_the_conflict(tmp_path):
    fix(tmp_path, "run.yaml", FORECAST + "lerning_rate: 0.01\nlearnin_rate: 0.0001\n")
    path = tmp_path / "run.yaml"
    result = CliRunner().invoke(main, ["fix", "--isolated", "--write", "--unsafe-fixes", str(path)], catch_exceptions=False)
    assert result.exit_code == 1  # nothing changed; learnin_rate (S001) is left
    assert path.read_text() == FORECAST + "learning_rate: 0.01\nlearnin_rate: 0.0001\n"


def test_a_users_own_duplicate_is_still_removed_safely(tmp_path):
    result, text = fix(tmp_path, "run.yaml", FORECAST + "learning_rate: 0.01\nlearning_rate: 0.0001\n")
    assert text == FORECAST + "learning_rate: 0.0001\n"
    assert result.exit_code == 0  # fixed, nothing left
    assert "Fixed 1 finding in 1 file." in result.output


def test_an_anchored_value_is_fixed_with_its_alias_and_says_so(tmp_path):
    original = FORECAST + 'learning_rate: &lr "0.001"\nmin_lr: *lr\ndropout: "0.1"\n'
    result, text = fix(tmp_path, "run.yaml", original, "--show-fixes")
    assert text == FORECAST + "learning_rate: &lr 0.001\nmin_lr: *lr\ndropout: 0.1\n"
    assert result.exit_code == 1
    assert "S002 fixed: write 0.001 as the number 0.001 (also min_lr, which is an alias of it)" in result.output
    assert "S002 fixed: write 0.1 as the number 0.1\n" in result.output


def test_a_value_in_a_block_shared_by_two_aliases_is_set_for_both(tmp_path):
    original = FORECAST + 'optim: &opt\n  learning_rate: "0.001"\nencoder:\n  optim: *opt\ndecoder:\n  optim: *opt\n'
    result, text = fix(tmp_path, "run.yaml", original, "--show-fixes", "--select", "S002")
    assert result.exit_code == 0
    assert text == original.replace('"0.001"', "0.001")
    assert "(also encoder.optim.learning_rate, decoder.optim.learning_rate, which are aliases of it)" in result.output


def test_a_merged_value_is_fixed_for_the_mapping_that_merges_it(tmp_path):
    original = FORECAST + 'base: &b\n  learning_rate: "0.001"\n<<: *b\n'
    result, text = fix(tmp_path, "run.yaml", original, "--show-fixes")
    assert text == FORECAST + "base: &b\n  learning_rate: 0.001\n<<: *b\n"
    assert result.exit_code == 0
    # Reported where the merge brings the value in (line 7), naming the anchored key it also changes.
    assert "run.yaml:7:5: S002 fixed: write 0.001 as the number 0.001 (also base.learning_rate, which shares the value through an alias)" in result.output


def test_a_warmup_is_never_set_to_zero(tmp_path):
    original = FORECAST.replace("train_epochs: 10", "train_epochs: 5") + "warmup_epochs: 8\n"
    result, text = fix(tmp_path, "run.yaml", original)
    assert text == original
    assert result.exit_code == 1  # nothing changed; T001 is left, with no fix
    check = CliRunner().invoke(main, ["check", "--isolated", "--no-cache", str(tmp_path / "run.yaml")])
    assert "= fix (display-only): none proposed: 10 % of training is 0.5 epochs, under one epoch, and 0 would switch warmup off; shorten warmup_epochs by hand or train longer" in check.output


def test_a_warmup_of_one_epoch_is_proposed_when_it_fits(tmp_path):
    original = FORECAST + "warmup_epochs: 12\n"
    result, text = fix(tmp_path, "run.yaml", original, "--show-fixes")
    assert text == FORECAST + "warmup_epochs: 1\n"
    assert "T001 fixed: set warmup_epochs to 1 (10 % of training)" in result.output


def test_a_warmup_written_with_its_unit_keeps_the_unit(tmp_path):
    original = "max_seq_len: 128\nglobal_train_batch_size: 8\nmodel:\n  name: mpt_causal_lm\nscheduler:\n  name: cosine_with_warmup\n  t_warmup: 100ba\n  alpha_f: 0.1\noptimizer:\n  name: decoupled_adamw\n  lr: 6.0e-4\nmax_duration: 10ba\n"
    result, text = fix(tmp_path, "run.yaml", original, "--show-fixes")
    assert text == original.replace("t_warmup: 100ba", 't_warmup: "1ba"')
    assert "T001 fixed: set t_warmup to 1ba (10 % of training)" in result.output
    assert result.exit_code == 0


def test_an_anchor_in_a_later_document_is_found_in_that_document(tmp_path):
    original = 'a: "0.5"\n---\n' + FORECAST + 'learning_rate: &lr "0.001"\nmin_lr: *lr\n'
    result, text = fix(tmp_path, "run.yaml", original, "--show-fixes")
    assert text == 'a: "0.5"\n---\n' + FORECAST + "learning_rate: &lr 0.001\nmin_lr: *lr\n"
    assert "S002 fixed: write 0.001 as the number 0.001 (also min_lr, which is an alias of it)" in result.output
    assert result.exit_code == 1


def test_an_unsafe_fix_on_a_block_scalar_keeps_the_comment_on_its_indicator_line(tmp_path):
    # Read generically, so S002's fix is unsafe; its edit spans the comment and writes it back.
    original = "optimizer:\n  lr: 0.001\ntrain:\n  epochs: |  # from the paper\n    12\n"
    result, text = fix(tmp_path, "run.yaml", original)
    assert text == "optimizer:\n  lr: 0.001\ntrain:\n  epochs: 12  # from the paper\n"
    assert result.exit_code == 0
