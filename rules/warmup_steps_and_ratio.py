"""Both warmup_steps and warmup_ratio are set.

Why: only one of them is used, and which one depends on the framework: the Hugging Face Trainer
takes warmup_steps whenever it is above 0 and ignores the ratio, so a reader who tunes the ratio
changes nothing; axolotl refuses a config with both ("Cannot use with warmup_ratio").

Fails:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: cosine
warmup_steps: 100
warmup_ratio: 0.1
```

Passes:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: cosine
warmup_ratio: 0.1
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting

# What each framework does with both, where it is known.
OUTCOME = {
    "huggingface": "the Hugging Face Trainer uses {steps} and ignores {ratio}",
    "axolotl": "axolotl refuses the config at start-up (it accepts only one of them)",
}


def check(ctx: RuleContext):
    steps, ratio = ctx.settings("warmup_steps", "warmup_ratio")
    if not (steps and ratio and steps.value > 0 and ratio.value > 0):
        return
    outcome = OUTCOME.get(ctx.plan.dialect, "which one is used depends on the training code (most use warmup_steps when it is above 0)")
    used = outcome.format(steps=steps.key, ratio=ratio.key)
    yield at_setting(ratio, f"{steps} and {ratio} are both set: {used}; keep one of them", steps)


RULE = Rule("T005", "warmup-steps-and-ratio", Severity.WARNING, "Both warmup_steps and warmup_ratio are set.", check, __doc__)
