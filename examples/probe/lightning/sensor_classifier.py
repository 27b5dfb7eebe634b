"""A LightningModule and LightningDataModule for the Lightning CLI layout (no probe entry needed).

A fault classifier over six sensor channels with an auxiliary decoder that reconstructs the raw
readings (kelvin, hectopascal, rpm...): cross-entropy on the standardised inputs plus the MSE of
the reconstruction in physical units. The weights 0.9 / 0.1 say "mostly classification", but the
reconstruction's raw scale is thousands of times the cross-entropy's (the seed-003 imbalance),
and a clip of 0.05 cuts every update (the gradient norms are in the hundreds).

    python examples/probe/lightning/sensor_classifier.py fit --config examples/probe/lightning/broken.yaml
    cfglint probe examples/probe/lightning/broken.yaml
"""

from __future__ import annotations

import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

# Typical level and spread of each raw channel.
LEVELS = torch.tensor([300.0, 1013.0, 1500.0, 60.0, 5.0, 230.0])
SPREADS = torch.tensor([15.0, 40.0, 300.0, 8.0, 1.5, 10.0])


class SensorData(L.LightningDataModule):
    """Generated readings of three fault classes; inputs standardised on the train split, raw readings kept as targets."""

    def __init__(self, samples: int = 512, batch_size: int = 32, seed: int = 0) -> None:
        super().__init__()
        self.samples, self.batch_size, self.seed = samples, batch_size, seed

    def setup(self, stage: str) -> None:
        generator = torch.Generator().manual_seed(self.seed)
        labels = torch.randint(0, 3, (self.samples,), generator=generator)
        shift = F.one_hot(labels, 3).float() @ torch.randn(3, 6, generator=generator)
        raw = LEVELS + SPREADS * (torch.randn(self.samples, 6, generator=generator) + shift)
        standardised = (raw - raw.mean(0)) / raw.std(0)
        self.train_set = TensorDataset(standardised, raw, labels)

    def train_dataloader(self) -> DataLoader:
        return DataLoader(self.train_set, batch_size=self.batch_size)


class SensorClassifier(L.LightningModule):
    def __init__(self, hidden: int = 32, lr: float = 1e-3, loss_weights: dict[str, float] | None = None) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.loss_weights = loss_weights or {"ce": 1.0, "recon": 1.0}
        self.encoder = nn.Sequential(nn.Linear(6, hidden), nn.ReLU())
        self.classifier = nn.Linear(hidden, 3)
        self.decoder = nn.Linear(hidden, 6)

    def training_step(self, batch, batch_idx):
        inputs, raw, labels = batch
        hidden = self.encoder(inputs)
        ce = F.cross_entropy(self.classifier(hidden), labels)
        recon = F.mse_loss(self.decoder(hidden), raw)
        loss = self.loss_weights["ce"] * ce + self.loss_weights["recon"] * recon
        self.log("train/ce", ce)  # each term unweighted: the probe measures these
        self.log("train/recon", recon)
        self.log("train/loss", loss)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=1000)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}


if __name__ == "__main__":
    from lightning.pytorch.cli import LightningCLI

    LightningCLI()
