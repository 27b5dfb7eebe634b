"""Hostile and broken input: every case ends in findings or a clear error, in bounded time and
memory, with no traceback; nothing from a config is ever executed; writes lose nothing."""

import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

MEMORY_LIMIT = 1024**3  # 1 GiB of address space for the checking process
TIME_LIMIT = 20.0  # seconds; a case should take a few


def cfglint(*args, stdin=None, timeout=TIME_LIMIT):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "cfglint", *args], input=stdin, capture_output=True, timeout=timeout, preexec_fn=limit)
    run.elapsed = time.monotonic() - start
    return run


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return str(path)


def alias_bomb():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous, current = chr(96 + level), chr(97 + level)
        lines.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


CASES = {
    # name: (file name, content, expected exit code, text the output must contain)
    "alias bomb": ("bomb.yaml", alias_bomb(), 1, "an alias bomb"),
    "deep flow YAML": ("flow.yaml", "a: " + "[" * 10_000 + "]" * 10_000, 1, "nesting deeper than 200 levels"),
    "deep block YAML": ("block.yaml", "- " * 10_000 + "x\n", 1, "nesting deeper than 200 levels"),
    "deep JSON": ("deep.json", "[" * 10_000 + "]" * 10_000, 1, "nesting deeper than 200 levels"),
    "2 MB single line": ("line.json", json.dumps({"k": "x" * 2_000_000}), 0, "All checks passed"),
    "200,000 keys": ("keys.yaml", "".join(f"key_{i}: {i}\n" for i in range(200_000)), 0, "All checks passed"),
    "10 MB file": ("big.yaml", "k: v\n" * 2_200_000, 2, "over cfglint's 4 MB limit"),
    "random bytes": ("noise.yaml", bytes((i * 7919 + 13) % 256 for i in range(50_000)), 1, "D001"),
    "invalid UTF-8": ("bad.yaml", b"lr: caf\xe9\n", 1, "not valid UTF-8"),
    "UTF-16 with BOM": ("wide.yaml", "lr: 0.1\n".encode("utf-16"), 0, "All checks passed"),
    "NUL bytes": ("nul.yaml", b"a: 1\x00\n", 1, "NUL character"),
    "python tags": ("tags.yaml", "a: !!python/object/apply:os.system ['true']\nb: !!python/name:os.system\n", 0, "All checks passed"),
    "merge keys": ("merge.yaml", "base: &b {lr: 0.1}\nrun:\n  <<: *b\n  epochs: 3\n", 0, "All checks passed"),
    "complex keys": ("complex.yaml", "? [a, b]\n: 1\n? {c: d}\n: 2\n", 0, "All checks passed"),
    "null and numeric keys": ("keys2.yaml", "~: 1\n1: 2\n1.5: 3\ntrue: 4\n", 0, "All checks passed"),
    "multi-document": ("multi.yaml", "a: 1\n---\nb: 2\n...\n---\n- 3\n", 0, "All checks passed"),
    "huge floats": ("huge.json", '{"a": 1e400, "b": -1e400, "c": 123456789012345678901234567890}', 0, "All checks passed"),
    "5,000-digit JSON integer": ("digits.json", '{"c": ' + "9" * 5000 + "}", 1, "an integer of 5,000 digits"),
    "5,000-digit YAML integer": ("digits.yaml", "c: " + "9" * 5000 + "\n", 1, "an integer of 5,000 digits"),
    "5,000-digit YAML string": ("digits2.yaml", "c: '" + "9" * 5000 + "'\n", 0, "All checks passed"),
    "NaN and Infinity": ("nan.json", '{"a": NaN, "b": Infinity, "c": -Infinity}', 0, "All checks passed"),
    "unclosed JSON": ("open.json", '{"a": [1, 2', 1, "unexpected end of file"),
    "trailing comma": ("comma.json", '{"a": 1,}', 1, "trailing comma"),
    "JSON comments": ("comment.json", '{"a": 1 /* note */}', 1, "comments are not allowed in JSON"),
    "empty YAML": ("empty.yaml", "", 0, "All checks passed"),
    "empty JSON": ("empty.json", "", 1, "empty file"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_ends_cleanly_in_bounded_time_and_memory(tmp_path, case):
    name, content, code, text = CASES[case]
    path = write(tmp_path, name, content)
    run = cfglint("check", "--isolated", path)
    output = (run.stdout + run.stderr).decode("utf-8", "replace")
    assert run.returncode == code, output[-500:]
    assert text in output
    assert "Traceback" not in output
    assert run.elapsed < TIME_LIMIT


def test_paths_that_are_not_files_are_exit_2(tmp_path):
    os.symlink(tmp_path / "gone.yaml", tmp_path / "dangling.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")  # opening a FIFO would block forever
    for path, message in ((tmp_path / "missing.yaml", "no such file"), (tmp_path / "dangling.yaml", "no such file"), (tmp_path / "pipe.yaml", "not a regular file")):
        run = cfglint("check", "--isolated", str(path), timeout=10)
        assert run.returncode == 2 and message in run.stderr.decode()
    run = cfglint("schedule", str(tmp_path), timeout=10)
    assert run.returncode == 2 and "is a directory" in run.stderr.decode()


def test_stdin_is_limited_too():
    run = cfglint("check", "--isolated", "-", "--stdin-filename", "big.yaml", stdin=b"k: v\n" * 1_000_000)
    assert run.returncode == 2 and b"over cfglint's 4 MB limit" in run.stderr


EXECUTION_PROBE = textwrap.dedent(
    """
    import sys
    events = []
    WATCHED = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
               "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "ctypes.dlopen")
    def hook(event, args):
        if event in WATCHED:
            events.append((event, repr(args)[:80]))
        elif event == "import" and args[0].split(".")[0].startswith("evil_"):
            events.append((event, args[0]))
        elif event == "open" and isinstance(args[0], str) and "pwned" in args[0]:
            events.append((event, args[0]))
    sys.addaudithook(hook)
    from click.testing import CliRunner
    from cfglint.cli import main
    for command in (["check"], ["fix", "--unsafe-fixes"], ["schedule"]):
        for path in sys.argv[1:]:
            args = command + ([path] if command == ["schedule"] else ["--isolated", path])
            CliRunner().invoke(main, args)
    print(events)
    sys.exit(1 if events else 0)
    """
)


def test_check_and_fix_execute_nothing_a_config_names(tmp_path):
    configs = {
        "tags.yaml": "a: !!python/object/apply:os.system ['touch pwned']\nb: !!python/name:evil_name.thing\nc: !!python/module:evil_module\n",
        "torchtune.yaml": "model:\n  _component_: evil_component.build\noptimizer:\n  _component_: evil_optim.AdamW\n  lr: 0.1\nepochs: 1\n",
        "hydra.yaml": "defaults:\n  - _self_\n_target_: evil_target.boom\nlr: ${oc.env:HOME}\ncmd: ${evil_resolver:rm -rf pwned}\n",
        "lightning.yaml": "seed_everything: 1\ntrainer:\n  max_epochs: 2\nmodel:\n  class_path: evil_class.Module\n",
        "torchdistill.yaml": "models:\n  student_model: {key: x}\n  teacher_model: {key: y}\ntrain:\n  criterion: {key: z}\n  train_data_loader:\n    sampler: !import_call {key: evil_import.call}\n",
        "schema.json": '{"$schema": "https://evil.example/pwned.schema.json", "learning_rate": 0.1}',
        "modeline.yaml": "# yaml-language-server: $schema=https://evil.example/pwned.json\nlr: 1\n",
    }
    paths = [write(tmp_path, name, text) for name, text in configs.items()]
    (tmp_path / ".cfglint.yaml").write_text("probe:\n  entry: evil_entry.py:target\n")  # check never imports a probe entry
    run = subprocess.run([sys.executable, "-c", EXECUTION_PROBE, *paths], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert not (tmp_path / "pwned").exists()


KILLED_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    from cfglint import writer
    os.replace = lambda source, target: os.kill(os.getpid(), signal.SIGKILL)
    writer.write_atomic(sys.argv[1], b"new: 1\\n" * 100_000)
    """
)


def test_a_write_killed_before_the_rename_leaves_the_old_file_whole(tmp_path):
    path = write(tmp_path, "run.yaml", "old: 1\n")
    run = subprocess.run([sys.executable, "-c", KILLED_WRITE, path], timeout=30)
    assert run.returncode == -signal.SIGKILL
    assert open(path).read() == "old: 1\n"


def test_parallel_fixes_of_one_file_both_apply(tmp_path):
    """pre-commit runs hooks in parallel: two fixers of one file must not undo each other."""
    original = "seq_len: 250\nlabel_len: 125\npred_len: 10\ntrain_epochs: 10\nlearning_rate: \"0.001\"  # peak\nwarmup_epochs: 12\n"
    for round_ in range(5):
        path = write(tmp_path, f"run{round_}.yaml", original)
        runs = []
        threads = [
            threading.Thread(target=lambda select=select: runs.append(cfglint("fix", "--isolated", "--write", "--exit-non-zero-on-fix", "--unsafe-fixes", "--select", select, path)))
            for select in ("S002", "T001")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(run.returncode for run in runs) == [1, 1], [run.stderr for run in runs]  # each changed the file
        assert open(path).read() == original.replace('"0.001"  # peak', "0.001    # peak").replace("warmup_epochs: 12", "warmup_epochs: 1")


def test_a_write_refuses_a_file_that_changed_meanwhile(tmp_path):
    from cfglint.writer import WriteError, write_atomic

    path = write(tmp_path, "run.yaml", "a: 2\n")
    with pytest.raises(WriteError, match="changed while it was being fixed"):
        write_atomic(path, b"a: 3\n", expected=b"a: 1\n")
    assert open(path).read() == "a: 2\n"


def test_fix_write_keeps_permissions_and_symlinks(tmp_path):
    target = write(tmp_path, "real.yaml", "seq_len: 250\nlabel_len: 125\npred_len: 10\nlearning_rate: \"0.001\"\n")
    os.chmod(target, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to("real.yaml")
    assert cfglint("fix", "--isolated", "--write", str(link)).returncode == 0  # fixed, and nothing failing is left
    assert link.is_symlink() and oct(os.stat(target).st_mode & 0o777) == "0o640"
    assert open(target).read().endswith("learning_rate: 0.001\n")


def test_a_failing_rule_is_an_internal_error_finding_and_exit_3(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from cfglint import rules
    from cfglint.cli import main
    from cfglint.rules import heads_divide_model_dim

    def explode(ctx):
        raise ZeroDivisionError("division by zero")

    broken = heads_divide_model_dim.RULE.replace(check=explode)
    monkeypatch.setattr(rules, "RULES", tuple(broken if r.code == "M002" else r for r in rules.RULES))
    path = write(tmp_path, "run.yaml", "seq_len: 96\nlabel_len: 125\npred_len: 24\nd_model: 512\nn_heads: 8\n")
    result = CliRunner().invoke(main, ["check", "--isolated", "-q", path])
    assert result.exit_code == 3
    lines = result.output.splitlines()
    assert any("C002 [error] rule M002 (heads-do-not-divide-model-dim) failed on this file: ZeroDivisionError: division by zero" in line for line in lines)
    assert any(" M001 " in line for line in lines)  # the other rules still ran
