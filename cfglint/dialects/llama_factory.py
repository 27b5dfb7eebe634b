"""LLaMA-Factory training YAML (`examples/**/*.yaml` of hiyouga/LLaMA-Factory, `llamafactory-cli train x.yaml`).

Read from hiyouga/LLaMA-Factory at ff6d4d1 (Apache-2.0), src/llamafactory/hparams/:

- Loader: `read_args` (parser.py) loads a `.yaml`/`.yml` file with `OmegaConf.load`, merges the
  command-line overrides and passes `OmegaConf.to_container(...)` to
  `HfArgumentParser.parse_dict`. So the values are OmegaConf's: `1e-4` is a float (no YAML 1.1
  string, so Y001 does not apply), `"1e-4"` stays a string (`parse_dict` converts nothing), and a
  duplicate key stops the file from loading. (A `.json` file goes through `json.load`, where the
  last of two equal keys wins; the dialect names the YAML loader.) Releases before a5a9359
  (2025-07-01, #8505) read the YAML with `yaml.safe_load`, where `1e-4` was the string "1e-4"
  (issue #4014); a project pinned to such a release can name the `huggingface` dialect for its
  files (`--dialect`, or the `families` setting), which reads them as PyYAML does.
- Keys: the fields of `ModelArguments`, `DataArguments`, LLaMA-Factory's `TrainingArguments` (a
  subclass of transformers' `Seq2SeqTrainingArguments`), `FinetuningArguments` and
  `GeneratingArguments`, all at the top level. The training keys are Hugging Face's, so the
  field map is the huggingface dialect's (imported, not copied), with one change: the sequence
  length is `cutoff_len` (`DataArguments`); `max_length` is `GeneratingArguments`' generation
  length, not a training one.
- Markers: LLaMA-Factory's own keys `stage` (`pt`, `sft`, `rm`, `ppo`, `dpo`, `kto`),
  `finetuning_type` (`lora`, `oft`, `freeze`, `full`), `template`, `cutoff_len`, `lora_target`,
  `plot_loss`, `dataset`. The Hugging Face keys the files share are left out, so a
  LLaMA-Factory file scores its own keys on top of what it scores as huggingface (about 10):
  its examples score 12 to 18 here. Threshold 6: `dataset` alone (torchtune, uni2ts) is not enough.
- Durations, rounding and defaults: the Hugging Face Trainer's (`max_steps` overrides
  `num_train_epochs`, -1 means unset, steps per epoch rounded up). The PPO stage sizes its
  schedule the same way (`max_steps`, else epochs over its own dataloader).
- Optimizer: `create_custom_optimizer` (train/trainer_utils.py) replaces the `optim` optimizer
  when `use_galore`, `use_apollo`, `use_badam`, `use_adam_mini` or `use_muon` is true; the
  optimizer is then that one (not Adam or AdamW as `optim` says).
- Unknown keys: `parse_dict(args, allow_extra_keys=False)` raises "Some keys are not used by the
  HfArgumentParser" unless `ALLOW_EXTRA_ARGS` is set. The dialect does not list the accepted keys
  (`accepts`): the training ones are transformers' `TrainingArguments` fields, and LLaMA-Factory
  accepts transformers 4.55 to 5.8, whose fields differ between versions, so no single list is
  exact.
"""

from cfglint.dialects import huggingface
from cfglint.dialects.base import Dialect
from cfglint.document import Mapping, Scalar, format_path
from cfglint.plan import Setting, TrainingPlan, lookup

HF = huggingface.DIALECT

# FinetuningArguments flags that replace the `optim` optimizer, in create_custom_optimizer's order.
_OPTIMIZER_FLAGS = (("use_galore", "galore"), ("use_apollo", "apollo"), ("use_badam", "badam"), ("use_adam_mini", "adam_mini"), ("use_muon", "muon"))


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """The optimizer a `use_*` flag puts in place of `optim`."""
    for key, name in _OPTIMIZER_FLAGS:
        found = lookup(root, key)
        if found is not None and isinstance(found[1], Scalar) and found[1].value is True:
            plan.settings["optimizer"] = Setting(name, format_path(found[1].path), found[1], found[0])
            plan.written.add("optimizer")
            return


# The Trainer's counting (rounding, max_steps, defaults) is Hugging Face's: only the keys differ.
DIALECT = HF.replace(
    name="llama-factory",
    title="LLaMA-Factory (HfArgumentParser over OmegaConf)",
    markers={
        "stage": 4,
        "finetuning_type": 4,
        "template": 3,
        "cutoff_len": 3,
        "lora_target": 1,
        "plot_loss": 1,
        "dataset": 1,
    },
    threshold=6,
    fields={**HF.fields, "seq_len": ("cutoff_len",)},
    refine=refine,
    loader="omegaconf",
    not_generic=("profiler_warmup_steps", "profiler_wait_steps", "profiler_active_steps", "max_new_tokens", "max_samples", "val_size", "ppo_epochs"),
    doc=__doc__,
)


# LLaMA-Factory v1 (src/llamafactory/v1/): its own argument classes, not Hugging Face's.
V1_DOC = """LLaMA-Factory v1 configs (`examples/v1/**/*.yaml`, the trainer of src/llamafactory/v1/).

Read from hiyouga/LLaMA-Factory at ff6d4d1 (Apache-2.0), src/llamafactory/v1/:

- Loader: `get_args` (config/arg_parser.py) loads the YAML with `OmegaConf.load` and passes it to
  `HfArgumentParser([ModelArguments, DataArguments, TrainingArguments,
  SampleArguments]).parse_dict(args, allow_extra_keys=...)`, which raises "Some keys are not used
  by the HfArgumentParser" for a top-level key none of the four defines, unless the
  `ALLOW_EXTRA_KEYS` environment variable is set. The four are LLaMA-Factory's own dataclasses
  (config/*_args.py, no transformers base class), so `accepts` lists their fields, extracted from
  that commit. Plugin blocks (`dist_config`, `optim_config`, `peft_config`, ...) are free-form.
- Markers: `model_class`, `train_dataset`, `dist_config`, `kernel_config`, `sample_backend`,
  `batching_strategy`, `optim_config`, `peft_config`, `cutoff_len` (threshold 5; the v0 dialect
  needs `stage`/`finetuning_type`, which v1 files do not write).
- Training (core/base_trainer.py): one step is one global batch (`global_batch_size`, default
  data-parallel size x `micro_batch_size`, accumulated in micro-batches); `max_steps` overrides
  `num_train_epochs`; `save_steps` and `logging_steps` count global steps; `max_grad_norm`
  (default 1.0) clips; `cutoff_len` is the sequence length. Without `optim_config` the optimizer
  is `torch.optim.AdamW(lr=learning_rate)`; with it, the plugin `optim_config.name` builds the
  optimizer from its own settings (`OptimizerPlugin(name)(model, optim_config)`), so
  `learning_rate` is not read then. Without `lr_scheduler_config` the rate is constant (no
  warmup keys).
"""

V1_ACCEPTS = {
    "": frozenset({
        "batching_strategy", "batching_workers", "bf16", "cp_mode", "cp_size", "custom_chat_template", "cutoff_len",
        "dist_config", "dist_timeout", "dp_size", "dpo_label_smoothing", "enable_activation_checkpointing", "eval_dataset",
        "flash_attn", "full_determinism", "global_batch_size", "init_config", "kernel_config", "ld_alpha", "learning_rate",
        "logging_steps", "lr_scheduler_config", "max_grad_norm", "max_new_tokens", "max_steps", "micro_batch_size", "model",
        "model_class", "mp_replicate_size", "mp_shard_size", "num_train_epochs", "optim_config", "output_dir", "peft_config",
        "pref_beta", "pref_ftx", "pref_loss", "quant_config", "resume_from_checkpoint", "sample_backend", "save_ckpt_as_hf",
        "save_epochs", "save_steps", "save_total_limit", "seed", "simpo_gamma", "train_dataset", "trust_remote_code",
    }),
}


def refine_v1(plan: TrainingPlan, root: Mapping) -> None:
    """An optimizer plugin replaces AdamW and takes its settings from its own block."""
    found = lookup(root, "optim_config")
    if found is None or (isinstance(found[1], Scalar) and found[1].value is None):
        return
    plan.settings.pop("learning_rate", None)
    plan.type_problems = [p for p in plan.type_problems if p.field != "learning_rate"]
    plan.written.update(("learning_rate", "optimizer", "weight_decay"))
    name = lookup(root, "optim_config.name") if isinstance(found[1], Mapping) else None
    if name is not None and isinstance(name[1], Scalar) and isinstance(name[1].value, str):
        plan.settings["optimizer"] = Setting(name[1].value, format_path(name[1].path), name[1], name[0])


DIALECT_V1 = Dialect(
    name="llama-factory-v1",
    title="LLaMA-Factory v1 (its own argument classes over OmegaConf)",
    markers={
        "model_class": 4,
        "train_dataset": 3,
        "dist_config": 2,
        "kernel_config": 2,
        "sample_backend": 2,
        "batching_strategy": 2,
        "optim_config": 1,
        "peft_config": 1,
        "cutoff_len": 1,
    },
    threshold=5,
    fields={
        "learning_rate": ("learning_rate",),
        "clip_grad_norm": ("max_grad_norm",),
        "epochs": ("num_train_epochs",),
        "max_steps": ("max_steps",),
        "batch_size": ("micro_batch_size",),
        "global_batch_size": ("global_batch_size",),
        "save_interval": ("save_steps",),
        "log_interval": ("logging_steps",),
        "seq_len": ("cutoff_len",),
    },
    max_steps_rule="overrides",
    default_optimizer="adamw",
    refine=refine_v1,
    loader="omegaconf",
    not_generic=("max_new_tokens", "optim_config.wd", "optim_config.lr", "save_epochs"),
    accepts=V1_ACCEPTS,
    doc=V1_DOC,
)
