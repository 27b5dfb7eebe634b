"""Arcee DistillKit run configs (`distillkit config.yml`; arcee-ai/DistillKit `examples/*.yml`).

Read from arcee-ai/DistillKit at a61c2e7 (Apache-2.0):

- Loader: `main` (distillkit/main.py) reads the file with `yaml.safe_load` (PyYAML, YAML 1.1:
  `1e-5` is the string "1e-5", a duplicate key's last value wins) and validates it with the
  pydantic model `DistillationRunConfig` (distillkit/configuration.py). Pydantic coerces its own
  fields (a loss weight "0.5" becomes 0.5) and ignores keys it does not define (no
  `extra="forbid"`), but `training_args` is a `dict[str, Any]` passed unchanged to
  `trl.SFTConfig(**training_args)`: a string learning rate reaches the optimizer as a string, and
  a key SFTConfig does not define stops the run with a TypeError. SFTConfig's fields are TRL's and
  transformers' (version-dependent), so no key list (`accepts`) is set.
- Training keys: `training_args.*` are Hugging Face `TrainingArguments` / TRL `SFTConfig` keys, so
  the field map is the huggingface dialect's (imported) under `training_args.`; the sequence
  length is `training_args.max_length` if written, else the top-level `sequence_length`
  (`do_distill`). Durations, rounding and defaults are the Hugging Face Trainer's.
- Distillation: there is no `distillation:` block and no `alpha`. The loss is `loss_functions`, a
  list of `{function, weight, temperature, ...}` (`cross_entropy`, `kl`, `jsd`, `tvd`, `hinge`,
  `logistic_ranking`, `hs_cosine`, `hs_mse`); `total_distillation_loss`
  (distillkit/trainer.py) returns `sum(loss_i x weight_i) / sum(weight_i)`, so the weights are
  relative: any sum gives the same mixture (they are not checked as shares that must sum to 1),
  and a weight of 0 switches its term off. Each weight is read as the loss weight of its
  function (`kl`; a function listed twice gets `kl_2`). `temperature` is the distillation
  temperature of `kl`, `jsd` and `tvd` (student and teacher logits divided by it, the loss
  scaled by its square; default 1.0); the first one written is the plan's temperature.
  Without `loss_functions` the default is cross-entropy 0.5 + KL 0.5 at temperature 1.
- Older releases (before 87a72f6, 2025-12) read no config file: the settings were a Python dict
  in `distil_logits.py` (`distillation: {temperature, alpha}`, the loss
  `alpha x KD + (1 - alpha) x CE`); this dialect reads the files of the current `distillkit`
  command.
- Markers: `loss_functions`, `teacher.kind` (`hf` or `dataset`), `layer_mapping`,
  `dataset.train_dataset`, `training_args`, `sequence_length`, `output_path` (threshold 6).
"""

from cfglint.dialects import huggingface
from cfglint.document import Mapping, Scalar, Sequence, format_path
from cfglint.dialects.base import Dialect
from cfglint.plan import NUMBER, Setting, TrainingPlan, TypeProblem, coerce, is_placeholder, lookup
from cfglint.schema_check import numeric_text

HF = huggingface.DIALECT

# Loss functions with a distillation temperature (lossfuncs/kl.py, jsd.py, tvd.py).
_TEMPERED = ("kl", "jsd", "tvd")


def _weight(node) -> tuple[float | None, bool]:
    """A weight as pydantic reads a float field: a number, or text that reads as one."""
    value, ok = coerce(node, NUMBER)
    if ok:
        return value, True
    if isinstance(node, Scalar) and isinstance(node.value, str) and numeric_text(node.value):
        return float(node.value), True
    return None, False


def refine(plan: TrainingPlan, root: Mapping) -> None:
    """The loss weights and distillation temperature of `loss_functions`."""
    found = lookup(root, "loss_functions")
    if found is None or not isinstance(found[1], Sequence):
        return
    seen: dict[str, int] = {}
    for item in found[1].items:
        if not isinstance(item, Mapping):
            continue
        function = item.get("function")
        name = function.value.value if function is not None and isinstance(function.value, Scalar) else None
        if not isinstance(name, str):
            continue
        seen[name] = seen.get(name, 0) + 1
        label = name if seen[name] == 1 else f"{name}_{seen[name]}"
        for key, field in (("weight", None), ("temperature", "temperature")):
            entry = item.get(key)
            if entry is None or (isinstance(entry.value, Scalar) and entry.value.value is None) or is_placeholder(entry.value):
                continue
            if field is not None and name not in _TEMPERED:
                continue
            value, ok = _weight(entry.value)
            setting = Setting(value, format_path(entry.value.path), entry.value, entry.key)
            if not ok:
                plan.type_problems.append(TypeProblem(setting, NUMBER, field))
            elif field is None:
                plan.loss_weights[label] = setting
            elif field in plan.settings:
                plan.others.setdefault(field, []).append(setting)
            else:
                plan.settings[field] = setting
            if field is not None:
                plan.written.add(field)


DIALECT = Dialect(
    name="distillkit",
    title="Arcee DistillKit",
    markers={
        "loss_functions": 3,
        "teacher.kind": 2,
        "layer_mapping": 2,
        "dataset.train_dataset": 2,
        "training_args": 1,
        "sequence_length": 1,
        "output_path": 1,
    },
    threshold=6,
    fields={
        **{field: tuple(f"training_args.{path}" for path in paths) for field, paths in HF.fields.items()},
        "seq_len": ("training_args.max_length", "sequence_length"),
    },
    unset_values={f"training_args.{key}": values for key, values in HF.unset_values.items()},
    rounding=HF.rounding,
    max_steps_rule=HF.max_steps_rule,
    default_optimizer=HF.default_optimizer,
    fp32_optimizer_state=HF.fp32_optimizer_state,
    refine=refine,
    loader="pyyaml",
    doc=__doc__,
)
