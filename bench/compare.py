"""cfglint against its anchors, yamllint and check-jsonschema, on the same files in one run.

Prints ratios (anchor time / cfglint time) because absolute times vary between machines:
the whole corpus without and with the cache, one small file, the corpus replicated 10x (is time
linear?), peak memory, the import time of `cfglint check`, and (with torch installed) the
probe's cost against plain training steps (bench/probe_cost.py). Needs the bench extra:

    pip install ".[bench]" && python bench/compare.py [--corpus ../shared/corpus] [--repeat 5]

A regular install, not an editable one: an editable install's import hook slows every start.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


def tool(name: str) -> str:
    path = os.path.join(BIN, name)
    if not os.path.exists(path):
        sys.exit(f"{name} is not installed here: pip install '.[bench]'")
    return path


def timed(command: list[str], repeat: int, env: dict | None = None) -> float:
    """Best wall time of `repeat` runs."""
    (best,) = timed_together([command], repeat, env)
    return best


def timed_together(commands: list[list[str]], repeat: int, env: dict | None = None) -> list[float]:
    """Best wall time of each command: one unmeasured warm-up run each, then `repeat` rounds in
    which every command runs once in turn. Interleaved, so that a ratio compares runs made in the
    same seconds: this machine's speed drifts by a third within a minute, and timing one command's
    runs and then the next's (as hyperfine does) lets that drift into the ratio."""
    for command in commands:
        warm_up = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        if os.path.basename(command[0]) == "cfglint" and warm_up.returncode >= 2:  # 1 is findings; 2 and 3 mean it did not check
            sys.exit(f"{' '.join(command)} failed (exit {warm_up.returncode}): {warm_up.stderr.strip()}")
    best = [float("inf")] * len(commands)
    for _ in range(repeat):
        for index, command in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def peak_memory_mb(command: list[str], env: dict) -> float:
    """Largest resident set of any process the command ran (cfglint's workers included)."""
    code = "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    out = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True, env=env)
    return int(out.stdout.strip()) / 1024


def files_under(folder: str) -> list[str]:
    return sorted(os.path.join(d, f) for d, _, names in os.walk(folder) for f in names if f.endswith((".yaml", ".yml", ".json")))


def imports(env: dict, sample: str, where: str) -> list[tuple[float, str]]:
    """`python -X importtime` for `cfglint check` on one file: (ms, module) for each top-level import.
    Run from `where`, outside this checkout: `-m` puts the working folder first on the path, and
    from here it would time the checkout's package instead of the installed one."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "cfglint", "check", "--isolated", "--no-cache", sample], capture_output=True, text=True, env=env, cwd=where)
    found = []
    for line in run.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)", line)
        if match:
            found.append((int(match.group(1)) / 1000, match.group(2)))
    return found


def probe_cost() -> str:
    """bench/probe_cost.py's table, or why it did not run."""
    if importlib.util.find_spec("torch") is None:
        return "probe cost: not measured (needs torch: pip install '.[probe,bench]')"
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "probe_cost.py")], capture_output=True, text=True)
    return run.stdout.strip() if run.returncode == 0 else f"probe cost: bench/probe_cost.py failed:\n{run.stderr.strip()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"no corpus at {corpus}")
    cfglint, yamllint, check_jsonschema = tool("cfglint"), tool("yamllint"), tool("check-jsonschema")
    work = tempfile.mkdtemp(prefix="cfglint-bench-")
    # Every tool runs from its compiled bytecode, as on a user's machine: a PYTHONDONTWRITEBYTECODE
    # left in the environment would make the first tool (an editable install) compile itself each run.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    env = dict(os.environ, CFGLINT_CACHE_DIR=os.path.join(work, "cache"))
    schema = os.path.join(work, "trivial.schema.json")
    with open(schema, "w") as handle:
        json.dump({}, handle)
    everything = files_under(corpus)
    yaml_files = [f for f in everything if not f.endswith(".json")]
    small = os.path.join(ROOT, "examples", "production.yaml")

    print(f"cfglint bench, {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"corpus: {len(everything)} files ({len(yaml_files)} YAML), best of {args.repeat}\n")
    subprocess.run([cfglint, "check", "--isolated", "--exit-zero", "-q", corpus], stdout=subprocess.DEVNULL, env=env)  # fill the cache
    ours_cold, ours_warm, their_yamllint, their_jsonschema = timed_together(
        [
            [cfglint, "check", "--isolated", "--no-cache", "--exit-zero", "-q", corpus],
            [cfglint, "check", "--isolated", "--exit-zero", "-q", corpus],
            [yamllint, "-d", "relaxed", *yaml_files],
            [check_jsonschema, "--schemafile", schema, *everything],
        ],
        args.repeat,
        env,
    )
    rows = [
        ("corpus, cfglint (no cache)", ours_cold, their_yamllint, their_jsonschema),
        ("corpus, cfglint (warm cache)", ours_warm, their_yamllint, their_jsonschema),
    ]
    print(f"{'':34}{'cfglint':>10}{'yamllint':>10}{'ratio':>8}{'check-js':>10}{'ratio':>8}")
    for label, ours, yl, cj in rows:
        print(f"{label:34}{ours:>9.2f}s{yl:>9.2f}s{yl / ours:>7.1f}x{cj:>9.2f}s{cj / ours:>7.1f}x")
    # Start-up is most of a one-file run and varies by a few ms between runs: take more of them.
    subprocess.run([cfglint, "check", "--isolated", "-q", small], stdout=subprocess.DEVNULL, env=env)  # fill the cache
    single_ours, single_hit, single_yl, single_cj = timed_together(
        [
            [cfglint, "check", "--isolated", "--no-cache", "-q", small],
            [cfglint, "check", "--isolated", "-q", small],
            [yamllint, "-d", "relaxed", small],
            [check_jsonschema, "--schemafile", schema, small],
        ],
        args.repeat * 6,
        env,
    )
    for label, ours in (("one small file (no cache)", single_ours), ("one small file (cache hit)", single_hit)):
        print(f"{label:34}{ours:>9.3f}s{single_yl:>9.3f}s{single_yl / ours:>7.2f}x{single_cj:>9.3f}s{single_cj / ours:>7.1f}x")

    replicated = os.path.join(work, "x10")
    for copy in range(10):
        shutil.copytree(corpus, os.path.join(replicated, f"copy{copy}"), copy_function=shutil.copyfile)
    tenfold = timed([cfglint, "check", "--isolated", "--no-cache", "--exit-zero", "-q", replicated], max(1, args.repeat - 1), env)
    print(f"\ncorpus x10 ({10 * len(everything)} files): {tenfold:.2f}s = {tenfold / ours_cold:.1f}x the corpus (linear: 10x)")
    memory = peak_memory_mb([cfglint, "check", "--isolated", "--no-cache", "--exit-zero", "-q", corpus], env)
    print(f"peak memory, corpus: {memory:.0f} MB (target: under 150 MB)")
    found = imports(env, small, work)
    print(f"python -X importtime, `cfglint check` on one file: {sum(ms for ms, _ in found):.0f} ms; slowest top-level imports, each with what it imports:")
    for ms, module in sorted(found, reverse=True)[:6]:
        print(f"  {ms:6.1f} ms  {module}")
    print(f"\n{probe_cost()}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
