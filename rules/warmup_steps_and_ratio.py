"""Both warmup_steps and warmup_ratio are set.

Why: only one of them is used, and which one depends on the framework: the Hugging Face Trainer
(and axolotl, which uses it) takes warmup_steps whenever it is above 0 and ignores the ratio.
A reader who tunes the ratio changes nothing.

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

# Dialects whose training loop is known to prefer warmup_steps over warmup_ratio.
STEPS_WIN = {"huggingface": "the Hugging Face Trainer", "axolotl": "axolotl (through the Hugging Face Trainer)"}


def check(ctx: RuleContext):
    steps, ratio = ctx.settings("warmup_steps", "warmup_ratio")
    if not (steps and ratio and steps.value > 0 and ratio.value > 0):
        return
    framework = STEPS_WIN.get(ctx.plan.dialect)
    if framework:
        used = f"{framework} uses {steps.key} and ignores {ratio.key}"
    else:
        used = "which one is used depends on the training code (most use warmup_steps when it is above 0)"
    yield at_setting(ratio, f"{steps} and {ratio} are both set: {used}; keep one of them", steps)


RULE = Rule("T005", "warmup-steps-and-ratio", Severity.WARNING, "Both warmup_steps and warmup_ratio are set.", check, __doc__)
