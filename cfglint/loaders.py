"""Which loader a training script reads a config with, and what that loader makes of it.

The loader decides what a value is, and whether the file loads at all:

| loader | `5e-4` | `"0.001"` | duplicate key | who uses it |
|---|---|---|---|---|
| pyyaml | the string "5e-4" (YAML 1.1) | a string | last value wins | hand-written loops, HfArgumentParser, accelerate |
| omegaconf | a float | a string | the file is refused | Hydra, torchtune, NeMo, fairseq, Composer |
| ruamel | a float (YAML 1.2) | a string | the file is refused | |
| hyperpyyaml | a float (ruamel) | a string | the file is refused | SpeechBrain |
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

from cfglint.document import Document, Mapping, Scalar

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
