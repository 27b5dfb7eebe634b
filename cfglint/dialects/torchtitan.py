'''torchtitan TOML job configs (`./run_train.sh --job.config_file path.toml`), as read by the
TOML-era releases up to commit 238fa9953e4aec2a62582121564273d7cbb1e9f1 (February 2026; the
next commit, 9810191bb "Config System Refactor: TOML to Python Dataclass Registry", replaced the
TOML files with Python config registries).

Loading (torchtitan/config/manager.py, `ConfigManager`): `_maybe_load_toml` reads the file with
`tomllib.load`; `_dict_to_dataclass` then builds the `JobConfig` dataclasses
(torchtitan/config/job_config.py) block by block and raises `ValueError("Invalid field names in
... Please modify your .toml config file ...")` for any key a dataclass does not define, at
every level. So unknown keys stop the run: `ACCEPTS` lists every block's fields, generated from
job_config.py's dataclasses at that commit. A custom config module (`[job] custom_config_module`,
the deprecated `[experimental] custom_args_module`, or `--job.custom_config_module` on the
command line, as the transformers_modeling_backend README does) merges in its own dataclasses
(`_merge_configs`): new top-level blocks (`[hf_transformers]`, `[encoder]`) and new fields in
`compile` (simple_fsdp, compiler_toolkit), `experimental` (autoparallel), `fault_tolerance`
(components/ft) and `validation` (flux). So the top level and those four blocks are not
checked, since the command line is not in the file; the other blocks are (`training` is
extended only by flux, whose configs name their module). A config naming its module in the file
is read as `torchtitan-custom`: the same keys and no key checks at all.

Markers: `[job] dump_folder`, `[parallelism] data_parallel_shard_degree`,
`[activation_checkpoint] mode`, `[model] flavor` and `[training] local_batch_size` are
torchtitan's own block/key pairs.

Keys and units (job_config.py; torchtitan/train.py; torchtitan/components/lr_scheduler.py):
- `[training] steps` counts optimizer steps: each step accumulates
  `global_batch_size // (local_batch_size * data-parallel degree)` micro-batches, then steps
  the optimizer once (train.py `train_step`). The data-parallel degree is not in the file, so
  accumulation stays unknown. `local_batch_size` is the micro-batch; `global_batch_size` -1
  means local x data-parallel degree. `seq_len`, `max_norm` (always applied, default 1.0).
- `[optimizer] name` (default AdamW), `lr`, `eps`, `weight_decay`.
- `[lr_scheduler] warmup_steps` (optimizer steps; `int()`-ed), `total_steps` (the schedule's
  length; default `training.steps`). `build_lr_schedulers`: with `decay_ratio` set, the decay
  takes `round(total_steps * decay_ratio)` steps (a share of the whole schedule, not of the
  steps after warmup), the LR holds at its peak for the steps between warmup and decay, and
  warmup and decay are each cut down so that they fit in `total_steps`. Without it the decay
  starts right after warmup. The phases are read only where no cut applies (hold_steps =
  total - warmup - decay, decay_steps as computed). `min_lr_factor` scales `lr` to the floor
  (min_lr = lr x min_lr_factor).
- `[checkpoint] interval` counts steps; it saves only when `[checkpoint] enable` is true
  (default false: `CheckpointManager._should_save`), so it is read only then.
- Configs with v0.1 spellings (`[checkpoint] enable_checkpoint`, `[lr_scheduler] lr_min`, the
  same factor as min_lr_factor, `[training] compile`) are read as `torchtitan-v0.1`: v0.1.0
  (torchtitan/config_manager.py) dropped unknown keys silently, so none are checked.
- Not read: `[validation] freq` and `[metrics] log_freq` (both also fire at step 1, so an
  interval past the end still validates/logs once), `[validation] steps` (validation batches,
  not training steps) and `[profiling] profile_freq`; the generic reading leaves them alone.
'''

from __future__ import annotations

from cfglint.dialects.base import Dialect
from cfglint.document import Mapping, Scalar, format_path
from cfglint.plan import Setting, TrainingPlan, lookup

# Generated from torchtitan/config/job_config.py at 238fa9953e4aec2a62582121564273d7cbb1e9f1:
# every dataclass reachable from JobConfig, block path -> its field names.
ACCEPTS = {
    "": frozenset(
        {
            "activation_checkpoint", "checkpoint", "comm", "compile", "debug", "experimental",
            "fault_tolerance", "job", "lr_scheduler", "memory_estimation", "metrics", "model", "optimizer",
            "parallelism", "profiling", "quantize", "training", "validation"
        }
    ),
    "job": frozenset(
        {
            "config_file", "custom_config_module", "description", "dump_folder", "print_config",
            "save_config_file"
        }
    ),
    "profiling": frozenset(
        {
            "enable_memory_snapshot", "enable_profiling", "profile_freq", "profiler_active", "profiler_warmup",
            "save_memory_snapshot_folder", "save_traces_folder"
        }
    ),
    "metrics": frozenset(
        {
            "disable_color_printing", "enable_tensorboard", "enable_wandb", "log_freq", "save_for_all_ranks",
            "save_tb_folder"
        }
    ),
    "model": frozenset(
        {
            "converters", "flavor", "hf_assets_path", "name", "print_after_conversion", "tokenizer_path"
        }
    ),
    "optimizer": frozenset(
        {
            "beta1", "beta2", "early_step_in_backward", "eps", "implementation", "lr", "name", "weight_decay"
        }
    ),
    "lr_scheduler": frozenset({"decay_ratio", "decay_type", "min_lr_factor", "total_steps", "warmup_steps"}),
    "training": frozenset(
        {
            "dataloader", "dataset", "dataset_path", "dtype", "enable_cpu_offload", "gc_debug", "gc_freq",
            "global_batch_size", "local_batch_size", "max_norm", "mixed_precision_param",
            "mixed_precision_reduce", "seq_len", "steps"
        }
    ),
    "training.dataloader": frozenset({"num_workers", "persistent_workers", "pin_memory", "prefetch_factor"}),
    "parallelism": frozenset(
        {
            "context_parallel_degree", "context_parallel_load_balancer", "context_parallel_rotate_method",
            "data_parallel_replicate_degree", "data_parallel_shard_degree", "disable_loss_parallel",
            "enable_async_tensor_parallel", "expert_parallel_comm_backend", "expert_parallel_degree",
            "expert_tensor_parallel_degree", "fsdp_reshard_after_forward", "module_fqns_per_model_part",
            "pipeline_parallel_degree", "pipeline_parallel_expert_parallel_overlap",
            "pipeline_parallel_first_stage_less_layers", "pipeline_parallel_last_stage_less_layers",
            "pipeline_parallel_layers_per_stage", "pipeline_parallel_microbatch_size",
            "pipeline_parallel_schedule", "pipeline_parallel_schedule_csv", "tensor_parallel_degree"
        }
    ),
    "checkpoint": frozenset(
        {
            "async_mode", "create_seed_checkpoint", "enable", "enable_first_step_checkpoint",
            "enable_ft_dataloader_checkpoints", "exclude_from_loading", "export_dtype", "folder",
            "initial_load_in_hf", "initial_load_in_hf_quantized", "initial_load_model_only",
            "initial_load_path", "interval", "keep_latest_k", "last_save_in_hf", "last_save_model_only",
            "load_only", "load_step"
        }
    ),
    "activation_checkpoint": frozenset(
        {
            "debug", "determinism_check", "early_stop", "memory_budget", "mode",
            "per_op_sac_force_recompute_mm_shapes_by_fqns", "preserve_rng_state", "selective_ac_option",
            "visualize_memory_budget_pareto"
        }
    ),
    "compile": frozenset({"backend", "components", "enable"}),
    "quantize": frozenset({"grouped_mm", "linear"}),
    "quantize.linear": frozenset({"float8", "mx"}),
    "quantize.linear.float8": frozenset(
        {
            "emulate", "enable_fsdp_float8_all_gather", "filter_fqns",
            "precompute_float8_dynamic_scale_for_fsdp", "recipe_name"
        }
    ),
    "quantize.linear.mx": frozenset({"filter_fqns", "mxfp8_dim1_cast_kernel_choice", "recipe_name"}),
    "quantize.grouped_mm": frozenset({"float8", "mx"}),
    "quantize.grouped_mm.float8": frozenset({"fqns"}),
    "quantize.grouped_mm.mx": frozenset({"fqns", "recipe_name"}),
    "comm": frozenset(
        {
            "init_timeout_seconds", "mode", "save_traces_file_prefix", "save_traces_folder", "trace_buf_size",
            "train_timeout_seconds"
        }
    ),
    "memory_estimation": frozenset({"disable_fake_mode", "enable"}),
    "fault_tolerance": frozenset(
        {
            "enable", "group_size", "min_replica_size", "process_group", "process_group_timeout_ms",
            "replica_id", "semi_sync_method"
        }
    ),
    "experimental": frozenset({"custom_args_module", "custom_import"}),
    "validation": frozenset(
        {
            "dataloader", "dataset", "dataset_path", "enable", "freq", "local_batch_size", "seq_len", "steps"
        }
    ),
    "validation.dataloader": frozenset({"num_workers", "persistent_workers", "pin_memory", "prefetch_factor"}),
    "debug": frozenset({"deterministic", "deterministic_warn_only", "moe_force_load_balance", "seed"}),
}


# Blocks that custom config modules in torchtitan itself extend (see the docstring).
EXTENDED = frozenset({"", "compile", "experimental", "fault_tolerance", "validation", "validation.dataloader"})


def _value(root: Mapping, dotted: str):
    found = lookup(root, dotted)
    node = found[1] if found else None
    return (node.value if isinstance(node, Scalar) else None), found


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """Checkpointing only when enabled; the floor LR; the warmup-stable-decay phases."""
    enabled = _value(root, "checkpoint.enable")[0] or _value(root, "checkpoint.enable_checkpoint")[0]  # v0.1 spelling
    if enabled is not True:
        plan.settings.pop("save_interval", None)
    factor = _value(root, "lr_scheduler.min_lr_factor")
    if factor[1] is None:
        factor = _value(root, "lr_scheduler.lr_min")  # v0.1 spelling, the same factor
    lr = plan.settings.get("learning_rate")
    if lr is not None and _number(lr.value) and _number(factor[0]) and factor[1] is not None:
        key_node, node = factor[1]
        how = f"{lr.value:g} (optimizer.lr) x {factor[0]:g}"
        plan.settings["min_lr"] = Setting(lr.value * factor[0], format_path(node.path), node, key_node, derived=how)
    ratio, found = _value(root, "lr_scheduler.decay_ratio")
    total = plan.settings.get("scheduler_steps") or plan.settings.get("max_steps")
    warmup = plan.settings.get("warmup_steps")
    if found is None or not _number(ratio) or total is None or not _number(total.value) or warmup is None or not _number(warmup.value):
        return
    steps, warm = int(total.value), int(warmup.value)
    decay = round(steps * ratio)
    if warm > steps or warm + decay > steps:
        return  # torchtitan shortens the phases to fit: not what the file says
    key_node, node = found
    plan.settings["decay_steps"] = Setting(decay, "lr_scheduler.decay_ratio", node, key_node, derived=f"round({steps:,} x {ratio:g})")
    how = f"{steps:,} - {warm:,} warmup - {decay:,} decay"
    plan.settings["hold_steps"] = Setting(steps - warm - decay, "lr_scheduler.decay_ratio", node, key_node, derived=how)


MARKERS = {
    "job.dump_folder": 2,
    "parallelism.data_parallel_shard_degree": 2,
    "activation_checkpoint.mode": 1,
    "model.flavor": 1,
    "training.local_batch_size": 1,
}

DIALECT = Dialect(
    name="torchtitan",
    title="torchtitan TOML job config",
    markers=MARKERS,
    threshold=4,
    fields={
        "max_steps": ("training.steps",),
        "batch_size": ("training.local_batch_size",),
        "global_batch_size": ("training.global_batch_size",),
        "seq_len": ("training.seq_len",),
        "clip_grad_norm": ("training.max_norm",),
        "optimizer": ("optimizer.name",),
        "learning_rate": ("optimizer.lr",),
        "eps": ("optimizer.eps",),
        "weight_decay": ("optimizer.weight_decay",),
        "warmup_steps": ("lr_scheduler.warmup_steps",),
        "scheduler_steps": ("lr_scheduler.total_steps",),
        "save_interval": ("checkpoint.interval",),
    },
    unset_values={"training.global_batch_size": (-1,)},
    refine=refine,
    default_optimizer="AdamW",
    default_clip=1.0,
    fp32_optimizer_state=True,
    not_generic=("validation.freq", "validation.steps", "validation.local_batch_size", "validation.seq_len", "metrics.log_freq", "profiling.profile_freq", "lr_scheduler.decay_ratio", "lr_scheduler.min_lr_factor", "lr_scheduler.lr_min"),
    accepts={block: keys for block, keys in ACCEPTS.items() if block not in EXTENDED},
    loader="toml",
    doc=__doc__,
)

# With a custom config module the file may hold keys of the module's own dataclasses. This
# reading needs that key (worth more than all of torchtitan's markers together) and the usual
# torchtitan evidence on top, so it outscores the plain reading exactly when the key is there.
_MODULE = sum(MARKERS.values()) + 1
CUSTOM = DIALECT.replace(
    name="torchtitan-custom",
    title="torchtitan TOML job config with a custom config module",
    markers={**MARKERS, "job.custom_config_module": _MODULE, "experimental.custom_args_module": _MODULE},
    threshold=_MODULE + DIALECT.threshold,
    accepts={},
)

# Releases before commit eadca4835 (August 2025; v0.1.0 and older) ignored keys they did not
# define (`_dict_to_dataclass` skipped them) and spelt some keys differently; a config that uses
# those spellings is read without key checks.
LEGACY_KEYS = ("checkpoint.enable_checkpoint", "checkpoint.last_save_model_weights_only", "training.compile", "job.print_args", "lr_scheduler.lr_min")
LEGACY = DIALECT.replace(
    name="torchtitan-v0.1",
    title="torchtitan TOML job config (v0.1 keys)",
    markers={**MARKERS, **{key: _MODULE for key in LEGACY_KEYS}},
    threshold=_MODULE + DIALECT.threshold,
    accepts={},
)
