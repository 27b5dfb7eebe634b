"""MosaicML Composer / llm-foundry YAML.

Durations are time strings: `max_duration: 2ep` or `1000ba`, `scheduler.t_warmup: 0.02dur` (a
share of the run) or `100ba`; samples (`sp`) and tokens (`tok`) become batches through
`global_train_batch_size` (and `max_seq_len`). A bare number is epochs. A Composer batch is one
optimizer step (micro-batches of `device_train_microbatch_size` are accumulated inside it), so
`ba` counts optimizer steps directly. `variables:` entries referenced as `${variables.x}` are
resolved. llm-foundry loads the YAML with OmegaConf.
"""

import re

from cfglint.dialects.base import Dialect
from cfglint.dialects.durations import BATCHES, SAMPLES, TOKENS, TimeFields
from cfglint.document import Node, Scalar

# Compiled on first use (re caches it): only a duration key needs it.
_TIME = r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(ep|ba|dur|sp|tok)\s*$"
_UNITS = {"ep": "ep", "ba": BATCHES, "dur": "dur", "sp": SAMPLES, "tok": TOKENS}


def parse_time(node: Node) -> tuple[float, str] | None:
    """"2ep" -> (2, "ep"), "100ba" -> (100, "batches"); a bare number is epochs, as Composer reads it."""
    if not isinstance(node, Scalar):
        return None
    if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value), "ep"
    match = re.match(_TIME, node.value) if isinstance(node.value, str) else None
    return (float(match.group(1)), _UNITS[match.group(2)]) if match else None


DIALECT = Dialect(
    name="composer",
    title="MosaicML Composer / llm-foundry YAML",
    markers={"max_duration": 3, "global_train_batch_size": 2, "device_train_microbatch_size": 2, "scheduler.t_warmup": 2, "train_loader": 1, "optimizer.name": 1},
    threshold=4,
    fields={
        "optimizer": ("optimizer.name",),
        "learning_rate": ("optimizer.lr",),
        "weight_decay": ("optimizer.weight_decay",),
        "scheduler": ("scheduler.name",),
        "clip_grad_norm": ("algorithms.gradient_clipping.clipping_threshold",),
        "global_batch_size": ("global_train_batch_size",),
        "batch_size": ("device_train_microbatch_size",),
        "seq_len": ("max_seq_len",),
    },
    refine=TimeFields(
        {
            "max_duration": {"ep": "epochs", BATCHES: "max_steps"},
            "scheduler.t_warmup": {"ep": "warmup_epochs", BATCHES: "warmup_steps", "dur": "warmup_ratio"},
            "eval_interval": {BATCHES: "eval_interval"},
            "save_interval": {BATCHES: "save_interval"},
        },
        parse_time,
        "a time string such as 2ep, 100ba or 0.02dur",
    ),
    fp32_optimizer_state=True,
    loader="omegaconf",
    doc=__doc__,
)
