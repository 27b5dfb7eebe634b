"""A plain nn.Module and Dataset for the Hydra layout (no probe entry needed).

An hourly electricity-load forecaster: an MLP from the last `lookback` hours to the next
`horizon`. The windows come straight from the meter readings, in megawatts around 3,000, unless
`scale` standardises them on the train split: the raw inputs of the seed-000 forecasting run,
which scale activations and gradients with them.

    python examples/probe/hydra/load_forecaster.py --config-name broken
    cfglint probe examples/probe/hydra/broken.yaml
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
from torch.utils.data import Dataset


class LoadWindows(Dataset):
    """(lookback hours, next horizon hours) windows of a generated load series with daily and weekly cycles."""

    def __init__(self, hours: int = 2000, lookback: int = 24, horizon: int = 4, scale: bool = True, seed: int = 0) -> None:
        generator = torch.Generator().manual_seed(seed)
        time = torch.arange(hours, dtype=torch.float32)
        series = 3000 + 400 * torch.sin(2 * math.pi * time / 24) + 150 * torch.sin(2 * math.pi * time / 168) + 40 * torch.randn(hours, generator=generator)
        if scale:
            train = series[: int(0.7 * hours)]
            series = (series - train.mean()) / train.std()
        self.series, self.lookback, self.horizon = series, lookback, horizon

    def __len__(self) -> int:
        return len(self.series) - self.lookback - self.horizon + 1

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        end = index + self.lookback
        return self.series[index:end], self.series[end : end + self.horizon]


class MLPForecaster(nn.Module):
    def __init__(self, lookback: int, horizon: int, hidden: int = 64, seed: int = 0) -> None:
        super().__init__()
        torch.manual_seed(seed)
        self.net = nn.Sequential(nn.Linear(lookback, hidden), nn.ReLU(), nn.Linear(hidden, horizon))

    def forward(self, window: torch.Tensor) -> torch.Tensor:
        return self.net(window)


if __name__ == "__main__":
    import hydra
    from hydra.utils import instantiate
    from torch.utils.data import DataLoader

    @hydra.main(config_path=".", config_name="broken", version_base=None)
    def train(config) -> None:
        model = instantiate(config.model)
        loader = DataLoader(instantiate(config.data), batch_size=config.batch_size, shuffle=True)
        optimizer = instantiate(config.optimizer)(model.parameters())
        criterion = instantiate(config.loss)
        for epoch in range(config.epochs):
            for window, target in loader:
                optimizer.zero_grad()
                loss = criterion(model(window), target)
                loss.backward()
                optimizer.step()
            print(f"epoch {epoch}: loss {loss.item():.4g}")

    train()
