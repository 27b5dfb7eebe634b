"""Distillation rules (K001-K004) and data/model rules (M003 duplicates, M004, M005, label smoothing)."""

from helpers import lint, positions

KD = '{"alpha_kd": 0.7, "kd_top_k": 256, "temperature": %s%s}'


def test_temperature_below_1_and_above_20():
    (finding,) = lint(KD % ("0.5", ""), "kd.json")
    assert positions([finding]) == [("K001", 1, 51)]
    assert finding.message.startswith("temperature (0.5) is below 1: dividing logits by it sharpens")
    (finding,) = lint(KD % ("40", ""), "kd.json")
    assert finding.code == "K001" and "nearly uniform" in finding.message
    assert lint(KD % ("4.0", ""), "kd.json") == []


def test_min_temperature_above_temperature():
    (finding,) = lint(KD % ("2.0", ', "min_temperature": 4.0'), "kd.json")
    assert positions([finding]) == [("K002", 1, 75)]
    assert finding.message.startswith("min_temperature (4) > temperature (2)")


def test_seed_003_eval_scores_the_full_vocabulary():
    (finding,) = lint(KD % ("2.0", ',\n "eval": {"eval_steps": 1000, "use_kd_top_k": false}'), "kd.json")
    assert positions([finding]) == [("K003", 2, 47)]
    assert finding.message.startswith("eval.use_kd_top_k (False) while training uses kd_top_k (256): train and eval KD losses are not comparable")
    (finding,) = lint(KD % ("2.0", ',\n "eval": {"kd_top_k": 50000}'), "kd.json")
    assert positions([finding]) == [("K003", 2, 23)]


def test_seed_003_fp16_at_temperature_2():
    (finding,) = lint(KD % ("2.0", ', "fp16": true'), "kd.json")
    assert positions([finding]) == [("K004", 1, 64)]
    assert [r.key for r in finding.related] == ["temperature"]
    assert lint(KD % ("4.0", ', "fp16": true'), "kd.json") == []


FORECAST = "seq_len: 250\nlabel_len: 125\n"


def test_duplicate_target_index_and_non_positive_horizon():
    findings = lint(FORECAST + "pred_len: 0\nenc_in: 118\nc_out: 4\ntarget_indices: [0, 1, 1, 3]\n")
    assert positions(findings) == [("M004", 3, 11), ("M003", 6, 24)]
    assert findings[1].message.startswith("target index 1 is listed twice in target_indices")


def test_seed_000_fifty_validation_samples():
    (finding,) = lint(FORECAST + "pred_len: 10\nval_size: 50\n")
    assert (finding.code, str(finding.severity), finding.span.line, finding.span.column) == ("M005", "info", 4, 11)


def test_label_smoothing_range():
    (finding,) = lint("per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\nlabel_smoothing_factor: 1.0\n")
    assert positions([finding]) == [("S003", 4, 25)]
