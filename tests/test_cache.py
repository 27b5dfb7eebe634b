"""The check cache answers only when nothing a result depends on changed: the file, the
settings, and the JSON Schema the file names or the settings assign."""

import json
import os

import pytest
from click.testing import CliRunner

from cfglint.cli import main

LOOSE = {"type": "object", "properties": {"epochs": {"type": "integer"}}}
TIGHT = {"type": "object", "properties": {"epochs": {"type": "integer", "maximum": 100}}}


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))

    def invoke(*args):
        return CliRunner().invoke(main, ["check", "--format", "json", *args], catch_exceptions=False)

    return invoke


def write(name, text):
    os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
    with open(name, "w") as handle:
        handle.write(text)


def findings(result):
    return [(f["code"], f["line"], f["column"], f["message"]) for f in json.loads(result.output)["findings"]]


@pytest.mark.parametrize(
    "name, config, settings, position",
    [
        ("run.json", '{"$schema": "schemas/run.schema.json", "epochs": 500}\n', None, (1, 50)),
        ("run.yaml", "# yaml-language-server: $schema=schemas/run.schema.json\nepochs: 500\n", None, (2, 9)),
        ("run.yaml", "epochs: 500\n", 'schemas:\n  "run.yaml": schemas/run.schema.json\n', (1, 9)),
    ],
    ids=["$schema key", "modeline", "schemas setting"],
)
def test_tightening_the_named_schema_misses_the_cache(run, tmp_path, name, config, settings, position):
    write(name, config)
    write("schemas/run.schema.json", json.dumps(LOOSE))
    args = ("--isolated",) if settings is None else ()
    if settings is not None:
        write(".cfglint.yaml", settings)
    first = run(*args, name)
    assert (first.exit_code, findings(first)) == (0, [])
    write("schemas/run.schema.json", json.dumps(TIGHT))
    second = run(*args, name)
    assert second.exit_code == 1
    assert findings(second) == [("S004", *position, "epochs: 500 is greater than the maximum of 100")]
    third = run(*args, name)  # answered from the cache now, with the same finding
    assert (third.exit_code, third.output) == (second.exit_code, second.output)
    os.remove("schemas/run.schema.json")  # a schema that disappears misses too
    gone = run(*args, name)
    assert gone.exit_code == 1 and "cannot use the schema" in findings(gone)[0][3]


def test_a_run_from_another_folder_shows_its_own_paths(run, tmp_path, monkeypatch):
    write("configs/a.yaml", "train_epochs: 6\nwarmup_epochs: 8\n")
    from_top = run("--isolated", "configs/a.yaml")
    assert [f["file"] for f in json.loads(from_top.output)["findings"]] == ["configs/a.yaml"]
    monkeypatch.chdir(tmp_path / "configs")
    for _ in range(2):  # checked afresh, then answered from the cache: both with the path as typed here
        inside = run("--isolated", "a.yaml")
        assert [f["file"] for f in json.loads(inside.output)["findings"]] == ["a.yaml"]
    monkeypatch.chdir(tmp_path)
    again = run("--isolated", "configs/a.yaml")
    assert again.output == from_top.output
