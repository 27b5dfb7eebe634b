"""Loss-weight rules (L001-L004) on the seed families' alpha and lambda weights."""

from helpers import lint, positions

KD = '{"kd_top_k": 256, "temperature": 2.0,\n "alpha_kd": %s, "alpha_feature": 0.1, "alpha_attention": %s}'


def test_seed_003_alpha_weights_summing_to_0_9():
    (finding,) = lint(KD % (0.7, 0.1), "kd.json")
    assert positions([finding]) == [("L001", 2, 14)]
    assert finding.message == (
        "alpha_kd + alpha_feature + alpha_attention = 0.9, not 1: as shares of the loss they give 78% / 11% / 11%; "
        "if +0.1 belongs to a component not listed here, add its weight; otherwise rescale them to sum to 1"
    )
    assert [r.key for r in finding.related] == ["alpha_feature", "alpha_attention"]
    assert lint(KD % (0.8, 0.1), "kd.json") == []


def test_lambda_penalties_are_not_a_mixture():
    assert lint("lambda_recon: 1.0\nlambda_sparse: 0.01\nlambda_acyclic: 0.001\n") == []


def test_negative_and_zero_weights():
    findings = lint(KD % (0.9, 0), "kd.json")
    assert [(f.code, str(f.severity), f.span.line, f.span.column) for f in findings] == [("L003", "info", 2, 60)]
    (finding,) = lint("lambda_recon: 1.0\nlambda_sparse: -0.01\nlambda_acyclic: 0.001\n")
    assert positions([finding]) == [("L002", 2, 16)]
    assert finding.message.startswith("lambda_sparse (-0.01) is negative: the optimizer would maximise this term")


def test_seed_004_weight_spread_points_at_the_probe():
    config = "lambda_recon: 10.0\nlambda_sparse: 0.0001\nlambda_acyclic: 0.00001\nlambda_disen: 0.0001\n"
    (finding,) = lint(config)
    assert (finding.code, str(finding.severity), finding.span.line) == ("L004", "info", 3)
    assert finding.message.startswith("loss weights span a factor of 1,000,000 (lambda_acyclic (1e-05) to lambda_recon (10))")
    assert "cfglint probe" in finding.message
