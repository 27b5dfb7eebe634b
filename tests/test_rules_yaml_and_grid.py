"""YAML 1.1 floats (Y001) and grid rules (G001-G004)."""

import pytest

from helpers import lint, positions
from cfglint.rules.yaml11_float import yaml11_spelling


@pytest.mark.parametrize("text, spelling", [("5e-4", "5.0e-4"), ("1E4", "1.0E+4"), ("-2.5e3", "-2.5e+3"), ("1.e-5", "1.0e-5"), ("0.5", None)])
def test_yaml11_spelling(text, spelling):
    assert yaml11_spelling(text) == spelling


def test_yaml11_float_in_a_pyyaml_dialect():
    config = "per_device_train_batch_size: 8\nnum_train_epochs: 3\nlr_scheduler_type: cosine\nlearning_rate: 5e-4\nadam_epsilon: 1.0e-8\nweight_decay: 1.0e4\n"
    findings = [f for f in lint(config) if f.code == "Y001"]
    assert positions(findings) == [("Y001", 4, 16), ("Y001", 6, 15)]
    assert findings[0].message == (
        "learning_rate: 5e-4 is a float in YAML 1.2 but the string '5e-4' to PyYAML (YAML 1.1), which most training "
        "scripts use to read it; write 5.0e-4"
    )
    assert findings[1].message.endswith("write 1.0e+4")


def test_yaml11_float_is_quiet_for_omegaconf_dialects():
    config = "model:\n  _component_: m\noptimizer:\n  _component_: torch.optim.AdamW\n  lr: 2e-5\nepochs: 1\n"
    assert lint(config) == []


GRID = "lambda_recon: 10.0\nlambda_sparse: 0.0001\nlambda_acyclic: 0.00001\ngrid:\n"


def test_grid_axis_naming_a_missing_key_suggests_the_closest():
    (finding,) = [f for f in lint(GRID + "  lambda_sparsity: [1.0e-4, 1.0e-3]\n") if f.code.startswith("G")]
    assert positions([finding]) == [("G001", 5, 3)]
    assert finding.message == (
        "grid axis 'lambda_sparsity' names a key the config does not have: the sweep changes nothing the training "
        "reads; did you mean 'lambda_sparse'?"
    )


def test_invalid_grid_axes():
    findings = [f for f in lint(GRID + "  lambda_recon: []\n  lambda_sparse: [1.0e-4, 1.0e-4]\n  lambda_acyclic: [-1.0e-5, fast]\n") if f.code.startswith("G")]
    assert [(f.code, f.span.line, f.span.column) for f in findings] == [("G002", 5, 17), ("G002", 6, 27), ("G002", 7, 20), ("G002", 7, 29)]
    assert [f.message.split(":")[0] for f in findings] == [
        "grid.lambda_recon is empty",
        "grid.lambda_sparse lists 0.0001 twice",
        "grid.lambda_acyclic[0] (-1e-05) is a negative loss weight",
        "grid.lambda_acyclic[1] ('fast') is not a number, but lambda_acyclic is",
    ]


def test_base_value_outside_the_grid_and_grid_size():
    findings = [f for f in lint(GRID + "  lambda_recon: [1, 2, 3]\n") if f.code.startswith("G")]
    assert [(f.code, str(f.severity), f.span.line) for f in findings] == [("G003", "info", 1)]
    assert findings[0].message.startswith("lambda_recon (10) is outside its grid [1, 3]")
    axes = "".join(f"  lambda_{name}: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n" for name in ("recon", "sparse", "acyclic"))
    config = "lambda_recon: 1\nlambda_sparse: 1\nlambda_acyclic: 1\ngrid:\n" + axes
    (finding,) = [f for f in lint(config) if f.code == "G004"]
    assert (finding.span.line, finding.span.column) == (4, 1)
    assert finding.message.startswith("the grid has 1,331 combinations (11 x 11 x 11)")
