"""MosaicML Composer / llm-foundry YAML.

Durations are time strings: `max_duration: 2ep` or `1000ba`, `scheduler.t_warmup: 0.02dur` (a
share of the run) or `100ba`; samples (`sp`) and tokens (`tok`) become batches through
`global_train_batch_size` (and `max_seq_len`). A Composer batch is one optimizer step (micro-
batches of `device_train_microbatch_size` are accumulated inside it), so `ba` counts optimizer
steps directly. `variables:` entries referenced as `${variables.x}` are resolved.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="composer",
    title="MosaicML Composer / llm-foundry YAML",
    markers={"max_duration": 3, "global_train_batch_size": 2, "device_train_microbatch_size": 2, "scheduler.t_warmup": 2, "train_loader": 1, "optimizer.name": 1},
    threshold=4,
    fields={
        "optimizer": ("optimizer.name",),
        "learning_rate": ("optimizer.lr",),
        "weight_decay": ("optimizer.weight_decay",),
        "scheduler": ("scheduler.name",),
        "clip_grad_norm": ("algorithms.gradient_clipping.clipping_threshold",),
        "global_batch_size": ("global_train_batch_size",),
        "batch_size": ("device_train_microbatch_size",),
        "seq_len": ("max_seq_len",),
    },
    time_fields={
        "max_duration": {"ep": "epochs", "ba": "max_steps"},
        "scheduler.t_warmup": {"ep": "warmup_epochs", "ba": "warmup_steps", "dur": "warmup_ratio"},
        "eval_interval": {"ba": "eval_interval"},
        "save_interval": {"ba": "save_interval"},
    },
    fp32_optimizer_state=True,
    doc=__doc__,
)
