"""The knowledge-distillation "emergency-fix" config (seed 003)."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from cfglint.models import StrictModel


class SchedulerBlock(StrictModel):
    """The learning-rate scheduler; its lengths count optimizer steps, not micro-batches."""

    type: Optional[str] = Field(None, description="cosine, linear, constant_with_warmup, ...")
    warmup_ratio: Optional[float] = None
    warmup_steps: Optional[int] = None
    num_training_steps: Optional[int] = Field(None, description="Optimizer steps: micro-batches / gradient_accumulation_steps.")
    min_lr: Optional[float] = None
    num_cycles: Optional[float] = None


class EvalBlock(StrictModel):
    eval_steps: Optional[int] = None
    batch_size: Optional[int] = None
    kd_top_k: Optional[int] = Field(None, description="KD top-k used when scoring; should match training.")
    max_samples: Optional[int] = None
    use_kd_top_k: Optional[bool] = Field(None, description="Score KD on the same top-k subset as training.")
    strategy: Optional[str] = None


class DistillationConfig(StrictModel):
    """A student trained from a teacher with weighted KD, feature and attention losses."""

    teacher_model: Optional[str] = None
    student_model: Optional[str] = None
    dataset: Optional[str] = None
    output_dir: Optional[str] = None
    seed: Optional[int] = None
    max_length: Optional[int] = Field(None, description="Tokens per sequence.")
    # optimisation
    optimizer: Optional[str] = None
    learning_rate: Optional[float] = None
    num_epochs: Optional[float] = None
    max_steps: Optional[int] = None
    batch_size: Optional[int] = Field(None, description="Micro-batch size.")
    steps_per_epoch: Optional[int] = Field(None, description="Micro-batches per epoch.")
    num_train_samples: Optional[int] = None
    gradient_accumulation_steps: Optional[int] = None
    warmup_ratio: Optional[float] = Field(None, description="Share of optimizer steps spent warming up, in [0, 1].")
    warmup_steps: Optional[int] = Field(None, description="Warmup length in optimizer steps.")
    scheduler: Optional[SchedulerBlock] = None
    max_grad_norm: Optional[float] = None
    weight_decay: Optional[float] = None
    adam_epsilon: Optional[float] = None
    fp16: Optional[bool] = None
    bf16: Optional[bool] = None
    dropout: Optional[float] = None
    label_smoothing: Optional[float] = None
    # distillation
    temperature: Optional[float] = Field(None, description="Softmax temperature for KD; above 0.")
    min_temperature: Optional[float] = None
    kd_top_k: Optional[int] = Field(None, description="KD on the teacher's top-k tokens only.")
    alpha_kd: Optional[float] = None
    alpha_lm: Optional[float] = None
    alpha_feature: Optional[float] = None
    alpha_attention: Optional[float] = None
    # evaluation and logging
    eval: Optional[EvalBlock] = None
    logging_steps: Optional[int] = None
    save_steps: Optional[int] = None
