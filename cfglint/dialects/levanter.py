"""Levanter YAML (stanford-crfm/levanter `config/*.yaml`, read by `levanter.config.main`).

Read from the source at commit 9263f81e8b453241332c2c0b2d2001bfb2d2241c (Apache-2.0), and
draccus (dlwh/draccus, the parser levanter depends on, commit
13dd58f0c67002add8a188d85ba0e74661039078):

- Loading: draccus reads the YAML with PyYAML (draccus/parsers/config_parsers.py:
  `yaml.load(stream, FullLoaderWithInclusion)`), so `6e-4` arrives as the string "6e-4"; it then
  decodes each value with its field's type (draccus/parsers/decoding.py `decode_from_init`:
  `float(raw_value)` for a float field, `int(...)` for an int), so a number written as text is
  that number, as on a command line: the loader is "argv" (for a field typed `str` the text
  stays text, but no key read here is). `decode_dataclass` raises "The fields `...` are not
  valid for ..." for a key that is not a field of the dataclass, at every level. The blocks
  checked (`ACCEPTED`): `trainer` (`TrainerConfig`, src/levanter/trainer.py),
  `trainer.checkpointer` (`CheckpointerConfig`, src/levanter/checkpoint.py) and `optimizer`:
  a draccus choice class (`type:`, default "adam") whose accepted keys are those of the chosen
  subclass; the set here is the union over every `OptimizerConfig.register_subclass` in
  src/levanter/optim (so a key of another optimizer type passes unreported). The top level,
  `model` and `data` are the entry point's own classes and are not checked.
- Markers: `trainer.num_train_steps`, `trainer.per_device_parallelism`, `trainer.mp`,
  `trainer.model_axis_size`, `trainer.tracker`, `optimizer.min_lr_ratio`: names only Levanter's TrainerConfig and
  OptimizerConfig use.
- Steps: `trainer.num_train_steps` (default 400,000) counts optimizer steps; each takes
  `trainer.train_batch_size` examples (the global batch; a list of `{start, value}` is a batch
  schedule and is not read; -1 is `per_device_parallelism` x the data-parallel devices,
  `TrainerConfig._validate_and_set_defaults`), split into micro-batches of
  `per_device_parallelism` per device (-1: the whole per-device share, no accumulation).
- Schedule (src/levanter/optim/config.py `OptimizerConfig.lr_scheduler`): `warmup` (default
  0.01) and `decay` are fractions of the run at or below 1.0 and whole steps above
  (`_convert_frac_or_steps`: `int(frac * steps)`, so `warmup: 1` is the whole run); a constant
  phase fills the steps between them, so warmup + stable + decay is always the run. With
  `cycles`, `cycle_length`, `haps` or the deprecated `cooldown`, the warmup counts within the
  first cycle and is not read. `min_lr_ratio` is a share of the learning rate.
- Optimizer: `optimizer.learning_rate` (default 6e-4), `weight_decay` (default 0.1),
  `max_grad_norm` (Adam's default 1.0). Levanter's "adam" adds decayed weights after Adam's
  scaling (decoupled, as AdamW), so its name is not read. `trainer.steps_per_eval` (default
  1,000) counts steps; `checkpointer.save_interval` is a time ("15m"), not steps, and is not read.
"""

from cfglint.dialects.base import Described, Dialect
from cfglint.document import Mapping, Scalar, format_path
from cfglint.plan import Setting, TrainingPlan, lookup

# Fields of the dataclasses draccus decodes at each block, generated with `ast` from commit
# 9263f81e8b453241332c2c0b2d2001bfb2d2241c (inherited fields included; `type` is draccus's
# choice key).
ACCEPTED = {
    "trainer": frozenset(
        {
            "allow_nondivisible_batch_size", "allow_partial_checkpoint", "axis_resources", "batch_axis", "checkpointer", "crash_on_inf",
            "crash_on_nan", "distributed", "fsdp_axis", "id", "initialize_from", "jax_compilation_cache_dir", "jax_config", "load_checkpoint",
            "load_checkpoint_path", "log_dir", "log_jaxprs", "log_xla_hlo", "max_eval_batches", "model_averaging", "model_axis_size", "mp",
            "num_train_steps", "parameter_axis_resources", "per_device_eval_parallelism", "per_device_parallelism", "profiler",
            "profiler_num_steps", "profiler_perfetto_link", "profiler_start_step", "quantization", "ray", "replica_dcn_axis_size",
            "replica_ici_axis_size", "require_accelerator", "seed", "shutdown_at_exit", "steps_per_eval", "tensor_parallel_axes", "tracker",
            "train_batch_size", "wandb", "watch",
        }
    ),
    "trainer.checkpointer": frozenset({"append_run_id_to_base_path", "base_path", "delete_old_temp_checkpoints", "keep", "save_interval"}),
    # adam, adopt, cautious, kron, lion, mars, mini, muon, rmsprop, scion, soap, sophia-h
    "optimizer": frozenset(
        {
            "adam_lr", "adamc_weight_decay", "backend_steps", "beta1", "beta2", "block_size", "clip_threshold", "clip_update_norm", "cooldown",
            "cycle_length", "cycles", "decay", "default_weight_decay_mask", "eps", "epsilon", "gamma", "haps", "lax_map_batch_size",
            "lax_map_scanned_layers", "learning_rate", "lr", "lr_schedule", "max_grad_norm", "max_precond_dim", "max_size_triangular",
            "memory_save_mode", "merge_small_dims", "min_lr_ratio", "min_ndim_triangular", "momentum", "mu_dtype", "muon_epsilon", "nesterov",
            "normalize_grads", "one_diag", "params_sharding", "partition_grads_into_blocks", "precond_dtype", "precond_grads_precision",
            "precond_update_precision", "precondition_frequency", "preconditioner_init_scale", "preconditioner_lr", "preconditioner_sharding",
            "preconditioner_update_probability", "rewarmup", "rng_seed", "schedule_list", "scion_epsilon", "scion_to_signum_lr", "shampoo_beta",
            "skip_bad_steps", "target_merged_dim_size", "type", "update_interval", "update_prob_flat_start", "update_rms_clipping",
            "use_kimi_scaling", "warmup", "weight_decay", "weight_decay_modules",
        }
    ),
}

# Keys that make the warmup count within a cycle rather than the run.
_CYCLES = ("cycles", "cycle_length", "haps", "cooldown")


def _number(node) -> float | int | None:
    """The number draccus decodes from a scalar (a string that reads as one included)."""
    if not isinstance(node, Scalar) or isinstance(node.value, bool):
        return None
    if isinstance(node.value, (int, float)):
        return node.value
    try:
        return float(node.value) if isinstance(node.value, str) else None
    except ValueError:
        return None


def _setting(plan: TrainingPlan, field: str, value, root: Mapping, dotted: str) -> None:
    key_node, node = lookup(root, dotted)
    plan.settings[field] = Setting(value, format_path(node.path), node, key_node)
    plan.written.add(field)


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """`warmup` as a share of the run (at most 1.0) or whole steps; the global batch and the
    schedule's name only where they are a plain value (not a batch schedule or a choice block)."""
    optimizer = lookup(root, "optimizer")
    block = optimizer[1] if optimizer else None
    if isinstance(block, Mapping) and not any(block.get(key) is not None and not (isinstance(block.get(key).value, Scalar) and block.get(key).value.value is None) for key in _CYCLES):
        found = lookup(root, "optimizer.warmup")
        value = _number(found[1]) if found else None
        if value is not None and value >= 0:
            if value <= 1.0:
                _setting(plan, "warmup_ratio", float(value), root, "optimizer.warmup")
            elif float(value).is_integer():
                _setting(plan, "warmup_steps", int(value), root, "optimizer.warmup")
    elif isinstance(block, Mapping) and block.get("warmup") is not None:
        plan.written.add("warmup_ratio")
        plan.written.add("warmup_steps")
    batch = lookup(root, "trainer.train_batch_size")
    if batch is not None:
        plan.written.add("global_batch_size")
        value = batch[1].value if isinstance(batch[1], Scalar) else None
        if isinstance(value, int) and not isinstance(value, bool) and value != -1:  # -1: per device x devices
            _setting(plan, "global_batch_size", value, root, "trainer.train_batch_size")
    schedule = lookup(root, "optimizer.lr_schedule")
    if schedule is not None:
        plan.written.add("scheduler")
        if isinstance(schedule[1], Scalar) and isinstance(schedule[1].value, str):
            _setting(plan, "scheduler", schedule[1].value, root, "optimizer.lr_schedule")


DIALECT = Dialect(
    name="levanter",
    title="Levanter",
    markers={
        "trainer.num_train_steps": 3,
        "trainer.per_device_parallelism": 3,
        "trainer.per_device_eval_parallelism": 2,
        "trainer.mp": 2,
        "trainer.model_axis_size": 2,
        "trainer.fsdp_axis": 2,
        "trainer.steps_per_eval": 1,
        "trainer.tracker": 2,
        "trainer.checkpointer": 1,
        "trainer.train_batch_size": 1,
        "optimizer.min_lr_ratio": 2,
    },
    threshold=5,
    fields={
        "learning_rate": ("optimizer.learning_rate",),
        "weight_decay": ("optimizer.weight_decay",),
        "clip_grad_norm": ("optimizer.max_grad_norm",),
        "max_steps": ("trainer.num_train_steps",),
        "batch_size": ("trainer.per_device_parallelism",),
        "eval_interval": ("trainer.steps_per_eval",),
        "seq_len": ("model.seq_len",),
        "d_model": ("model.hidden_dim",),
        "n_heads": ("model.num_heads",),
    },
    unset_values={"trainer.per_device_parallelism": (-1,)},
    refine=Described(
        refine,
        "optimizer.warmup: at most 1.0 -> warmup_ratio, whole steps above -> warmup_steps (not read with cycles or cooldown)",
        "trainer.train_batch_size: an integer -> global_batch_size (a batch schedule is not read)",
        "optimizer.lr_schedule: a name -> scheduler",
    ),
    rounding="total-floor",
    max_steps_rule="overrides",
    # "adam" decouples its weight decay; a time, not steps; the schedule's parts are read above.
    not_generic=("optimizer.type", "trainer.checkpointer.save_interval", "optimizer.warmup", "optimizer.decay", "optimizer.cooldown", "trainer.train_batch_size"),
    accepts=ACCEPTED,
    loader="argv",
    doc=__doc__,
)
