"""The file does not parse as YAML or JSON.

Why: a config that does not load stops the run at start-up at best; at worst a training script
with a fallback (`except: cfg = {}`) trains on defaults. Nothing else can be checked until the
file parses, so this is the only finding such a file gets.

Fails:

```yaml
optimizer: {lr: 0.001, weight_decay: 0.01
epochs: 10
```

```json
{"learning_rate": 0.0003, "num_epochs": 3,}
```

Passes:

```yaml
optimizer: {lr: 0.001, weight_decay: 0.01}
epochs: 10
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    for problem in ctx.document.problems:
        if problem.kind == "syntax":
            yield Violation(problem.span, problem.key, problem.message)


RULE = Rule("D001", "syntax-error", Severity.ERROR, "The file does not parse as YAML or JSON.", check, __doc__)
