"""DINOv2 self-supervised training YAML (OmegaConf): `optim`, `train`, `student`, `teacher`.

Durations are `optim.epochs` of `train.OFFICIAL_EPOCH_LENGTH` iterations each; warmup is
`optim.warmup_epochs`. The learning rate is `optim.base_lr`, scaled by the batch size at start-up.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="dinov2",
    title="DINOv2 self-supervised training YAML",
    markers={"optim.base_lr": 2, "student.arch": 2, "teacher.momentum_teacher": 2, "ibot": 1, "dino": 1, "train.OFFICIAL_EPOCH_LENGTH": 1},
    threshold=3,
    fields={
        "learning_rate": ("optim.base_lr",),
        "min_lr": ("optim.min_lr",),
        "weight_decay": ("optim.weight_decay",),
        "clip_grad_norm": ("optim.clip_grad",),
        "epochs": ("optim.epochs",),
        "warmup_epochs": ("optim.warmup_epochs",),
        "batch_size": ("train.batch_size_per_gpu",),
        "steps_per_epoch": ("train.OFFICIAL_EPOCH_LENGTH",),
    },
    fp32_optimizer_state=True,
    loader="omegaconf",
    doc=__doc__,
)
