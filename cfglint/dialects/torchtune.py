"""torchtune recipe YAML: blocks built from `_component_` paths (never imported by cfglint).

Durations are `epochs` (capped by `max_steps_per_epoch`); warmup is the scheduler block's
`num_warmup_steps`, counted in optimizer steps. The PPO recipes' `num_steps` counts samples,
not steps, so the generic reading leaves it alone.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="torchtune",
    title="torchtune recipe YAML",
    markers={"*._component_": 3, "optimizer._component_": 1, "max_steps_per_epoch": 1, "checkpointer": 1},
    threshold=4,
    fields={
        "optimizer": ("optimizer._component_",),
        "learning_rate": ("optimizer.lr",),
        "weight_decay": ("optimizer.weight_decay",),
        "clip_grad_norm": ("clip_grad_norm",),
        "scheduler": ("lr_scheduler._component_",),
        "epochs": ("epochs",),
        "max_steps_per_epoch": ("max_steps_per_epoch",),
        "betas": ("optimizer.betas",),
        "eps": ("optimizer.eps",),
        "log_interval": ("log_every_n_steps",),
        "warmup_steps": ("lr_scheduler.num_warmup_steps",),
        "batch_size": ("batch_size",),
        "gradient_accumulation_steps": ("gradient_accumulation_steps",),
        "seq_len": ("tokenizer.max_seq_len",),
    },
    rounding="epoch-floor",
    fp32_optimizer_state=True,
    # The PPO recipes' `num_steps` counts samples (total steps = num_steps // batch_size).
    not_generic=("num_steps",),
    loader="omegaconf",
    doc=__doc__,
)
