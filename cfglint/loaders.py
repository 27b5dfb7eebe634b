"""Which YAML loader a training script reads a config with, and what that loader makes of it.

The loader decides what a value is: PyYAML (YAML 1.1) reads `5e-4` as the string "5e-4";
OmegaConf, ruamel and HyperPyYAML read it as a float; yacs reads the file with PyYAML and then
`ast.literal_eval`s every string, so `"0.001"` and `5e-4` both become numbers. A dialect knows
its framework's loader; for a config read generically the loader is named by the `loader`
setting or recognised from what only one loader gives a meaning to, and is PyYAML otherwise, as
in most training loops of one's own.
"""

from __future__ import annotations

from cfglint.document import Document, Mapping, Scalar

PYYAML, OMEGACONF, RUAMEL, YACS, HYPERPYYAML = "pyyaml", "omegaconf", "ruamel", "yacs", "hyperpyyaml"
LOADERS = (PYYAML, OMEGACONF, RUAMEL, YACS, HYPERPYYAML)
# Upper-case top-level blocks are yacs's convention, and also that of EasyDict configs read with
# plain PyYAML (OpenPCDet): which of the two reads the file is not knowable from the file.
YACS_OR_PYYAML = "yacs or pyyaml"

# HyperPyYAML's own tags (SpeechBrain): `!new:torch.optim.Adam`, `!name:...`, `!ref <lr>`, `!apply:...`.
HYPERPYYAML_TAGS = ("!new:", "!name:", "!ref", "!apply:", "!copy", "!include:")


def recognise(doc: Document) -> str:
    """The loader a file's own syntax asks for: OmegaConf's `${...}` or `???`, HyperPyYAML's tags,
    or upper-case top-level blocks (yacs, or EasyDict over PyYAML); PyYAML when nothing says otherwise."""
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
    """Every string that reads as a Python literal reaches the training code as that literal."""
    return loader == YACS


def knows_strings(loader: str) -> bool:
    """Whether a number written as text is known to reach the training code as text or as the number."""
    return loader != YACS_OR_PYYAML
