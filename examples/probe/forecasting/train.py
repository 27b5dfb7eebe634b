"""A small encoder-decoder forecaster with the training loop of the seed-000 incident.

The loop accumulates gradients over `gradient_accumulation_steps` micro-batches and logs, per
optimizer step, the SUM of their losses: the reported training loss is the accumulation factor
times the real one, and train 0.98 against validation 0.27 looked like a broken model.

    python examples/probe/forecasting/train.py examples/probe/forecasting/broken.yaml
    cfglint probe examples/probe/forecasting/broken.yaml --entry examples/probe/forecasting/train.py:probe_target
"""

from __future__ import annotations

import math
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

from cfglint.probe import ProbeTarget


def make_windows(config: dict, count: int = 288) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Windows of a generated multivariate series: inputs (seq_len, enc_in), targets (label_len + pred_len, c_out)."""
    generator = torch.Generator().manual_seed(0)
    seq_len, label_len, pred_len = config["seq_len"], config["label_len"], config["pred_len"]
    length = count + seq_len + pred_len
    time = torch.arange(length, dtype=torch.float32)
    columns = [torch.sin(time / (3 + 2 * k)) * (10 + k) + 100 * k + torch.randn(length, generator=generator) for k in range(config["enc_in"])]
    series = torch.stack(columns, dim=1)
    if config.get("scale", True):
        train = series[: int(0.7 * length)]
        series = (series - train.mean(0)) / train.std(0)
    targets = series[:, config["target_indices"]]
    windows = []
    for start in range(count):
        x = series[start : start + seq_len]
        y = targets[start + seq_len - label_len : start + seq_len + pred_len]
        windows.append((x, y))
    return windows


def batches(config: dict) -> list[tuple[torch.Tensor, torch.Tensor]]:
    windows = make_windows(config)
    size = config["batch_size"]
    return [(torch.stack([w[0] for w in windows[i : i + size]]), torch.stack([w[1] for w in windows[i : i + size]])) for i in range(0, len(windows) - size + 1, size)]


class Forecaster(nn.Module):
    """GRU encoder over the lookback; GRU decoder fed the last label_len targets, then zeros."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        d_model = config["d_model"]
        self.pred_len, self.label_len = config["pred_len"], config["label_len"]
        self.encoder = nn.GRU(config["enc_in"], d_model, batch_first=True)
        self.decoder = nn.GRU(config["c_out"], d_model, batch_first=True)
        self.dropout = nn.Dropout(config.get("dropout", 0.0))
        self.projection = nn.Linear(d_model, config["c_out"])

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        _, hidden = self.encoder(x)
        start = torch.cat([y[:, : self.label_len], torch.zeros_like(y[:, self.label_len :])], dim=1)
        output, _ = self.decoder(start, hidden)
        return self.projection(self.dropout(output[:, -self.pred_len :]))


def build(config: dict) -> Forecaster:
    torch.manual_seed(0)
    return Forecaster(config)


def loss_of(model: Forecaster, batch) -> torch.Tensor:
    x, y = batch
    return F.mse_loss(model(x, y), y[:, -model.pred_len :])


def logged_step_loss(model: Forecaster, micro_batches: list) -> float:
    """What the training loop logs for one optimizer step: the SUM of its micro-batch losses (the bug)."""
    with torch.no_grad():
        return sum(float(loss_of(model, batch)) for batch in micro_batches)


def validation_loss(model: Forecaster, batch) -> float:
    with torch.no_grad():
        return float(loss_of(model, batch))


def train(config: dict, steps: int) -> dict:
    """Train for `steps` optimizer steps; return what a run's health is judged by."""
    model = build(config)
    data = batches(config)
    accumulation = config.get("gradient_accumulation_steps", 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=config["learning_rate"], weight_decay=config.get("weight_decay", 0.0))
    clip = config.get("clip_grad_norm")
    reported, clipped, nan_steps = [], 0, 0
    micro = 0
    for _ in range(steps):
        window = []
        for _ in range(accumulation):
            batch = data[micro % len(data)]
            micro += 1
            window.append(batch)
            raw_loss = loss_of(model, batch)
            (raw_loss / accumulation).backward()
        norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), clip if clip else math.inf))
        clipped += bool(clip and norm > clip)
        nan_steps += not math.isfinite(norm)
        optimizer.step()
        optimizer.zero_grad()
        reported.append(logged_step_loss(model, window))
    validation = sum(validation_loss(model, batch) for batch in data[:4]) / 4
    x, y = data[0]
    with torch.no_grad():
        spread = float(model(x, y).std() / y[:, -model.pred_len :].std())
    return {
        "reported_over_validation": reported[-1] / validation,
        "clipped_fraction": clipped / steps,
        "nan_steps": nan_steps,
        "prediction_std_ratio": spread,
    }


def probe_target(config: dict) -> ProbeTarget:
    model = build(config)
    data = batches(config)
    accumulation = config.get("gradient_accumulation_steps", 1)
    return ProbeTarget(
        model=model,
        batch=data[0],
        batches=data,
        loss_components=lambda batch: {"mse": loss_of(model, batch)},
        predictions=lambda batch: (model(*batch), batch[1][:, -model.pred_len :]),
        inputs=lambda batch: batch[0],
        reported_train_loss=lambda batch: logged_step_loss(model, [batch] * accumulation),
        validation_loss=lambda batch: validation_loss(model, batch),
    )


if __name__ == "__main__":
    from cfglint.document import to_data
    from cfglint.source import load_document, read_bytes

    print(train(to_data(load_document(sys.argv[1], read_bytes(sys.argv[1])).root), steps=60))
