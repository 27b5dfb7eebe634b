"""Each rule's fix: exact patched text, formatting and comments kept, applicability respected."""

import pytest

import cfglint
from cfglint.fixer import UnfixableInput

FORECAST = "seq_len: 250\nlabel_len: 125\npred_len: 10\n"


def fixed(text, filename="config.yaml", unsafe=False):
    outcome = cfglint.fix(text=text, filename=filename, unsafe=unsafe)
    return outcome.fixed_text, [f.code for f in outcome.applied]


@pytest.mark.parametrize(
    "before, after",
    [
        # S002 (safe): the user's digits are kept where every loader reads them as the number
        ('learning_rate: "0.0005"   # peak\n', "learning_rate: 0.0005     # peak\n"),
        ("learning_rate: '5e-4'\n", "learning_rate: 5.0e-4\n"),  # PyYAML reads 5e-4 as text
        ('train_epochs: "50"\n', "train_epochs: 50\n"),
    ],
)
def test_number_written_as_string_is_unquoted(before, after):
    assert fixed(FORECAST + before) == (FORECAST + after, ["S002"])


def test_number_written_as_string_in_json_keeps_the_layout():
    before = '{\n  "alpha_kd": 0.8, "alpha_feature": 0.2, "kd_top_k": 256,\n  "temperature": "2.0"\n}\n'
    assert fixed(before, "kd.json") == ('{\n  "alpha_kd": 0.8, "alpha_feature": 0.2, "kd_top_k": 256,\n  "temperature": 2.0\n}\n', ["S002"])


def test_yaml11_float_is_respelt():
    before = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\nlearning_rate: 5e-4  # peak\nadam_epsilon: 1E-8\n"
    after = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\nlearning_rate: 5.0e-4  # peak\nadam_epsilon: 1.0E-8\n"
    assert fixed(before) == (after, ["Y001", "Y001"])


KD = '{\n  "alpha_kd": 0.8, "alpha_feature": 0.2, "kd_top_k": 256,\n  "num_epochs": 3, "steps_per_epoch": 24941, "gradient_accumulation_steps": 16,\n  %s\n}\n'


def test_scheduler_sized_in_micro_batches_is_a_safe_fix():
    before = KD % '"scheduler": {"type": "cosine", "num_training_steps": 74823}'
    assert fixed(before, "kd.json") == (KD % '"scheduler": {"type": "cosine", "num_training_steps": 4676}', ["T006"])


def test_scheduler_otherwise_off_and_warmup_in_micro_batches_are_unsafe():
    before = KD % '"warmup_steps": 7482, "scheduler": {"type": "cosine", "num_training_steps": 3000}'
    assert fixed(before, "kd.json") == (before, [])
    assert fixed(before, "kd.json", unsafe=True) == (
        KD % '"warmup_steps": 467, "scheduler": {"type": "cosine", "num_training_steps": 4676}',
        ["T006", "T006"],
    )


def test_warmup_longer_than_training_is_clamped_to_ten_percent():
    before = FORECAST + "train_epochs: 20\nwarmup_epochs: 30  # too long\n"
    assert fixed(before) == (before, [])
    assert fixed(before, unsafe=True) == (FORECAST + "train_epochs: 20\nwarmup_epochs: 2   # too long\n", ["T001"])
    hf = "per_device_train_batch_size: 8\nnum_train_epochs: 1\nlr_scheduler_type: cosine\nmax_steps: 400\nwarmup_steps: 500\n"
    assert fixed(hf, unsafe=True) == (hf.replace("warmup_steps: 500", "warmup_steps: 40"), ["T001"])


def test_ratio_in_steps_field_is_renamed():
    before = "base_model: m\nmicro_batch_size: 2\nsequence_len: 2048\nwarmup_steps: 0.1\n"
    assert fixed(before, unsafe=True) == (before.replace("warmup_steps", "warmup_ratio"), ["T004"])


def test_unknown_key_is_renamed_to_the_suggestion_keeping_quotes():
    before = FORECAST + "'lerning_rate': 0.001\n"
    assert fixed(before, unsafe=True) == (FORECAST + "'learning_rate': 0.001\n", ["S001"])
    assert fixed(FORECAST + "learning_rate: 0.002\nlerning_rate: 0.001\n", unsafe=True)[1] == []  # the key exists: no rename


def test_grid_axis_is_renamed():
    before = "lambda_sparse: 0.001\nlambda_acyclic: 0.0001\ngrid:\n  lambda_sparsity: [1.0e-4, 1.0e-3]\n"
    assert fixed(before, unsafe=True) == (before.replace("lambda_sparsity", "lambda_sparse"), ["G001"])


@pytest.mark.parametrize(
    "before, after, name",
    [
        ("a: 1\nb: 2\na: 3\n", "b: 2\na: 3\n", "c.yaml"),
        ("top:\n  a: 1\n  b:\n    c: 2\n  a: 3\n", "top:\n  b:\n    c: 2\n  a: 3\n", "c.yaml"),
        ("a:\n  x: 1\nb: 2\na: 3\n", "b: 2\na: 3\n", "c.yaml"),
        ('{"a": 1, "b": 2, "a": 3}', '{"b": 2, "a": 3}', "c.json"),
        ('{"b": 2,\n "a": 1,\n "a": 3}', '{"b": 2,\n "a": 3}', "c.json"),
    ],
)
def test_duplicate_key_removes_the_ignored_entry(before, after, name):
    assert fixed(before, name) == (after, ["D002"])


def test_duplicate_key_removal_that_deletes_a_comment_is_unsafe():
    before = "a: 1  # old value\nb: 2\na: 3\n"
    assert fixed(before) == (before, [])
    assert fixed(before, unsafe=True) == ("b: 2\na: 3\n", ["D002"])


def test_duplicate_key_with_an_anchor_is_left_to_the_user():
    before = "a: &x 1\nb: *x\na: 3\n"
    assert fixed(before, unsafe=True) == (before, [])


def test_adam_to_adamw_and_clip_keep_the_aligned_comment():
    before = "lambda_sparse: 0.01\nlambda_acyclic: 0.001\noptimizer:\n  name: Adam\n  lr: 0.001\n  weight_decay: 1.0e-5\ngrad_clip: 10.0      # loose\n"
    after = "lambda_sparse: 0.01\nlambda_acyclic: 0.001\noptimizer:\n  name: AdamW\n  lr: 0.001\n  weight_decay: 1.0e-5\ngrad_clip: 1.0       # loose\n"
    assert fixed(before, unsafe=True) == (after, ["O001", "O004"])


def test_display_only_fixes_are_never_applied():
    before = '{"kd_top_k": 256, "temperature": 2.0, "alpha_kd": 0.7, "alpha_feature": 0.1, "alpha_attention": 0.1}'
    outcome = cfglint.fix(text=before, filename="kd.json", unsafe=True)
    assert outcome.fixed_text == before
    (finding,) = outcome.remaining
    assert (finding.code, str(finding.fix.applicability)) == ("L001", "display-only")
    assert [e.text for e in finding.fix.edits] == ["0.7778", "0.1111", "0.1111"]


def test_crlf_bom_and_utf16_survive_a_fix(tmp_path):
    for encoding, bom in (("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe")):
        path = tmp_path / f"run-{encoding}.yaml"
        path.write_bytes(bom + (FORECAST + 'learning_rate: "0.001"\n').replace("\n", "\r\n").encode(encoding))
        outcome = cfglint.fix(path)
        assert outcome.encoded() == bom + (FORECAST + "learning_rate: 0.001\n").replace("\n", "\r\n").encode(encoding)


def test_a_file_that_does_not_parse_is_refused():
    with pytest.raises(UnfixableInput, match=r"c.yaml:2:1: not fixed: "):
        cfglint.fix(text="a: [1\n", filename="c.yaml")


def test_nothing_to_fix_leaves_the_text_identical():
    text = "# top\nseq_len: 250   # lookback\nlabel_len: 125\npred_len: 10\nlearning_rate: 1.0e-3\n"
    outcome = cfglint.fix(text=text, filename="c.yaml", unsafe=True)
    assert not outcome.changed and outcome.fixed_text == text
