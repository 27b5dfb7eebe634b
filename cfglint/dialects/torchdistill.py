"""torchdistill YAML: models, datasets and a `train:` block, with `!import_call`-style tags.

Custom tags stay opaque (never constructed). The optimizer steps once per
`train.optimizer.grad_accum_step` batches. Loss weights are NOT read as a mixture: in
torchdistill a KD term's `alpha` is the cross-entropy weight (0 and 1 are deliberate) and
per-term `weight`s reproduce papers (1000, 1e-7), so the loss-weight rules do not judge them.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="torchdistill",
    title="torchdistill knowledge-distillation YAML",
    markers={"models.student_model": 2, "models.teacher_model": 2, "train.criterion": 2, "train.train_data_loader": 2, "train.optimizer": 1, "datasets": 1},
    threshold=4,
    fields={
        "optimizer": ("train.optimizer.kwargs.optimizer_key", "train.optimizer.key"),
        "learning_rate": ("train.optimizer.kwargs.lr",),
        "weight_decay": ("train.optimizer.kwargs.weight_decay",),
        "clip_grad_norm": ("train.optimizer.max_grad_norm",),
        "gradient_accumulation_steps": ("train.optimizer.grad_accum_step",),
        "scheduler": ("train.scheduler.key",),
        "warmup_steps": ("train.scheduler.kwargs.num_warmup_steps",),
        "scheduler_steps": ("train.scheduler.kwargs.num_training_steps",),
        "epochs": ("train.num_epochs",),
        "batch_size": ("train.train_data_loader.kwargs.batch_size",),
    },
    fp32_optimizer_state=True,
    loader="pyyaml",
    doc=__doc__,
)
