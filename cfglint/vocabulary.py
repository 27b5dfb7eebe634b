"""The generic reading's vocabulary: the key spellings people use for each training-plan field,
and the block names that give the values inside them a role.

One table, extended in one place. A spelling counts only inside the blocks its Term names: `lr`
means the learning rate at the top, under `optimizer:` or `trainer:`, but nothing under
`generation:`; `factor` is a plateau factor only in a scheduler block of a plateau scheduler. A
spelling whose unit is not in its name (`eval_interval`, `T_max`, a bare `warmup`) is left out on
purpose: a comparison in an unknown unit would be a guess. So is a spelling whose convention
differs (OneCycleLR's `pct_start` is a warmup share, but 0.3 is its default, not a long warmup).
"""

from __future__ import annotations

import functools

from cfglint.record import Record

# The roles a block gives the values inside it ("" is the top level, or blocks that name none).
TOP = ""
OPTIMIZER = "optimizer"
SCHEDULER = "scheduler"
TRAINER = "trainer"
MODEL = "model"
TEACHER = "teacher"
STUDENT = "student"
DATA = "data"
LOSS = "loss"
WEIGHTS = "weights"  # a loss block whose every number is a weight (`loss_weights:`)
DISTILLATION = "distillation"
EVAL = "eval"  # evaluation: feeds only the eval terms below
CHECKPOINT = "checkpoint"
LOGGING = "logging"
NOT_TRAINING = "not-training"  # generation, sampling, inference, ...: feeds no training field

BLOCK_ROLES: dict[str, str] = {}
for _role, _names in {
    OPTIMIZER: "optimizer optimizers optim optimiser opt solver",
    SCHEDULER: "scheduler lr_scheduler sched schedule lr_schedule scheduling lr_scheduling",
    TRAINER: "trainer train training training_arguments fit run optimization",  # fairseq, OpenPCDet: lr and the run's length
    MODEL: "model models network net arch architecture encoder decoder backbone transformer module lm llm head",
    TEACHER: "teacher teacher_model",
    STUDENT: "student student_model",
    DATA: (
        "data dataset datasets dataloader dataloaders data_loader loader train_data train_dataset datamodule data_module train_loader "
        "augmentation augmentations augment aug transforms transform preprocessing"
    ),
    LOSS: "loss losses criterion criteria objective objectives loss_fn loss_function lossconfig",
    WEIGHTS: "loss_weights weights loss_weight loss_coefs loss_coefficients coefficients lambdas loss_scales",
    DISTILLATION: "distillation distill kd knowledge_distillation distiller",
    EVAL: "eval evaluation evaluate validation val valid test testing",
    CHECKPOINT: "checkpoint checkpointing ckpt save saving model_checkpoint checkpointer",
    LOGGING: "logging logger loggers log wandb tensorboard mlflow",
    NOT_TRAINING: (
        "generation generate gen sampling sample sampler inference infer predict prediction decoding decode "
        "beam_search rollout rollouts serving serve deploy deployment export benchmark callbacks early_stopping "
        "earlystopping ema swa hydra defaults slurm launcher cluster resources environment env profiler profiling"
    ),
}.items():
    for _name in _names.split():
        BLOCK_ROLES[_name] = _role

# Endings that do not change what a block is (`optimizer_config`, `train_cfg`, `model_args`).
NAME_SUFFIXES = ("_config", "_configs", "_cfg", "_conf", "_args", "_kwargs", "_params", "_settings", "_options", "_opts", "_hparams", "_spec")

# The keys that name a block's class, from which a block no key name explains gets its role.
CLASS_KEYS = ("_target_", "class_path")
OPTIMIZER_CLASSES = ("adam", "sgd", "lamb", "lars", "lion", "adafactor", "rmsprop", "adagrad", "adadelta", "lbfgs", "sophia", "shampoo", "muon")


# Beginnings that name a block's role whatever follows (`optimizer_g`, `scheduler_d`).
_ROLE_PREFIXES = (("optim_", OPTIMIZER), ("optimizer_", OPTIMIZER), ("scheduler_", SCHEDULER), ("lr_scheduler_", SCHEDULER))

# Endings of a data block named for its split (`train_ds`, `validation_dataset`, `test_loader`).
DATA_SUFFIXES = ("_ds", "_dataset", "_datasets", "_data", "_loader", "_dataloader", "_set")


@functools.lru_cache(maxsize=4096)  # configs repeat their block names across files
def block_role(name: str) -> str | None:
    """The role a block named `name` gives its values, if its name gives one."""
    lowered = name.lower()
    role = BLOCK_ROLES.get(lowered)
    if role is None:
        for suffix in NAME_SUFFIXES:
            if lowered.endswith(suffix) and len(lowered) > len(suffix):
                role = BLOCK_ROLES.get(lowered[: -len(suffix)])
                break
    if role is None:
        for prefix, named in _ROLE_PREFIXES:
            if lowered.startswith(prefix):
                return named  # `optim_g` and `optim_d`: a GAN's two optimizers
        for suffix in DATA_SUFFIXES:
            if lowered.endswith(suffix) and len(lowered) > len(suffix):
                return EVAL if BLOCK_ROLES.get(lowered[: -len(suffix)]) == EVAL else DATA
    return role


# A file named for inference or evaluation (`diar_infer_meeting.yaml`) configures no training run.
NOT_TRAINING_FILE_WORDS = frozenset({"infer", "inference", "eval", "evaluate", "evaluation", "predict", "prediction", "generate", "generation", "decode", "decoding", "sampling", "serve"})
TRAINING_FILE_WORDS = frozenset({"train", "training", "finetune", "pretrain", "fit"})

# Schedulers whose `lr` is a scale factor, not the peak rate (NoamAnnealing: lr x d_model^-0.5 x ...).
SCALE_ONLY_LR_SCHEDULERS = ("noam",)


def class_role(target: str) -> str | None:
    """The role of a block from the class it builds (`torch.optim.lr_scheduler.OneCycleLR`)."""
    lowered = target.lower()
    short = lowered.rsplit(".", 1)[-1]
    if "scheduler" in lowered or short.endswith(("lr", "annealing", "warmup")):
        return SCHEDULER
    if ".optim." in lowered or short.startswith(OPTIMIZER_CLASSES):
        return OPTIMIZER
    return None


# Groups of roles a Term is read in.
RUN = (TOP, TRAINER)
OPTIMIZING = (TOP, TRAINER, OPTIMIZER, MODEL)  # LightningModules often take lr and weight decay
ARCHITECTURE = (TOP, MODEL, TEACHER, STUDENT)

# Conditions a Term may need beyond its block (see cfglint.generic).
NEEDS_DISTILLATION = "distillation"  # the config distils: a teacher, kd_* or alpha_kd keys
NEEDS_PLATEAU = "plateau"  # the scheduler is ReduceLROnPlateau


class Term(Record):
    """Spellings of one plan field, the roles they are read in, and their unit."""

    __slots__ = ("field", "keys", "roles", "unit", "needs", "direct")

    def __init__(self, field: str, keys: str, roles: tuple[str, ...], unit: str | None = None, needs: str | None = None, direct: bool = False) -> None:
        self.field = field
        self.keys = tuple(keys.split())
        self.roles = roles
        # "steps" (optimizer steps), "iterations", "epochs" or "batches": durations compare only in a shared unit.
        self.unit = unit
        self.needs = needs
        # Read only as a direct child of its role's block (`optimizer.type`, not `optimizer.params.type`).
        self.direct = direct


TERMS: tuple[Term, ...] = (
    # optimizer
    Term("optimizer", "optimizer optim optimiser opt optimizer_name optimizer_type", RUN),
    Term("optimizer", "name type _target_ class_path class cls kind algorithm", (OPTIMIZER,), direct=True),
    Term("learning_rate", "lr learning_rate base_lr peak_lr max_lr init_lr initial_lr base_learning_rate lr0", OPTIMIZING),
    Term("min_lr", "min_lr eta_min lr_min min_learning_rate minimum_lr end_lr", OPTIMIZING + (SCHEDULER,)),
    Term("weight_decay", "weight_decay wd weight_decay_rate", OPTIMIZING),
    Term(
        "clip_grad_norm",
        "clip grad_clip clip_grad clip_grad_norm max_grad_norm gradient_clip_val gradient_clipping grad_norm_clip "
        "clip_norm grad_clip_norm clip_gradient gradient_clip_norm",
        OPTIMIZING,
    ),
    Term("clip_grad_norm", "max_norm", (TOP, TRAINER, OPTIMIZER)),
    Term("betas", "betas adam_betas", OPTIMIZING),
    Term("eps", "adam_eps adam_epsilon optimizer_eps", OPTIMIZING),
    Term("eps", "eps epsilon", (OPTIMIZER,)),
    Term("fp16", "fp16 use_fp16", RUN),
    # scheduler
    Term("scheduler", "scheduler lr_scheduler lr_scheduler_type scheduler_type scheduler_name lr_policy lr_schedule sched lr_decay_style decay_style", RUN),
    Term("scheduler", "name type _target_ class_path class kind policy scheduler lr_scheduler", (SCHEDULER,), direct=True),
    Term("scheduler_steps", "num_training_steps total_steps total_num_steps t_total num_steps training_steps max_steps", (SCHEDULER,), unit="steps"),
    Term("plateau_factor", "factor", (SCHEDULER,), needs=NEEDS_PLATEAU),
    Term("plateau_factor", "plateau_factor lr_plateau_factor", RUN + (SCHEDULER,)),
    Term("plateau_patience", "patience", (SCHEDULER,), needs=NEEDS_PLATEAU),
    Term("plateau_patience", "plateau_patience lr_patience scheduler_patience", RUN + (SCHEDULER,)),
    Term("plateau_cooldown", "cooldown", (SCHEDULER,), needs=NEEDS_PLATEAU),
    Term("plateau_cooldown", "plateau_cooldown lr_cooldown", RUN + (SCHEDULER,)),
    # duration
    Term(
        "epochs",
        "epochs num_epochs n_epochs max_epochs train_epochs num_train_epochs total_epochs nepochs n_epoch max_epoch "
        "number_of_epochs num_epoch epoch_num training_epochs",
        RUN,
        unit="epochs",
    ),
    Term("max_steps", "max_steps train_steps num_train_steps total_steps num_steps training_steps max_updates max_update num_updates total_updates", RUN, unit="steps"),
    Term("max_steps", "max_iters max_iter num_iters n_iters iterations num_iterations total_iters total_iter train_iters max_iterations niter n_iterations", RUN, unit="iterations"),
    Term("max_steps_per_epoch", "max_steps_per_epoch", RUN, unit="steps"),
    Term("max_batches_per_epoch", "limit_train_batches max_batches_per_epoch", RUN),  # an int caps the batches; a float is a share
    Term("warmup_epochs", "warmup_epochs warmup_epoch n_warmup_epochs num_warmup_epochs lr_warmup_epochs warm_epochs warmup_ep", OPTIMIZING + (SCHEDULER,), unit="epochs"),
    Term("warmup_steps", "warmup_steps num_warmup_steps warmup_updates lr_warmup_steps n_warmup_steps warmup_num_steps warmup_step", OPTIMIZING + (SCHEDULER,), unit="steps"),
    Term("warmup_steps", "warmup_iters warmup_iterations lr_warmup_iters warmup_iter n_warmup_iters", OPTIMIZING + (SCHEDULER,), unit="iterations"),
    Term("warmup_ratio", "warmup_ratio warmup_proportion warmup_fraction lr_warmup_ratio lr_warmup_fraction warmup_pct warmup_frac", OPTIMIZING + (SCHEDULER,)),
    Term("eval_interval", "eval_steps eval_every_n_steps evaluation_steps eval_interval_steps val_every_n_steps eval_every_steps validate_every_n_steps", RUN + (EVAL,), unit="steps"),
    Term("save_interval", "save_steps save_every_n_steps checkpoint_steps save_interval_steps ckpt_steps checkpoint_every_n_steps save_every_steps", RUN + (CHECKPOINT,), unit="steps"),
    Term("save_interval", "every_n_train_steps interval_steps", (CHECKPOINT,), unit="steps"),
    Term("log_interval", "logging_steps log_every_n_steps log_steps log_every_steps", RUN + (LOGGING,), unit="steps"),
    # batching and data
    Term(
        "batch_size",
        "batch_size micro_batch_size per_device_train_batch_size train_micro_batch_size_per_gpu batch_size_per_gpu "
        "per_gpu_batch_size per_device_batch_size train_batch_size_per_device bs",
        RUN + (DATA,),
    ),
    Term(
        "gradient_accumulation_steps",
        "gradient_accumulation_steps grad_accum grad_accum_steps accumulate_grad_batches accumulation_steps "
        "gradient_accumulation accum_iter accum_steps grad_accumulation_steps accumulate_steps accum_grad "
        "gradient_accumulation_iters grad_acc_steps grad_acc grad_accumulation_factor",
        RUN + (OPTIMIZER,),
    ),
    Term("global_batch_size", "global_batch_size total_batch_size effective_batch_size global_train_batch_size", RUN + (DATA,)),
    Term("world_size", "world_size num_processes", RUN),
    Term("steps_per_epoch", "steps_per_epoch batches_per_epoch num_batches_per_epoch iters_per_epoch iterations_per_epoch", RUN + (DATA,), unit="batches"),
    Term("dataset_size", "dataset_size train_size num_train_samples train_dataset_size num_train_examples n_train_samples num_training_samples", RUN + (DATA,)),
    Term("val_size", "val_size num_val_samples n_val valid_size validation_size num_val_examples", RUN + (DATA,)),
    # regularisation: every dropout key is range-checked, so several may coexist
    Term(
        "dropout",
        "dropout dropout_rate drop_rate p_dropout dropout_prob dropout_p hidden_dropout hidden_dropout_prob "
        "attention_dropout attn_dropout attention_probs_dropout_prob resid_pdrop embd_pdrop attn_pdrop emb_dropout "
        "embedding_dropout residual_dropout ffn_dropout activation_dropout classifier_dropout "
        "attn_drop_rate proj_drop attention_dropout_rate positional_dropout_rate dropout_att dropout_emb dropatt",
        ARCHITECTURE + (TRAINER,),
    ),
    Term("label_smoothing", "label_smoothing label_smoothing_factor label_smooth", RUN + (LOSS,)),
    Term("label_smoothing", "smoothing", (LOSS,)),
    Term("label_smoothing", "lsm_weight", ARCHITECTURE + (LOSS,)),  # ESPnet and WeNet's model_conf
    # distillation
    Term("temperature", "kd_temperature distill_temperature distillation_temperature temperature_kd kd_temp kd_t t_kd", RUN + (LOSS, DISTILLATION)),
    Term("temperature", "temperature temp tau t", (DISTILLATION,)),
    Term("temperature", "temperature", RUN + (LOSS,), needs=NEEDS_DISTILLATION),
    Term("min_temperature", "min_temperature min_temp temperature_min", (DISTILLATION,)),
    Term("min_temperature", "min_temperature", RUN, needs=NEEDS_DISTILLATION),
    Term("kd_top_k", "kd_top_k", RUN + (DISTILLATION,)),
    Term("kd_top_k", "top_k topk", (DISTILLATION,)),
    Term("eval_kd_top_k", "eval_kd_top_k", RUN),
    Term("eval_kd_top_k", "kd_top_k", (EVAL,), needs=NEEDS_DISTILLATION),
    Term("eval_use_kd_top_k", "eval_use_kd_top_k", RUN),
    Term("eval_use_kd_top_k", "use_kd_top_k", (EVAL,), needs=NEEDS_DISTILLATION),
    # model dimensions: read in pairs from one block (see cfglint.generic)
    Term("d_model", "d_model hidden_size hidden_dim n_embd n_embed embed_dim model_dim emb_dim embedding_dim d_hidden", ARCHITECTURE),
    Term("d_model", "dim width", (MODEL, TEACHER, STUDENT)),
    Term("n_heads", "n_heads num_heads num_attention_heads n_head nhead attention_heads num_attn_heads", ARCHITECTURE),
    Term("n_heads", "heads", (MODEL, TEACHER, STUDENT)),
)

# Fields where several keys legitimately coexist (attention and residual dropout): each is checked.
MANY_VALUED = frozenset({"dropout"})
# Fields read as a pair from one block: a width and its heads belong to the same layer.
PAIRED = ("d_model", "n_heads")

# Loss weights. In a WEIGHTS block every number is a weight; in a loss block, and elsewhere in
# training, a key is a weight by its form.
WEIGHT_PREFIXES = ("alpha_", "lambda_")
LOSS_BLOCK_PREFIXES = WEIGHT_PREFIXES + ("w_", "weight_")
LOSS_BLOCK_SUFFIXES = ("_weight", "_coef", "_coeff", "_loss_weight")  # not `_lambda`: `fastemit_lambda` is a loss's own setting
ANYWHERE_SUFFIXES = ("_loss_weight",)
# A key that is the weight of the block it sits in (`losses: {kd: {weight: 0.5}}`).
BLOCK_WEIGHT_KEYS = ("weight", "loss_weight", "coef", "coeff", "lambda", "scale")
# Weights of something other than a loss term (and `pos_*`/`neg_*` weights of samples within one).
NOT_TERM_WEIGHTS = frozenset({"pos_weight", "class_weight", "class_weights", "label_weight", "sample_weight", "sample_weights", "weight_decay", "lsm_weight"})
# Roles in which keys of a weight's form are loss weights.
WEIGHT_ROLES = (TOP, TRAINER, LOSS, WEIGHTS, DISTILLATION)

NOT_TERM_WEIGHT_PREFIXES = ("pos_", "neg_")

# A switch that turns the warmup off (OpenPCDet's `LR_WARMUP: False` beside its `WARMUP_EPOCH`).
WARMUP_SWITCHES = ("lr_warmup", "use_warmup", "warmup", "enable_warmup", "do_warmup", "use_lr_warmup")
WARMUP_FIELDS = ("warmup_epochs", "warmup_steps", "warmup_ratio")

# Keys that show a config distils (a teacher, KD terms): `temperature` then means the KD temperature.
DISTILLATION_MARKS = ("teacher", "distil", "kd_", "_kd")

# Top-level blocks that map keys to lists of values to sweep.
GRID_BLOCKS = ("grid", "grid_search")
