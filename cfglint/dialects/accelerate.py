"""Hugging Face accelerate launcher configs (`accelerate launch --config_file ...`).

They set the world: `num_processes`, mixed precision, and for DeepSpeed an embedded
`deepspeed_config` with its own accumulation and clipping, which override the script's.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="accelerate",
    title="Hugging Face accelerate launcher config",
    markers={"compute_environment": 3, "distributed_type": 3, "mixed_precision": 1, "num_processes": 1, "machine_rank": 1},
    threshold=4,
    fields={
        "world_size": ("num_processes",),
        "gradient_accumulation_steps": ("deepspeed_config.gradient_accumulation_steps",),
        "clip_grad_norm": ("deepspeed_config.gradient_clipping",),
    },
    fp32_optimizer_state=True,
    loader="pyyaml",
    deepspeed_keys=("deepspeed_config.deepspeed_config_file",),
    doc=__doc__,
)
