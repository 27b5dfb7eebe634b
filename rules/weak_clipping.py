"""Gradient clipping disabled, or at 10 or more, with an Adam learning rate of 1e-3 or more.

Why: the structure learner in the incident reports clipped at max_norm 10 with Adam at 1e-3;
its raw gradient norms reached 46,000 and the weights went to NaN before the clip ever mattered.
At this learning rate a clip of 1.0 (the common default) contains early explosions; a clip of 0
disables clipping altogether. An explicit 0 is not reported where it is the framework's own
default (DeepSpeed's `gradient_clipping: 0`): there it states the usual practice, not a change.

Fix (unsafe): clip at 1.0, as the structure learner's fix did.

Fails:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
optimizer:
  name: Adam
  lr: 0.001
grad_clip: 10.0
```

Passes:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
optimizer:
  name: Adam
  lr: 0.001
grad_clip: 1.0
```
"""

from cfglint.finding import Severity
from cfglint.fixes import Applicability, set_value
from cfglint.rule import Rule, RuleContext, at_setting

LOOSE = 10.0
FAST = 1e-3


def check(ctx: RuleContext):
    clip, lr = ctx.settings("clip_grad_norm", "learning_rate")
    family, name = ctx.optimizer_family()
    if clip is None or lr is None or family not in ("adam", "adamw") or lr.value < FAST:
        return
    if clip.value == 0:
        if ctx.analysis.detection.dialect.default_clip == 0:
            return
        state = "disables clipping"
    elif clip.value >= LOOSE:
        state = "hardly ever clips"
    else:
        return
    yield at_setting(
        clip,
        f"{clip} {state} while {name} runs at {lr}: an early gradient explosion goes straight into the weights; "
        "clip at about 1.0 and let `cfglint probe` measure the real gradient norms",
        lr,
        fix=set_value(ctx.document, clip.node, 1.0, "clip gradients at 1.0", Applicability.UNSAFE),
    )


RULE = Rule("O004", "weak-clipping", Severity.WARNING, "Clipping disabled or loose with a fast Adam learning rate.", check, __doc__)
