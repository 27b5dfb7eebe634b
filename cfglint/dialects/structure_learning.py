"""Causal structure learning with lambda-weighted losses and lambda grids (seed 004).

Loss weights are top-level `lambda_<component>` keys; `grid:` maps keys to the values a sweep
tries; the optimizer and a ReduceLROnPlateau scheduler are blocks.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="structure-learning",
    title="Causal structure learning (lambda weights and lambda grids)",
    markers={"lambda_sparse": 2, "lambda_acyclic": 3, "lambda_recon": 2, "lambda_disen": 2, "grid": 1},
    threshold=3,
    fields={
        "optimizer": ("optimizer.name", "optimizer.type"),
        "learning_rate": ("optimizer.lr", "learning_rate", "lr"),
        "min_lr": ("scheduler.min_lr",),
        "weight_decay": ("optimizer.weight_decay", "weight_decay"),
        "clip_grad_norm": ("grad_clip", "max_grad_norm", "clip_grad_norm"),
        "scheduler": ("scheduler.type",),
        "plateau_factor": ("scheduler.factor",),
        "plateau_patience": ("scheduler.patience",),
        "plateau_cooldown": ("scheduler.cooldown",),
        "betas": ("optimizer.betas",),
        "eps": ("optimizer.eps",),
        "epochs": ("epochs",),
        "batch_size": ("batch_size",),
        "dropout": ("dropout",),
    },
    loss_weights=(("", "lambda_"),),
    grid_blocks=("grid",),
    model="cfglint.models.structure_learning:StructureLearningConfig",
    default_optimizer="Adam",
    loader="pyyaml",
    doc=__doc__,
)
