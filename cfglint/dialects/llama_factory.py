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


DIALECT = Dialect(
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
    unset_values=HF.unset_values,
    rounding=HF.rounding,
    max_steps_rule=HF.max_steps_rule,
    default_optimizer=HF.default_optimizer,
    fp32_optimizer_state=HF.fp32_optimizer_state,
    refine=refine,
    loader="omegaconf",
    not_generic=("profiler_warmup_steps", "profiler_wait_steps", "profiler_active_steps", "max_new_tokens", "max_samples", "val_size", "ppo_epochs"),
    doc=__doc__,
)
