"""Causal-discovery toolbox configs: gCastle examples (`dataset_params` / `model_params`) and
AVICI experiment configs (`train_n_vars`, `data:` generators).

gCastle reads them with PyYAML, which is why its files write `!!float 1e-8`; the penalty
parameters (`lambda1`, `lambda2`) are algorithm settings, not loss-weight mixtures.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="causal-discovery",
    title="Causal-discovery toolbox config (gCastle, AVICI)",
    markers={"model_params": 2, "dataset_params": 2, "train_n_vars": 3, "test_n_vars": 2, "data.train": 1},
    threshold=3,
    fields={
        "learning_rate": ("model_params.lr", "model_params.learning_rate"),
        "batch_size": ("model_params.batch_size",),
        "epochs": ("model_params.epochs",),
    },
    loader="pyyaml",
    doc=__doc__,
)
