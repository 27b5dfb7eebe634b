"""A key that a framework which refuses unknown keys does not define.

Why: some frameworks check every key of a config against their own argument classes and stop
before training when one is unknown (yacs's "Non-existent config key", draccus and dacite in
strict mode). A misspelt key there costs a queued job that fails at start-up. The keys each
framework accepts come from its own argument classes (listed in its dialect module); blocks
the dialect does not list are not checked.

Fix (unsafe): rename the key to the suggestion, when it is a spelling fix (not a change of
unit) and the suggested key is not already set.

Fails:

```yaml
MODEL:
  TYPE: swin
  NAME: swin_tiny_patch4_window7_224
TRAIN:
  EPOCHS: 300
  WARMUP_EPOCHS: 20
  BASE_LR: 0.001
  WEIGHT_DECAYS: 0.05
```

Passes:

```yaml
MODEL:
  TYPE: swin
  NAME: swin_tiny_patch4_window7_224
TRAIN:
  EPOCHS: 300
  WARMUP_EPOCHS: 20
  BASE_LR: 0.001
  WEIGHT_DECAY: 0.05
```
"""

from cfglint.document import Mapping, Scalar, format_path
from cfglint.finding import Severity, Violation
from cfglint.fixes import Applicability, rename_key
from cfglint.plan import lookup
from cfglint.rule import Rule, RuleContext
from cfglint.schema_check import closest, probable_typo


def check(ctx: RuleContext):
    detection = ctx.analysis.detection
    root = ctx.document.mapping
    if detection is None or not detection.dialect.accepts or root is None:
        return
    dialect = detection.dialect
    spell = dialect.key_spelling or str
    for block, accepted in dialect.accepts.items():
        found = lookup(root, block) if block else (None, root)
        mapping = found[1] if found else None
        if not isinstance(mapping, Mapping):
            continue
        where = f"in {block}" if block else "at the top level"
        for entry in mapping.entries:
            name = entry.key.value if isinstance(entry.key, Scalar) else None
            if not isinstance(name, str) or spell(name) in accepted:
                continue
            suggestions = closest(spell(name), sorted(accepted))
            hint = f"; did you mean '{_styled(suggestions[0], name)}'?" if suggestions else "; remove it or check the spelling"
            fix = None
            if suggestions and probable_typo(spell(name), suggestions[0]):
                new = _styled(suggestions[0], name)
                if not any(spell(str(other)) == suggestions[0] for other in mapping.keys()):
                    fix = rename_key(ctx.document, entry.key, new, f"rename to {new}", Applicability.UNSAFE)
            yield Violation(
                entry.key.span,
                format_path(entry.key.path + (name,)),
                f"'{name}' is not a key {dialect.title} defines {where}: it refuses keys it does not know, so the run stops before training{hint}",
                fix=fix,
            )


def _styled(suggestion: str, written: str) -> str:
    """The suggestion spelt as the user spells keys (`train-iters` for a dashed config)."""
    return suggestion.replace("_", "-") if "-" in written and "_" not in written else suggestion


RULE = Rule("S005", "key-not-accepted", Severity.ERROR, "A key that a framework which refuses unknown keys does not define.", check, __doc__)
