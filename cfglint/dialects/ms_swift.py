"""ms-swift config files (`swift sft|pt|rlhf config.yaml`, `megatron sft config.yaml`; modelscope/ms-swift).

Read from modelscope/ms-swift at 3602360 (Apache-2.0):

- Loader: `parse_yaml_args` (swift/cli/main.py) reads the file with `yaml.safe_load` (or
  `json.load`), then turns every top-level entry into command-line flags: `--key str(value)` (a
  list becomes several values, a mapping `json.dumps`), and the training script parses them with
  `HfArgumentParser.parse_args_into_dataclasses` (swift/utils/utils.py `parse_args`). So every
  value reaches the arguments through argparse's `float()`/`int()`: `learning_rate: 1e-4` (the
  string "1e-4" to PyYAML) and `"1e-4"` both become 1e-4, and of a key written twice the last
  wins (loader "argv"; no Y001). An `ENV:` block sets environment variables.
- Keys: the argument dataclasses of swift/arguments (`SftArguments`, `RLHFArguments`: Hugging
  Face's `Seq2SeqTrainingArguments` plus `BaseArguments`, `TunerArguments`, ...), so the field
  map is the huggingface dialect's (imported), with `max_length` (`TemplateArguments`: the
  tokens of one training sample) as the sequence length, and `optimizer` (an optimizer plugin of
  swift/optimizers/mapping.py, which takes priority over `optim`) before `optim`.
- Megatron-SWIFT (swift/megatron/arguments/megatron_args.py `MegatronArguments`) writes its own
  keys in the same files: `lr`, `min_lr`, `micro_batch_size`, `global_batch_size`, `train_iters`,
  `lr_warmup_iters`, `lr_warmup_fraction` (a share of `lr_decay_iters`, which defaults to
  `train_iters`), `clip_grad`, `adam_eps`; they are read as the same plan fields. Where such a
  file also sets `num_train_epochs`, `init_iters` recomputes `train_iters` from the dataset
  (`samples x epochs // global_batch_size`), so the written `train_iters` is not read. Megatron's
  `optimizer: adam` is Megatron-Core's Adam with decoupled weight decay (AdamW), so it is read as
  AdamW. `lr_warmup_fraction` is read as a share of the run only where `lr_decay_iters` is not
  written. A `min_lr` equal to `lr` is how ms-swift's GRPO and GKD examples
  (examples/ray/) write a constant rate under the default cosine decay, so it is not read as a
  floor (a `min_lr` above `lr` still is).
- Markers: keys only ms-swift writes: `tuner_type` (older releases: `train_type`),
  `rlhf_type`, `split_dataset_ratio`, `model_author`, `target_modules` and `attn_impl` at the
  top level, `dataset_num_proc` (also TRL's) and `load_from_cache_file`; weighted so that a
  file with two of them outscores the Hugging Face keys it also has (threshold 6).
- Defaults: `gradient_accumulation_steps` unset means `ceil(16 / (per_device_train_batch_size x
  world size))` (swift/trainers/arguments.py), so it is not 1; `learning_rate` unset means 1e-4
  for LoRA and 1e-5 for full training (sft_args.py). Neither is assumed.
- Unknown keys: `SwiftPipeline._parse_args` (swift/pipelines/base.py) raises
  `ValueError(f'remaining_argv: ...')` for flags no argument class defines (unless
  `ignore_args_error`), but argparse also accepts any unambiguous prefix of a flag, and the
  classes include transformers' `TrainingArguments`, whose fields change between the versions
  ms-swift supports; so no key list (`accepts`) is set.
"""

from cfglint.dialects import huggingface
from cfglint.document import Mapping, Scalar
from cfglint.schema_check import numeric_text
from cfglint.plan import TrainingPlan

HF = huggingface.DIALECT

# Keys of MegatronArguments that the Hugging Face arguments do not have.
_MEGATRON_KEYS = ("lr", "min_lr", "micro_batch_size", "global_batch_size", "train_iters", "lr_warmup_iters", "lr_warmup_fraction", "clip_grad", "lr_decay_style")


def _written(root: Mapping, key: str) -> bool:
    entry = root.get(key)
    return entry is not None and not (isinstance(entry.value, Scalar) and entry.value.value is None)


def _number(setting) -> float | None:
    """A setting's number, also where the file writes it as text (the command line reads it with float())."""
    value = setting.value if setting is not None else None
    if isinstance(value, str) and numeric_text(value):
        return float(value)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _setting(plan: TrainingPlan, field: str):
    """The field's setting, or its value written as text (which the command line reads as a number)."""
    found = plan.settings.get(field)
    return found if found is not None else next((p.setting for p in plan.type_problems if p.field == field), None)


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """Megatron-SWIFT's run length, warmup share, constant-rate idiom and optimizer."""
    if not any(_written(root, key) for key in _MEGATRON_KEYS):
        return
    steps = plan.settings.get("max_steps")
    if steps is not None and steps.key == "train_iters" and _written(root, "num_train_epochs"):
        del plan.settings["max_steps"]  # recomputed from the epochs and the dataset
    ratio = plan.settings.get("warmup_ratio")
    if ratio is not None and ratio.key == "lr_warmup_fraction" and _written(root, "lr_decay_iters"):
        del plan.settings["warmup_ratio"]  # a share of lr_decay_iters, not of the run
    floor, peak = _number(_setting(plan, "min_lr")), _number(_setting(plan, "learning_rate"))
    if floor is not None and floor == peak:
        # ms-swift's examples' way of writing a constant rate under the default cosine decay
        plan.settings.pop("min_lr", None)
        plan.type_problems = [p for p in plan.type_problems if p.field != "min_lr"]
    optimizer = plan.settings.get("optimizer")
    if optimizer is not None and optimizer.key == "optimizer" and str(optimizer.value).lower() == "adam":
        optimizer.value = "adamw"  # Megatron-Core's Adam decouples weight decay


_FIELDS = dict(HF.fields)
_FIELDS.update(
    {
        "optimizer": ("optimizer", "optim"),
        "learning_rate": ("learning_rate", "lr"),
        "min_lr": ("min_lr",),
        "clip_grad_norm": ("max_grad_norm", "clip_grad"),
        "max_steps": ("max_steps", "train_iters"),
        "warmup_steps": ("warmup_steps", "lr_warmup_iters"),
        "warmup_ratio": ("warmup_ratio", "lr_warmup_fraction"),
        "batch_size": ("per_device_train_batch_size", "micro_batch_size"),
        "global_batch_size": ("global_batch_size",),
        "eps": ("adam_epsilon", "adam_eps"),
        "seq_len": ("max_length",),
    }
)

# The Trainer's counting (rounding, max_steps, defaults) is Hugging Face's: only the keys differ.
DIALECT = HF.replace(
    name="ms-swift",
    title="ms-swift (config file passed as command-line flags)",
    markers={
        "tuner_type": 8,
        "train_type": 8,
        "rlhf_type": 8,
        "split_dataset_ratio": 4,
        "model_author": 3,
        "target_modules": 2,
        "attn_impl": 2,
        "dataset_num_proc": 1,
        "load_from_cache_file": 1,
    },
    threshold=6,
    fields=_FIELDS,
    refine=refine,
    loader="argv",
    not_generic=("ENV", "num_iterations", "max_new_tokens", "max_completion_length", "eval_iters", "num_generations", "steps_per_generation"),
    doc=__doc__,
)
