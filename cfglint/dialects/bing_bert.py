"""DeepSpeed's bing_bert pre-training JSON: a model config plus training phases per sequence length.

Training settings live under `mixed_seq_training.<sequence length>`; the plan reads the first
phase (128 tokens): `num_epochs`, `learning_rate`, `warmup_proportion` (a ratio) and
`total_training_steps`.
"""

from cfglint.dialects.base import Dialect

DIALECT = Dialect(
    name="bing-bert",
    title="DeepSpeed bing_bert pre-training JSON",
    markers={"bert_model_config": 3, "bert_token_file": 2, "mixed_seq_training": 1},
    threshold=4,
    fields={
        "learning_rate": ("mixed_seq_training.128.learning_rate",),
        "epochs": ("mixed_seq_training.128.num_epochs",),
        "warmup_ratio": ("mixed_seq_training.128.warmup_proportion",),
        "max_steps": ("mixed_seq_training.128.total_training_steps",),
        "dropout": ("bert_model_config.hidden_dropout_prob",),
    },
    loader="json",
    doc=__doc__,
)
