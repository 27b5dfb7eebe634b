"""The check path validates families against their generated schemas, not pydantic: the two agree."""

import subprocess
import sys

import pytest
from pydantic import ValidationError

from cfglint.document import to_data
from cfglint.family_schema import field_names, validate
from cfglint.models import load_model
from cfglint.dialects import BY_NAME
from cfglint.source import load_document

CASES = [
    ("forecasting", "seq_len: 96\nlabel_len: 48\npred_len: 24\nlearning_rate: '0.0005'\nd_model: 1.5\ntarget_indices: [0, 'a', true]\nscale: 1\nlerning_rate: 2\n"),
    ("forecasting", "seq_len: true\ndropout: null\nfeatures: 3\n"),
    ("distillation", '{"alpha_kd": "0.7", "scheduler": {"type": 1, "num_train_steps": 5}, "eval": {"eval_steps": 1.5}, "temperature": [2]}'),
    ("distillation", '{"scheduler": "cosine", "eval": null, "kd_top_k": 256}'),
    ("structure-learning", "optimizer:\n  lr: '5e-4'\n  betas: [0.9, 'x']\nscheduler: {factor: 0.5, pateince: 3}\ngrid:\n  lambda_sparse: [1.0e-4, null]\n  bad: 3\n"),
]


def pydantic_errors(family, data):
    try:
        load_model(BY_NAME[family].model).model_validate(data)
    except ValidationError as error:
        return error.errors()
    return []


@pytest.mark.parametrize("family, text", CASES)
def test_schema_validation_finds_what_pydantic_finds(family, text):
    doc = load_document("c.json" if text.startswith("{") else "c.yaml", text.encode())
    data = to_data(doc.root)
    ours = {tuple(e["loc"]) for e in validate(family, data)}
    # pydantic adds the union member to a location ("grid", "x", 1, "float"): compare the data path
    theirs = {tuple(p for p in e["loc"] if not (isinstance(p, str) and p in ("float", "str", "bool", "int", "list[...]"))) for e in pydantic_errors(family, data)}
    assert ours == theirs


def test_field_names_for_suggestions():
    assert "learning_rate" in field_names("forecasting", ())
    assert "num_training_steps" in field_names("distillation", ("scheduler",))
    assert "patience" in field_names("structure-learning", ("scheduler",))


def test_check_imports_neither_pydantic_nor_jsonschema():
    code = (
        "import sys\nfrom cfglint.api import CheckOptions, check\n"
        "check(['examples/production.yaml', 'examples/emergency_fix_config.json'], CheckOptions(isolated=True))\n"
        "assert 'pydantic' not in sys.modules and 'jsonschema' not in sys.modules, [m for m in sys.modules if m.startswith(('pydantic', 'jsonschema'))][:3]\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
