"""AllenAI OLMo training YAML (`configs/**/*.yaml` of allenai/OLMo, read into `olmo.config.TrainConfig`).

Read from allenai/OLMo at 59a53e3 (Apache-2.0):

- Loader: `BaseConfig.load` (olmo/config.py) is `om.merge(om.structured(TrainConfig), om.load(path))`:
  OmegaConf, so `1e-6` is a float and a duplicate key stops the file from loading. The merge
  into a structured config refuses every key its dataclass does not define
  (`omegaconf.errors.ConfigKeyError: Key 'foo' not in 'TrainConfig'`, re-raised as
  `OLMoConfigurationError` in `BaseConfig.load`), so `accepts` lists the fields of the dataclasses
  below, extracted from olmo/config.py at that commit (`update_legacy_settings` only rewrites
  values of accepted keys). Values are typed too: `max_duration: Union[int, str]` refuses a float
  (`1e5`), `scheduler.t_warmup: Union[int, float]` refuses a string (checked with OmegaConf 2.4).
- Markers: Composer/llm-foundry share `max_duration`, `global_train_batch_size`,
  `device_train_microbatch_size` and `scheduler.t_warmup`, so those weigh less here than in the
  Composer dialect; what decides is what only OLMo writes: `tokenizer.identifier` (llm-foundry:
  `tokenizer.name`), `data.paths` (llm-foundry: `train_loader.dataset`), `optimizer.learning_rate`
  (Composer: `optimizer.lr`), `model.max_sequence_length` (MPT: `max_seq_len`), `scheduler.units`,
  `sharded_checkpointer`, `max_grad_norm_ratio`. `scheduler.alpha_f`, `model.d_model` and
  `save_folder` are written by llm-foundry configs too, so they are not markers. Threshold 8:
  llm-foundry configs score 5 here (the shared keys) and 11 as Composer; OLMo's configs 14 to 20.
- Durations (`Trainer.max_steps` in olmo/train.py): `max_duration` is optimizer steps when an
  int (or a string without unit, `int(float(s))`), tokens with a `T` suffix (`2e12T`), epochs
  with `ep` (`1ep`, an integer count). One step is one global batch of
  `global_train_batch_size` instances of `model.max_sequence_length` tokens (micro-batches of
  `device_train_microbatch_size` are accumulated inside it), so tokens become steps as
  `ceil(tokens / (global_train_batch_size x max_sequence_length))`, only where the config
  writes both (a file that leaves them to OLMo's defaults, 512 x 1024, or to command-line
  overrides stays unconverted).
- Schedule (`build_scheduler` in olmo/optim.py): `scheduler.t_warmup` and `scheduler.t_max` count
  `scheduler.units` (`steps`, the default, or `tokens`, compared with the tokens seen);
  `t_max` (default: the run's length) ends the decay of `cosine_with_warmup`,
  `linear_with_warmup` and `cosine_linear_envelope`, and the rate stays at
  `alpha_f x learning_rate` after it; `constant` ignores `t_warmup`. `alpha_f` is a share of the
  peak rate, not a rate, so it is not read as `min_lr`.
- Intervals: `eval_interval` and `save_interval` are in steps (global batches).
- Defaults: `optimizer.name` is `lionw` when not written; `max_grad_norm` is unset (no clipping).
- Not read: `stop_at` / `stop_after` (a cap on the steps, after which the run stops with the
  schedule unfinished), the starting `epoch` counter, `grad_clip_warmup_steps` (the clip's
  warm-up, not the learning rate's), `save_interval_ephemeral`/`save_interval_unsharded`.
"""

from __future__ import annotations

import math

from cfglint.dialects.base import Dialect
from cfglint.document import Mapping, Node, Scalar, format_path
from cfglint.plan import Setting, TrainingPlan, TypeProblem, is_placeholder, resolved

# Schedulers whose decay ends at `t_max` (olmo/optim.py: CosWithWarmup, LinearWithWarmup, CosLinearEnvelope).
_ENDS_AT_T_MAX = ("cosine_with_warmup", "linear_with_warmup", "cosine_linear_envelope")
_DURATION = "an integer of steps, or a string such as 2e12T (tokens) or 1ep (epochs)"
_SCHEDULE_TIME = "a number of steps or tokens (as scheduler.units says)"


def _value(plan: TrainingPlan, root: Mapping, dotted: str, field: str | None = None) -> tuple[Node, Node, Node] | None:
    """(key, value as written, value after ${...}) at a dotted path, or None if absent, empty or a placeholder."""
    found = resolved(root, dotted)
    if found is None:
        return None
    key_node, written, node = found
    if field is not None:
        plan.written.add(field)
    if is_placeholder(node):
        return None
    return key_node, written, node


def _number(node: Node) -> float | None:
    if isinstance(node, Scalar) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    return None


def _tokens_per_step(plan: TrainingPlan) -> int | None:
    batch, length = plan.settings.get("global_batch_size"), plan.settings.get("seq_len")
    if batch is None or length is None or batch.value <= 0 or length.value <= 0:
        return None
    return batch.value * length.value


def parse_duration(node: Node) -> tuple[float, str] | None:
    """`max_duration` as OLMo's Trainer reads it: (amount, "steps" | "tokens" | "epochs"), None if it cannot."""
    if not isinstance(node, Scalar) or isinstance(node.value, bool):
        return None
    if isinstance(node.value, int):
        return float(node.value), "steps"
    if not isinstance(node.value, str):
        return None  # a float: OmegaConf refuses it for Union[int, str]
    text = node.value.strip()
    try:
        if text.endswith("T"):
            return float(text[:-1].strip()), "tokens"
        if text.endswith("ep"):
            return float(int(text[:-2].strip())), "epochs"
        return float(int(float(text))), "steps"
    except ValueError:
        return None


def _set(plan: TrainingPlan, field: str, value, key_node: Node, written: Node, derived: str | None = None) -> None:
    plan.settings[field] = Setting(value, format_path(written.path), written, key_node, derived=derived)


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """OLMo's duration and schedule units (olmo/train.py, olmo/optim.py)."""
    per_step = _tokens_per_step(plan)
    found = _value(plan, root, "max_duration", "max_steps")
    if found is not None:
        key_node, written, node = found
        parsed = parse_duration(node)
        if parsed is None:
            setting = Setting(getattr(node, "value", None), format_path(written.path), written, key_node)
            plan.type_problems.append(TypeProblem(setting, _DURATION))
        else:
            amount, unit = parsed
            if unit == "epochs":
                _set(plan, "epochs", amount, key_node, written)
            elif unit == "steps":
                _set(plan, "max_steps", int(amount), key_node, written)
            elif per_step:
                _set(plan, "max_steps", math.ceil(amount / per_step), key_node, written, f"{amount:g} tokens / {per_step:,} per step, rounded up")
    name_found = _value(plan, root, "scheduler.name")
    name = name_found[2].value if name_found and isinstance(name_found[2], Scalar) else "cosine_with_warmup"
    units_found = _value(plan, root, "scheduler.units")
    units = units_found[2].value if units_found and isinstance(units_found[2], Scalar) else "steps"
    if units not in ("steps", "tokens"):
        return  # OmegaConf refuses other units; the schedule's length is unknown
    for dotted, field in (("scheduler.t_warmup", "warmup_steps"), ("scheduler.t_max", "scheduler_steps")):
        found = _value(plan, root, dotted, field)
        if found is None:
            continue
        key_node, written, node = found
        amount = _number(node)
        if amount is None:
            setting = Setting(getattr(node, "value", None), format_path(written.path), written, key_node)
            plan.type_problems.append(TypeProblem(setting, _SCHEDULE_TIME))
            continue
        if (field == "warmup_steps" and name == "constant") or (field == "scheduler_steps" and name not in _ENDS_AT_T_MAX):
            continue  # this scheduler does not use the key
        if units == "tokens":
            if not per_step:
                continue
            steps = amount / per_step
            how = f"{amount:g} tokens / {per_step:,} per step" + (", rounded up" if field == "scheduler_steps" else "")
            _set(plan, field, math.ceil(steps) if field == "scheduler_steps" else steps, key_node, written, how)
        else:
            _set(plan, field, int(amount), key_node, written)


# Generated from the dataclasses of olmo/config.py at allenai/OLMo 59a53e3 (their annotated fields).
ACCEPTS = {
    "": frozenset({
        "activation_checkpointing", "auxiliary_loss_multiplier", "canceled_check_interval", "compile", "console_log_interval",
        "data", "ddp", "device_eval_batch_size", "device_train_batch_size", "device_train_grad_accum",
        "device_train_microbatch_size", "distributed_strategy", "dry_run", "early_stopping_factor", "epoch", "eval_interval",
        "eval_on_load", "eval_subset_num_batches", "evaluators", "extra_steps_after_cancel", "fast_forward_batches",
        "force_save_unsharded", "fsdp", "fused_loss", "gen1_gc_interval", "global_train_batch_size", "hf_datasets_cache_dir",
        "load_path", "load_path_sharded_checkpointer", "max_duration", "max_grad_norm", "max_grad_norm_ratio", "model",
        "module_outputs_save_steps", "new_style_checkpoints", "no_pre_train_checkpoint", "optimizer", "precision",
        "python_profiling", "remote_save_folder", "reset_optimizer_state", "reset_trainer_state", "restore_dataloader",
        "run_name", "save_data_indices", "save_folder", "save_interval", "save_interval_ephemeral", "save_interval_unsharded",
        "save_num_checkpoints_to_keep", "save_num_unsharded_checkpoints_to_keep", "save_overwrite", "scheduler", "seed",
        "sharded_checkpointer", "single", "softmax_auxiliary_loss", "speed_monitor", "stop_after", "stop_at", "time_limit",
        "tokenizer", "torch_profiling", "try_load_latest_save", "wandb",
    }),
    "model": frozenset({
        "activation_type", "alibi", "alibi_bias_max", "attention_dropout", "attention_layer_norm",
        "attention_layer_norm_with_affine", "bias_for_layer_norm", "block_group_size", "block_type", "clip_qkv", "d_model",
        "emb_init_std", "embedding_dropout", "embedding_layer_norm", "embedding_size", "eos_token_id", "flash_attention",
        "include_bias", "init_cutoff_factor", "init_device", "init_fn", "init_std", "layer_norm_eps", "layer_norm_type",
        "layer_norm_with_affine", "max_sequence_length", "mlp_hidden_size", "mlp_ratio", "multi_query_attention", "n_heads",
        "n_kv_heads", "n_layers", "norm_after", "pad_token_id", "precision", "residual_dropout", "rope", "rope_full_precision",
        "rope_theta", "scale_emb_init", "scale_logits", "vocab_size", "weight_tying",
    }),
    "optimizer": frozenset({
        "betas", "decay_embeddings", "decay_norm_and_bias", "eps", "learning_rate", "metrics_log_interval", "name",
        "no_decay_norm_and_bias", "record_update_metrics", "selective_updates", "weight_decay",
    }),
    "scheduler": frozenset({"alpha_f", "grad_clip_warmup_factor", "grad_clip_warmup_steps", "name", "t_max", "t_warmup", "units", "warmup_min_lr"}),
    "data": frozenset({
        "custom_dataset", "datasets", "drop_last", "generate_attention_mask", "generate_doc_lengths", "instance_filter",
        "label_mask_paths", "memmap_dtype", "num_workers", "pad_direction", "paths", "persistent_workers", "pin_memory",
        "prefetch_factor", "seed", "timeout",
    }),
    "data.instance_filter": frozenset({"repetition_max_count", "repetition_max_period", "repetition_min_period"}),
    "tokenizer": frozenset({"identifier", "truncate_direction"}),
    "fsdp": frozenset({"hybrid_sharding_num_model_replicas", "precision", "sharding_strategy", "use_orig_params", "wrapping_strategy"}),
    "wandb": frozenset({"entity", "group", "log_artifacts", "log_interval", "name", "project", "rank_zero_only", "tags"}),
    "speed_monitor": frozenset({"gpu_flops_available", "window_size"}),
    "compile": frozenset({"backend", "dynamic", "fullgraph", "mode"}),
    "ddp": frozenset({"find_unused_params", "grad_sync_mode"}),
}

DIALECT = Dialect(
    name="olmo",
    title="AllenAI OLMo TrainConfig",
    markers={
        # Shared with Composer / llm-foundry, weighted below the Composer dialect's weights.
        "max_duration": 2,
        "global_train_batch_size": 1,
        "device_train_microbatch_size": 1,
        "scheduler.t_warmup": 1,
        # OLMo's own.
        "tokenizer.identifier": 3,
        "data.paths": 2,
        "optimizer.learning_rate": 2,
        "model.max_sequence_length": 2,
        "scheduler.units": 2,
        "sharded_checkpointer": 2,
        "max_grad_norm_ratio": 2,
    },
    threshold=8,
    fields={
        "optimizer": ("optimizer.name",),
        "learning_rate": ("optimizer.learning_rate",),
        "weight_decay": ("optimizer.weight_decay",),
        "betas": ("optimizer.betas",),
        "eps": ("optimizer.eps",),
        "clip_grad_norm": ("max_grad_norm",),
        "scheduler": ("scheduler.name",),
        "global_batch_size": ("global_train_batch_size",),
        "batch_size": ("device_train_microbatch_size",),
        "seq_len": ("model.max_sequence_length",),
        "d_model": ("model.d_model",),
        "n_heads": ("model.n_heads",),
        "eval_interval": ("eval_interval",),
        "save_interval": ("save_interval",),
    },
    refine=refine,
    default_optimizer="lionw",
    fp32_optimizer_state=True,
    loader="omegaconf",
    not_generic=(
        "epoch",
        "stop_at",
        "stop_after",
        "scheduler.grad_clip_warmup_steps",
        "save_interval_ephemeral",
        "save_interval_unsharded",
        "canceled_check_interval",
        "extra_steps_after_cancel",
        "fast_forward_batches",
        "eval_subset_num_batches",
        "device_eval_batch_size",
    ),
    accepts=ACCEPTS,
    doc=__doc__,
)
