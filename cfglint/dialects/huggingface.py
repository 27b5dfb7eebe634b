"""Hugging Face TrainingArguments as YAML or JSON (transformers, TRL, alignment-handbook, open-r1).

Durations are `num_train_epochs` or `max_steps` (-1 means "use epochs"); warmup is
`warmup_steps` or `warmup_ratio`; the optimizer steps once per `gradient_accumulation_steps`
micro-batches of `per_device_train_batch_size`.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="huggingface",
    title="Hugging Face TrainingArguments (transformers, TRL, alignment-handbook)",
    markers={
        "per_device_train_batch_size": 3,
        "num_train_epochs": 2,
        "lr_scheduler_type": 2,
        "output_dir": 1,
        "model_name_or_path": 1,
        "warmup_ratio": 1,
        "gradient_checkpointing": 1,
    },
    threshold=4,
    fields={
        "optimizer": ("optim",),
        "learning_rate": ("learning_rate",),
        "weight_decay": ("weight_decay",),
        "clip_grad_norm": ("max_grad_norm",),
        "scheduler": ("lr_scheduler_type",),
        "epochs": ("num_train_epochs",),
        "max_steps": ("max_steps",),
        "warmup_steps": ("warmup_steps",),
        "warmup_ratio": ("warmup_ratio",),
        "batch_size": ("per_device_train_batch_size",),
        "gradient_accumulation_steps": ("gradient_accumulation_steps",),
        "eps": ("adam_epsilon",),
        "fp16": ("fp16",),
        "eval_interval": ("eval_steps",),
        "save_interval": ("save_steps",),
        "log_interval": ("logging_steps",),
        "label_smoothing": ("label_smoothing_factor",),
        "seq_len": ("max_seq_length", "max_length"),
    },
    unset_values={"max_steps": (-1,)},
    rounding="epoch-ceil",
    default_optimizer="adamw_torch",
    fp32_optimizer_state=True,
    loader="pyyaml",
    deepspeed_keys=("deepspeed",),
    doc=__doc__,
)
