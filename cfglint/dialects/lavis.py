"""LAVIS (salesforce/LAVIS) YAML: `model:` (`arch`), `datasets:` and `run:` blocks, loaded with OmegaConf.

Read from the source at commit 506965b9c4a18c1e565bd32acaccabe0198433f7 (BSD-3-Clause licence).

Loading. `lavis/common/config.py` `Config` reads the file with `OmegaConf.load` and merges it
over the model's and datasets' default configs (`lavis/configs/...`): YAML 1.1 exponents such as
`1e-4` are floats, a duplicate key refuses the file. The runner validator is commented out
(`# self._validate_runner_config(runner_config)`), so unknown keys are allowed.

Markers: `run.lr_sched`, `run.init_lr`, `run.batch_size_train`, `run.task` and `model.arch`
(LAVIS's own spellings, read by `runners/runner_base.py`, `tasks/__init__.py` and
`models/__init__.py`); the default configs under `lavis/configs/` are claimed by `model.arch`
with `model.load_finetuned`/`preprocess` or by `datasets.*.build_info`.

Fields (`runners/runner_base.py`):
- the optimizer is always `torch.optim.AdamW(lr=float(run.init_lr), betas=(0.9, run.beta2))`,
  weight decay `run.weight_decay` (default 0.05);
- `run.lr_sched` (`linear_warmup_cosine_lr`, `linear_warmup_step_lr`, `constant_lr`,
  `common/optims.py`), `run.min_lr` (`float()`), `run.max_epoch` (`int()`);
- `run.batch_size_train` is per GPU (a `DistributedSampler` per rank), `run.accum_grad_iters`
  (default 1) micro-batches per optimizer step (`tasks/base_task.py` `_train_inner_loop`:
  `(i + 1) % accum_grad_iters == 0`, a partial window at an epoch's end is dropped:
  "epoch-floor");
- `run.amp` is torch AMP (fp32 master weights).
`init_lr`, `min_lr` go through `float()` and `max_epoch`, `accum_grad_iters`, `max_iters`
through `int()`: a quoted `"1e-4"` is the number, not a type error.

Durations. `runner_base` trains `run.max_epoch` epochs. `runner: runner_iter`
(`runners/runner_iter.py`) ignores `max_epoch` and trains `run.max_iters` iterations in inner
epochs of `run.iters_per_inner_epoch`; an iteration is a micro-batch, so `max_iters` is read as
the run's optimizer steps only with `accum_grad_iters` 1.
`run.warmup_steps` counts iterations, and the schedulers warm up only while
`cur_epoch == 0` (`optims.py`: "assuming the warmup iters less than one epoch"): a longer
warmup is cut at the end of the first (inner) epoch and the rate jumps to the cosine or step
value. So it is read as a warmup only where the first epoch holds it for certain: under
`runner_iter` with `warmup_steps <= iters_per_inner_epoch`, or a one-epoch `runner_base` run,
and with `accum_grad_iters` 1; a fraction below 1 is always read (it gives no warmup at all).
`save_freq`, `val_freq` count epochs and `log_freq` iterations; `run.world_size` is replaced by
the launcher's `WORLD_SIZE` (`common/dist_utils.py`), and `model.drop_path_rate` is stochastic
depth, not dropout: none of them is read, generically either.

Evaluation. `run.evaluate: True` runs no training (`runner_base.train`: `if not
self.evaluate_only: ... self.train_epoch`), so such a config has no training settings.
"""

from __future__ import annotations

from typing import Callable

from cfglint.dialects.base import Dialect
from cfglint.document import Mapping, Scalar
from cfglint.plan import FIELDS, Setting, TrainingPlan, scalar_at

# Keys the runner converts itself: plan field -> (key, conversion).
_CONVERTED: dict[str, tuple[str, Callable]] = {
    "learning_rate": ("run.init_lr", float),
    "min_lr": ("run.min_lr", float),
    "epochs": ("run.max_epoch", int),
    "gradient_accumulation_steps": ("run.accum_grad_iters", int),
    "max_steps": ("run.max_iters", int),
}


def _converted_strings(plan: TrainingPlan) -> None:
    """A string the runner's own float()/int() turns into a number is that number."""
    kept = []
    for problem in plan.type_problems:
        converted = _CONVERTED.get(problem.field or "")
        node = problem.setting.node
        value = node.value if isinstance(node, Scalar) else None
        if converted and isinstance(value, str):
            try:
                number = converted[1](value.strip())
            except ValueError:
                number = None
            if number is not None:
                setting = problem.setting
                plan.settings[problem.field] = Setting(number, setting.key, setting.node, setting.key_node)
                continue
        kept.append(problem)
    plan.type_problems[:] = kept


def refine(plan: TrainingPlan, root: Mapping) -> None:
    if scalar_at(root, "run.evaluate") is True:
        plan.settings.clear()
        plan.type_problems.clear()
        plan.written.update(FIELDS)  # an evaluation config: nothing to fill in beneath either
        return
    _converted_strings(plan)
    accumulation = plan.settings.get("gradient_accumulation_steps")
    single = accumulation is None or accumulation.value == 1
    iterations = scalar_at(root, "run.runner") == "runner_iter"
    if iterations:
        plan.settings.pop("epochs", None)
    if not (iterations and single):
        plan.settings.pop("max_steps", None)
    warmup = plan.settings.get("warmup_steps")
    if warmup is None or 0 < warmup.value < 1:
        return
    inner = scalar_at(root, "run.iters_per_inner_epoch")
    epochs = plan.settings.get("epochs")
    within_first_epoch = (
        (iterations and isinstance(inner, (int, float)) and not isinstance(inner, bool) and warmup.value <= inner)
        or (not iterations and epochs is not None and epochs.value == 1)
    )
    if not (within_first_epoch and single):
        del plan.settings["warmup_steps"]


DIALECT = Dialect(
    name="lavis",
    title="LAVIS YAML (OmegaConf)",
    markers={
        "run.lr_sched": 2,
        "run.init_lr": 1,
        "run.batch_size_train": 2,
        "run.task": 1,
        "model.arch": 2,
        "model.load_finetuned": 1,
        "preprocess.vis_processor": 1,
        "datasets.*.build_info": 3,
    },
    threshold=3,
    fields={
        "learning_rate": ("run.init_lr",),
        "min_lr": ("run.min_lr",),
        "weight_decay": ("run.weight_decay",),
        "scheduler": ("run.lr_sched",),
        "epochs": ("run.max_epoch",),
        "max_steps": ("run.max_iters",),
        "warmup_steps": ("run.warmup_steps",),
        "batch_size": ("run.batch_size_train",),
        "gradient_accumulation_steps": ("run.accum_grad_iters",),
        "fp16": ("run.amp",),
    },
    rounding="epoch-floor",
    default_optimizer="AdamW",
    fp32_optimizer_state=True,
    refine=refine,
    loader="omegaconf",
    not_generic=("run.world_size", "run.save_freq", "run.val_freq", "run.log_freq", "run.warmup_lr", "run.lr_decay_rate", "run.iters_per_inner_epoch", "run.max_iters", "run.max_epoch", "run.warmup_steps", "model.drop_path_rate", "model.timesformer.drop_path_rate"),
    doc=__doc__,
)
