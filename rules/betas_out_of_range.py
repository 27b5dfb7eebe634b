"""Adam betas outside [0, 1).

Why: beta1 and beta2 are the decay rates of Adam's moving averages; at 1 or above the averages
never forget (or grow without bound), below 0 they oscillate. PyTorch raises "Invalid beta
parameter" only when the optimizer is built; `[0.9, 999]` is a common typo for 0.999.

Fails:

```json
{"train_micro_batch_size_per_gpu": 8, "zero_optimization": {"stage": 2},
 "optimizer": {"type": "AdamW", "params": {"lr": 1e-4, "betas": [0.9, 999]}}}
```

Passes:

```json
{"train_micro_batch_size_per_gpu": 8, "zero_optimization": {"stage": 2},
 "optimizer": {"type": "AdamW", "params": {"lr": 1e-4, "betas": [0.9, 0.999]}}}
```
"""

from cfglint.document import Sequence
from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    (betas,) = ctx.settings("betas")
    if betas is None or not isinstance(betas.node, Sequence):  # a dialect may read betas from a string
        return
    for index, (value, node) in enumerate(zip(betas.value, betas.node.items)):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not 0 <= value < 1:
            yield Violation(
                node.span,
                f"{betas.key}[{index}]",
                f"{betas.key}[{index}] ({value:g}) must be in [0, 1): it is the decay rate of Adam's moving average "
                f"of {'gradients' if index == 0 else 'squared gradients'}; typical values are 0.9 and 0.999",
            )


RULE = Rule("O005", "betas-out-of-range", Severity.WARNING, "Adam betas outside [0, 1).", check, __doc__)
