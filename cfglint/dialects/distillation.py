"""Knowledge-distillation "emergency-fix" JSON (the incident in seed 003).

Loss weights are top-level `alpha_<component>` keys; the scheduler block counts optimizer steps,
so its length must be micro-batches divided by `gradient_accumulation_steps`.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="distillation",
    title="Knowledge distillation (emergency-fix style JSON)",
    markers={"alpha_kd": 3, "temperature": 1, "min_temperature": 2, "kd_top_k": 3, "alpha_feature": 2, "alpha_attention": 2},
    threshold=3,
    fields={
        "optimizer": ("optimizer",),
        "learning_rate": ("learning_rate",),
        "min_lr": ("scheduler.min_lr",),
        "weight_decay": ("weight_decay",),
        "clip_grad_norm": ("max_grad_norm",),
        "scheduler": ("scheduler.type",),
        "epochs": ("num_epochs",),
        "max_steps": ("max_steps",),
        "warmup_steps": ("warmup_steps", "scheduler.warmup_steps"),
        "warmup_ratio": ("warmup_ratio", "scheduler.warmup_ratio"),
        "batch_size": ("batch_size",),
        "gradient_accumulation_steps": ("gradient_accumulation_steps",),
        "dropout": ("dropout",),
        "temperature": ("temperature",),
        "min_temperature": ("min_temperature",),
        "seq_len": ("max_length", "max_seq_length"),
    },
    loss_weights=(("", "alpha_"),),
    model="cfglint.models.distillation:DistillationConfig",
)
