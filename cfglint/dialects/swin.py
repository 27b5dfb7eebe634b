"""Swin Transformer YAML (microsoft/Swin-Transformer): yacs configs merged into `config.py`'s `_C`.

Read from the source at commit f82860bfb5225915aca09c3227159ee9e1df874d (MIT licence).

Loading. `config.py` `_update_config_from_file` reads the file with PyYAML (for its `BASE` list)
and merges it with yacs `CfgNode.merge_from_file`, which `yaml.safe_load`s it again and then
`_merge_a_into_b`s it into the defaults: every string is `ast.literal_eval`ed (`"0.001"` is the
number, `5e-4` too), a duplicate key is PyYAML's last-wins, and two things stop the run before
training (yacs `config.py`, `_merge_a_into_b` and `_check_and_coerce_cfg_value_type`):
- a key not among the defaults raises `KeyError("Non-existent config key: ...")` (no block of
  Swin's `_C` sets `new_allowed`): `accepts` holds every key of `_C`, block by block, generated
  from `config.py` at the commit above (S005);
- a value whose type differs from the default's raises `ValueError("Type mismatch ...")`: only
  str defaults take anything (converted with `str()`), and list and tuple stand for each other;
  `WARMUP_EPOCHS: 2.5` (default the int 20) or `WEIGHT_DECAY: 0` (default the float 0.05) does
  not load. The refine step reports such values (S002), after yacs's own `literal_eval`.

Markers: a `MODEL.SWIN`, `MODEL.SWINV2`, `MODEL.SWIN_MOE` or `MODEL.SWIN_MLP` block (the
architecture blocks of `_C`; every config in `configs/` writes one), or, for a config that keeps
the default architecture, `MODEL.TYPE` with `TRAIN.WARMUP_EPOCHS` and `TRAIN.BASE_LR` together
(Swin's spellings: detectron2 writes `SOLVER.BASE_LR` and `MODEL.META_ARCHITECTURE`). A fork
that copies Swin's `config.py` and adds keys to it is read as Swin too, and its additions are
reported as keys Swin refuses: a `families` setting (`{ "fork/configs/*.yaml" = "generic" }`)
or `--dialect` says otherwise. detectron2 projects with a Swin backbone (Mask2Former) also write
`MODEL.SWIN`, but with `_BASE_` and `SOLVER`, keys Swin's `_C` refuses: each counts against this
dialect, so those configs stay detectron2's.

Fields: `TRAIN.EPOCHS` (epochs; default 300), `TRAIN.WARMUP_EPOCHS` (epochs; default 20),
`TRAIN.WEIGHT_DECAY`, `TRAIN.ACCUMULATION_STEPS`, `DATA.BATCH_SIZE` (per GPU), `TRAIN.OPTIMIZER`
`BETAS`/`EPS`, `TRAIN.LR_SCHEDULER.NAME` (cosine, linear, step, multistep), `MODEL.DROP_RATE`
(dropout) and `MODEL.LABEL_SMOOTHING`. `TRAIN.OPTIMIZER.NAME` is read only for `sgd` and
`adamw` (the default): `fused_adam` is apex's FusedAdam, whose Adam decouples weight decay.
The model width: stage i of `MODEL.<TYPE>` (`MODEL.TYPE` picks the block, default `swin`) has
`EMBED_DIM * 2**i` channels split over `NUM_HEADS[i]` heads (`models/swin_transformer.py`
`BasicLayer(dim=int(embed_dim * 2 ** i_layer), num_heads=num_heads[i_layer])`; its
`WindowAttention` reshapes to `C // num_heads` per head, which fails unless they divide); the
plan gets the first stage that does not divide, or stage 1.

Not read, on purpose: `TRAIN.BASE_LR`, `WARMUP_LR` and `MIN_LR` are not the rates the optimizer
gets: `main.py` multiplies each by `DATA.BATCH_SIZE x world size / 512` (and by
`ACCUMULATION_STEPS`), and the world size is not in the file. `TRAIN.CLIP_GRAD` means different
things to different entry points (`main.py` clips at 0.0, zeroing every gradient; the SimMIM
scripts skip a 0), `MODEL.DROP_PATH_RATE` is stochastic depth, not dropout, and `SAVE_FREQ`
(epochs) and `PRINT_FREQ` (micro-batches) are not in optimizer steps: the generic reading leaves
them alone too.

Rounding: `main.py` builds its schedule with `len(data_loader_train) // ACCUMULATION_STEPS`
optimizer steps per epoch and steps the optimizer when `(idx + 1) % ACCUMULATION_STEPS == 0`:
a partial window at the end of an epoch is dropped ("epoch-floor"). The run ends after
`TRAIN.EPOCHS` epochs; there is no step limit.
"""

from __future__ import annotations

import ast
import re

from cfglint.dialects.base import Dialect
from cfglint.document import Mapping, Node, Scalar, Sequence, format_path
from cfglint.plan import Setting, TrainingPlan, TypeProblem, lookup

# Every key of Swin's `_C` (config.py at f82860bfb5225915aca09c3227159ee9e1df874d), block by block,
# with the type of its default: generated from the `_C.X.Y = value` assignments.
_KEYS: dict[str, dict[str, str]] = {
    "": {"BASE": "list", "DATA": "CfgNode", "MODEL": "CfgNode", "TRAIN": "CfgNode", "AUG": "CfgNode", "TEST": "CfgNode", "ENABLE_AMP": "bool", "AMP_ENABLE": "bool", "AMP_OPT_LEVEL": "str", "OUTPUT": "str", "TAG": "str", "SAVE_FREQ": "int", "PRINT_FREQ": "int", "SEED": "int", "EVAL_MODE": "bool", "THROUGHPUT_MODE": "bool", "LOCAL_RANK": "int", "FUSED_WINDOW_PROCESS": "bool", "FUSED_LAYERNORM": "bool"},
    "DATA": {"BATCH_SIZE": "int", "DATA_PATH": "str", "DATASET": "str", "IMG_SIZE": "int", "INTERPOLATION": "str", "ZIP_MODE": "bool", "CACHE_MODE": "str", "PIN_MEMORY": "bool", "NUM_WORKERS": "int", "MASK_PATCH_SIZE": "int", "MASK_RATIO": "float"},
    "MODEL": {"TYPE": "str", "NAME": "str", "PRETRAINED": "str", "RESUME": "str", "NUM_CLASSES": "int", "DROP_RATE": "float", "DROP_PATH_RATE": "float", "LABEL_SMOOTHING": "float", "SWIN": "CfgNode", "SWINV2": "CfgNode", "SWIN_MOE": "CfgNode", "SWIN_MLP": "CfgNode", "SIMMIM": "CfgNode"},
    "MODEL.SWIN": {"PATCH_SIZE": "int", "IN_CHANS": "int", "EMBED_DIM": "int", "DEPTHS": "list", "NUM_HEADS": "list", "WINDOW_SIZE": "int", "MLP_RATIO": "float", "QKV_BIAS": "bool", "QK_SCALE": "None", "APE": "bool", "PATCH_NORM": "bool"},
    "MODEL.SWINV2": {"PATCH_SIZE": "int", "IN_CHANS": "int", "EMBED_DIM": "int", "DEPTHS": "list", "NUM_HEADS": "list", "WINDOW_SIZE": "int", "MLP_RATIO": "float", "QKV_BIAS": "bool", "APE": "bool", "PATCH_NORM": "bool", "PRETRAINED_WINDOW_SIZES": "list"},
    "MODEL.SWIN_MOE": {"PATCH_SIZE": "int", "IN_CHANS": "int", "EMBED_DIM": "int", "DEPTHS": "list", "NUM_HEADS": "list", "WINDOW_SIZE": "int", "MLP_RATIO": "float", "QKV_BIAS": "bool", "QK_SCALE": "None", "APE": "bool", "PATCH_NORM": "bool", "MLP_FC2_BIAS": "bool", "INIT_STD": "float", "PRETRAINED_WINDOW_SIZES": "list", "MOE_BLOCKS": "list", "NUM_LOCAL_EXPERTS": "int", "TOP_VALUE": "int", "CAPACITY_FACTOR": "float", "COSINE_ROUTER": "bool", "NORMALIZE_GATE": "bool", "USE_BPR": "bool", "IS_GSHARD_LOSS": "bool", "GATE_NOISE": "float", "COSINE_ROUTER_DIM": "int", "COSINE_ROUTER_INIT_T": "float", "MOE_DROP": "float", "AUX_LOSS_WEIGHT": "float"},
    "MODEL.SWIN_MLP": {"PATCH_SIZE": "int", "IN_CHANS": "int", "EMBED_DIM": "int", "DEPTHS": "list", "NUM_HEADS": "list", "WINDOW_SIZE": "int", "MLP_RATIO": "float", "APE": "bool", "PATCH_NORM": "bool"},
    "MODEL.SIMMIM": {"NORM_TARGET": "CfgNode"},
    "MODEL.SIMMIM.NORM_TARGET": {"ENABLE": "bool", "PATCH_SIZE": "int"},
    "TRAIN": {"START_EPOCH": "int", "EPOCHS": "int", "WARMUP_EPOCHS": "int", "WEIGHT_DECAY": "float", "BASE_LR": "float", "WARMUP_LR": "float", "MIN_LR": "float", "CLIP_GRAD": "float", "AUTO_RESUME": "bool", "ACCUMULATION_STEPS": "int", "USE_CHECKPOINT": "bool", "LR_SCHEDULER": "CfgNode", "OPTIMIZER": "CfgNode", "LAYER_DECAY": "float", "MOE": "CfgNode"},
    "TRAIN.LR_SCHEDULER": {"NAME": "str", "DECAY_EPOCHS": "int", "DECAY_RATE": "float", "WARMUP_PREFIX": "bool", "GAMMA": "float", "MULTISTEPS": "list"},
    "TRAIN.OPTIMIZER": {"NAME": "str", "EPS": "float", "BETAS": "tuple", "MOMENTUM": "float"},
    "TRAIN.MOE": {"SAVE_MASTER": "bool"},
    "AUG": {"COLOR_JITTER": "float", "AUTO_AUGMENT": "str", "REPROB": "float", "REMODE": "str", "RECOUNT": "int", "MIXUP": "float", "CUTMIX": "float", "CUTMIX_MINMAX": "None", "MIXUP_PROB": "float", "MIXUP_SWITCH_PROB": "float", "MIXUP_MODE": "str"},
    "TEST": {"CROP": "bool", "SEQUENTIAL": "bool", "SHUFFLE": "bool"},
}

ACCEPTS = {block: frozenset(keys) for block, keys in _KEYS.items()}
_ARCHITECTURES = {"swin": "SWIN", "swinv2": "SWINV2", "swin_moe": "SWIN_MOE", "swin_mlp": "SWIN_MLP"}
_OPTIMIZERS = ("sgd", "adamw")
# PyYAML (YAML 1.1) reads these plain words as booleans; the YAML 1.2 tree keeps them text.
_YAML11_BOOL = r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"
_TYPE_NAMES = {"int": "an integer", "float": "a float", "bool": "a boolean", "list": "a list", "tuple": "a list", "None": "None", "CfgNode": "a block of keys"}


def _yacs_type(node: Node) -> str | None:
    """The type yacs sees for a value: PyYAML's, then `literal_eval` for a string; None if unsure."""
    if node.opaque:
        return None
    if isinstance(node, Mapping):
        return "CfgNode"
    if isinstance(node, Sequence):
        return "list"
    if not isinstance(node, Scalar):
        return None
    value = node.value
    if isinstance(value, str):
        if node.style == "plain" and re.match(_YAML11_BOOL, value):
            return "bool"
        if len(value) > 200:
            return None
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return "str"
    if value is None:
        return "None"
    name = type(value).__name__
    return name if name in ("int", "float", "bool", "str", "list", "tuple", "dict") else None


def _mismatch(default: str, written: str) -> bool:
    """yacs `_check_and_coerce_cfg_value_type`: same type, a str default, or list for tuple."""
    if default == "str" or default == written:
        return False
    return not ({default, written} <= {"list", "tuple"})


def _check_types(plan: TrainingPlan, root: Mapping) -> None:
    reported = {id(problem.setting.node) for problem in plan.type_problems}
    for block, keys in _KEYS.items():
        found = (None, root) if not block else lookup(root, block)
        mapping = found[1] if found else None
        if not isinstance(mapping, Mapping):
            continue
        for entry in mapping.entries:
            name = entry.key.value if isinstance(entry.key, Scalar) else None
            default = keys.get(name) if isinstance(name, str) else None
            if default is None or id(entry.value) in reported:
                continue
            written = _yacs_type(entry.value)
            if written is None or not _mismatch(default, written):
                continue
            value = getattr(entry.value, "value", None)
            setting = Setting(value, format_path(entry.value.path), entry.value, entry.key)
            plan.type_problems.append(
                TypeProblem(setting, f"{_TYPE_NAMES[default]}, the type of its default in Swin's config.py: yacs refuses a value of another type (\"Type mismatch\"), so the run stops before training")
            )


def _architecture(plan: TrainingPlan, root: Mapping) -> None:
    """d_model and n_heads of the first stage whose width the heads do not divide (else stage 1)."""
    found = lookup(root, "MODEL.TYPE")
    kind = found[1].value if found and isinstance(found[1], Scalar) else "swin"
    block = _ARCHITECTURES.get(kind) if isinstance(kind, str) else None
    width = lookup(root, f"MODEL.{block}.EMBED_DIM") if block else None
    heads = lookup(root, f"MODEL.{block}.NUM_HEADS") if block else None
    if not (width and heads) or not isinstance(heads[1], Sequence) or not isinstance(width[1], Scalar):
        return
    dim = width[1].value
    if isinstance(dim, bool) or not isinstance(dim, int) or dim <= 0:
        return
    stages = []
    for i, item in enumerate(heads[1].items):
        count = item.value if isinstance(item, Scalar) else None
        if isinstance(count, bool) or not isinstance(count, int):
            return
        stages.append((i, item, count))
    if not stages:
        return
    chosen = next((s for s in stages if s[2] > 0 and (dim * 2 ** s[0]) % s[2]), stages[0])
    i, item, count = chosen
    key = f"MODEL.{block}.EMBED_DIM"
    if i:
        key = f"{key} x {2 ** i} (stage {i + 1} width)"
    plan.settings["d_model"] = Setting(dim * 2**i, key, width[1], width[0])
    plan.settings["n_heads"] = Setting(count, f"MODEL.{block}.NUM_HEADS[{i}]", item, heads[0])


def refine(plan: TrainingPlan, root: Mapping) -> None:
    optimizer = plan.settings.get("optimizer")
    if optimizer is not None and str(optimizer.value).lower() not in _OPTIMIZERS:
        del plan.settings["optimizer"]
    _architecture(plan, root)
    _check_types(plan, root)


DIALECT = Dialect(
    name="swin",
    title="Swin Transformer YAML (yacs)",
    markers={
        "MODEL.SWIN": 3,
        "MODEL.SWINV2": 3,
        "MODEL.SWIN_MOE": 3,
        "MODEL.SWIN_MLP": 3,
        "MODEL.TYPE": 1,
        "TRAIN.WARMUP_EPOCHS": 1,
        "TRAIN.BASE_LR": 1,
        "_BASE_": -10,
        "SOLVER": -10,
    },
    threshold=3,
    fields={
        "epochs": ("TRAIN.EPOCHS",),
        "warmup_epochs": ("TRAIN.WARMUP_EPOCHS",),
        "weight_decay": ("TRAIN.WEIGHT_DECAY",),
        "gradient_accumulation_steps": ("TRAIN.ACCUMULATION_STEPS",),
        "batch_size": ("DATA.BATCH_SIZE",),
        "optimizer": ("TRAIN.OPTIMIZER.NAME",),
        "betas": ("TRAIN.OPTIMIZER.BETAS",),
        "eps": ("TRAIN.OPTIMIZER.EPS",),
        "scheduler": ("TRAIN.LR_SCHEDULER.NAME",),
        "dropout": ("MODEL.DROP_RATE",),
        "label_smoothing": ("MODEL.LABEL_SMOOTHING",),
    },
    rounding="epoch-floor",
    default_optimizer="adamw",
    refine=refine,
    loader="yacs",
    not_generic=(
        "TRAIN.BASE_LR",
        "TRAIN.WARMUP_LR",
        "TRAIN.MIN_LR",
        "TRAIN.CLIP_GRAD",
        "MODEL.DROP_PATH_RATE",
        "SAVE_FREQ",
        "PRINT_FREQ",
    ),
    accepts=ACCEPTS,
    doc=__doc__,
)
