"""gpt-neox YAML (EleutherAI/gpt-neox `configs/*.yml`, read by `deepy.py train.py CONFIG...`).

Read from the source at commit ea7aefd8f8e183256992d9fede4d7c71a46d67a5 (Apache-2.0):

- Loading (megatron/neox_arguments/arguments.py, `NeoXArgs.from_ymls`): each file is read with
  `yaml.load(..., Loader=yaml.FullLoader)` (PyYAML, YAML 1.1: `6e-4` is the string "6e-4", and
  `validate_types` then refuses a string for a float field), every top-level key has its dashes
  turned into underscores (`train-iters` is `train_iters`), the files of one run are merged
  (a key in two files raises "duplicate keys with previously loaded file"; within one file
  PyYAML keeps the last value), and the result becomes `cls(**config)`: the `NeoXArgs`
  dataclass, so a top-level key that is not one of its fields stops the run with "__init__()
  got an unexpected keyword argument". The accepted keys (`ACCEPTED`) are the fields of the
  classes NeoXArgs inherits (`BASE_CLASSES`: megatron/neox_arguments/neox_args.py and
  deepspeed_args.py), generated from those files at the commit above. Only the top level is
  checked: the `optimizer`, `zero_optimization`, `fp16` ... dicts are passed on unchecked.
- Markers: the model-parallel and fusion keys only gpt-neox configs write at the top level
  (`pipe_parallel_size`, `model_parallel_size`, `lr_decay_style`, `pos_emb`, `gpt_j_residual`,
  ...), in either spelling. They weigh more than the DeepSpeed keys every gpt-neox config also
  holds (`zero_optimization`, `train_micro_batch_size_per_gpu`), so a gpt-neox config is never
  read as a DeepSpeed one.
- Steps: `train_iters` counts optimizer steps (megatron/training.py `train_step` runs
  `gradient_accumulation_steps` micro-batches per iteration) and overrides `train_epochs`
  (`update_iterations` derives iterations from epochs only when `train_iters` is None, as
  (batches x epochs) // accumulation). Batch keys are DeepSpeed's: `train_batch_size` (global)
  = `train_micro_batch_size_per_gpu` x `gradient_accumulation_steps` x data-parallel size.
- Schedule (megatron/training.py `get_learning_rate_scheduler`, megatron/learning_rates.py
  `AnnealingLR`): its length is `lr_decay_iters`, else floor(`train_iters` x
  `lr_decay_fraction`), else `train_iters`, counted from step 0; `warmup` (default 0.01) is a
  FRACTION of that length (`warmup_iter = warmup * num_iters`). It is read as a share of the run
  only where the schedule's length is the run's (no `lr_decay_iters` or `lr_decay_fraction`,
  or `lr_decay_iters` equal to `train_iters`); otherwise it stays unknown. After its length a
  linear schedule holds `min_lr` and a cosine one rises again.
- Optimizer: `optimizer.type` "Adam" is apex's or DeepSpeed's FusedAdam, both in AdamW mode by
  default (megatron/training.py `get_optimizer`), and the weight decay applied is the top-level
  `weight_decay` (default 0.1) passed beside `optimizer.params`; so the optimizer's name is not
  read (an Adam reading would take it for coupled L2). `optimizer.params.lr` is the peak rate
  (`calculate_derived`); `min_lr` (default 0) the floor; `gradient_clipping` defaults to 1.0.
- Model: `num_attention_heads` is required even for Mamba and RWKV layers, which have no heads;
  it is not read where `attention_config` names only those layer types.
- Intervals: `eval_interval` in iterations; `checkpoint_factor` is a save interval only under
  the default `checkpoint_scale: linear` (under "log" it is a multiplier) and where
  `extra_save_iters` lists no other iterations to save at (megatron/training.py `is_save_iter`).
"""

from cfglint.dialects.base import Described, Dialect
from cfglint.document import Mapping, Scalar
from cfglint.plan import TrainingPlan, lookup

# The fields of NeoXArgs (megatron/neox_arguments/neox_args.py, deepspeed_args.py), generated
# with `ast` from commit ea7aefd8f8e183256992d9fede4d7c71a46d67a5.
ACCEPTED = frozenset(
    {
        'account', 'activation', 'activation_checkpointing', 'adlr_autoresume',
        'adlr_autoresume_interval', 'allow_chopped', 'amp', 'apply_query_key_layer_scaling',
        'attention_config', 'attention_dropout', 'attention_softmax_in_fp32', 'autotuning',
        'autotuning_run', 'base_shapes_file', 'batch_size', 'bf16', 'bias_dropout_fusion',
        'bias_gelu_fusion', 'char_level_ppl', 'checkpoint', 'checkpoint_activations',
        'checkpoint_factor', 'checkpoint_in_cpu', 'checkpoint_num_layers', 'checkpoint_scale',
        'checkpoint_validation_with_forward_pass', 'clip_grad', 'comet_experiment',
        'comet_experiment_name', 'comet_others', 'comet_project', 'comet_tags', 'comet_workspace',
        'comment', 'comms_logger', 'communication_data_type', 'compression_training', 'config_files',
        'contiguous_checkpointing', 'coord_check', 'csv_monitor', 'curriculum_learning',
        'curriculum_seqlen', 'data_efficiency', 'data_impl', 'data_path', 'data_types', 'dataset_impl',
        'deepscale', 'deepscale_config', 'deepspeed', 'deepspeed_activation_checkpointing',
        'deepspeed_extra_args', 'deepspeed_mpi', 'deepspeed_slurm', 'dim_att', 'distributed_backend',
        'do_test', 'do_train', 'do_valid', 'dpo_beta', 'dpo_fp32', 'dpo_reference_free', 'dump_state',
        'dynamic_loss_scale', 'elasticity', 'eod_mask_loss', 'eval_interval', 'eval_iters',
        'eval_results_prefix', 'eval_tasks', 'exclude', 'exit_interval', 'expansion_factor',
        'extra_save_iters', 'ffn_dim', 'finetune', 'flops_profiler', 'force_multi', 'fp16',
        'fp16_lm_cross_entropy', 'fp32_allreduce', 'fp32_reinforce', 'fused_kernels_build_path',
        'git_hash', 'global_num_gpus', 'gmlp_attn_dim', 'gpt_j_residual', 'gpt_j_tied',
        'gradient_accumulation_steps', 'gradient_clipping', 'gradient_noise_scale_cpu_offload',
        'gradient_noise_scale_n_batches', 'gradient_predivide_factor', 'head_size', 'hidden_dropout',
        'hidden_size', 'hostfile', 'hysteresis', 'include', 'init_method', 'init_method_std',
        'intermediate_size', 'is_pipe_parallel', 'iteration', 'keep_last_n_checkpoints', 'kl_div_beta',
        'kl_impl', 'kto_beta', 'kto_desirable_weight', 'kto_fp32', 'kto_undesirable_weight', 'launcher',
        'layernorm_epsilon', 'layernorm_fusion', 'lazy_mpu_init', 'load', 'local_rank', 'log_dir',
        'log_grad_norm', 'log_grad_pct_zeros', 'log_gradient_noise_scale', 'log_interval',
        'log_optimizer_states', 'log_param_norm', 'loss_scale', 'loss_scale_window', 'lr',
        'lr_decay_fraction', 'lr_decay_iters', 'lr_decay_style', 'make_vocab_size_divisible_by',
        'mamba_causal_conv_fusion', 'mamba_inner_func_fusion', 'mamba_selective_fp32_params',
        'mamba_selective_scan_fusion', 'mamba_use_bias_in_conv', 'mamba_use_bias_in_linears',
        'master_addr', 'master_port', 'max_position_embeddings', 'maximum_tokens', 'memory_profiling',
        'memory_profiling_path', 'merge_file', 'min_lr', 'min_scale', 'mlp_multiple_of', 'mmap_warmup',
        'model_parallel_size', 'moe_expert_interval', 'moe_jitter_eps', 'moe_lbl_in_fp32',
        'moe_num_experts', 'moe_router_type', 'moe_top_k', 'mup_attn_temp', 'mup_embedding_mult',
        'mup_init_scale', 'mup_output_temp', 'mup_rp_embedding_mult', 'mup_width_scale',
        'neg_test_data_paths', 'neg_test_label_data_paths', 'neg_train_data_paths',
        'neg_train_label_data_paths', 'neg_valid_data_paths', 'neg_valid_label_data_paths',
        'no_load_optim', 'no_load_rng', 'no_save_optim', 'no_save_rng', 'no_ssh_check',
        'no_weight_tying', 'norm', 'num_attention_heads', 'num_gpus', 'num_kv_heads', 'num_layers',
        'num_nodes', 'num_samples', 'num_unique_layers', 'num_workers', 'online_dataserver_ips',
        'online_dataserver_ports', 'onnx_safe', 'opt_pos_emb_offset', 'optimizer', 'optimizer_type',
        'output_layer_init_method', 'output_layer_parallelism', 'override_lr_scheduler', 'pack_impl',
        'padded_vocab_size', 'param_sharing_style', 'partition_activations', 'peak_theoretical_tflops',
        'pipe_parallel_size', 'pipe_partition_method', 'pos_emb', 'pos_test_data_paths',
        'pos_test_label_data_paths', 'pos_train_data_paths', 'pos_train_label_data_paths',
        'pos_valid_data_paths', 'pos_valid_label_data_paths', 'precision', 'precompute_model_name',
        'prescale_gradients', 'profile', 'profile_backward', 'profile_step_start', 'profile_step_stop',
        'prompt_end', 'rank', 'recompute', 'reinforce_leave_one_out', 'return_logits',
        'rms_norm_epsilon', 'rmsnorm_fusion', 'rope_fusion', 'rotary_emb_base', 'rotary_pct',
        'rotary_save_freqs_buffer', 'rpe_max_distance', 'rpe_num_buckets', 's3_chunk_size', 's3_path',
        'sample_input_file', 'sample_output_file', 'save', 'save_base_shapes',
        'scaled_masked_softmax_fusion', 'scaled_upper_triang_masked_softmax_fusion',
        'scalenorm_epsilon', 'scheduler', 'seed', 'seq_length', 'sequence_parallel',
        'serve_model_weights', 'short_seq_prob', 'sliding_window_width', 'soft_prompt_tuning',
        'sparse_attention', 'sparse_gradients', 'sparsity_config', 'split', 'steps_per_print',
        'synchronize_each_layer', 'te_columnparallel', 'te_fp8_amax_compute_algo',
        'te_fp8_amax_history_len', 'te_fp8_format', 'te_fp8_margin', 'te_fp8_mha', 'te_fp8_wgrad',
        'te_layernorm_mlp', 'te_mha', 'te_rowparallel', 'temperature', 'tensorboard', 'tensorboard_dir',
        'test_data_paths', 'test_data_weights', 'test_label_data_paths', 'test_reward_data_paths',
        'text_gen_type', 'tokenizer_type', 'top_k', 'top_p', 'train_batch_size', 'train_data_paths',
        'train_data_weights', 'train_epochs', 'train_impl', 'train_iters', 'train_label_data_paths',
        'train_micro_batch_size_per_gpu', 'train_reward_data_paths', 'use_bias_in_attn_linear',
        'use_bias_in_mlp', 'use_bias_in_norms', 'use_bnb_optimizer', 'use_checkpoint_lr_scheduler',
        'use_comet', 'use_cpu_initialization', 'use_flashattn_swiglu', 'use_mup', 'use_qk_layernorm',
        'use_shared_fs', 'use_wandb', 'user_script', 'valid_data_paths', 'valid_data_weights',
        'valid_label_data_paths', 'valid_reward_data_paths', 'vocab_file', 'wall_clock_breakdown',
        'wandb', 'wandb_group', 'wandb_host', 'wandb_init_all_ranks', 'wandb_project', 'wandb_run_name',
        'wandb_team', 'warmup', 'weight_by_num_documents', 'weight_decay', 'weight_server_port',
        'weighted_sampler_alpha', 'world_size', 'z_loss', 'zero_allgather_bucket_size',
        'zero_contiguous_gradients', 'zero_optimization', 'zero_reduce_bucket_size',
        'zero_reduce_scatter', 'zero_stage'
    }
)


def spelling(key: str) -> str:
    """gpt-neox's own lookup: `train-iters` is `train_iters`."""
    return key.replace("-", "_")


def _both(*keys: str) -> tuple[str, ...]:
    """Each top-level key in both spellings gpt-neox accepts (the dashed form for dotted paths
    only where the first part has dashes to give)."""
    spelt: list[str] = []
    for key in keys:
        head, dot, rest = key.partition(".")
        spelt += [key] + ([head.replace("_", "-") + dot + rest] if "_" in head else [])
    return tuple(spelt)


def _value(root: Mapping, key: str):
    for dotted in _both(key):
        found = lookup(root, dotted)
        if found is not None:
            node = found[1]
            return node.value if isinstance(node, Scalar) else node
    return None


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """`warmup` is a share of the schedule's length, which is the run's only where the config
    says so; under `checkpoint_scale: log` or beside `extra_save_iters`, `checkpoint_factor`
    is not the whole saving plan."""
    decay_iters, fraction, train_iters = (_value(root, key) for key in ("lr_decay_iters", "lr_decay_fraction", "train_iters"))
    same_length = fraction is None and (decay_iters is None or (train_iters is not None and decay_iters == train_iters))
    if not same_length:
        plan.settings.pop("warmup_ratio", None)
    if _value(root, "checkpoint_scale") not in (None, "linear") or getattr(_value(root, "extra_save_iters"), "items", None):
        plan.settings.pop("save_interval", None)  # a multiplier, or saves at listed iterations too
    layers = _layer_types(_value(root, "attention_config"))
    if layers and layers <= _NO_ATTENTION:
        plan.settings.pop("n_heads", None)  # required by validate_values, unused by these layers


# Layer types that have no attention heads (megatron/model/gpt2_model.py builds Mamba and RWKV
# blocks for them; the mamba configs say `num_attention_heads: 12, # ignored when using mamba`).
_NO_ATTENTION = frozenset({"mamba", "rwkv"})


def _layer_types(config) -> frozenset[str]:
    """The layer types `attention_config` names: `[[["flash"], 12]]` -> {"flash"}."""
    types: set[str] = set()
    for item in getattr(config, "items", ()):
        pair = getattr(item, "items", ())
        names = getattr(pair[0], "items", ()) if pair else ()
        for name in names:
            if isinstance(name, Scalar) and isinstance(name.value, str):
                types.add(name.value)
            else:
                return frozenset()  # not the shape gpt-neox reads: no conclusion
    return frozenset(types)


_MARKERS = {
    "pipe_parallel_size": 3,
    "model_parallel_size": 3,
    "lr_decay_style": 3,
    "lr_decay_iters": 2,
    "pos_emb": 3,
    "gpt_j_residual": 3,
    "no_weight_tying": 3,
    "scaled_upper_triang_masked_softmax_fusion": 3,
    "bias_gelu_fusion": 3,
    "output_layer_parallelism": 3,
    "output_layer_init_method": 3,
    "checkpoint_factor": 3,
    "synchronize_each_layer": 3,
    "attention_config": 2,
    "partition_activations": 2,
    "make_vocab_size_divisible_by": 2,
    "data_impl": 2,
    "tokenizer_type": 1,
    "train_iters": 1,
    "num_layers": 1,
    "seq_length": 1,
}

DIALECT = Dialect(
    name="gpt-neox",
    title="gpt-neox",
    markers={key: weight for marker, weight in _MARKERS.items() for key in _both(marker)},
    threshold=6,
    fields={
        "learning_rate": ("optimizer.params.lr",),
        "betas": ("optimizer.params.betas",),
        "eps": ("optimizer.params.eps",),
        "min_lr": _both("min_lr"),
        "weight_decay": _both("weight_decay"),
        "clip_grad_norm": _both("gradient_clipping"),
        "scheduler": _both("lr_decay_style"),
        "scheduler_steps": _both("lr_decay_iters"),
        "warmup_ratio": _both("warmup"),
        "max_steps": _both("train_iters"),
        "epochs": _both("train_epochs"),
        "batch_size": _both("train_micro_batch_size_per_gpu"),
        "gradient_accumulation_steps": _both("gradient_accumulation_steps"),
        "global_batch_size": _both("train_batch_size"),
        "eval_interval": _both("eval_interval"),
        "save_interval": _both("checkpoint_factor"),
        "log_interval": _both("log_interval"),
        "fp16": ("fp16.enabled",),
        "seq_len": _both("seq_length"),
        "d_model": _both("hidden_size"),
        "n_heads": _both("num_attention_heads"),
        "dropout": _both("hidden_dropout", "attention_dropout"),
    },
    refine=Described(
        refine,
        "warmup: a share of the run only where lr_decay_iters is absent or equals train_iters (no lr_decay_fraction)",
        "checkpoint_factor: a save interval only under checkpoint_scale: linear and without extra_save_iters",
        "num_attention_heads: not read where attention_config names only mamba or rwkv layers",
    ),
    rounding="total-floor",
    max_steps_rule="overrides",
    default_clip=1.0,
    fp32_optimizer_state=True,
    # "Adam" is FusedAdam in AdamW mode; the decay applied is the top-level weight_decay.
    not_generic=("optimizer.type", "optimizer.params.weight_decay"),
    accepts={"": ACCEPTED},
    key_spelling=spelling,
    loader="pyyaml",
    doc=__doc__,
)
