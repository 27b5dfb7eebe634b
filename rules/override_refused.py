"""An override that Hydra refuses for this config.

Why: `trainer.max_epoch=3` (a key the config does not have) makes Hydra stop with "Could not
override 'trainer.max_epoch'"; `+trainer.max_epochs=3` for a key that is there, `~key` for one
that is not, or a group choice for a group the defaults list does not name are refused the same
way, at start-up of the launched job. `cfglint check --override ...` applies the overrides of
a launch command as Hydra does and reports those it would refuse, at the override as typed
(shown as `--override:N:C`, the N-th override).

Fails:

```text file=overrides
trainer.max_epoch=3
```

```yaml
defaults:
  - _self_
trainer:
  max_epochs: 10
```

Passes:

```text file=overrides
trainer.max_epochs=3
```

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
    yield from composition_problems(ctx, ("bad-override",))


RULE = Rule("H002", "override-refused", Severity.ERROR, "An override Hydra refuses for this config.", check, __doc__)
