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
    assert [(hook["id"], hook["entry"]) for hook in hooks] == [("cfglint", "cfglint check --force-exclude"), ("cfglint-fix", "cfglint fix --write --exit-non-zero-on-fix --force-exclude")]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel pip builds from this checkout, built once for the tests that need it."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(folder), ROOT], check=True, capture_output=True)
    (built,) = folder.glob("cfglint_ml-*.whl")
    return built


@pytest.mark.builds_package
def test_wheel_ships_rules_and_schemas_inside_the_package(wheel):
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


@pytest.mark.builds_package
def test_sdist_holds_what_its_own_tests_need_and_they_pass_from_it(tmp_path):
    """Unpack the sdist, install it (not this checkout) and run its test suite from its own
    tree: the sdist's tests, fixtures, examples and schemas are all there."""
    import tarfile

    subprocess.run(
        [sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("cfglint_ml-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
        top = archive.getnames()[0].split("/")[0]
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("LICENSE", "README.md", ".pre-commit-hooks.yaml", "tests/conftest.py", "tests/helpers.py", "examples/production.yaml", "schemas/forecasting.schema.json", "rules/warmup_exceeds_training.py"):
        assert needed in names, f"{needed} is missing from the sdist"
    assert any(name.startswith("tests/fixtures/") for name in names) and any(name.startswith("examples/probe/") for name in names)
    assert not any("__pycache__" in name for name in names)
    tree, installed = tmp_path / top, tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--target", str(installed), str(tree)],
        check=True,
        capture_output=True,
    )
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    # -P: the unpacked tree's own cfglint/ must not shadow what was installed from it.
    run = subprocess.run(
        [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not builds_package", "-x"],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout.splitlines()[-1] and "error" not in run.stdout.splitlines()[-1]
    probe = subprocess.run([sys.executable, "-P", "-c", "import cfglint; print(cfglint.__file__)"], env=environment, capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(installed))


@pytest.mark.builds_package
def test_the_wheel_installs_in_a_fresh_environment_and_checks_an_example(wheel, tmp_path):
    venv = tmp_path / "venv"
    # Nothing of this checkout on the path: the build leaves an egg-info in it, which pip in the
    # new environment would take for an installed cfglint-ml.
    fresh = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], env=fresh, check=True, capture_output=True)
    run = subprocess.run([str(bin_dir / "cfglint"), "check", "--isolated", "examples/retrain.yaml"], cwd=ROOT, env=fresh, capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("examples/retrain.yaml:18:16: T002 [warning] warmup_epochs (5) is 50% of train_epochs (10)")
    assert lines[-1] == "Found 1 finding (1 warning) in 1 of 1 file."
    read_metadata = "import importlib.metadata as m; d = m.distribution('cfglint-ml'); print(d.metadata['License-Expression']); print(sorted(f.name for f in d.files if f.name in ('LICENSE', 'py.typed')))"
    metadata = subprocess.run([str(bin_dir / "python"), "-c", read_metadata], env=fresh, capture_output=True, text=True, check=True).stdout
    assert metadata == "MIT\n['LICENSE', 'py.typed']\n"
    assert "torch" not in subprocess.run([str(bin_dir / "python"), "-m", "pip", "list"], env=fresh, capture_output=True, text=True, check=True).stdout


def test_one_version_and_the_readme_pins_its_tag():
    import re

    import cfglint
    from cfglint.toml_source import standard_toml

    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        assert standard_toml().load(handle)["project"]["version"] == cfglint.__version__
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        assert re.findall(r"^\s+rev: (\S+)$", handle.read(), re.MULTILINE) == [f"v{cfglint.__version__}"]
