"""Lightning CLI YAML (`python main.py fit --config run.yaml`): trainer, model, data, optimizer.

Durations are `trainer.max_epochs` or `trainer.max_steps` (-1 means unset); the optimizer steps
once per `trainer.accumulate_grad_batches` batches, and Lightning still steps at the end of an
epoch on a partial window (rounded up per epoch); `trainer.gradient_clip_val` clips by norm.
Training stops at whichever of `max_epochs` and `max_steps` comes first, and an integer
`trainer.limit_train_batches` caps the batches of an epoch (a float is a share of them): both
give an upper bound on the run when the dataset size is unknown. The
learning rate sits in `optimizer.init_args` or in the LightningModule's own arguments.
jsonargparse converts `1e-3` to a float, so YAML 1.1 spelling does not matter here.
`trainer.precision` is fp16 for 16, "16", "16-mixed" and "16-true"; any other value is not.
"""

from cfglint.dialects.base import Described, Dialect
from cfglint.document import Mapping, Scalar, format_path
from cfglint.plan import Setting, TrainingPlan

FP16_PRECISIONS = (16, "16", "16-mixed", "16-true")


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """fp16 from the trainer's precision, which Lightning spells as a number or a string."""
    trainer = root.get("trainer")
    entry = trainer.value.get("precision") if trainer is not None and isinstance(trainer.value, Mapping) else None
    if entry is not None and isinstance(entry.value, Scalar) and isinstance(entry.value.value, (int, str)) and not isinstance(entry.value.value, bool):
        plan.settings["fp16"] = Setting(entry.value.value in FP16_PRECISIONS, format_path(entry.value.path), entry.value, entry.key)
        plan.written.add("fp16")

DIALECT = Dialect(
    name="lightning-cli",
    title="Lightning CLI YAML (class_path / init_args)",
    markers={
        "seed_everything": 2,
        "trainer.max_epochs": 2,
        "trainer.accumulate_grad_batches": 2,
        "trainer.gradient_clip_val": 1,
        "trainer.devices": 1,
        "trainer.accelerator": 1,
        "model.class_path": 2,
        "class_path": 3,  # a fragment passed as --model=model.yaml
        "init_args": 1,
        "*.*.class_path": 1,
        "data.class_path": 1,
    },
    threshold=4,
    fields={
        "optimizer": ("optimizer.class_path", "optimizer"),
        "learning_rate": ("optimizer.init_args.lr", "model.init_args.learning_rate", "model.init_args.lr", "model.learning_rate", "model.lr"),
        "weight_decay": ("optimizer.init_args.weight_decay", "model.init_args.weight_decay", "model.weight_decay"),
        "scheduler": ("lr_scheduler.class_path",),
        "min_lr": ("lr_scheduler.init_args.eta_min",),
        "clip_grad_norm": ("trainer.gradient_clip_val",),
        "epochs": ("trainer.max_epochs",),
        "max_steps": ("trainer.max_steps",),
        "gradient_accumulation_steps": ("trainer.accumulate_grad_batches",),
        "batch_size": ("data.init_args.batch_size", "data.batch_size"),
        "log_interval": ("trainer.log_every_n_steps",),
        "max_batches_per_epoch": ("trainer.limit_train_batches",),
    },
    unset_values={"trainer.max_steps": (-1,), "trainer.max_epochs": (-1,)},
    rounding="epoch-ceil",
    max_steps_rule="first",
    default_clip=0.0,  # gradient_clip_val None or 0: Lightning does not clip
    fp32_optimizer_state=True,
    refine=Described(refine, "trainer.precision: 16, 16-mixed or 16-true -> fp16 (bf16 and 32 are not fp16)"),
    loader="jsonargparse",
    doc=__doc__,
)
