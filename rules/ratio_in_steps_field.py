"""A fraction below 1 written in a warmup *steps* field.

Why: `warmup_steps: 0.1` was meant as "10 % of the run", but steps fields count steps:
most frameworks truncate it to 0 steps and the run has no warmup at all (transformers 5 alone
reads a float below 1 there as a ratio). Write the share in `warmup_ratio`, or the steps as a
whole number.

Fix (unsafe): rename the key to its ratio form (`warmup_steps` -> `warmup_ratio`) when that key is not
already set.

Fails:

```yaml
base_model: meta-llama/Llama-3.2-1B
micro_batch_size: 2
sequence_len: 2048
num_epochs: 1
warmup_steps: 0.1
```

Passes:

```yaml
base_model: meta-llama/Llama-3.2-1B
micro_batch_size: 2
sequence_len: 2048
num_epochs: 1
warmup_ratio: 0.1
```
"""

from cfglint.document import Mapping
from cfglint.finding import Severity
from cfglint.fixes import Applicability, rename_key
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    (warmup,) = ctx.settings("warmup_steps")
    if warmup is not None and 0 < warmup.value < 1:
        parent, _ = ctx.document.node_at(warmup.node.path[:-1])
        ratio_name = str(warmup.name).replace("steps", "ratio")
        fix = None
        if ratio_name != warmup.name and isinstance(parent, Mapping) and parent.get(ratio_name) is None and warmup.key_node is not None:
            fix = rename_key(ctx.document, warmup.key_node, ratio_name, f"rename {warmup.name} to {ratio_name}", Applicability.UNSAFE)
        yield at_setting(
            warmup,
            f"{warmup} is a fraction in a steps field: it counts optimizer steps, so most frameworks train with "
            f"0 warmup steps; write warmup_ratio: {warmup.value:g} instead, or a whole number of steps",
            fix=fix,
        )


RULE = Rule("T004", "ratio-in-steps-field", Severity.ERROR, "A fraction below 1 in a warmup steps field.", check, __doc__)
