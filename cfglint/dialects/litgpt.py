"""litgpt YAML (`litgpt finetune/pretrain --config`).

The optimizer steps once per `global_batch_size // devices // micro_batch_size` micro-batches:
accumulation is derived, never stated, and the division silently drops a remainder.
`lr_warmup_steps` counts optimizer steps.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="litgpt",
    title="litgpt fine-tuning and pre-training YAML",
    markers={"train.global_batch_size": 3, "train.micro_batch_size": 3, "train.lr_warmup_steps": 1, "checkpoint_dir": 1, "out_dir": 1},
    threshold=4,
    fields={
        "optimizer": ("optimizer.class_path", "optimizer"),
        "learning_rate": ("optimizer.init_args.lr",),
        "weight_decay": ("optimizer.init_args.weight_decay",),
        "betas": ("optimizer.init_args.betas",),
        "min_lr": ("train.min_lr",),
        "clip_grad_norm": ("train.max_norm",),
        "epochs": ("train.epochs",),
        "max_steps": ("train.max_steps",),
        "warmup_steps": ("train.lr_warmup_steps",),
        "batch_size": ("train.micro_batch_size",),
        "global_batch_size": ("train.global_batch_size",),
        "world_size": ("devices",),
        "seq_len": ("train.max_seq_length",),
        "eval_interval": ("eval.interval",),
        "save_interval": ("train.save_interval",),
        "log_interval": ("train.log_interval",),
        "dropout": ("lora_dropout",),
    },
    derives_accumulation=True,
    default_optimizer="torch.optim.AdamW",
    fp32_optimizer_state=True,
    loader="jsonargparse",
    doc=__doc__,
)
