"""The probe's cost against plain training steps of the same model and batches.

For each example program in examples/probe, time `cfglint.probe.measure.measure` over N batches
and N plain training steps (forward, backward, optimizer step) on the same model, weights and
batches. Model construction and imports are excluded from both. Target: the probe at most 3x.
The Lightning and Hydra examples have no entry: their targets come from cfglint.probe.layouts.

    python bench/probe_cost.py [--batches 8] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import time

import torch

from cfglint.api import CheckOptions, Checker
from cfglint.document import to_data
from cfglint.engine import analyse
from cfglint.probe.layouts import layout_target
from cfglint.probe.measure import measure
from cfglint.probe.runner import weight_key
from cfglint.source import load_document

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = {"forecasting": "broken.yaml", "distillation": "broken.json", "structure_learning": "patched.yaml", "lightning": "broken.yaml", "hydra": "broken.yaml"}
LAYOUTS = ("lightning", "hydra")  # no entry: the config names the classes


def load(example: str):
    """A function building the example's ProbeTarget, and the config's weight of each loss term."""
    folder = os.path.join(ROOT, "examples", "probe", example)
    path = os.path.join(folder, EXAMPLES[example])
    with open(path, "rb") as handle:
        data = handle.read()
    doc = load_document(path, data)
    if example in LAYOUTS:
        plan = analyse(doc, Checker(CheckOptions(isolated=True)).settings_for(path), None).plan

        def make_target():
            return layout_target(path, doc, plan, 0, lambda message: None)

        explicit = make_target().weight_keys
    else:
        spec = importlib.util.spec_from_file_location(f"bench_{example}", os.path.join(folder, "train.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        config = to_data(doc.root)

        def make_target():
            return module.probe_target(config)

        explicit = None

    def weight_for(name: str) -> float:
        key = weight_key(doc, name, explicit)
        node = doc.node_at(tuple(key.split(".")))[0] if key else None
        return float(node.value) if node is not None else 1.0

    return make_target, weight_for


def plain_steps(target, weight_for, batches: list) -> float:
    optimizer = torch.optim.AdamW([p for p in target.model.parameters() if p.requires_grad], lr=1e-4)
    start = time.perf_counter()
    for batch in batches:
        optimizer.zero_grad(set_to_none=True)
        sum(weight_for(name) * value for name, value in target.loss_components(batch).items()).backward()
        optimizer.step()
    return time.perf_counter() - start


def probe_time(target, weight_for, count: int) -> float:
    start = time.perf_counter()
    measure(target, weight_for, batches=count)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"probe cost, {args.batches} batches, best of {args.repeat}, torch {torch.__version__} on {platform.processor() or platform.machine()}, 1 thread")
    print(f"{'example':<20}{'plain steps':>14}{'probe':>10}{'ratio':>8}")
    for example in EXAMPLES:
        make_target, weight_for = load(example)
        plain = probe = float("inf")
        for _ in range(args.repeat):
            target = make_target()
            batches = list(target.batches)[: args.batches]
            plain = min(plain, plain_steps(target, weight_for, batches))
            target = make_target()
            probe = min(probe, probe_time(target, weight_for, args.batches))
        print(f"{example:<20}{plain * 1000:>12.1f}ms{probe * 1000:>8.1f}ms{probe / plain:>7.2f}x")


if __name__ == "__main__":
    main()
