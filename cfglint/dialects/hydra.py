"""Hydra / OmegaConf YAML: `defaults:` lists, `_target_` blocks, `${...}` interpolations.

A Hydra config is usually composed from fragments (model/, trainer/, data/ groups), so keys are
read both where a full config has them (`trainer.max_epochs`, `model.optimizer.lr`) and where a
group fragment has them at its top (`max_epochs`, `lr`). References to keys of the same file are
resolved; `???` (mandatory) and resolver calls are unknown, never errors. Training usually runs on
Lightning, so steps per epoch round up. OmegaConf reads `1e-4` as a float.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="hydra",
    title="Hydra / OmegaConf YAML",
    markers={"defaults": 3, "_target_": 3, "*._target_": 3, "*.*._target_": 2, "hydra": 1},
    threshold=3,
    fields={
        "optimizer": ("model.optimizer._target_", "optimizer._target_"),
        "learning_rate": ("model.optimizer.lr", "optimizer.lr", "model.lr", "lr"),
        "weight_decay": ("model.optimizer.weight_decay", "optimizer.weight_decay", "model.weight_decay", "weight_decay"),
        "scheduler": ("model.scheduler._target_", "scheduler._target_"),
        "plateau_factor": ("model.scheduler.factor",),
        "plateau_patience": ("model.scheduler.patience",),
        "clip_grad_norm": ("trainer.gradient_clip_val", "gradient_clip_val"),
        "epochs": ("trainer.max_epochs", "max_epochs"),
        "max_steps": ("trainer.max_steps", "max_steps"),
        "warmup_steps": ("model.num_warmup_steps", "num_warmup_steps"),
        "gradient_accumulation_steps": ("trainer.accumulate_grad_batches", "accumulate_grad_batches"),
        "batch_size": ("data.batch_size", "train_dataloader.batch_size", "batch_size"),
    },
    unset_values={"trainer.max_steps": (-1,), "max_steps": (-1,), "trainer.max_epochs": (-1,), "max_epochs": (-1,)},
    rounding="epoch-ceil",
    fp32_optimizer_state=True,
    loader="omegaconf",
    doc=__doc__,
)
