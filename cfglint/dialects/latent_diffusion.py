"""Latent-diffusion training YAML (ldm / lvdm style): `model.target`/`params`, `lightning.trainer`.

The learning rate is `model.base_learning_rate` (scaled by batch size and GPUs when
`scale_lr` is on); training runs on PyTorch Lightning, configured under `lightning.trainer`.
Read with OmegaConf.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="latent-diffusion",
    title="Latent-diffusion training YAML (ldm / lvdm)",
    markers={"model.base_learning_rate": 3, "lightning.trainer": 2, "model.target": 1, "data.target": 1},
    threshold=4,
    fields={
        "learning_rate": ("model.base_learning_rate",),
        "epochs": ("lightning.trainer.max_epochs",),
        "max_steps": ("lightning.trainer.max_steps",),
        "gradient_accumulation_steps": ("lightning.trainer.accumulate_grad_batches",),
        "clip_grad_norm": ("lightning.trainer.gradient_clip_val",),
        "batch_size": ("data.params.batch_size",),
    },
    unset_values={"lightning.trainer.max_steps": (-1,), "lightning.trainer.max_epochs": (-1,)},
    rounding="epoch-ceil",
    fp32_optimizer_state=True,
    loader="omegaconf",
    doc=__doc__,
)
