"""A causal structure learner on raw, un-standardised data (the seed-004 incident).

A weighted adjacency matrix A reconstructs each variable from the others; sparsity,
acyclicity (tr((A o A)^3)) and disentanglement terms are weighted by lambdas, swept by a grid.
The data ranges over [0, 2775], so reconstruction gradients are enormous and a clip of 10
rescales every update.

    cfglint probe examples/probe/structure_learning/broken.yaml --entry examples/probe/structure_learning/train.py:probe_target --batches 4
"""

from __future__ import annotations

import math
import sys

import torch
import torch.nn as nn

from cfglint.probe import ProbeTarget

VARIABLES = 6


def make_data(config: dict, samples: int = 512) -> torch.Tensor:
    """A linear structural equation model over a random DAG, on a raw measurement scale."""
    generator = torch.Generator().manual_seed(0)
    weights = torch.triu(torch.rand(VARIABLES, VARIABLES, generator=generator) * 1.5 + 0.5, diagonal=1)
    weights = weights * (torch.rand(VARIABLES, VARIABLES, generator=generator) < 0.5)
    data = torch.zeros(samples, VARIABLES)
    for j in range(VARIABLES):
        data[:, j] = data @ weights[:, j] + torch.randn(samples, generator=generator)
    data = (data - data.min(0).values) * 85.0  # sensor units: [0, ~2800]
    if config.get("standardize", False):
        data = (data - data.mean(0)) / data.std(0)
    return data


class StructureModel(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.adjacency = nn.Parameter(torch.randn(VARIABLES, VARIABLES) * 0.1)
        self.bias = nn.Parameter(torch.zeros(VARIABLES))
        self.register_buffer("mask", 1 - torch.eye(VARIABLES))

    def graph(self) -> torch.Tensor:
        return self.adjacency * self.mask

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.graph() + self.bias


def build(config: dict) -> StructureModel:
    torch.manual_seed(0)
    return StructureModel()


def components(model: StructureModel, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """The four UNWEIGHTED terms, each a mean (the seed's fix for sum/mean mixing)."""
    graph = model.graph()
    reconstruction = model(x)
    residual = x - reconstruction
    centred = residual - residual.mean(0)
    covariance = centred.T @ centred / x.shape[0]
    off_diagonal = covariance - torch.diag(torch.diag(covariance))
    return {
        "recon": residual.pow(2).mean(),
        "sparse": graph.abs().mean(),
        "acyclic": torch.trace(torch.linalg.matrix_power(graph * graph, 3)),
        "disen": off_diagonal.abs().mean() / (torch.diag(covariance).mean() + 1e-8),
    }


def batches(config: dict, size: int = 64) -> list[torch.Tensor]:
    data = make_data(config)
    return [data[i : i + size] for i in range(0, data.shape[0], size)]


def train(config: dict, steps: int) -> dict:
    """Train for `steps`; return the clipped fraction, NaN steps and the gradient shares at the end."""
    model = build(config)
    data = batches(config)
    optimizer_config = config.get("optimizer", {})
    optimizer = torch.optim.Adam(model.parameters(), lr=optimizer_config.get("lr", 1e-3), weight_decay=optimizer_config.get("weight_decay", 0.0))
    weights = {name: config.get(f"lambda_{name}", 1.0) for name in ("recon", "sparse", "acyclic", "disen")}
    clip = config.get("grad_clip")
    clipped = nan_steps = 0
    for step in range(steps):
        parts = components(model, data[step % len(data)])
        optimizer.zero_grad()
        sum(weights[name] * value for name, value in parts.items()).backward()
        norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), clip if clip else math.inf))
        clipped += bool(clip and norm > clip)
        nan_steps += not math.isfinite(norm)
        optimizer.step()
    return {"clipped_fraction": clipped / steps, "nan_steps": nan_steps}


def probe_target(config: dict) -> ProbeTarget:
    model = build(config)
    data = batches(config)
    return ProbeTarget(
        model=model,
        batch=data[0],
        batches=data,
        loss_components=lambda x: components(model, x),
        predictions=lambda x: (model(x), x),
        inputs=lambda x: x,
    )


if __name__ == "__main__":
    from cfglint.document import to_data
    from cfglint.source import load_document, read_bytes

    print(train(to_data(load_document(sys.argv[1], read_bytes(sys.argv[1])).root), steps=200))
