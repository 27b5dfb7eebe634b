"""A defaults list that Hydra cannot compose: an option with no config file, or an entry Hydra refuses.

Why: Hydra composes the run's config from the defaults list when the application starts. An
option whose file does not exist in its group folder (`model: resnet51` beside
`model/resnet50.yaml`) or a malformed entry stops the job right there, after it has been
scheduled and queued; cfglint composes the list without running anything and names the entry.
Mark an option that may be absent `optional` (`- optional local: default`).

Fails:

```yaml file=model/small.yaml
hidden: 128
```

```yaml
defaults:
  - _self_
  - model: big
trainer:
  max_epochs: 10
```

Passes:

```yaml file=model/small.yaml
hidden: 128
```

```yaml
defaults:
  - _self_
  - model: small
trainer:
  max_epochs: 10
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, composition_problems

KINDS = ("missing-option", "bad-defaults")


def check(ctx: RuleContext):
    yield from composition_problems(ctx, KINDS)


RULE = Rule("H001", "missing-config-option", Severity.ERROR, "A defaults list Hydra cannot compose: an option without a file, or a refused entry.", check, __doc__)
