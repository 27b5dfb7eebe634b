"""A stated global batch that is not micro-batch x accumulation x world size.

Why: DeepSpeed asserts `train_batch_size == train_micro_batch_size_per_gpu *
gradient_accumulation_steps * world_size` when the engine starts, after the job has queued and
loaded the model. When the world size is known the check is exact; otherwise the global batch
must at least be a whole multiple of micro-batch x accumulation.

Fails:

```json
{"train_batch_size": 100, "train_micro_batch_size_per_gpu": 8, "gradient_accumulation_steps": 4,
 "zero_optimization": {"stage": 2}}
```

Passes:

```json
{"train_batch_size": 128, "train_micro_batch_size_per_gpu": 8, "gradient_accumulation_steps": 4,
 "zero_optimization": {"stage": 2}}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    global_batch, micro, accumulation, world = ctx.settings("global_batch_size", "batch_size", "gradient_accumulation_steps", "world_size")
    if not (global_batch and micro and accumulation) or micro.value <= 0 or accumulation.value <= 0:
        return
    per_replica = micro.value * accumulation.value
    if world is not None and world.value > 0:
        expected = per_replica * world.value
        if global_batch.value != expected:
            yield at_setting(
                global_batch,
                f"{global_batch} != {micro} x {accumulation} x {world} = {expected}: the engine refuses to start; "
                f"set {global_batch.name} to {expected} or change the others",
                micro,
                accumulation,
                world,
            )
    elif global_batch.value % per_replica:
        yield at_setting(
            global_batch,
            f"{global_batch} is not a multiple of {micro} x {accumulation} = {per_replica}: no whole number of "
            f"replicas gives it, so the engine refuses to start; use a multiple of {per_replica} "
            f"(e.g. {(global_batch.value // per_replica + 1) * per_replica})",
            micro,
            accumulation,
        )


RULE = Rule("B001", "global-batch-mismatch", Severity.ERROR, "The global batch is not micro x accumulation x world size.", check, __doc__)
