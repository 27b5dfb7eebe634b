"""The model dimension is not divisible by the number of attention heads.

Why: multi-head attention splits d_model evenly across heads; PyTorch's nn.MultiheadAttention
raises "embed_dim must be divisible by num_heads" when the model is built, which in a sweep or
a queued job is hours after submission.

Fails:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
d_model: 416
n_heads: 6
```

Passes:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
d_model: 416
n_heads: 8
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    heads, model = ctx.settings("n_heads", "d_model")
    if not (heads and model) or heads.value <= 0 or model.value % heads.value == 0:
        return
    divisors = [n for n in range(1, min(model.value, 64) + 1) if model.value % n == 0]
    yield at_setting(
        heads,
        f"{model} is not divisible by {heads}: attention gives each head d_model / n_heads "
        f"({model.value / heads.value:.2f}) dimensions; choose n_heads from {', '.join(map(str, divisors))}",
        model,
    )


RULE = Rule("M002", "heads-do-not-divide-model-dim", Severity.ERROR, "d_model is not divisible by n_heads.", check, __doc__)
