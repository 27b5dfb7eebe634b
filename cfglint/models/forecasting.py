"""The forecasting "production" config (seed 000): Time-Series-Library style, flat keys."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from cfglint.models import StrictModel


class ForecastingConfig(StrictModel):
    """A transformer forecaster's architecture, data window and training settings."""

    # task and data
    task_name: Optional[str] = Field(None, description="long_term_forecast, short_term_forecast, ...")
    is_training: Optional[int] = None
    model: Optional[str] = Field(None, description="Model class name.")
    model_id: Optional[str] = None
    data: Optional[str] = Field(None, description="Dataset loader name.")
    root_path: Optional[str] = None
    data_path: Optional[str] = None
    features: Optional[str] = Field(None, description="M (multivariate), S (univariate) or MS.")
    target: Optional[str] = None
    target_indices: Optional[list[int]] = Field(None, description="Columns predicted; each below enc_in, at most c_out of them.")
    freq: Optional[str] = None
    checkpoints: Optional[str] = None
    scale: Optional[bool] = Field(None, description="Standardise inputs with a scaler fitted on the train split.")
    scaler: Optional[str] = Field(None, description="standard, minmax, robust or none.")
    inverse: Optional[bool] = None
    num_workers: Optional[int] = None
    seed: Optional[int] = None
    # sequence window
    seq_len: Optional[int] = Field(None, description="Input (lookback) length.")
    label_len: Optional[int] = Field(None, description="Decoder start-token length; at most seq_len.")
    pred_len: Optional[int] = Field(None, description="Forecast horizon.")
    # architecture
    enc_in: Optional[int] = Field(None, description="Encoder input size (number of input features).")
    dec_in: Optional[int] = None
    c_out: Optional[int] = Field(None, description="Output size (number of predicted targets).")
    d_model: Optional[int] = Field(None, description="Model dimension; divisible by n_heads.")
    n_heads: Optional[int] = None
    e_layers: Optional[int] = None
    d_layers: Optional[int] = None
    d_ff: Optional[int] = None
    moving_avg: Optional[int] = None
    factor: Optional[int] = None
    distil: Optional[bool] = None
    dropout: Optional[float] = Field(None, description="In [0, 1).")
    embed: Optional[str] = None
    activation: Optional[str] = None
    output_attention: Optional[bool] = None
    # optimisation
    train_epochs: Optional[int] = None
    batch_size: Optional[int] = None
    steps_per_epoch: Optional[int] = Field(None, description="Micro-batches per epoch.")
    train_size: Optional[int] = None
    val_size: Optional[int] = Field(None, description="Validation samples; below 100 makes validation loss noise.")
    patience: Optional[int] = None
    learning_rate: Optional[float] = Field(None, description="Peak learning rate, reached after warmup.")
    warmup_epochs: Optional[int] = Field(None, description="Linear warmup length; below train_epochs.")
    min_lr: Optional[float] = Field(None, description="Cosine annealing floor; below learning_rate.")
    weight_decay: Optional[float] = None
    clip_grad_norm: Optional[float] = Field(None, description="Max gradient norm; 0 or absent disables clipping.")
    gradient_accumulation_steps: Optional[int] = Field(None, description="Micro-batches per optimizer step; at least 1.")
    lradj: Optional[str] = Field(None, description="Learning-rate adjustment schedule.")
    criterion: Optional[str] = Field(None, description="Loss, e.g. MSELoss.")
    loss: Optional[str] = None
    use_amp: Optional[bool] = None
    log_interval: Optional[int] = None
    # hardware
    use_gpu: Optional[bool] = None
    gpu: Optional[int] = None
    use_multi_gpu: Optional[bool] = None
    devices: Optional[str] = None
