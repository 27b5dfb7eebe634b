"""verl (volcengine/verl) PPO/GRPO trainer YAML: `actor_rollout_ref`, `critic`, `algorithm`, `trainer`.

Read from the source at commit b178a3cd56f58b2d502255daba591e92833930a7 (Apache-2.0 licence).

Loading. `verl/trainer/main_ppo.py` composes `verl/trainer/config/ppo_trainer.yaml` (or
`ppo_megatron_trainer.yaml`) with Hydra: OmegaConf reads `1e-6` as a float and refuses a
duplicate key; `${oc.select:...}` values are resolved at run time and stay unknown here.
Marker: the top-level `actor_rollout_ref` block (the fused actor/rollout/reference worker, a
name only verl uses) outweighs the Hydra dialect's markers (`defaults`, `_target_`), which
verl's files also carry. The config-group fragments (`actor/*.yaml`, `critic/*.yaml` with an
`optim:` block, `optim/*.yaml` at the top) are claimed by `lr_warmup_steps_ratio`, verl's own
spelling; there the fragment's optimizer block is read (a critic fragment's is the critic's).

A training step. `RayPPOTrainer.fit` (`verl/trainer/ppo/ray_trainer.py`) counts
`global_steps`: one per batch of `data.train_batch_size` prompts. In each, the actor makes
`ppo_epochs` passes over the batch in mini-batches of `ppo_mini_batch_size` (several optimizer
steps), but its LR scheduler steps once (`fsdp_workers.py` `update_actor`:
`self.actor_lr_scheduler.step()` after `update_policy`). So the plan's steps are global steps:
the schedule, the run's length and the intervals all count them; the batch sizes (prompts,
responses per prompt, mini- and micro-batches) are not the plan's micro x accumulation x world
and are not read.
- Run length: `len(train_dataloader) * trainer.total_epochs`, replaced by
  `trainer.total_training_steps` when that is not null ("overrides"); the trainer injects it
  into each `optim.total_training_steps`, so a value written there is not read.
- Warmup (`fsdp_workers.py`, the FSDP optimizer): `actor_rollout_ref.actor.optim.lr_warmup_steps`
  global steps; when it is negative (the default -1), `int(lr_warmup_steps_ratio x total)`
  ("total-floor"). Megatron (`verl/utils/megatron/optimizer.py`) takes the ratio when the steps
  are <= 0 and multiplies it by `lr_decay_steps` when that is set: then the ratio is not read.
- `optim.lr`, `optim.weight_decay` (default 0.01), `optim.betas`; the scheduler is
  `optim.warmup_style` (deprecated, wins when set) or `optim.lr_scheduler_type` (constant,
  cosine). `optim.optimizer` (default AdamW from `torch.optim`) is read only for the FSDP
  optimizer (`optimizer_impl`, the `FSDPOptimizerConfig` target, or an fsdp strategy): Megatron's
  `adam` decouples weight decay.
- `trainer.test_freq` and `trainer.save_freq` count global steps; 0 or -1 turns them off
  (`test_freq > 0`, `save_freq > 0`); both also run at the last step.
Only the actor's optimizer is the plan's: the critic (`critic.optim`) is another model with
its own rate. Not read: `trainer.critic_warmup` (global steps before the actor is updated, not
a learning-rate warmup), `actor.grad_clip` / `optim.clip_grad` (the legacy and new worker
paths read different keys), `min_lr_ratio` (a ratio), `rollout` blocks (generation).
"""

from __future__ import annotations

from cfglint.dialects.base import Dialect
from cfglint.document import Mapping
from cfglint.plan import TrainingPlan, lookup, scalar_at

ACTOR = "actor_rollout_ref.actor"
OPTIM = f"{ACTOR}.optim"
# The optimizer block of a whole config, of an actor or critic fragment, of an optimizer fragment.
_OPTIM_BLOCKS = (OPTIM, "optim", "")


def _paths(key: str) -> tuple[str, ...]:
    return tuple(f"{block}.{key}" if block else key for block in _OPTIM_BLOCKS)


def _optim_block(root: Mapping) -> str | None:
    """Where the actor's optimizer block is: in a whole trainer config, an actor or critic
    fragment (`actor/actor.yaml`: `optim:`), or an optimizer fragment (`optim/fsdp.yaml`)."""
    for block in _OPTIM_BLOCKS:
        found = lookup(root, block) if block else (None, root)
        if found and isinstance(found[1], Mapping) and found[1].get("lr") is not None:
            return block
    return None


def refine(plan: TrainingPlan, root: Mapping) -> None:
    block = _optim_block(root)
    prefix = f"{block}." if block else ""
    actor = block[: -len(".optim")] if block and block.endswith(".optim") else ("" if block == "optim" else None)
    strategy = scalar_at(root, f"{actor}.strategy" if actor else "strategy") if actor is not None else None
    target = str(scalar_at(root, f"{prefix}_target_") or "")
    megatron = strategy == "megatron" or lookup(root, f"{prefix}lr_decay_style") is not None or "Mcore" in target
    fsdp = not megatron and (
        lookup(root, f"{prefix}optimizer_impl") is not None or target.endswith("FSDPOptimizerConfig") or strategy in ("fsdp", "fsdp2")
    )
    if not fsdp:
        plan.settings.pop("optimizer", None)
    warmup = plan.settings.get("warmup_steps")
    if warmup is not None and (warmup.value < 0 or (megatron and warmup.value <= 0)):
        del plan.settings["warmup_steps"]  # the ratio decides
    if megatron and scalar_at(root, f"{prefix}lr_decay_steps") is not None:
        plan.settings.pop("warmup_ratio", None)  # a share of lr_decay_steps, not of the run


DIALECT = Dialect(
    name="verl",
    title="verl PPO trainer YAML (Hydra)",
    markers={
        "actor_rollout_ref": 10,
        # verl's own spelling, in its actor, critic and optimizer config-group fragments
        "optim.lr_warmup_steps_ratio": 10,
        "lr_warmup_steps_ratio": 10,
        "actor_rollout_ref.actor.ppo_mini_batch_size": 1,
        "algorithm.adv_estimator": 1,
        "trainer.total_epochs": 1,
    },
    threshold=10,
    fields={
        "learning_rate": _paths("lr"),
        "weight_decay": _paths("weight_decay"),
        "betas": _paths("betas"),
        "optimizer": _paths("optimizer"),
        "scheduler": _paths("warmup_style") + _paths("lr_scheduler_type"),
        "warmup_steps": _paths("lr_warmup_steps"),
        "warmup_ratio": _paths("lr_warmup_steps_ratio"),
        "epochs": ("trainer.total_epochs",),
        "max_steps": ("trainer.total_training_steps",),
        "eval_interval": ("trainer.test_freq",),
        "save_interval": ("trainer.save_freq",),
    },
    unset_values={
        **{path: (-1,) for path in _paths("lr_warmup_steps")},
        "trainer.test_freq": (-1, 0),
        "trainer.save_freq": (-1, 0),
    },
    rounding="total-floor",
    max_steps_rule="overrides",
    default_optimizer="AdamW",
    fp32_optimizer_state=True,
    refine=refine,
    loader="omegaconf",
    not_generic=(
        *_paths("clip_grad"),
        *_paths("total_training_steps"),
        f"{OPTIM}.min_lr_ratio",
        f"{OPTIM}.min_lr",
        f"{ACTOR}.grad_clip",
        f"{ACTOR}.ppo_mini_batch_size",
        f"{ACTOR}.ppo_micro_batch_size",
        f"{ACTOR}.ppo_micro_batch_size_per_gpu",
        f"{ACTOR}.ppo_epochs",
        "critic.optim.lr",
        "critic.optim.weight_decay",
        "critic.optim.lr_warmup_steps",
        "critic.optim.lr_warmup_steps_ratio",
        "critic.optim.total_training_steps",
        "critic.optim.clip_grad",
        "critic.optim.betas",
        "critic.grad_clip",
        "critic.ppo_mini_batch_size",
        "critic.ppo_micro_batch_size",
        "critic.ppo_micro_batch_size_per_gpu",
        "critic.ppo_epochs",
        "data.train_batch_size",
        "data.val_batch_size",
        "trainer.critic_warmup",
        "trainer.n_gpus_per_node",
        "trainer.nnodes",
    ),
    doc=__doc__,
)
