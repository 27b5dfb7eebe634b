'''kohya-ss sd-scripts training configs (`train_network.py --config_file run.toml`, also
sdxl_train*.py, flux_train*.py, fine_tune.py, train_db.py), as read at commit
48d368fa557731ad0488c07304dfeba8c07910eb.

Loading (library/train_util.py, `read_config_from_file`): the file is read with the `toml`
package (`toml.load`), then every table is flattened into one level ("combine all sections into
one"): `[optimizer_arguments] learning_rate = 1e-4` and a top-level `learning_rate` are the same
argument, whatever the section is called, and when a key is written in two sections the later
one silently wins. The result becomes the namespace `parser.parse_args(namespace=...)` starts
from: argparse fills in only the arguments the file does not set, and never converts or checks
the file's values. So a key argparse does not define is kept and ignored (no key is refused:
no `accepts`), and a value keeps its TOML type: `learning_rate = "1e-4"` reaches the optimizer
as a string and the run fails; `lr_warmup_steps = 100.0` is a float, hence a ratio (below).
Command-line flags override the file. Dataset configs (`--dataset_config`, library/config_util.py,
`[general]` and `[[datasets]]` tables) are another file type: not read by this dialect.

Markers: keys only sd-scripts' argument parser defines (`save_model_as`, `save_precision`,
`max_data_loader_n_workers`, `persistent_data_loader_workers`, `network_module`,
`dataset_config`, `lr_scheduler_num_cycles`, `optimizer_type`, `max_train_epochs`,
`save_every_n_epochs`), at the top level or in any section (`*.key`).

Keys and units (train_util.py `add_optimizer_arguments`, `add_training_arguments`,
`get_scheduler_fix`; train_network.py `train`):
- `max_train_steps` (default 1600) counts optimizer steps: `global_step` grows when
  `accelerator.sync_gradients`, after `gradient_accumulation_steps` micro-batches of
  `train_batch_size`. `max_train_epochs` overrides it (`args.max_train_steps =
  max_train_epochs * ceil(len(train_dataloader) / num_processes / accumulation)`), so with
  epochs set the file's max_train_steps is not read, and the length stays unknown (the dataset
  size is not in the file).
- `lr_warmup_steps` (`int_or_float`): a float is a share of the schedule,
  `int(lr_warmup_steps * max_train_steps * num_processes)` scheduler steps out of
  `max_train_steps * num_processes`: read as warmup_ratio (any float, even 100.0, which the
  command line would have turned into the int 100). An int counts scheduler steps, which
  accelerate's prepared scheduler takes `num_processes` at a time: in optimizer steps it is
  `lr_warmup_steps / num_processes`, and the number of processes is not in the file, so an int
  warmup is not read.
- `learning_rate` (default 2e-6), `lr_scheduler` (default "constant"), `optimizer_type`
  (default "": AdamW), `max_grad_norm` (default 1.0; 0 turns clipping off),
  `train_batch_size` (the micro-batch; a dataset config's batch_size takes precedence),
  `gradient_accumulation_steps`, `save_every_n_steps` (optimizer steps). `save_every_n_epochs`
  counts epochs: not read.
'''

from __future__ import annotations

from cfglint.dialects.base import Dialect
from cfglint.document import Mapping, Scalar, format_path
from cfglint.plan import FIELDS, Setting, TrainingPlan, TypeProblem, coerce

# sd-scripts argument -> plan field, for the arguments read as they are written.
ARGUMENTS = {
    "learning_rate": "learning_rate",
    "lr_scheduler": "scheduler",
    "optimizer_type": "optimizer",
    "max_grad_norm": "clip_grad_norm",
    "train_batch_size": "batch_size",
    "gradient_accumulation_steps": "gradient_accumulation_steps",
    "max_train_steps": "max_steps",
    "max_train_epochs": "epochs",
    "save_every_n_steps": "save_interval",
}


def effective(root: Mapping) -> dict[str, tuple]:
    """Each argument's (key node, value node) as read_config_from_file leaves it: tables
    flattened one level, a later key replacing an earlier one."""
    found: dict[str, tuple] = {}
    for entry in root.entries:
        name = entry.key.value if isinstance(entry.key, Scalar) else None
        if not isinstance(name, str):
            continue
        if isinstance(entry.value, Mapping):
            for inner in entry.value.entries:
                if isinstance(inner.key, Scalar) and isinstance(inner.key.value, str):
                    found[inner.key.value] = (inner.key, inner.value)
        else:
            found[name] = (entry.key, entry.value)
    return found


def refine(plan: TrainingPlan, root: Mapping) -> None:
    args = effective(root)
    # Read here, whatever section holds them; the generic reading must not read them otherwise.
    plan.written.update(ARGUMENTS.values())
    plan.written.update(("warmup_steps", "warmup_ratio", "warmup_epochs", "eval_interval"))
    for argument, field in ARGUMENTS.items():
        if argument not in args or (field == "max_steps" and "max_train_epochs" in args):
            continue
        key_node, node = args[argument]
        if isinstance(node, Scalar) and node.value == "" and field == "optimizer":
            continue  # "" is the default: AdamW
        value, ok = coerce(node, FIELDS[field])
        setting = Setting(value, format_path(node.path), node, key_node)
        if ok:
            plan.settings[field] = setting
        else:
            plan.type_problems.append(TypeProblem(setting, FIELDS[field], field))
    if "lr_warmup_steps" in args:
        key_node, node = args["lr_warmup_steps"]
        value = node.value if isinstance(node, Scalar) else None
        if isinstance(value, float):
            plan.settings["warmup_ratio"] = Setting(value, format_path(node.path), node, key_node)
        elif not isinstance(value, int) or isinstance(value, bool):
            plan.type_problems.append(TypeProblem(Setting(value, format_path(node.path), node, key_node), "an integer or a ratio", "warmup_steps"))


def _markers(*names: str, weight: int = 1) -> dict[str, int]:
    return {path: weight for name in names for path in (name, f"*.{name}")}


DIALECT = Dialect(
    name="kohya",
    title="kohya-ss sd-scripts TOML config",
    markers={
        **_markers("save_model_as", "max_data_loader_n_workers", "network_module", "dataset_config", weight=2),
        **_markers("save_precision", "persistent_data_loader_workers", "lr_scheduler_num_cycles", "optimizer_type", "max_train_epochs", "save_every_n_epochs"),
    },
    threshold=4,
    fields={},
    refine=refine,
    default_optimizer="AdamW",
    default_clip=1.0,
    max_steps_rule="overrides",
    loader="toml",
    doc=__doc__,
)
