"""SpeechBrain hparams YAML (speechbrain/speechbrain recipes): HyperPyYAML with `!new:`, `!name:`, `!ref`.

Read from the source at commit 9c826ef3937bac885c8a6ca86c6889a30f256fb5 (Apache-2.0 licence).

Loading. Recipes load hparams with `hyperpyyaml.load_hyperpyyaml` (ruamel, YAML 1.2: `1e-4`
is a float; a duplicate key refuses the file). `!ref <name>` names another key's value, which
this dialect follows (a plain `<name>` only; arithmetic such as `!ref <lr> * 2` stays unknown).
Markers: `__set_seed` (the `!apply:` seed call every recipe writes), `epoch_counter`,
`opt_class`, `checkpointer`, `train_logger`, `number_of_epochs`, `grad_accumulation_factor`,
`ckpt_interval_minutes`: SpeechBrain's own names.

Run options (`speechbrain/core.py` `Brain.__init__`: each field of `RunOptions`,
`speechbrain/utils/run_opts.py`, is taken from the hparams when the command line does not set
it, else its default):
- `max_grad_norm` (default 5.0): `clip_grad_norm_` before every optimizer step;
- `grad_accumulation_factor` (default 1): `fit_batch` steps when `self.step %
  grad_accumulation_factor == 0`, where `self.step` counts the epoch's batches and restarts at
  0 each epoch: a partial window at an epoch's end does not step ("epoch-floor");
- `optimizer_step_limit` (default None): `_fit_train` stops before the next batch once the
  optimizer has stepped that many times, and `fit` stops the epochs there: the run ends at the
  epochs or the limit, whichever comes first ("first"; the limit is an upper bound);
- `precision` (`fp32`, `fp16`, `bf16`): torch AMP; the optimizer state stays fp32.
Epochs: the `epoch_counter` (`!new:speechbrain.utils.epoch_loop.EpochCounter` or
`EpochCounterWithStopper`) `limit`, which `Brain.fit` iterates. The optimizer: `opt_class`
(`!name:torch.optim.Adam` and the like, which `Brain` builds with the modules' parameters), its
`lr` and `weight_decay`. `lr_annealing: !new:speechbrain.nnet.schedulers.NewBobScheduler`
(`nnet/schedulers.py`): recipes call it once per epoch with the validation metric; it multiplies
the rate by `annealing_factor` (default 0.5) after `patient` (default 0) further epochs without
improvement: the plan's plateau factor and patience (a factor of 1, which some recipes write to
keep the rate constant, never changes it: nothing to judge).
Left to the generic reading: warmups and scheduler lengths (counted in scheduler calls, which a
recipe's `train.py` makes), the batch size (ignored under `dynamic_batching`).
`ckpt_interval_steps` counts batches, not optimizer steps, and `ckpt_interval_minutes` minutes:
neither is read.
"""

from __future__ import annotations

import re

from cfglint.dialects.base import Dialect
from cfglint.document import Mapping, Node, Scalar
from cfglint.plan import FIELDS, Setting, TrainingPlan, TypeProblem, coerce

_REFERENCE = r"^<([\w\-]+)>$"
_EPOCH_COUNTERS = ("speechbrain.utils.epoch_loop.EpochCounter", "speechbrain.utils.epoch_loop.EpochCounterWithStopper")
_NEWBOB = "speechbrain.nnet.schedulers.NewBobScheduler"


def _class(node: Node | None) -> str | None:
    """`!new:pkg.Class` / `!name:pkg.Class` -> "pkg.Class"."""
    tag = node.tag if node is not None else None
    return tag.split(":", 1)[1] if tag and tag.startswith(("!new:", "!name:")) else None


def _follow(root: Mapping, node: Node, limit: int = 10) -> tuple[Node, Node | None] | None:
    """(value node, key node) after following plain `!ref <name>` references; None if one is not plain."""
    key = None
    for _ in range(limit):
        if node.tag != "!ref":
            return node, key
        match = re.match(_REFERENCE, node.value.strip()) if isinstance(node, Scalar) and isinstance(node.value, str) else None
        entry = root.get(match.group(1)) if match else None
        if entry is None:
            return None
        node, key = entry.value, entry.key
    return None


def _read(plan: TrainingPlan, root: Mapping, field: str, block: Mapping | None, key: str) -> Setting | None:
    entry = block.get(key) if block is not None else None
    if entry is None:
        return None
    followed = _follow(root, entry.value)
    plan.written.add(field)
    if followed is None:
        return None
    node, ref_key = followed
    if (isinstance(node, Scalar) and node.value is None) or node.opaque:
        return None
    value, ok = coerce(node, FIELDS[field])
    path = ".".join(str(p) for p in node.path)
    setting = Setting(value, path, node, ref_key or entry.key)
    if not ok:
        plan.type_problems.append(TypeProblem(setting, FIELDS[field], field))
        return None
    plan.settings[field] = setting
    return setting


def refine(plan: TrainingPlan, root: Mapping) -> None:
    for field, key in (
        ("clip_grad_norm", "max_grad_norm"),
        ("gradient_accumulation_steps", "grad_accumulation_factor"),
        ("max_steps", "optimizer_step_limit"),
    ):
        _read(plan, root, field, root, key)
    counter = root.get("epoch_counter")
    if counter is not None and _class(counter.value) in _EPOCH_COUNTERS and isinstance(counter.value, Mapping):
        _read(plan, root, "epochs", counter.value, "limit")
    precision = root.get("precision")
    followed = _follow(root, precision.value) if precision is not None else None
    if followed and isinstance(followed[0], Scalar) and followed[0].value in ("fp32", "fp16", "bf16"):
        node = followed[0]
        plan.settings["fp16"] = Setting(node.value == "fp16", ".".join(map(str, node.path)), node, followed[1] or precision.key)
        plan.written.add("fp16")
    optimizer = root.get("opt_class")
    name = _class(optimizer.value) if optimizer is not None else None
    if name is not None:
        plan.settings["optimizer"] = Setting(name, "opt_class", optimizer.value, optimizer.key)
        plan.written.add("optimizer")
        block = optimizer.value if isinstance(optimizer.value, Mapping) else None
        _read(plan, root, "learning_rate", block, "lr")
        _read(plan, root, "weight_decay", block, "weight_decay")
    annealing = root.get("lr_annealing")
    if annealing is not None and _class(annealing.value) == _NEWBOB:
        plan.settings["scheduler"] = Setting("NewBobScheduler", "lr_annealing", annealing.value, annealing.key)
        plan.written.add("scheduler")
        block = annealing.value if isinstance(annealing.value, Mapping) else None
        factor = _read(plan, root, "plateau_factor", block, "annealing_factor")
        _read(plan, root, "plateau_patience", block, "patient")
        if factor is not None and factor.value == 1:
            # A factor of 1 never changes the rate: the recipe's way to keep it constant.
            plan.settings.pop("plateau_factor", None)
            plan.settings.pop("plateau_patience", None)


DIALECT = Dialect(
    name="speechbrain",
    title="SpeechBrain hparams (HyperPyYAML)",
    markers={
        "__set_seed": 2,
        "epoch_counter": 2,
        "opt_class": 1,
        "checkpointer": 1,
        "train_logger": 1,
        "number_of_epochs": 1,
        "grad_accumulation_factor": 1,
        "ckpt_interval_minutes": 1,
    },
    threshold=4,
    fields={},
    rounding="epoch-floor",
    max_steps_rule="first",
    default_clip=5.0,
    fp32_optimizer_state=True,
    refine=refine,
    loader="hyperpyyaml",
    not_generic=("ckpt_interval_steps", "ckpt_interval_minutes", "number_of_ctc_epochs"),
    doc=__doc__,
)
