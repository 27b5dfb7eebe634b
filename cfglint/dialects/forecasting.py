"""Forecasting "production" YAML (Time-Series-Library style, the incident in seed 000).

Flat keys; durations in epochs (`train_epochs`, `warmup_epochs`); the optimizer steps once per
`gradient_accumulation_steps` batches.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="forecasting",
    title="Forecasting model (Time-Series-Library style YAML)",
    markers={"seq_len": 2, "label_len": 2, "pred_len": 2, "enc_in": 1, "c_out": 1, "e_layers": 1, "d_layers": 1, "train_epochs": 1, "warmup_epochs": 1},
    threshold=4,
    fields={
        "learning_rate": ("learning_rate",),
        "min_lr": ("min_lr",),
        "weight_decay": ("weight_decay",),
        "clip_grad_norm": ("clip_grad_norm",),
        "scheduler": ("lradj",),
        "epochs": ("train_epochs",),
        "warmup_epochs": ("warmup_epochs",),
        "batch_size": ("batch_size",),
        "gradient_accumulation_steps": ("gradient_accumulation_steps",),
        "steps_per_epoch": ("steps_per_epoch",),
        "dataset_size": ("train_size", "num_train_samples"),
        "val_size": ("val_size", "num_val_samples"),
        "dropout": ("dropout",),
        "seq_len": ("seq_len",),
        "label_len": ("label_len",),
        "pred_len": ("pred_len",),
        "d_model": ("d_model",),
        "n_heads": ("n_heads",),
        "enc_in": ("enc_in",),
        "c_out": ("c_out",),
        "target_indices": ("target_indices",),
    },
    model="cfglint.models.forecasting:ForecastingConfig",
    default_optimizer="Adam",  # Time-Series-Library builds optim.Adam
    loader="pyyaml",
    doc=__doc__,
)
