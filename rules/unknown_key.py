"""A key that the config's family does not define.

Why: a misspelt key (`lerning_rate`, `warmup_epoch`) is read by nobody: the training script
falls back to its default and the run trains with a value the author never chose. Only checked
in a known family (forecasting, distillation, structure-learning), and only for a probable typo:
a key close to one the family defines, without changing its unit (`warmup_epochs` is not a
misspelt `warmup_steps`) or the loss term it weights (`alpha_ce` is not `alpha_lm`). Other keys
and blocks (`data:`, `model:`, `teacher:`, `logging:`) are the script's own and are allowed.

Option `allow`: key paths (globs) to accept as well, for keys your own code adds.

Fix (unsafe): rename the key to the suggestion when the suggested key is not already set.

Fails:

```yaml
seq_len: 96
label_len: 48
pred_len: 24
lerning_rate: 0.001
```

Passes:

```yaml
seq_len: 96
label_len: 48
pred_len: 24
learning_rate: 0.001
```
"""

from fnmatch import fnmatchcase

from cfglint.document import Mapping
from cfglint.finding import Severity, Violation
from cfglint.fixes import Applicability, rename_key
from cfglint.rule import Rule, RuleContext
from cfglint.schema_check import UNKNOWN_KEY


def check(ctx: RuleContext):
    allowed = ctx.options["allow"]
    for issue in ctx.schema_issues:
        if issue.kind == UNKNOWN_KEY and not any(fnmatchcase(issue.key, pattern) for pattern in allowed):
            fix = None
            parent, _ = ctx.document.node_at(issue.node.path)
            if issue.suggestions and isinstance(parent, Mapping) and parent.get(issue.suggestions[0]) is None:
                fix = rename_key(ctx.document, issue.node, issue.suggestions[0], f"rename to {issue.suggestions[0]}", Applicability.UNSAFE)
            yield Violation(issue.node.span, issue.key, issue.message, fix=fix)


RULE = Rule(
    "S001",
    "unknown-key",
    Severity.WARNING,
    "A key that the config's family does not define.",
    check,
    __doc__,
    options={"allow": []},
)
