"""Shipped files: the JSON Schemas match the models, the pre-commit manifest is valid, the wheel is laid out right."""

import os
import subprocess
import sys
import zipfile

import pytest

from cfglint.schema_export import family_schemas

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_committed_schemas_match_the_models():
    for name, text in family_schemas().items():
        with open(os.path.join(ROOT, "schemas", name), encoding="utf-8") as handle:
            assert handle.read() == text, f"schemas/{name} is stale: run `cfglint schema export`"


def test_family_schemas_are_valid_json_schemas_that_accept_the_examples():
    import json

    import jsonschema

    from cfglint.document import to_data
    from cfglint.source import load_document

    examples = {
        "forecasting": "production.yaml",
        "distillation": "emergency_fix_config.json",
        "structure-learning": "structure_learning.yaml",
    }
    for family, example in examples.items():
        schema = json.loads(family_schemas()[f"{family}.schema.json"])
        jsonschema.Draft202012Validator.check_schema(schema)
        path = os.path.join(ROOT, "examples", example)
        with open(path, "rb") as handle:
            data = to_data(load_document(path, handle.read()).root)
        jsonschema.Draft202012Validator(schema).validate(data)


def test_pre_commit_manifest_is_valid():
    from pre_commit.clientlib import load_manifest

    hooks = load_manifest(os.path.join(ROOT, ".pre-commit-hooks.yaml"))
    assert [(hook["id"], hook["entry"]) for hook in hooks] == [("cfglint", "cfglint check"), ("cfglint-fix", "cfglint fix --write --exit-non-zero-on-fix")]


def test_wheel_ships_rules_and_schemas_inside_the_package(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), ROOT],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cfglint_ml-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "cfglint/rules/warmup_exceeds_training.py" in names
    assert "cfglint/schemas/forecasting.schema.json" in names
    assert not any(name.startswith(("rules/", "schemas/", "tests/")) for name in names)
    # Every module of the source tree is in the wheel (a package missing from the explicit list
    # in pyproject.toml would break every regular install while editable installs still work).
    for folder, _, files in os.walk(os.path.join(ROOT, "cfglint")):
        for name in files:
            if name.endswith(".py"):
                relative = os.path.relpath(os.path.join(folder, name), ROOT).replace(os.sep, "/")
                assert relative in names, f"{relative} is missing from the wheel"


@pytest.mark.parametrize("module", ["cfglint.rules", "cfglint.schemas"])
def test_installed_package_imports_mapped_folders(module):
    __import__(module)


def test_readme_rule_table_lists_every_rule():
    from cfglint import rules

    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    for rule in rules.RULES:
        assert f"| {rule.code} | {rule.name} | {rule.severity} | {rule.summary} |" in readme, rule.code


def test_a_dialect_schema_works_as_an_editor_uses_it():
    """What the YAML language server does with a modeline: validate the document's data."""
    import json

    import jsonschema

    from cfglint.document import to_data
    from cfglint.source import load_document

    schema = json.loads(family_schemas()["huggingface.schema.json"])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    def errors(text):
        return [e.message for e in validator.iter_errors(to_data(load_document("c.yaml", text.encode()).root))]

    assert errors("learning_rate: 2.0e-5\nnum_train_epochs: 3\nwarmup_ratio: 0.1\nreport_to: wandb\n") == []
    assert errors("learning_rate: auto\nper_device_train_batch_size: ${batch}\n") == []  # placeholders are fine
    assert errors("learning_rate: [1]\n") != []


def test_a_modeline_can_name_a_framework_dialect(tmp_path):
    from cfglint.api import CheckOptions, Checker

    config = tmp_path / "run.yaml"
    config.write_text("# yaml-language-server: $schema=../schemas/composer.schema.json\nmax_duration: 10ba\nscheduler:\n  t_warmup: 20ba\n")
    (report,) = Checker(CheckOptions(isolated=True)).check([str(config)]).files
    assert report.dialect.startswith("composer (from modeline")
    assert [(f.code, f.span.line) for f in report.findings] == [("T001", 4)]
