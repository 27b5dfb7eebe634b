"""axolotl YAML (LLM fine-tuning).

Durations are `num_epochs` or `max_steps`; warmup is `warmup_steps` or `warmup_ratio`; the
optimizer steps once per `gradient_accumulation_steps` micro-batches of `micro_batch_size`.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="axolotl",
    title="axolotl fine-tuning YAML",
    markers={"base_model": 2, "micro_batch_size": 3, "sequence_len": 2, "datasets": 1, "adapter": 1, "num_epochs": 1},
    threshold=4,
    fields={
        "optimizer": ("optimizer",),
        "learning_rate": ("learning_rate",),
        "weight_decay": ("weight_decay",),
        "clip_grad_norm": ("max_grad_norm",),
        "scheduler": ("lr_scheduler",),
        "epochs": ("num_epochs",),
        "max_steps": ("max_steps",),
        "warmup_steps": ("warmup_steps",),
        "warmup_ratio": ("warmup_ratio",),
        "batch_size": ("micro_batch_size",),
        "gradient_accumulation_steps": ("gradient_accumulation_steps",),
        "dropout": ("lora_dropout",),
        "fp16": ("fp16",),
        "eval_interval": ("eval_steps",),
        "save_interval": ("save_steps",),
        "log_interval": ("logging_steps",),
        "eps": ("adam_epsilon",),
        "seq_len": ("sequence_len",),
    },
    rounding="epoch-ceil",
    default_optimizer="adamw_torch",
    fp32_optimizer_state=True,
    loader="pydantic",
    deepspeed_keys=("deepspeed",),
    doc=__doc__,
)
