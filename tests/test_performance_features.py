"""The cache, parallel jobs and file lists behave exactly like a plain run (timings live in bench/)."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cfglint.cli import main

BAD = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 6\nwarmup_epochs: 8\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CFGLINT_CACHE_DIR", str(tmp_path / "cache"))

    def invoke(*args, input=None):
        return CliRunner().invoke(main, ["check", *args], input=input, catch_exceptions=False)

    return invoke


def write(name, text):
    os.makedirs(os.path.dirname(name) or ".", exist_ok=True)
    with open(name, "w") as handle:
        handle.write(text)


def cache_entries(tmp_path):
    (path,) = (tmp_path / "cache").glob("check-*.json")
    return json.loads(path.read_text())


def test_a_cache_hit_gives_the_same_output(run, tmp_path):
    write("a.yaml", BAD)
    first = run("--isolated", "a.yaml")
    assert len(cache_entries(tmp_path)) == 1
    second = run("--isolated", "a.yaml")
    assert (second.exit_code, second.output) == (first.exit_code, first.output)
    assert "T001" in second.output and "8" in second.output
    assert (tmp_path / "cache" / ".gitignore").read_text().endswith("*\n")


def test_the_cache_misses_when_content_settings_or_options_change(run, tmp_path):
    write("a.yaml", BAD)
    run("--isolated", "a.yaml")
    write("a.yaml", BAD.replace("train_epochs: 6", "train_epochs: 60"))
    assert run("--isolated", "a.yaml").exit_code == 0  # new content: checked afresh
    write(".cfglint.yaml", "ignore: [T]\n")
    write("a.yaml", BAD)
    assert run("a.yaml").exit_code == 0  # the settings file changes the key
    write(".cfglint.yaml", "ignore: [M]\n")
    assert run("a.yaml").exit_code == 1
    assert run("--ignore", "T001", "a.yaml").exit_code == 0  # options too


def test_the_cache_keeps_one_entry_per_file_and_writes_only_on_change(run, tmp_path):
    write("a.yaml", BAD)
    write("b.yaml", "lr: 0.001\n")
    run("--isolated", "a.yaml", "b.yaml")
    assert sorted(os.path.basename(path) for path in cache_entries(tmp_path)) == ["a.yaml", "b.yaml"]
    (cache_file,) = (tmp_path / "cache").glob("check-*.json")
    os.utime(cache_file, (1, 1))
    run("--isolated", "a.yaml")  # all hits: nothing to write
    assert cache_file.stat().st_mtime == 1
    write("a.yaml", BAD.replace("train_epochs: 6", "train_epochs: 60"))
    run("--isolated", "a.yaml")  # a.yaml's entry is replaced, b.yaml's kept
    entries = cache_entries(tmp_path)
    assert sorted(os.path.basename(path) for path in entries) == ["a.yaml", "b.yaml"]
    os.remove("b.yaml")
    write("a.yaml", BAD)
    run("--isolated", "a.yaml")  # entries of deleted files are dropped on the next write
    assert [os.path.basename(path) for path in cache_entries(tmp_path)] == ["a.yaml"]


def test_a_cache_hit_on_undecodable_bytes_shows_the_same_finding(run, tmp_path):
    with open("a.yaml", "wb") as handle:
        handle.write(b"lr: 0.1\nname: \xff\xfe bad\n")
    first = run("--isolated", "a.yaml")
    assert first.exit_code == 1 and "a.yaml:2:7: D001" in first.output
    second = run("--isolated", "a.yaml")
    assert (second.exit_code, second.output) == (first.exit_code, first.output)


def test_no_cache_and_a_corrupt_cache(run, tmp_path):
    write("a.yaml", BAD)
    run("--isolated", "--no-cache", "a.yaml")
    assert not (tmp_path / "cache").exists()
    (tmp_path / "cache").mkdir()
    from cfglint import __version__

    (tmp_path / "cache" / f"check-{__version__}.json").write_text("{not json")
    assert run("--isolated", "a.yaml").exit_code == 1  # ignored and rewritten
    assert len(cache_entries(tmp_path)) == 1


def test_parallel_jobs_and_file_lists_give_the_same_result(run, tmp_path):
    for index in range(40):
        write(f"configs/run{index:02}.yaml", BAD if index % 3 == 0 else BAD.replace("train_epochs: 6", "train_epochs: 60"))
    one = run("--isolated", "--no-cache", "--format", "json", "-j", "1", "configs")
    two = run("--isolated", "--no-cache", "--format", "json", "-j", "2", "configs")
    assert one.output == two.output and one.exit_code == two.exit_code == 1
    assert len(json.loads(one.output)["findings"]) == 14
    listed = "\n".join(f"configs/run{index:02}.yaml" for index in range(0, 40, 3)) + "\n"
    from_list = run("--isolated", "--no-cache", "--statistics", "--files-from", "-", input=listed)
    assert from_list.output == "   14  T001  warmup-exceeds-training\n"


def test_a_check_loads_only_what_it_uses():
    """Start-up is most of a one-file run: `check` must not import the other commands, the other
    output formats, or dataclasses (whose definitions cost 0.2-0.5 ms each on Python 3.11); and
    a plain block YAML config needs no libyaml, so ruamel.yaml (10-20 ms) is not imported."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = (
        "import sys\nfrom cfglint.cli import main\n"
        f"sys.argv = ['cfglint', 'check', '--isolated', '--no-cache', {os.path.join(root, 'examples', 'production.yaml')!r}]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "loaded = [name for name in ('dataclasses', 'difflib', 'cfglint.commands.fix', 'cfglint.commands.probe', "
        "'cfglint.commands.schedule', 'cfglint.reporters.json', 'cfglint.reporters.sarif', 'cfglint.reporters.junit', 'cfglint.reporters.gitlab', 'cfglint.writer', 'xml.etree.ElementTree', 'cfglint.fixer', 'ruamel.yaml', '_ruamel_yaml', 'cfglint.yaml_source') if name in sys.modules]\n"
        "assert 'cfglint.commands.check' in sys.modules and not loaded, loaded\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_without_fork_jobs_run_in_one_process_with_the_same_result(run, tmp_path, monkeypatch):
    from cfglint import parallel

    for index in range(6):
        write(f"configs/run{index}.yaml", BAD)
    one = run("--isolated", "--no-cache", "--format", "json", "-j", "1", "configs")
    monkeypatch.setattr(parallel, "can_fork", lambda: False)  # as on Windows
    two = run("--isolated", "--no-cache", "--format", "json", "-j", "2", "configs")
    assert (two.exit_code, two.output) == (one.exit_code, one.output) and one.exit_code == 1
