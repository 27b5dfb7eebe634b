"""NVIDIA NeMo YAML (`examples/**/conf/*.yaml`): a Lightning `trainer:`, the `model:` with its
`optim:` and `optim.sched:` blocks and NeMo's `exp_manager:`.

Read from NeMo's own source at commit 8cfedd72:

- **Markers.** `exp_manager` (NeMo's experiment manager, nemo/utils/exp_manager.py) and the
  `model.optim.sched` / `model.optim.name` / `model.train_ds` blocks that ModelPT reads
  (nemo/core/classes/modelPT.py: setup_optimization, setup_training_data). A `trainer:` block
  alone is any Lightning config and is no marker here; the Hydra and Lightning CLI keys these
  configs also carry score lower than NeMo's own together.
- **Length of the run.** `trainer.max_steps` and `trainer.max_epochs` are the Lightning Trainer's
  (-1 means unset): the run ends at whichever comes first, steps per epoch round up (a partial
  accumulation window still steps), and an integer `trainer.limit_train_batches` caps the batches
  of an epoch.
- **Optimizer.** `model.optim.name` resolves through nemo/core/optim/optimizers.py (`adam` is
  torch.optim.Adam, with coupled L2; `adamw` is AdamW); `lr`, `weight_decay` and `betas` sit
  beside it, or in its `args:` block (the optimizer's keyword arguments, parse_optimizer_args). Gradients are clipped by norm at `trainer.gradient_clip_val` (none when 0 or null).
- **Schedule.** `model.optim.sched.warmup_steps` or `warmup_ratio` (a share of the schedule's
  steps, `int(warmup_ratio x max_steps)` in WarmupPolicy: rounded down, where the plan rounds up as the
  trainer does, so a ratio's warmup may read one step longer) and `min_lr`. Under NoamAnnealing `lr`
  is a scale, not the peak rate. setup_optimization overwrites `sched.max_steps` with
  `trainer.max_steps` whenever that is set (>= 0), so the schedule then spans the run exactly;
  only with `trainer.max_steps: -1` does a `sched.max_steps` of the file count (else NeMo computes
  it from the epochs and the dataset, prepare_lr_scheduler in nemo/core/optim/lr_scheduler.py).
- **Intervals.** `trainer.val_check_interval` as an integer counts training batches (a float is a
  share of an epoch): read as optimizer steps only without gradient accumulation.
  `exp_manager.checkpoint_callback_params.every_n_train_steps` counts optimizer steps;
  `trainer.log_every_n_steps` too.
- **Data.** `model.train_ds.batch_size` is the micro-batch (validation and test sets have their
  own `validation_ds`/`test_ds`).
- **Loader.** Hydra (`@hydra_runner`, nemo/core/config/hydra_runner.py) with OmegaConf: `5e-4` is
  a float, a duplicate key refuses the file. Model configs are not structured dataclasses, so a
  quoted number reaches the optimizer as text. Unknown keys are not refused (the model and
  trainer blocks are plain DictConfigs), so nothing is checked against a key list.
"""

from __future__ import annotations

from cfglint.dialects.base import Described, Dialect
from cfglint.document import Mapping
from cfglint.plan import TrainingPlan, resolved


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """NeMo's own reading after the key paths."""
    # setup_optimization sets sched.max_steps to trainer.max_steps when that is >= 0: the
    # file's own sched.max_steps then never counts.
    max_steps = resolved(root, "trainer.max_steps")
    if max_steps is not None and getattr(max_steps[2], "value", None) != -1:
        plan.settings.pop("scheduler_steps", None)
        plan.written.add("scheduler_steps")
    # An integer val_check_interval counts batches: optimizer steps only without accumulation.
    interval = plan.settings.get("eval_interval")
    if interval is not None:
        accumulation = plan.settings.get("gradient_accumulation_steps")
        if isinstance(interval.value, float) or "gradient_accumulation_steps" in plan.written and (accumulation is None or accumulation.value != 1):
            del plan.settings["eval_interval"]


DIALECT = Dialect(
    name="nemo",
    title="NVIDIA NeMo config",
    markers={
        "exp_manager": 4,
        "model.optim.sched": 3,
        "model.optim.name": 2,
        "model.train_ds": 2,
        "model.validation_ds": 1,
        "exp_manager.exp_dir": 1,
        "exp_manager.explicit_log_dir": 1,
        "exp_manager.create_checkpoint_callback": 1,
        "exp_manager.checkpoint_callback_params": 1,
        "exp_manager.create_tensorboard_logger": 1,
        "exp_manager.create_wandb_logger": 1,
        "exp_manager.resume_if_exists": 1,
    },
    threshold=6,
    fields={
        "optimizer": ("model.optim.name",),
        "learning_rate": ("model.optim.lr",),
        "weight_decay": ("model.optim.weight_decay", "model.optim.args.weight_decay"),
        "betas": ("model.optim.betas", "model.optim.args.betas"),
        "eps": ("model.optim.eps", "model.optim.args.eps"),
        "scheduler": ("model.optim.sched.name",),
        "min_lr": ("model.optim.sched.min_lr",),
        "warmup_steps": ("model.optim.sched.warmup_steps",),
        "warmup_ratio": ("model.optim.sched.warmup_ratio",),
        "scheduler_steps": ("model.optim.sched.max_steps",),
        "clip_grad_norm": ("trainer.gradient_clip_val",),
        "epochs": ("trainer.max_epochs",),
        "max_steps": ("trainer.max_steps",),
        "gradient_accumulation_steps": ("trainer.accumulate_grad_batches",),
        "max_batches_per_epoch": ("trainer.limit_train_batches",),
        "batch_size": ("model.train_ds.batch_size", "model.train_ds.dataloader_params.batch_size"),
        "eval_interval": ("trainer.val_check_interval",),
        "save_interval": ("exp_manager.checkpoint_callback_params.every_n_train_steps",),
        "log_interval": ("trainer.log_every_n_steps",),
    },
    unset_values={
        "trainer.max_steps": (-1,),
        "trainer.max_epochs": (-1,),
        "model.optim.sched.max_steps": (-1,),
        "exp_manager.checkpoint_callback_params.every_n_train_steps": (0,),
    },
    rounding="epoch-ceil",
    max_steps_rule="first",
    default_clip=0.0,
    fp32_optimizer_state=True,
    refine=Described(
        refine,
        "model.optim.sched.max_steps: the schedule's length only when trainer.max_steps is -1 (NeMo overwrites it otherwise)",
        "trainer.val_check_interval: an integer is eval_interval without accumulation (a float is a share of an epoch)",
    ),
    # `val_check_interval` is read only as the refine step says; `sched.max_steps` likewise.
    not_generic=("trainer.val_check_interval", "model.optim.sched.max_steps"),
    loader="omegaconf",
    doc=__doc__,
)
