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
        "scheduler_steps": ("scheduler.num_training_steps",),
        "fp16": ("fp16",),
        "eps": ("adam_epsilon",),
        "eval_interval": ("eval.eval_steps", "eval_steps"),
        "save_interval": ("save_steps",),
        "log_interval": ("logging_steps",),
        "steps_per_epoch": ("steps_per_epoch",),
        "dataset_size": ("num_train_samples",),
        "kd_top_k": ("kd_top_k",),
        "eval_kd_top_k": ("eval.kd_top_k",),
        "eval_use_kd_top_k": ("eval.use_kd_top_k",),
        "label_smoothing": ("label_smoothing",),
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
    weights_are_mixture=True,
    model="cfglint.models.distillation:DistillationConfig",
    loader="pyyaml",
    doc=__doc__,
)
