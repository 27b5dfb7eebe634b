"""mdistiller YAML (yacs): upper-case `SOLVER`, `DISTILLER`, `DATASET` blocks.

yacs reads the file with PyYAML and type-checks it against its defaults, so `5e-4` (a string to
PyYAML) fails there. Epoch-based SGD schedules (`LR_DECAY_STAGES`). Method loss weights
(`CE_WEIGHT`, `BETA`) are paper settings and are not read as a mixture.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="mdistiller",
    title="mdistiller knowledge-distillation YAML (yacs)",
    markers={"DISTILLER": 3, "SOLVER": 2, "SOLVER.LR": 1, "EXPERIMENT": 1},
    threshold=4,
    fields={
        "optimizer": ("SOLVER.TYPE",),
        "learning_rate": ("SOLVER.LR",),
        "weight_decay": ("SOLVER.WEIGHT_DECAY",),
        "epochs": ("SOLVER.EPOCHS",),
        "batch_size": ("SOLVER.BATCH_SIZE",),
        "temperature": ("KD.TEMPERATURE",),
    },
    default_optimizer="SGD",
    yaml_1_1_loader=True,
    doc=__doc__,
)
