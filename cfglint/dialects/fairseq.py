"""fairseq (facebookresearch/fairseq) Hydra YAML, as `fairseq-hydra-train --config-name X` reads it.

Read from fairseq's own source at commit 3d262bb2 (fairseq/dataclass/configs.py and
fairseq/optim/lr_scheduler/):

- **Markers.** The groups of `FairseqConfig`: `optimization.max_update` (fairseq's spelling of
  the run length), `optimization.update_freq`, `dataset.max_tokens`,
  `distributed_training.distributed_world_size`/`ddp_backend`,
  `checkpoint.save_interval_updates`, and the `_name` key that picks a registered component
  (`task._name`, `criterion._name`, `lr_scheduler._name`). Hydra's own `defaults:` and `hydra:`
  are common to every Hydra config and are not markers here; one group alone stays below the
  threshold. A `decoding:` block belongs to the decoding configs of
  examples/speech_recognition/new/infer.py (InferConfig) and scores against the dialect.
- **Units.** Every duration counts updates (optimizer steps): `optimization.max_update`,
  `lr_scheduler.warmup_updates` (inverse_sqrt, polynomial_decay, cosine, fixed, step,
  reduce_lr_on_plateau), the tri_stage `warmup_steps`/`hold_steps`/`decay_steps`,
  `checkpoint.save_interval_updates`, `dataset.validate_interval_updates`, and
  `common.log_interval` (fairseq_cli/train.py logs when `num_updates % log_interval == 0`).
  `checkpoint.save_interval` and `dataset.validate_interval` count epochs and are not read.
  `optimization.max_update` and `max_epoch` of 0 mean no limit, as do interval values of 0.
- **Lists.** `optimization.lr` is a list (`[0.0005]`): the rate of epoch i is `lr[i]`, the last
  one after that; tri_stage and cosine refuse more than one. A one-element list (or a bare number)
  is the peak rate; a longer list is left unknown. `optimization.update_freq` is the
  accumulation per epoch the same way: read where every value is the same.
  `optimizer.adam_betas` is a string that FairseqAdam `eval`s (`"(0.9,0.98)"`): read as the
  pair it spells.
- **Tri-stage.** `lr_scheduler.phase_ratio: [warm, hold, decay]` replaces the three step keys
  when set: `warmup_steps = int(max_update x warm)`, and so on (TriStageLRSchedule.__init__);
  without a known `max_update` the phases stay unknown. After the decay the rate stays at
  `final_lr_scale x lr`, so a schedule shorter than the run trains the rest at that floor.
- **Length of the run.** fairseq_cli/train.py stops at `max_update` or after `max_epoch`,
  whichever comes first, and an epoch of token-sized batches has no length a config can give:
  with `max_update` alone the run is `max_update` updates; with both, its length is unknown
  and `max_update` is not read as it. Batches of an epoch are grouped by `update_freq`, and a
  last partial group still updates (`skip_remainder_batch` is off by default): rounded up per
  epoch. `lr_scheduler.total_num_update` (polynomial_decay) is the schedule's length from
  update 0.
- **Optimizer.** FairseqAdam "corresponds to the AdamW variant of Adam in its weight decay
  behaviour" (fairseq/optim/adam.py): its `adam` is read as AdamW. Gradients are not clipped
  unless `optimization.clip_norm` > 0 (default 0.0). Under `common.fp16` the FP16Optimizer keeps
  fp32 master weights and Adam state.
- **Loader.** Hydra 1.0 with OmegaConf 2.0 (setup.py pins hydra-core<1.1, omegaconf<2.1):
  `5e-4` is a float, a duplicate key refuses the file, and a quoted number in a typed field is
  converted (OmegaConf's FloatNode and IntegerNode accept strings), so it is not a wrong type.
- **Keys it refuses.** fairseq_cli/hydra_train.py calls `hydra_init(cfg_name)`, which stores
  `FairseqConfig` in Hydra's ConfigStore under the config's own name; Hydra 1.0 then merges the
  YAML into that schema (`OmegaConf.merge(schema.config, config)` in
  hydra/_internal/config_loader_impl.py, "Error merging 'X' with schema: Key 'k' not in
  'FairseqConfig'"). The top level and the dataclass groups (`common`, `dataset`,
  `optimization`, `checkpoint`, `distributed_training`, ...) are checked against the keys
  below, generated from fairseq/dataclass/configs.py at commit 3d262bb2. `model`, `task`,
  `criterion`, `optimizer` and `lr_scheduler` are `Any` there: their keys depend on `_name`
  and are not checked.
"""

from __future__ import annotations

import ast
import re

from cfglint.dialects.base import Described, Dialect
from cfglint.document import Mapping, Node, Scalar, Sequence, Span, format_path
from cfglint.plan import Setting, TrainingPlan, coerce, is_placeholder, INTEGER, NUMBER, resolved

# Generated from fairseq/dataclass/configs.py at 3d262bb25690e4eb2e7d3c1309b1e9c406ca4b99
# (the annotated fields of each dataclass, with those of FairseqDataclass: `_name`).
ACCEPTS = {
    # FairseqConfig, with the `hydra` and `defaults` keys Hydra allows in a primary config
    '': frozenset({
        '_name', 'bmuf', 'bpe', 'checkpoint', 'common', 'common_eval', 'criterion', 'dataset',
        'defaults', 'distributed_training', 'ema', 'eval_lm', 'generation', 'hydra', 'interactive',
        'lr_scheduler', 'model', 'optimization', 'optimizer', 'scoring', 'task', 'tokenizer'
    }),
    # CommonConfig
    'common': frozenset({
        '_name', 'aim_repo', 'aim_run_hash', 'all_gather_list_size', 'amp', 'amp_batch_retries',
        'amp_init_scale', 'amp_scale_window', 'azureml_logging', 'bf16', 'cpu', 'empty_cache_freq',
        'fp16', 'fp16_init_scale', 'fp16_no_flatten_grads', 'fp16_scale_tolerance', 'fp16_scale_window',
        'log_file', 'log_format', 'log_interval', 'memory_efficient_bf16', 'memory_efficient_fp16',
        'min_loss_scale', 'model_parallel_size', 'no_progress_bar', 'on_cpu_convert_precision',
        'plasma_path', 'profile', 'quantization_config_path', 'reset_logging', 'seed',
        'suppress_crashes', 'tensorboard_logdir', 'threshold_loss_scale', 'tpu', 'use_plasma_view',
        'user_dir', 'wandb_project'
    }),
    # CommonEvalConfig
    'common_eval': frozenset({
        '_name', 'model_overrides', 'path', 'post_process', 'quiet', 'results_path'
    }),
    # DistributedTrainingConfig
    'distributed_training': frozenset({
        '_name', 'broadcast_buffers', 'bucket_cap_mb', 'cpu_offload', 'ddp_backend', 'ddp_comm_hook',
        'device_id', 'distributed_backend', 'distributed_init_method', 'distributed_no_spawn',
        'distributed_num_procs', 'distributed_port', 'distributed_rank', 'distributed_world_size',
        'fast_stat_sync', 'find_unused_parameters', 'fix_batches_to_gpus', 'fp16',
        'fp32_reduce_scatter', 'gradient_as_bucket_view', 'heartbeat_timeout', 'localsgd_frequency',
        'memory_efficient_fp16', 'no_reshard_after_forward', 'not_fsdp_flatten_parameters',
        'nprocs_per_node', 'pipeline_balance', 'pipeline_checkpoint', 'pipeline_chunks',
        'pipeline_decoder_balance', 'pipeline_decoder_devices', 'pipeline_devices',
        'pipeline_encoder_balance', 'pipeline_encoder_devices', 'pipeline_model_parallel',
        'slowmo_base_algorithm', 'slowmo_momentum', 'tpu', 'use_sharded_state', 'zero_sharding'
    }),
    # DatasetConfig
    'dataset': frozenset({
        '_name', 'batch_size', 'batch_size_valid', 'combine_valid_subsets', 'curriculum',
        'data_buffer_size', 'dataset_impl', 'disable_validation', 'fixed_validation_seed', 'gen_subset',
        'grouped_shuffling', 'ignore_unused_valid_subsets', 'max_tokens', 'max_tokens_valid',
        'max_valid_steps', 'num_shards', 'num_workers', 'required_batch_size_multiple',
        'required_seq_len_multiple', 'shard_id', 'skip_invalid_size_inputs_valid_test', 'train_subset',
        'update_epoch_batch_itr', 'update_ordered_indices_seed', 'valid_subset',
        'validate_after_updates', 'validate_interval', 'validate_interval_updates'
    }),
    # OptimizationConfig
    'optimization': frozenset({
        '_name', 'clip_norm', 'debug_param_names', 'lr', 'max_epoch', 'max_update', 'sentence_avg',
        'skip_remainder_batch', 'stop_min_lr', 'stop_time_hours', 'update_freq', 'use_bmuf'
    }),
    # CheckpointConfig
    'checkpoint': frozenset({
        '_name', 'best_checkpoint_metric', 'checkpoint_shard_count', 'checkpoint_suffix',
        'continue_once', 'finetune_from_model', 'keep_best_checkpoints', 'keep_interval_updates',
        'keep_interval_updates_pattern', 'keep_last_epochs', 'load_checkpoint_on_all_dp_ranks',
        'maximize_best_checkpoint_metric', 'model_parallel_size', 'no_epoch_checkpoints',
        'no_last_checkpoints', 'no_save', 'no_save_optimizer_state', 'optimizer_overrides', 'patience',
        'reset_dataloader', 'reset_lr_scheduler', 'reset_meters', 'reset_optimizer', 'restore_file',
        'save_dir', 'save_interval', 'save_interval_updates', 'write_checkpoints_asynchronously'
    }),
    # FairseqBMUFConfig
    'bmuf': frozenset({
        '_name', 'average_sync', 'block_lr', 'block_momentum', 'distributed_world_size',
        'global_sync_iter', 'use_nbm', 'warmup_iterations'
    }),
    # GenerationConfig
    'generation': frozenset({
        '_name', 'beam', 'beam_mt', 'constraints', 'decoding_format', 'diverse_beam_groups',
        'diverse_beam_strength', 'diversity_rate', 'eos_token', 'iter_decode_eos_penalty',
        'iter_decode_force_max_iter', 'iter_decode_max_iter', 'iter_decode_with_beam',
        'iter_decode_with_external_reranker', 'lenpen', 'lenpen_mt', 'lm_path', 'lm_weight',
        'match_source_len', 'max_len_a', 'max_len_a_mt', 'max_len_b', 'max_len_b_mt', 'min_len',
        'nbest', 'no_beamable_mm', 'no_early_stop', 'no_repeat_ngram_size', 'no_seed_provided',
        'prefix_size', 'print_alignment', 'print_step', 'replace_unk', 'retain_dropout',
        'retain_dropout_modules', 'retain_iter_history', 'sacrebleu', 'sampling', 'sampling_topk',
        'sampling_topp', 'score_reference', 'temperature', 'unkpen', 'unnormalized'
    }),
    # EvalLMConfig
    'eval_lm': frozenset({
        '_name', 'context_window', 'output_word_probs', 'output_word_stats', 'softmax_batch'
    }),
    # InteractiveConfig
    'interactive': frozenset({
        '_name', 'buffer_size', 'input'
    }),
    # EMAConfig
    'ema': frozenset({
        '_name', 'ema_decay', 'ema_fp32', 'ema_seed_model', 'ema_start_update', 'ema_update_freq',
        'store_ema'
    }),
}


def _value(root: Mapping, dotted: str) -> tuple[Node, Node] | None:
    """(key node, value node) with whole-value references followed; None when absent or null."""
    found = resolved(root, dotted)
    return (found[0], found[2]) if found else None


def _number(node: Node, kind: str = NUMBER):
    """A number as fairseq's typed field receives it (a quoted number is converted); else None."""
    if is_placeholder(node) or not isinstance(node, Scalar):
        return None
    value, ok = coerce(node, kind)
    if not ok and isinstance(node.value, str):
        try:
            value = float(node.value.strip())
        except ValueError:
            return None
        if kind == INTEGER:
            return int(value) if value.is_integer() and re.fullmatch(r"\s*[-+]?\d+\s*", node.value) else None
        return value
    return value if ok else None


def _first_of_list(plan: TrainingPlan, root: Mapping, dotted: str, field: str, kind: str) -> None:
    """`lr: [0.0005]` or `update_freq: [4]`: the value when every epoch gets the same one."""
    found = _value(root, dotted)
    if found is None:
        return
    key_node, node = found
    plan.written.add(field)
    plan.settings.pop(field, None)
    plan.type_problems = [p for p in plan.type_problems if p.field != field]
    items = node.items if isinstance(node, Sequence) else [node]
    values = [_number(item, kind) for item in items]
    if not items or any(v is None for v in values) or len(set(values)) != 1:
        return  # a schedule per epoch, a placeholder or a value that is not a number: unknown
    if field == "learning_rate" and len(items) > 1:
        return  # several rates, one per epoch: the peak is not the first
    first = items[0]
    plan.settings[field] = Setting(values[0], format_path(first.path), first, key_node)


def _betas(plan: TrainingPlan, root: Mapping) -> None:
    found = _value(root, "optimizer.adam_betas")
    if found is None:
        return
    key_node, node = found
    plan.written.add("betas")
    if isinstance(node, Scalar) and isinstance(node.value, str) and not is_placeholder(node):
        try:
            parsed = ast.literal_eval(node.value.strip())
        except (ValueError, SyntaxError):
            return
        if isinstance(parsed, (tuple, list)) and parsed and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in parsed):
            plan.settings["betas"] = Setting(list(parsed), format_path(node.path), _spelt_pair(node, list(parsed)), key_node)
    elif isinstance(node, Sequence):
        values = [_number(item) for item in node.items]
        if values and all(v is not None for v in values):
            plan.settings["betas"] = Setting(values, format_path(node.path), node, key_node)


def _spelt_pair(node: Scalar, values: list) -> Sequence:
    """The string `"(0.9,0.98)"` as a list whose items sit where each number is written."""
    pair = Sequence(node.span, node.path)
    span = node.span
    shift = 1 if node.style in ("single", "double") else 0
    numbers = list(re.finditer(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", node.value))
    exact = span.line == span.end_line and node.style in ("plain", "single", "double") and len(numbers) == len(values)
    for index, value in enumerate(values):
        where = span
        if exact:
            start, end = numbers[index].span()
            where = Span(span.line, span.column + shift + start, span.line, span.column + shift + end, span.offset + shift + start, span.offset + shift + end)
        pair.items.append(Scalar(where, node.path + (index,), value=value))
    return pair


def _phase_ratio(plan: TrainingPlan, root: Mapping) -> None:
    """tri_stage: phase_ratio replaces warmup_steps, hold_steps and decay_steps when it is set."""
    found = _value(root, "lr_scheduler.phase_ratio")
    if found is None:
        return
    key_node, node = found
    for field in ("warmup_steps", "hold_steps", "decay_steps"):
        plan.settings.pop(field, None)
        plan.written.add(field)
    plan.type_problems = [p for p in plan.type_problems if p.field not in ("warmup_steps", "hold_steps", "decay_steps")]
    max_update = _value(root, "optimization.max_update")
    total = _number(max_update[1], INTEGER) if max_update else None
    if not isinstance(node, Sequence) or len(node.items) != 3 or not total or total <= 0:
        return  # the phases are unknown (fairseq asserts max_update > 0 and three ratios)
    ratios = [_number(item) for item in node.items]
    if any(r is None for r in ratios):
        return
    for field, item, ratio in zip(("warmup_steps", "hold_steps", "decay_steps"), node.items, ratios):
        how = f"int({ratio:g} x {total:,} (optimization.max_update))"
        plan.settings[field] = Setting(int(total * ratio), format_path(item.path), item, key_node, derived=how)


def _run_length(plan: TrainingPlan, root: Mapping) -> None:
    """With both max_update and max_epoch the first to be reached ends the run; an epoch's
    length in updates is unknown, so the run's length is too (also when max_epoch is `???`)."""
    epochs, max_steps = plan.settings.get("epochs"), plan.settings.get("max_steps")
    found = _value(root, "optimization.max_epoch")
    unknown_epochs = epochs is None and found is not None and is_placeholder(found[1])
    if max_steps is not None and max_steps.value > 0 and (unknown_epochs or epochs is not None and epochs.value > 0):
        del plan.settings["max_steps"]


# What the `composite` optimizer sets per parameter group (fairseq/optim/composite.py).
_PER_GROUP = ("learning_rate", "optimizer", "weight_decay", "betas", "eps", "scheduler", "min_lr", "scheduler_steps", "warmup_steps", "hold_steps", "decay_steps")


def _optimizer(plan: TrainingPlan) -> None:
    optimizer = plan.settings.get("optimizer")
    if optimizer is not None and str(optimizer.value).lower() == "composite":
        # Each parameter group has its own optimizer, rate (optimization.lr only by default) and
        # scheduler, and parameters may override them: the run's rate and schedule are unknown.
        for field in _PER_GROUP:
            plan.settings.pop(field, None)
            plan.written.add(field)


def _typed_strings(plan: TrainingPlan) -> None:
    """OmegaConf converts a quoted number in a typed dataclass field: it reaches fairseq as the number."""
    from cfglint.generic import evaluate_strings

    evaluate_strings(plan)


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """fairseq's own reading after the key paths."""
    _typed_strings(plan)
    _first_of_list(plan, root, "optimization.lr", "learning_rate", NUMBER)
    _first_of_list(plan, root, "optimization.update_freq", "gradient_accumulation_steps", INTEGER)
    _betas(plan, root)
    _phase_ratio(plan, root)
    _run_length(plan, root)
    _optimizer(plan)


DIALECT = Dialect(
    name="fairseq",
    title="fairseq Hydra config",
    markers={
        "optimization.max_update": 3,
        "optimization.max_epoch": 2,
        "optimization.update_freq": 2,
        "optimization.clip_norm": 1,
        "dataset.max_tokens": 2,
        "dataset.validate_interval_updates": 2,
        "distributed_training.distributed_world_size": 2,
        "distributed_training.ddp_backend": 2,
        "checkpoint.save_interval_updates": 2,
        "lr_scheduler._name": 2,
        "criterion._name": 2,
        "task._name": 2,
        "optimizer._name": 1,
        "model._name": 1,
        "common.log_format": 1,
        # `decoding:` is a group of InferConfig (examples/speech_recognition/new/infer.py), whose
        # top level differs from FairseqConfig's: such a config is not read as a training one.
        "decoding": -10,
    },
    threshold=5,
    fields={
        "optimizer": ("optimizer._name",),
        "weight_decay": ("optimizer.weight_decay",),
        "eps": ("optimizer.adam_eps",),
        "clip_grad_norm": ("optimization.clip_norm",),
        "scheduler": ("lr_scheduler._name",),
        "min_lr": ("lr_scheduler.min_lr", "lr_scheduler.end_learning_rate"),
        "scheduler_steps": ("lr_scheduler.total_num_update",),
        "warmup_steps": ("lr_scheduler.warmup_updates", "lr_scheduler.warmup_steps"),
        "hold_steps": ("lr_scheduler.hold_steps",),
        "decay_steps": ("lr_scheduler.decay_steps",),
        "epochs": ("optimization.max_epoch",),
        "max_steps": ("optimization.max_update",),
        "batch_size": ("dataset.batch_size",),
        "world_size": ("distributed_training.distributed_world_size",),
        "eval_interval": ("dataset.validate_interval_updates",),
        "save_interval": ("checkpoint.save_interval_updates",),
        "log_interval": ("common.log_interval",),
        "fp16": ("common.fp16",),
        "label_smoothing": ("criterion.label_smoothing",),
    },
    unset_values={
        "optimization.max_update": (0,),
        "optimization.max_epoch": (0,),
        "dataset.validate_interval_updates": (0,),
        "checkpoint.save_interval_updates": (0,),
    },
    # HubertCriterion's weights of its two terms; the criterion's other `*_weight` keys (ctc's
    # `wer_lm_weight`, `wer_sil_weight`: decoding scores, negative by design) are not loss weights.
    loss_weights=(("criterion", "pred_"),),
    rounding="epoch-ceil",
    max_steps_rule="overrides",  # max_update alone is the run; beside max_epoch it is dropped (refine)
    default_clip=0.0,
    fp32_optimizer_state=True,
    refine=Described(
        refine,
        "optimization.lr: a list; its one value is learning_rate (several, one per epoch: unknown)",
        "optimization.update_freq: a list; gradient_accumulation_steps where every value is the same",
        "optimizer.adam_betas: the string \"(0.9,0.98)\" read as betas",
        "lr_scheduler.phase_ratio: int(max_update x ratio) -> warmup_steps, hold_steps, decay_steps",
        "optimization.max_update beside max_epoch: the first reached ends the run, so its length is unknown",
    ),
    # Epoch-counted intervals and scheduler keys whose generic spelling would read them as steps.
    not_generic=(
        "checkpoint.save_interval",
        "dataset.validate_interval",
        "lr_scheduler.lr_period_updates",
        "lr_scheduler.warmup_init_lr",
        "optimization.lr",
        "optimization.update_freq",
        "optimization.stop_min_lr",
    ),
    accepts=ACCEPTS,
    loader="omegaconf",
    adam_is_adamw=True,  # FairseqAdam "corresponds to the AdamW variant" (fairseq/optim/adam.py)
    doc=__doc__,
)
