"""Part of a Hydra config that cfglint cannot compose without running code, so was not checked.

Why: a linter must not claim to have checked what it did not read. An option found through
`hydra.searchpath` or a `pkg://` package, a group choice written as an interpolation, or a
structured config registered from Python is known only to the running application; cfglint
composes the rest, leaves those values unknown (never guessed) and says so here, at the entry.

Fails:

```yaml
defaults:
  - _self_
  - model: ${oc.env:MODEL}
trainer:
  max_epochs: 10
```

Passes:

```yaml
defaults:
  - _self_
trainer:
  max_epochs: 10
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, composition_problems


def check(ctx: RuleContext):
    yield from composition_problems(ctx, ("not-composed",))


RULE = Rule("H003", "not-composed", Severity.INFO, "Part of a Hydra config that cannot be composed without running code.", check, __doc__)
