"""DeepSpeed JSON configs.

`"auto"` values are placeholders that the Hugging Face integration fills in, never errors. The
scheduler block counts optimizer steps (`warmup_num_steps`, `total_num_steps`).
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="deepspeed",
    title="DeepSpeed JSON config",
    markers={
        "zero_optimization": 3,
        "train_micro_batch_size_per_gpu": 3,
        "train_batch_size": 2,
        "gradient_clipping": 2,
        "steps_per_print": 1,
        "optimizer.params": 1,
        "scheduler.params": 1,
        "fp16.enabled": 1,
        "bf16.enabled": 1,
    },
    threshold=3,
    fields={
        "optimizer": ("optimizer.type",),
        "learning_rate": ("optimizer.params.lr", "scheduler.params.warmup_max_lr"),
        "min_lr": ("scheduler.params.warmup_min_lr",),
        "weight_decay": ("optimizer.params.weight_decay",),
        "clip_grad_norm": ("gradient_clipping",),
        "scheduler": ("scheduler.type",),
        "scheduler_steps": ("scheduler.params.total_num_steps",),
        "betas": ("optimizer.params.betas",),
        "eps": ("optimizer.params.eps",),
        "fp16": ("fp16.enabled",),
        "global_batch_size": ("train_batch_size",),
        "log_interval": ("steps_per_print",),
        "warmup_steps": ("scheduler.params.warmup_num_steps",),
        "batch_size": ("train_micro_batch_size_per_gpu",),
        "gradient_accumulation_steps": ("gradient_accumulation_steps",),
    },
    # DeepSpeed's "Adam" is FusedAdam with adam_w_mode=True: decoupled weight decay.
    default_optimizer="AdamW",
    adam_is_adamw=True,  # FusedAdam's adam_w_mode defaults to True
    fp32_optimizer_state=True,
    default_clip=0.0,
    loader="json",
    doc=__doc__,
)
