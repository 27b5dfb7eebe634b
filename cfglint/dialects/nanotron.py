"""nanotron YAML (huggingface/nanotron `examples/*.yaml`, read by `run_train.py --config-file`).

Read from the source at commit 2411b022a75fb7f7561a1bb4166706da5e1b76de (Apache-2.0):

- Loading (src/nanotron/config/config.py `get_config_from_file`): `yaml.load(f,
  Loader=SafeLoader)` (PyYAML, YAML 1.1: `3e-4` is the string "3e-4"), then dacite's
  `from_dict(Config, ..., config=dacite.Config(strict=True, ...))`. In strict mode dacite's
  `from_dict` raises `UnexpectedDataError` for a key that is not a field of the dataclass it
  builds, at every level, and `WrongTypeError` for a string in a float field. The accepted keys
  (`ACCEPTED`) are the fields of those dataclasses (config.py, parallelism_config.py), generated
  from the commit above. The top level and `model` are not checked: projects subclass `Config`
  with blocks of their own (examples/doremi's `doremi:`) and replace `ModelArgs`
  (examples/mamba); `optimizer_factory` is a union of the AdamW and SGD argument classes, so it
  accepts the keys of either.
- Markers: `tokens.batch_accumulation_per_replica`, `optimizer.learning_rate_scheduler`,
  `optimizer.optimizer_factory` and `data_stages` are nanotron's own names.
- Steps: `tokens.train_steps` counts optimizer steps, each of
  `tokens.batch_accumulation_per_replica` micro-batches of `tokens.micro_batch_size` per
  data-parallel replica (`Config.global_batch_size`).
- Schedule (src/nanotron/helpers.py `lr_scheduler_builder`): a linear (or, with
  `lr_warmup_style: constant`, flat) warmup of `lr_warmup_steps`; a constant phase until
  `lr_decay_starting_step` (an absolute step; default: the end of the warmup); a decay of
  `lr_decay_steps` steps to `min_decay_lr`; then the floor for the rest of the run. So
  `lr_decay_steps` counts from the start of the decay, not from step 0: the horizon is warmup +
  hold + decay. A constant warmup is read as part of the constant phase. Where
  `lr_decay_steps` is not written, `Config.__post_init__` sets it to train_steps -
  lr_warmup_steps; where `lr_decay_starting_step` comes before the end of the warmup, the phases
  overlap and the decay is not read. `min_decay_lr` defaults to the learning rate itself (no
  decay at all).
- Other keys: `optimizer.clip_grad` (null: no clipping), `optimizer.weight_decay`, the AdamW
  factory's `adam_eps`; `checkpoints.checkpoint_interval` and
  `logging.iteration_step_info_interval` count optimizer steps. `tokens.val_check_interval` is
  not read by the trainer and is not mapped.
"""

from cfglint.dialects.base import Described, Dialect
from cfglint.document import Mapping, Scalar
from cfglint.plan import Setting, TrainingPlan, lookup

# The fields of the dataclasses dacite builds at each block (src/nanotron/config/config.py and
# parallelism_config.py), generated with `ast` from commit 2411b022a75fb7f7561a1bb4166706da5e1b76de.
ACCEPTED = {
    "general": frozenset({"benchmark_csv_path", "consumed_train_samples", "ignore_sanity_checks", "project", "run", "seed", "step"}),
    "parallelism": frozenset(
        {"context_parallel_size", "dp", "expert_parallel_size", "pp", "pp_engine", "recompute_layer", "tp", "tp_linear_async_communication", "tp_mode", "tp_recompute_allgather"}
    ),
    "tokenizer": frozenset({"tokenizer_max_length", "tokenizer_name_or_path", "tokenizer_revision"}),
    "checkpoints": frozenset(
        {"checkpoint_interval", "checkpoints_path", "checkpoints_path_is_shared_file_system", "load_lr_scheduler", "load_optimizer", "resume_checkpoint_path", "save_final_state", "save_initial_state"}
    ),
    "logging": frozenset({"iteration_step_info_interval", "log_level", "log_level_replica"}),
    "metrics_logging": frozenset({"log_detail_interval", "log_level"}),
    "tokens": frozenset({"batch_accumulation_per_replica", "limit_test_batches", "limit_val_batches", "micro_batch_size", "sequence_length", "train_steps", "val_check_interval"}),
    "optimizer": frozenset({"accumulate_grad_in_fp32", "clip_grad", "learning_rate_scheduler", "optimizer_factory", "weight_decay", "weight_decay_exclude_named_params", "zero_stage"}),
    "optimizer.learning_rate_scheduler": frozenset(
        {"learning_rate", "lr_decay_starting_step", "lr_decay_steps", "lr_decay_style", "lr_warmup_steps", "lr_warmup_style", "min_decay_lr"}
    ),
    "optimizer.optimizer_factory": frozenset({"adam_beta1", "adam_beta2", "adam_eps", "name", "torch_adam_is_fused"}),
    "profiler": frozenset({"active", "export_chrome_trace", "profile_memory", "profiler_export_path", "record_shapes", "repeat", "skip_first", "wait", "warmup", "with_stack"}),
    "s3_upload": frozenset({"remove_after_upload", "s5cmd_concurrency", "s5cmd_numworkers", "s5cmd_path", "upload_s3_path"}),
}

_SCHEDULER = "optimizer.learning_rate_scheduler"


def _scalar(root: Mapping, dotted: str) -> Scalar | None:
    found = lookup(root, dotted)
    node = found[1] if found else None
    return node if isinstance(node, Scalar) and node.value is not None else None


def _count(setting: Setting | None) -> int:
    return setting.value if setting is not None and isinstance(setting.value, int) else 0


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """The constant phase before the decay: a flat warmup, and the steps from the end of the
    warmup to `lr_decay_starting_step`."""
    warmup = plan.settings.get("warmup_steps")
    style = _scalar(root, f"{_SCHEDULER}.lr_warmup_style")
    flat = style is not None and style.value == "constant"
    start = _scalar(root, f"{_SCHEDULER}.lr_decay_starting_step")
    if flat and warmup is not None:
        plan.settings.pop("warmup_steps")  # the rate is the peak from the first step: no warmup
    ramp = 0 if flat else _count(warmup)
    if start is None:
        if flat and _count(warmup):
            plan.settings["hold_steps"] = warmup
        return
    if not isinstance(start.value, int) or start.value < ramp:
        plan.settings.pop("decay_steps", None)  # phases that overlap: no horizon to compute
        return
    found = lookup(root, f"{_SCHEDULER}.lr_decay_starting_step")
    how = f"{start.value:,} - {ramp:,} warmup"
    plan.settings["hold_steps"] = Setting(start.value - ramp, f"{_SCHEDULER}.lr_decay_starting_step", start, found[0] if found else None, derived=how)


DIALECT = Dialect(
    name="nanotron",
    title="nanotron",
    markers={
        "tokens.batch_accumulation_per_replica": 3,
        "optimizer.learning_rate_scheduler": 3,
        "optimizer.optimizer_factory": 3,
        "data_stages": 2,
        "tokens.train_steps": 1,
        "tokens.micro_batch_size": 1,
        "parallelism.tp": 1,
        "parallelism.pp_engine": 1,
        "general.project": 1,
    },
    threshold=5,
    fields={
        "optimizer": ("optimizer.optimizer_factory.name",),
        "learning_rate": (f"{_SCHEDULER}.learning_rate",),
        "min_lr": (f"{_SCHEDULER}.min_decay_lr",),
        "scheduler": (f"{_SCHEDULER}.lr_decay_style",),
        "warmup_steps": (f"{_SCHEDULER}.lr_warmup_steps",),
        "decay_steps": (f"{_SCHEDULER}.lr_decay_steps",),
        "weight_decay": ("optimizer.weight_decay",),
        "clip_grad_norm": ("optimizer.clip_grad",),
        "eps": ("optimizer.optimizer_factory.adam_eps",),
        "max_steps": ("tokens.train_steps",),
        "batch_size": ("tokens.micro_batch_size",),
        "gradient_accumulation_steps": ("tokens.batch_accumulation_per_replica",),
        "seq_len": ("tokens.sequence_length",),
        "save_interval": ("checkpoints.checkpoint_interval",),
        "log_interval": ("logging.iteration_step_info_interval",),
        "d_model": ("model.model_config.hidden_size",),
        "n_heads": ("model.model_config.num_attention_heads",),
    },
    refine=Described(
        refine,
        f"{_SCHEDULER}.lr_decay_starting_step: minus the warmup -> hold_steps (before the warmup ends: the decay is not read)",
        f"{_SCHEDULER}.lr_warmup_style: constant -> the warmup steps are a constant phase (hold_steps)",
    ),
    rounding="total-floor",
    max_steps_rule="overrides",
    # Not read by the trainer (`val_check_interval`), or profiler settings.
    not_generic=("tokens.val_check_interval", "profiler.warmup"),
    accepts=ACCEPTED,
    loader="pyyaml",
    doc=__doc__,
)
