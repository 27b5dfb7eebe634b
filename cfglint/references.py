"""The files a config names, read with it: the DeepSpeed JSON of a TrainingArguments `deepspeed:` key.

Which keys name a DeepSpeed config, per dialect (each dialect's `deepspeed_keys`), read from
each framework's own source:

- `huggingface`, `llama-factory`: TrainingArguments' `deepspeed` (transformers training_args.py at
  fd79833: `__post_init__` builds `HfTrainerDeepSpeedConfig(self.deepspeed)`); LLaMA-Factory's
  TrainingArguments subclass it (hiyouga/LLaMA-Factory ff6d4d1, hparams/training_args.py).
- `axolotl`: `deepspeed` (axolotl-ai-cloud/axolotl 067b021: utils/config/__init__.py loads the file
  with `json.load` when `os.path.exists(cfg.deepspeed)`; core/builders/causal.py passes it on as
  TrainingArguments' `deepspeed`).
- `accelerate`: `deepspeed_config.deepspeed_config_file` (huggingface/accelerate 16cb6eb:
  utils/launch.py exports it as ACCELERATE_DEEPSPEED_CONFIG_FILE, which DeepSpeedPlugin reads).

Each is a path or (TrainingArguments, axolotl) a mapping written in place. accelerate's
HfDeepSpeedConfig (utils/deepspeed.py at 16cb6eb) takes a dict as it is, opens a path that
`os.path.exists` finds (relative to the training process's working folder), and otherwise parses
the string as JSON or base64-encoded JSON, raising "Expected a string path to an existing
deepspeed config, or a dictionary, or a base64 encoded string" when neither works. cfglint looks
for a relative path beside the config, then in the working folder, then in each folder above the
config up to the git work tree's root (the job may be launched from any of them), and reads it as
data only. A path with a `$` (an environment variable, an OmegaConf
`${...}`), a JSON or base64 string: unknown, never missing. DeepSpeedPlugin (accelerate
utils/dataclasses.py) refuses a config without `zero_optimization`.
"""

from __future__ import annotations

import json
import os
import re

from cfglint.dialects.base import Dialect
from cfglint.document import Document, Mapping, Node, Scalar
from cfglint.plan import is_placeholder, resolved
from cfglint.source import InputError, display_path, load_document, read_bytes
from cfglint.walk import work_tree



class Reference:
    """One key that names another file, and what reading that file found."""

    def __init__(self, key: str, node: Node, text: str | None) -> None:
        self.key = key  # the dotted key path as written
        self.node = node  # its value: the path, or the mapping written in place
        self.text = text  # the path as written; None for a mapping in place
        self.looked: tuple[str, ...] = ()  # the absolute paths tried, in order, up to the one found
        self.path: str | None = None  # the absolute path read
        self.where = ""  # which of the places it was found in
        # Why it cannot be used (missing, not JSON, not an object, no zero_optimization); None
        # when it was read, or when the value is not a path cfglint can follow (`unknown`).
        self.problem: str | None = None
        self.unknown = False
        self.missing = False  # in none of the places looked
        self.document: Document | None = None  # the DeepSpeed config, read
        self.analysis = None  # its FileAnalysis under the deepspeed dialect (set by the engine)

    @property
    def shown(self) -> str:
        return display_path(self.path) if self.path else repr(self.text)


def read(doc: Document, dialect: Dialect) -> list[Reference]:
    """The DeepSpeed configs `doc` names under its dialect (Dialect.deepspeed_keys), each read
    once; every span of a file read is registered in `doc.sources`, so findings there are
    reported in that file."""
    root = doc.mapping
    if root is None:
        return []
    found = []
    for key in dialect.deepspeed_keys:
        entry = resolved(root, key)
        if entry is None:
            continue
        _, written, node = entry
        if isinstance(node, Mapping):
            reference = Reference(key, written, None)
            in_place = doc.view(node)
            reference.problem = _not_usable(in_place)
            reference.document = in_place if reference.problem is None else None
        elif isinstance(node, Scalar) and isinstance(node.value, str) and node.value and not is_placeholder(node):  # "" turns DeepSpeed off
            reference = Reference(key, written, node.value)
            _follow(reference, doc)
        else:
            continue  # a number, a list, `???`: not something cfglint can follow
        found.append(reference)
    return found


def _follow(reference: Reference, doc: Document) -> None:
    text = reference.text or ""
    if "$" in text or _is_inline(text):
        reference.unknown = True  # resolved at launch (a variable), or JSON passed as a string
        return
    folder = os.path.dirname(os.path.abspath(doc.path))
    places = [(folder, "beside the config"), (os.getcwd(), "in the working folder")]
    # The job may be launched from any folder above the config (a project's root, a subproject):
    # each up to the git work tree's root, or up to the file system's root outside a work tree.
    tree, above = work_tree(folder), folder
    while above != tree and os.path.dirname(above) != above:
        above = os.path.dirname(above)
        places.append((above, "at the git work tree's root" if above == tree else "in a folder above the config"))
    looked: dict[str, str] = {}
    for base, where in places:
        looked.setdefault(os.path.normpath(os.path.join(base, text)), where)  # `~` too is literal to os.path.exists
    for path, where in looked.items():
        reference.looked += (path,)
        if os.path.isfile(path):
            reference.path, reference.where = path, where
            break
    if reference.path is None:
        there = next((path for path in looked if os.path.exists(path)), None)
        if there is not None:
            reference.problem = f"which is not a regular file ({display_path(there)})"
            return
        listed = ", ".join(f"{display_path(path)} ({where})" for path, where in looked.items())
        reference.problem = f"which is in none of the places cfglint looked: {listed}"
        reference.missing = True
        return
    try:
        loaded = load_document(reference.path, read_bytes(reference.path))
    except InputError as error:
        reference.problem = f"which cannot be read: {error}"
        return
    syntax = next((problem for problem in loaded.problems if problem.kind == "syntax"), None)
    if syntax is not None or loaded.format != "json":
        why = f"line {syntax.span.line}, column {syntax.span.column}: {syntax.message}" if syntax else f"it is {loaded.format.upper()}"
        reference.problem = f"which is not valid JSON ({why}): the integration reads it with json.load, which refuses it at start-up"
        return
    reference.problem = _not_usable(loaded)
    if reference.problem is None:
        reference.document = loaded
        for node in loaded.nodes():
            doc.sources[id(node.span)] = loaded


def _is_inline(text: str) -> bool:
    """A string HfDeepSpeedConfig parses itself when no file has that name: JSON, or base64 of JSON."""
    if text.lstrip().startswith(("{", "[")):
        return True
    import base64  # only a path that names no file gets here
    import binascii

    try:
        json.loads(base64.urlsafe_b64decode(text).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return True


def _not_usable(ds: Document) -> str | None:
    """Why the integration refuses a DeepSpeed config that loads, or None."""
    root = ds.root
    if not isinstance(root, Mapping):
        kind = "a list" if root is not None and not isinstance(root, Scalar) else "no object"
        return f"which holds {kind}, not a JSON object: the integration reads its keys with config.get and fails at start-up"
    if root.get("zero_optimization") is None:
        return (
            "which has no zero_optimization block: accelerate's DeepSpeedPlugin refuses it at start-up "
            "(\"Please specify the ZeRO optimization config in the DeepSpeed config.\"); "
            'add "zero_optimization": {"stage": 0} or the ZeRO stage you mean'
        )
    return None


# What the Hugging Face integration writes over "auto" and compares an explicit value with:
# HfTrainerDeepSpeedConfig.trainer_config_process and trainer_config_finalize
# (transformers src/transformers/integrations/deepspeed.py at 0234833). `fill_match` records
# "- ds {key}={value} vs hf {name}={value}" for each explicit value that differs (Python's !=)
# and trainer_config_finalize raises them all when training starts.
TRAINING_ARGUMENTS = ("huggingface", "llama-factory")
REFUSAL = "Please correct the following DeepSpeed config values that mismatch TrainingArguments values"

# TrainingArguments' defaults for the keys it reads there (transformers
# src/transformers/training_args.py at fd79833); HF compares with them when the config does not
# write the key.
DEFAULTS = {
    "per_device_train_batch_size": 8,
    "gradient_accumulation_steps": 1,
    "auto_find_batch_size": False,
    "learning_rate": 5e-5,
    "weight_decay": 0.0,
    "adam_beta1": 0.9,
    "adam_beta2": 0.999,
    "adam_epsilon": 1e-8,
    "max_grad_norm": 1.0,
    "max_steps": -1,
    "warmup_steps": 0,
    "warmup_ratio": 0.0,
    "fp16": False,
    "fp16_full_eval": False,
    "fp16_backend": "auto",
    "bf16": False,
    "bf16_full_eval": False,
}
# TRL's configs change two of them (huggingface/trl f2cd577: SFTConfig, DPOConfig, GRPOConfig and
# the others set their own learning_rate; trainer/base_config.py turns bf16 on unless fp16 is).
# The huggingface dialect reads TRL configs too, so there an unwritten one is unknown.
NOT_DEFAULT_UNDER = {"huggingface": ("learning_rate", "bf16")}


class Value:
    """A TrainingArguments value: written at `node`, or the default (node None)."""

    def __init__(self, value, key: str, node: Node | None) -> None:
        self.value = value
        self.key = key
        self.node = node

    def __str__(self) -> str:
        default = "" if self.node is not None else ", TrainingArguments' default"
        return f"{self.key} ({show(self.value)}{default})"


class Expected:
    """What HF fills in for one DeepSpeed key (`value`), from which TrainingArguments values.
    Unknown: `value` None and `why` says what it needs. train_batch_size is known only up to
    the world size: `multiple_of` is micro-batch x accumulation."""

    def __init__(self, ds_key: str, hf_name: str, value, sources: tuple[Value, ...] = (), why: str = "", multiple_of: int | None = None) -> None:
        self.ds_key = ds_key
        self.hf_name = hf_name
        self.value = value
        self.sources = sources
        self.why = why
        self.multiple_of = multiple_of

    @property
    def compared(self) -> bool:
        return bool(self.hf_name)  # fill_only keys are filled, never compared

    def describe(self) -> str:
        """`4 from per_device_train_batch_size (4)`, as the -v lines show it."""
        sources = " x ".join(str(source) for source in self.sources) if self.multiple_of else ", ".join(str(source) for source in self.sources)
        if self.multiple_of is not None:
            return f"the world size x {self.multiple_of} ({sources})"
        if self.value is None:
            return f"unknown ({self.why})"
        return f"{show(self.value)} from {sources}" if sources else f"{show(self.value)} (HF's fixed value)"


def show(value) -> str:
    """A value as the JSON file writes it (true, [0.9, 0.95], 4, 5e-05)."""
    return json.dumps(value) if isinstance(value, (bool, list, str)) else str(value)


def expectations(analysis) -> list[Expected]:
    """What HF fills from this TrainingArguments config for each DeepSpeed key, in HF's order."""
    args = _Arguments(analysis)
    read = {key: args.get(key) for key in DEFAULTS}
    found: list[Expected] = []

    def add(ds_key: str, hf_name: str, keys: tuple[str, ...], compute=lambda value: value) -> None:
        values = [read[key] for key in keys]
        unsure = [args.why(key) for key, value in zip(keys, values) if value is None]
        if unsure:
            found.append(Expected(ds_key, hf_name, None, (), "; ".join(unsure)))
        else:
            found.append(Expected(ds_key, hf_name, compute(*[value.value for value in values]), tuple(values)))

    auto_batch, micro, accumulation = read["auto_find_batch_size"], read["per_device_train_batch_size"], read["gradient_accumulation_steps"]
    if auto_batch is None or auto_batch.value:
        # With auto_find_batch_size HF fills the batch keys but does not compare them.
        why = args.why("auto_find_batch_size") if auto_batch is None else "auto_find_batch_size is on: HF fills it but does not compare it"
        found.append(Expected("train_micro_batch_size_per_gpu", "per_device_train_batch_size", None, (), why))
    else:
        add("train_micro_batch_size_per_gpu", "per_device_train_batch_size", ("per_device_train_batch_size",))
    add("gradient_accumulation_steps", "gradient_accumulation_steps", ("gradient_accumulation_steps",))
    if auto_batch is not None and not auto_batch.value and micro is not None and accumulation is not None:
        product = micro.value * accumulation.value
        found.append(Expected("train_batch_size", "train_batch_size (calculated)", None, (micro, accumulation), "the number of processes is set at launch", product))
    else:
        found.append(Expected("train_batch_size", "train_batch_size (calculated)", None, (), "needs the batch size and the number of processes"))
    add("gradient_clipping", "max_grad_norm", ("max_grad_norm",))
    add("optimizer.params.lr", "learning_rate", ("learning_rate",))
    add("optimizer.params.betas", "adam_beta1+adam_beta2", ("adam_beta1", "adam_beta2"), lambda one, two: [one, two])
    add("optimizer.params.eps", "adam_epsilon", ("adam_epsilon",))
    add("optimizer.params.weight_decay", "weight_decay", ("weight_decay",))
    found.append(Expected("scheduler.params.warmup_min_lr", "", 0))  # fill_only: filled, never compared
    add("scheduler.params.warmup_max_lr", "learning_rate", ("learning_rate",))
    # The fp16 backend is "amp" unless fp16_backend (deprecated, "auto" by default) says "apex".
    half = ("fp16", "fp16_full_eval", "fp16_backend")
    add("fp16.enabled", "fp16|fp16_full_eval+fp16_backend(amp)", half, lambda fp16, full, backend: bool((fp16 or full) and backend != "apex"))
    add("amp.enabled", "fp16+fp16_backend(apex)", half, lambda fp16, full, backend: bool((fp16 or full) and backend == "apex"))
    add("bf16.enabled", "bf16|bf16_full_eval", ("bf16", "bf16_full_eval"), lambda bf16, full: bool(bf16 or full))
    steps = read["max_steps"]
    if steps is not None and steps.value > 0:
        add("scheduler.params.total_num_steps", "num_training_steps (calculated)", ("max_steps",))
    else:
        found.append(Expected("scheduler.params.total_num_steps", "num_training_steps (calculated)", None, (), RUN_LENGTH))
    found.append(_warmup(read["warmup_steps"], read["warmup_ratio"], steps, args))
    return found


RUN_LENGTH = "the run's optimizer steps come from num_train_epochs and the dataset's size"


def _warmup(warmup: Value | None, ratio: Value | None, steps: Value | None, args: _Arguments) -> Expected:
    """TrainingArguments.get_warmup_steps: warmup_steps when above 0, else ceil(steps x warmup_ratio);
    only what reads the same in transformers 4 and 5 (where a warmup_steps below 1 is a ratio)."""
    import math

    key, name = "scheduler.params.warmup_num_steps", "warmup_steps"
    if warmup is None or ratio is None:
        return Expected(key, name, None, (), args.why("warmup_steps" if warmup is None else "warmup_ratio"))
    if warmup.value >= 1 and float(warmup.value).is_integer():
        return Expected(key, name, int(warmup.value), (warmup,))
    if warmup.value == 0 and ratio.value == 0:
        return Expected(key, name, 0, (warmup, ratio))
    if warmup.value == 0 and ratio.value > 0 and steps is not None and steps.value > 0:
        return Expected(key, name, math.ceil(steps.value * ratio.value), (ratio, steps))
    return Expected(key, name, None, (), f"a share of the run's optimizer steps: {RUN_LENGTH}")


class _Arguments:
    """The TrainingArguments values a config sets, read as its loader reads them, or the defaults;
    None where the reading is not sure (a placeholder, another type, a default TRL changes)."""

    def __init__(self, analysis) -> None:
        self.doc = analysis.document
        self.root = self.doc.mapping
        self.dialect = analysis.detection.dialect

    def why(self, key: str) -> str:
        """Why get(key) is None."""
        if key in NOT_DEFAULT_UNDER.get(self.dialect.name, ()) and (self.root is None or self.root.get(key) is None):
            return f"{key} is not written, and TRL's configs change its default"
        return f"{key} is not a value cfglint reads for sure"

    def get(self, key: str) -> Value | None:
        from cfglint.loaders import EXPONENT_FLOAT, as_loaded, reads_yaml_1_1
        from cfglint.plan import lookup, resolve_reference

        found = lookup(self.root, key) if self.root is not None else None
        if found is None:
            return None if key in NOT_DEFAULT_UNDER.get(self.dialect.name, ()) else Value(DEFAULTS[key], key, None)
        written = found[1]
        node = resolve_reference(self.root, written)
        if not isinstance(node, Scalar) or is_placeholder(node):
            return None
        value = node.value
        loader = self.dialect.loader
        if isinstance(value, float) and node.style == "plain" and node.tag is None and reads_yaml_1_1(loader) and re.match(EXPONENT_FLOAT, self.doc.text_at(node.written.span)):
            return None  # `5e-5` is the string "5e-5" to PyYAML (Y001 says so)
        if as_loaded(self.doc, node, loader)[0]:
            return None  # `yes`, `010`: read otherwise than YAML 1.2 reads them
        default = DEFAULTS[key]
        kind = bool if isinstance(default, bool) else str if isinstance(default, str) else (int, float)
        if not isinstance(value, kind) or (kind != bool and isinstance(value, bool)):
            return None
        return Value(value, key, written)


def describe(analysis) -> list[str]:
    """The -v lines: each file the config names, how it was read, and what each "auto" in it becomes."""
    lines = []
    for reference in analysis.references:
        if reference.unknown:
            lines.append(f"{reference.key} = {reference.text!r}: not followed (a variable, or JSON written as a string, is known only at launch)")
            continue
        if reference.problem is not None:
            lines.append(f"{reference.key} names {reference.shown}, {reference.problem}")
            continue
        named = f"{reference.shown} ({reference.where})" if reference.path else "the mapping written in place"
        lines.append(f"{reference.key}: read {named} as a DeepSpeed config")
        plan = reference.analysis.plan if reference.analysis is not None else None
        prefix = f"{reference.key}: " if reference.path is None else f"{reference.shown}: "
        for name, setting in (plan.settings.items() if plan is not None else ()):
            lines.append(f"{prefix}{name} = {setting.value!r} from {setting.key}")
        for expected, node in filled(analysis, reference):
            if isinstance(node, Scalar) and node.value == "auto":
                lines.append(f'{prefix}{expected.ds_key} "auto" = {expected.describe()}')
    return lines


def filled(analysis, reference: Reference):
    """(Expected, the DeepSpeed value node) for each key HF fills that the referenced config writes."""
    if analysis.detection is None or analysis.detection.dialect.name not in TRAINING_ARGUMENTS or reference.document is None:
        return
    from cfglint.plan import lookup

    root = reference.document.mapping
    for expected in expectations(analysis):
        found = lookup(root, expected.ds_key)
        if found is not None and not (isinstance(found[1], Scalar) and found[1].value is None):
            yield expected, found[1]
