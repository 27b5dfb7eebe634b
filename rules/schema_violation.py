"""The config breaks a rule of the JSON Schema chosen for it.

Why: teams keep their own JSON Schemas for configs; check-jsonschema reports their errors
without a line number. cfglint reports each at the key or value it concerns. A schema is
chosen per glob in the settings (`schemas`), by a `$schema` key, or by a
`# yaml-language-server: $schema=...` modeline naming a local file.

Fails:

```json file=team.schema.json
{"type": "object", "properties": {"epochs": {"type": "integer", "maximum": 100}}}
```

```yaml
# yaml-language-server: $schema=team.schema.json
epochs: 500
```

Passes:

```json file=team.schema.json
{"type": "object", "properties": {"epochs": {"type": "integer", "maximum": 100}}}
```

```yaml
# yaml-language-server: $schema=team.schema.json
epochs: 50
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext
from cfglint.schema_check import VIOLATION


def check(ctx: RuleContext):
    for issue in ctx.schema_issues:
        if issue.kind == VIOLATION:
            yield Violation(issue.node.span, issue.key or None, issue.message)


RULE = Rule("S004", "schema-violation", Severity.ERROR, "The config breaks a rule of the JSON Schema chosen for it.", check, __doc__)
