"""The causal structure-learning config with lambda weights and lambda grids (seed 004)."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import Field

from cfglint.models import StrictModel


class OptimizerBlock(StrictModel):
    name: Optional[str] = Field(None, description="Adam, AdamW, SGD, ...")
    type: Optional[str] = None
    lr: Optional[float] = None
    weight_decay: Optional[float] = None
    betas: Optional[list[float]] = None
    eps: Optional[float] = None
    momentum: Optional[float] = None


class PlateauSchedulerBlock(StrictModel):
    """ReduceLROnPlateau as configured: cut the LR by `factor` after `patience` flat epochs."""

    type: Optional[str] = None
    mode: Optional[str] = None
    factor: Optional[float] = None
    patience: Optional[int] = None
    cooldown: Optional[int] = None
    threshold: Optional[float] = None
    min_lr: Optional[float] = None


class StructureLearningConfig(StrictModel):
    """Learn a DAG from data: reconstruction plus sparsity, acyclicity and disentanglement terms."""

    seed: Optional[int] = None
    data_path: Optional[str] = None
    standardize: Optional[bool] = Field(None, description="Zero-mean, unit-variance inputs.")
    epochs: Optional[int] = None
    batch_size: Optional[int] = None
    hidden_dim: Optional[int] = None
    dropout: Optional[float] = None
    optimizer: Optional[OptimizerBlock] = None
    scheduler: Optional[PlateauSchedulerBlock] = None
    grad_clip: Optional[float] = Field(None, description="Max gradient norm.")
    lambda_recon: Optional[float] = None
    lambda_sparse: Optional[float] = None
    lambda_acyclic: Optional[float] = None
    lambda_disen: Optional[float] = None
    target_sparsity: Optional[float] = None
    n_power: Optional[int] = Field(None, description="Power of A in the acyclicity penalty tr(A^n).")
    threshold: Optional[float] = Field(None, description="Edge threshold for evaluation.")
    early_stopping_patience: Optional[int] = None
    # Axis contents (numbers, duplicates, signs) are checked by the grid rules, not the schema.
    grid: Optional[dict[str, list[Any]]] = Field(None, description="Key -> values to sweep.")
