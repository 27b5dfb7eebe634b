"""A `# cfglint: disable=...` comment that silences nothing.

Why: a suppression outlives the problem it was written for; left in place it silently hides the
next real problem on that line. A suppression naming a code that does not exist is a typo that
silences nothing at all.

Fails:

```yaml
learning_rate: 0.001  # cfglint: disable=S003
```

Passes:

```yaml
learning_rate: 0.001
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    for unused in ctx.analysis.unused_suppressions:
        yield Violation(unused.span, None, unused.reason)


RULE = Rule(
    "C001",
    "unused-suppression",
    Severity.WARNING,
    "A suppression comment that silences nothing.",
    check,
    __doc__,
    after_suppressions=True,
)
