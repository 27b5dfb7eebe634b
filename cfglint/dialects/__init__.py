"""The dialects cfglint reads, and how a config's dialect is chosen.

The registry is an explicit list: adding a dialect means adding its module here.
"""

from __future__ import annotations


from cfglint.dialects import (
    accelerate,
    axolotl,
    bing_bert,
    causal_discovery,
    composer,
    deepspeed,
    detectron2,
    dinov2,
    distillation,
    distillkit,
    fairseq,
    forecasting,
    generic,
    gpt_neox,
    huggingface,
    hydra,
    kohya,
    lavis,
    latent_diffusion,
    levanter,
    lightning_cli,
    litgpt,
    llama_factory,
    mdistiller,
    ms_swift,
    nanotron,
    nemo,
    olmo,
    speechbrain,
    structure_learning,
    swin,
    torchdistill,
    torchtitan,
    torchtune,
    verl,
)
from cfglint.dialects.base import Dialect
from cfglint.document import Document
from cfglint.record import Record

DIALECTS: tuple[Dialect, ...] = (
    forecasting.DIALECT,
    distillation.DIALECT,
    structure_learning.DIALECT,
    huggingface.DIALECT,
    deepspeed.DIALECT,
    axolotl.DIALECT,
    torchtune.DIALECT,
    litgpt.DIALECT,
    lightning_cli.DIALECT,
    hydra.DIALECT,
    composer.DIALECT,
    accelerate.DIALECT,
    torchdistill.DIALECT,
    mdistiller.DIALECT,
    dinov2.DIALECT,
    causal_discovery.DIALECT,
    detectron2.DIALECT,
    latent_diffusion.DIALECT,
    bing_bert.DIALECT,
    gpt_neox.DIALECT,
    nanotron.DIALECT,
    levanter.DIALECT,
    fairseq.DIALECT,
    nemo.DIALECT,
    swin.DIALECT,
    lavis.DIALECT,
    verl.DIALECT,
    speechbrain.DIALECT,
    torchtitan.DIALECT,
    torchtitan.CUSTOM,
    torchtitan.LEGACY,
    kohya.DIALECT,
    olmo.DIALECT,
    llama_factory.DIALECT,
    llama_factory.DIALECT_V1,
    ms_swift.DIALECT,
    distillkit.DIALECT,
    generic.DIALECT,
)
BY_NAME = {dialect.name: dialect for dialect in DIALECTS}
FAMILIES = tuple(d.name for d in DIALECTS if d.model is not None)


class Detection(Record):
    """The dialect a file was read as, and the evidence for it (shown by --verbose)."""

    __slots__ = ("dialect", "source", "evidence")

    def __init__(self, dialect: Dialect, source: str, evidence: tuple[str, ...] = ()) -> None:
        self.dialect = dialect
        # How it was chosen: "--family", "settings", "$schema", "modeline", "keys", or "generic"
        # when no dialect claimed the file and the generic reading found training settings.
        self.source = source
        self.evidence = evidence

    def describe(self) -> str:
        if self.source == "generic":
            return "generic (no framework dialect matched; read through the vocabulary of key spellings)"
        if self.source == "keys":
            return f"{self.dialect.name} (from keys: {', '.join(self.evidence)})"
        return f"{self.dialect.name} (from {self.source}{': ' + self.evidence[0] if self.evidence else ''})"


def get(name: str) -> Dialect:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown family {name!r}; known: {', '.join(BY_NAME)}") from None


def detect(doc: Document) -> tuple[Detection | None, tuple[str, ...]]:
    """The dialect whose marker keys score highest, if any reaches its threshold, and the dialects
    tied for the highest score: a tie is no dialect (the generic reading applies), never a guess."""
    root = doc.mapping
    if root is None:
        return None, ()
    best: list[tuple[Dialect, list[str]]] = []
    best_score = 0
    top_keys = frozenset(root.keys())
    for dialect in DIALECTS:
        score, evidence = dialect.score(root, top_keys)
        if score < dialect.threshold or score < best_score:
            continue
        if score > best_score:
            best, best_score = [], score
        best.append((dialect, evidence))
    if len(best) == 1:
        dialect, evidence = best[0]
        return Detection(dialect, "keys", tuple(evidence)), ()
    return None, tuple(f"{dialect.name} ({best_score}: {', '.join(evidence)})" for dialect, evidence in best)
