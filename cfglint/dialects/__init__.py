"""The dialects cfglint reads, and how a config's dialect is chosen.

The registry is an explicit list: adding a dialect means adding its module here.
"""

from __future__ import annotations

import functools

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
from cfglint.dialects.base import Dialect, has_path
from cfglint.document import Document, Mapping
from cfglint.loaders import TOML
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
    found: dict[int, list[tuple[int, str, int]]] = {}
    by_head, by_second, others = _markers(doc.format == "toml")
    present = [m for key in root.keys() for m in by_head.get(key, ()) if len(m[3]) == 1 or has_path(root, m[3])]
    if by_second or others:
        second, third = _keys_below(root)
        present += [m for key in second & by_second.keys() for m in by_second[key]]
        for marker in others:
            parts = marker[3]
            if (parts[2] in third) if parts[:2] == ("*", "*") and len(parts) == 3 else has_path(root, parts):
                present.append(marker)
    for dialect_index, marker_index, marker, _, weight in present:
        found.setdefault(dialect_index, []).append((marker_index, marker, weight))
    best: list[tuple[Dialect, list[str]]] = []
    best_score = 0
    for dialect_index in sorted(found):
        dialect = DIALECTS[dialect_index]
        hits = sorted(found[dialect_index])
        score = sum(weight for _, _, weight in hits)
        if score < dialect.threshold or score < best_score:
            continue
        if score > best_score:
            best, best_score = [], score
        best.append((dialect, [marker for _, marker, _ in hits]))
    if len(best) == 1:
        dialect, evidence = best[0]
        return Detection(dialect, "keys", tuple(evidence)), ()
    return None, tuple(f"{dialect.name} ({best_score}: {', '.join(evidence)})" for dialect, evidence in best)


def _keys_below(root: Mapping) -> tuple[set[str], set[str]]:
    """The keys one and two levels below the top, gathered in one pass for `*.` markers."""
    second: set[str] = set()
    third: set[str] = set()
    for entry in root.entries:
        block = entry.value
        if block.__class__ is Mapping:
            second.update(block.keys())
            for inner in block.entries:
                if inner.value.__class__ is Mapping:
                    third.update(inner.value.keys())
    return second, third


@functools.lru_cache(maxsize=None)
def _markers(toml: bool):
    """The markers of the dialects of TOML files, or of the others, indexed once so that detection
    looks only at the keys a config has: by first key, by second key under any first
    (`*.network_module`), and the rest."""
    by_head: dict[str, list] = {}
    by_second: dict[str, list] = {}
    others = []
    for dialect_index, dialect in enumerate(DIALECTS):
        if (dialect.loader == TOML) != toml:
            continue
        for marker_index, (marker, weight) in enumerate(dialect.markers.items()):
            parts = tuple(marker.split("."))
            entry = (dialect_index, marker_index, marker, parts, weight)
            if parts[0] != "*":
                by_head.setdefault(parts[0], []).append(entry)
            elif len(parts) == 2 and parts[1] != "*":
                by_second.setdefault(parts[1], []).append(entry)
            else:
                others.append(entry)
    return by_head, by_second, others
