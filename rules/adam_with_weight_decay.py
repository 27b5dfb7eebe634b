"""Adam (not AdamW) with weight decay.

Why: torch.optim.Adam adds weight decay to the gradient (coupled L2), so Adam's per-parameter
scaling shrinks it for exactly the weights with large gradients; AdamW decays the weights
directly (Loshchilov & Hutter). A config with Adam and weight_decay > 0 almost always meant
AdamW. The forecasting and structure-learning runs in the incident reports used Adam with
weight decay 1e-4. (DeepSpeed's "Adam" runs in AdamW mode and is not reported.)

Fix (unsafe): switch the optimizer to AdamW.

Fails:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
optimizer:
  name: Adam
  lr: 0.0005
  weight_decay: 0.0001
```

Passes:

```yaml
lambda_sparse: 0.0001
lambda_acyclic: 0.00001
optimizer:
  name: AdamW
  lr: 0.0005
  weight_decay: 0.0001
```
"""

from cfglint.finding import Severity
from cfglint.fixes import Applicability, set_value
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    decay, optimizer = ctx.settings("weight_decay", "optimizer")
    family, name = ctx.optimizer_family()
    # Only an optimizer the config names: a dialect's assumed default is too weak a ground here.
    if decay is None or decay.value <= 0 or family != "adam" or optimizer is None:
        return
    yield at_setting(
        decay,
        f"{decay} with {name}: Adam adds weight decay to the gradient (coupled L2), which its adaptive scaling then "
        "weakens for the weights that move most; use AdamW for decoupled weight decay",
        optimizer,
        fix=set_value(ctx.document, optimizer.node, adamw_name(str(optimizer.value)), "switch to AdamW", Applicability.UNSAFE),
    )


def adamw_name(name: str) -> str:
    """`Adam` -> `AdamW`, `torch.optim.Adam` -> `torch.optim.AdamW`, `adam` -> `adamw`."""
    return name + ("w" if name.rsplit(".", 1)[-1].islower() else "W")


RULE = Rule("O001", "adam-with-weight-decay", Severity.WARNING, "Adam (not AdamW) with weight decay.", check, __doc__)
