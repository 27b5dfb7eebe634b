"""A global batch size that the derived accumulation silently truncates.

Why: litgpt computes accumulation as `global_batch_size // devices // micro_batch_size`; when
that does not divide, the remainder is dropped without a word and every optimizer step sees a
smaller batch than the config says (16 // 3 = 5 micro-batches: 15 samples, not 16), which
also changes the learning rate the batch size was tuned for.

Fails:

```yaml
checkpoint_dir: checkpoints/model
devices: 1
train:
  global_batch_size: 16
  micro_batch_size: 3
```

Passes:

```yaml
checkpoint_dir: checkpoints/model
devices: 1
train:
  global_batch_size: 16
  micro_batch_size: 4
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import derived_accumulation


def check(ctx: RuleContext):
    if ctx.analysis.detection is None or not ctx.analysis.detection.dialect.derives_accumulation:
        return
    global_batch, micro, world_setting, stated = ctx.settings("global_batch_size", "batch_size", "world_size", "gradient_accumulation_steps")
    if stated is not None or global_batch is None or micro is None or micro.value <= 0:
        return
    world = world_setting.value if world_setting and world_setting.value > 0 else 1
    accumulation = derived_accumulation(ctx.plan, world)
    effective = accumulation.value * micro.value * world
    if effective != global_batch.value:
        yield at_setting(
            global_batch,
            f"{global_batch} is not a multiple of {micro}{f' x {world} devices' if world > 1 else ''}: accumulation is "
            f"{accumulation.how}, so each optimizer step sees {effective} samples, not {global_batch.value}; "
            f"use a multiple of {micro.value * world}",
            micro,
            *((world_setting,) if world_setting else ()),
        )


RULE = Rule("B002", "batch-truncated", Severity.WARNING, "A global batch that derived accumulation silently truncates.", check, __doc__)
