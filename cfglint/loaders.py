"""Which loader a training script reads a config with, and what that loader makes of it.

The loader decides what a value is, and whether the file loads at all:

| loader | `5e-4` | `"0.001"` | duplicate key | who uses it |
|---|---|---|---|---|
| pyyaml | the string "5e-4" (YAML 1.1) | a string | last value wins | hand-written loops, HfArgumentParser, accelerate |
| omegaconf | a float | a string | the file is refused | Hydra, torchtune, NeMo, fairseq, Composer |
| ruamel | a float (YAML 1.2) | a string | the file is refused | |
| hyperpyyaml | a float (ruamel resolves it first) | a string | the file is refused | SpeechBrain |
| yacs | a float | the number (`literal_eval`) | last value wins | detectron2, Swin, mdistiller |
| argv | a float (`float()`) | the number | last value wins | configs passed as command-line flags (ms-swift) |
| jsonargparse | a float | a float where the type says so | last value wins | Lightning CLI, litgpt |
| pydantic | a float (lax coercion) | a float | last value wins | axolotl |
| toml | a float | a string | the file is refused | torchtitan, kohya sd-scripts |
| json | a float | a string | last value wins | DeepSpeed, JSON TrainingArguments |

A dialect names its framework's loader; for a config read generically the loader is named by
the `loader` setting or recognised from what only one loader gives a meaning to, and is PyYAML
otherwise, as in most training loops of one's own.
"""

from __future__ import annotations

from cfglint.document import Document, Mapping, Node, Scalar
from cfglint.plan import FIELDS, NUMBER, TypeProblem, coerce

PYYAML, OMEGACONF, RUAMEL, YACS, HYPERPYYAML = "pyyaml", "omegaconf", "ruamel", "yacs", "hyperpyyaml"
ARGV, JSONARGPARSE, PYDANTIC, TOML, JSON = "argv", "jsonargparse", "pydantic", "toml", "json"
LOADERS = (PYYAML, OMEGACONF, RUAMEL, YACS, HYPERPYYAML, ARGV, JSONARGPARSE, PYDANTIC, TOML, JSON)
# Upper-case top-level blocks are yacs's convention, and also that of EasyDict configs read with
# plain PyYAML (OpenPCDet): which of the two reads the file is not knowable from the file.
YACS_OR_PYYAML = "yacs or pyyaml"

TITLES = {
    PYYAML: "PyYAML",
    OMEGACONF: "OmegaConf",
    RUAMEL: "ruamel.yaml",
    YACS: "yacs",
    HYPERPYYAML: "HyperPyYAML",
    ARGV: "the command line",
    JSONARGPARSE: "jsonargparse",
    PYDANTIC: "pydantic",
    TOML: "tomllib",
    JSON: "Python's json",
    YACS_OR_PYYAML: "yacs or PyYAML",
}

# HyperPyYAML's own tags (SpeechBrain): `!new:torch.optim.Adam`, `!name:...`, `!ref <lr>`, `!apply:...`.
HYPERPYYAML_TAGS = ("!new:", "!name:", "!ref", "!apply:", "!copy", "!include:")


def recognise(doc: Document) -> str:
    """The loader a file's own syntax asks for: OmegaConf's `${...}` or `???`, HyperPyYAML's tags,
    or upper-case top-level blocks (yacs, or EasyDict over PyYAML); PyYAML when nothing says otherwise."""
    if doc.format != "yaml":
        return TOML if doc.format == "toml" else JSON
    if "${" in doc.text or ("???" in doc.text and any(isinstance(n, Scalar) and n.value == "???" for n in doc.nodes(keys=False))):
        return OMEGACONF
    if "!" in doc.text and any(n.tag and n.tag.startswith(HYPERPYYAML_TAGS) for n in doc.nodes(keys=False)):
        return HYPERPYYAML
    root = doc.mapping
    keys = [key for key in root.keys()] if root is not None else []
    if keys and all(key.isupper() for key in keys) and any(isinstance(root.get(key).value, Mapping) for key in keys):
        return YACS_OR_PYYAML
    return PYYAML


def of_file(loader: str, doc: Document) -> str:
    """The loader that reads this file: a framework that reads YAML with OmegaConf still reads
    its `.json` configs with Python's json (last value wins)."""
    return JSON if doc.format == "json" else loader


def reads_yaml_1_1(loader: str) -> bool:
    """`5e-4` reaches the training code as a string."""
    return loader == PYYAML


def evaluates_strings(loader: str) -> bool:
    """Every string that reads as a number reaches the training code as that number."""
    return loader in (YACS, ARGV)


def knows_strings(loader: str) -> bool:
    """Whether a number written as text is known to reach the training code as text or as the number."""
    return loader != YACS_OR_PYYAML


def refuses_duplicates(loader: str) -> bool:
    """A key written twice stops the file from loading (OmegaConf's "found duplicate key")."""
    return loader in (OMEGACONF, RUAMEL, HYPERPYYAML, TOML)


# Loaders built on PyYAML's resolvers (YAML 1.1): `yes`/`on` are booleans, `010` is octal 8,
# `096` is a string, `1_000` is 1000. ruamel and HyperPyYAML (measured with HyperPyYAML 1.2.3 and
# ruamel.yaml 0.18) follow YAML 1.2, as cfglint's own document does, but also read `1_000` as 1000.
YAML_1_1_RESOLVERS = (PYYAML, OMEGACONF, YACS, JSONARGPARSE, PYDANTIC, ARGV, YACS_OR_PYYAML)
_UNDERSCORED = r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$"
_BOOL_1_1 = {word: value for value, words in ((True, "yes Yes YES on On ON true True TRUE"), (False, "no No NO off Off OFF false False FALSE")) for word in words.split()}
_INT_1_1 = (
    (r"^[-+]?0b[0-1_]+$", 2),
    (r"^[-+]?0x[0-9a-fA-F_]+$", 16),
    (r"^[-+]?0[0-7_]+$", 8),
    (r"^[-+]?(?:0|[1-9][0-9_]*)$", 10),
)
_FLOAT_1_1 = r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$"
EXPONENT_FLOAT = r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"  # a float to OmegaConf; Y001 judges it for PyYAML
_NULL_1_1 = ("~", "null", "Null", "NULL", "")


def yaml_1_1_value(text: str):
    """The value PyYAML's resolvers give a plain scalar (exponent floats as YAML 1.2 reads them)."""
    import re

    if text in _BOOL_1_1:
        return _BOOL_1_1[text]
    if text in _NULL_1_1:
        return None
    for pattern, base in _INT_1_1:
        if re.match(pattern, text):
            sign = -1 if text.startswith("-") else 1
            digits = text.lstrip("+-").replace("_", "")
            if base != 10:
                digits = digits[2:] if base in (2, 16) else digits
            return sign * int(digits or "0", base)
    if re.match(_FLOAT_1_1, text) or re.match(EXPONENT_FLOAT, text):
        return float(text.replace("_", ""))
    return None if text.lower() in (".nan", ".inf") else text  # left as YAML 1.2 read them


def as_loaded(doc: Document, node: Node, loader: str) -> tuple[bool, object]:
    """(whether `loader` reads the plain scalar `node` otherwise than YAML 1.2 does, and what it
    reads): under PyYAML's resolvers `fp16: yes` is true and `epochs: 010` is 8; every YAML
    loader reads `1_000` as 1000. An alias is read where its anchored value is written."""
    import re

    if doc.format != "yaml" or not isinstance(node, Scalar) or node.style != "plain" or node.tag is not None or isinstance(node.value, bool) or node.value is None:
        return False, None  # true, false and null read alike under every YAML loader
    text = doc.text_at(node.written.span)
    if "_" not in text and ":" not in text and not (text.lstrip("+-")[:1] == "0" and text.lstrip("+-")[1:2].isalnum()):
        if not isinstance(node.value, str) or (text not in _BOOL_1_1 and not text[:1].isdigit()):
            return False, None  # the same number or word to every YAML loader
    if loader in YAML_1_1_RESOLVERS:
        value = yaml_1_1_value(text)
        if value is None and node.value is not None:
            return False, None  # .inf, .nan: read alike
    elif "_" in text and re.match(_UNDERSCORED, text):
        digits = text.replace("_", "")
        value = int(digits) if re.match(r"^[-+]?[0-9]+$", digits) else float(digits)
    else:
        return False, None
    return (type(value) is not type(node.value) or value != node.value), value


def read_values(plan, doc: Document, loader: str):
    """Each plan value as the loader reads it (see as_loaded). A value whose kind changes moves
    between the plan's settings and its type problems."""
    if doc.format != "yaml":
        return plan
    for field, setting in list(plan.settings.items()):
        changed, value = as_loaded(doc, setting.node, loader)
        if changed:
            coerced, ok = coerce(setting.node, FIELDS[field], value)
            if ok:
                plan.settings[field] = setting.replace(value=coerced)
            else:
                del plan.settings[field]
                plan.type_problems.append(TypeProblem(setting.replace(value=value), FIELDS[field], field))
    kept = []
    for problem in plan.type_problems:
        changed, value = as_loaded(doc, problem.setting.node, loader)
        kind = FIELDS[problem.field] if problem.field else NUMBER
        coerced, ok = coerce(problem.setting.node, kind, value) if changed else (None, False)
        if ok and problem.field is not None:
            plan.settings.setdefault(problem.field, problem.setting.replace(value=coerced))
        elif not ok:
            kept.append(problem)  # a loss weight of the right kind under this loader is no problem
    plan.type_problems = kept
    return plan
