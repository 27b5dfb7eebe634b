"""detectron2 YAML (yacs CfgNode): `_BASE_` inheritance, upper-case `MODEL`/`SOLVER` blocks.

Training counts iterations: `SOLVER.MAX_ITER` optimizer steps of `SOLVER.IMS_PER_BATCH` images
(the global batch), with `SOLVER.WARMUP_ITERS` warmup iterations. Read with PyYAML.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="detectron2",
    title="detectron2 YAML (yacs)",
    markers={"_BASE_": 3, "MODEL.META_ARCHITECTURE": 2, "SOLVER.BASE_LR": 2, "SOLVER.IMS_PER_BATCH": 2, "MODEL": 1},
    threshold=3,
    fields={
        "learning_rate": ("SOLVER.BASE_LR",),
        "weight_decay": ("SOLVER.WEIGHT_DECAY",),
        "max_steps": ("SOLVER.MAX_ITER",),
        "warmup_steps": ("SOLVER.WARMUP_ITERS",),
        "global_batch_size": ("SOLVER.IMS_PER_BATCH",),
    },
    default_optimizer="SGD",
    loader="yacs",  # yacs literal_evals every string: "0.001" and 5e-4 are numbers
    doc=__doc__,
)
