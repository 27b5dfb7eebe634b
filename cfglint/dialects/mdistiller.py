"""mdistiller YAML (yacs): upper-case `SOLVER`, `DISTILLER`, `DATASET` blocks.

yacs reads the file with PyYAML, then `ast.literal_eval`s every string and type-checks it against
its defaults, so `5e-4` and `"0.001"` reach the training code as numbers. Epoch-based SGD
schedules (`LR_DECAY_STAGES`). Method loss weights (`CE_WEIGHT`, `BETA`) are paper settings and
are not read as a mixture.
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
    loader="yacs",  # yacs literal_evals every string: "0.001" and 5e-4 are numbers
    doc=__doc__,
)
