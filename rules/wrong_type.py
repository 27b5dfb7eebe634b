"""A value of the wrong type, such as a number written as a string.

Why: `learning_rate: "0.0005"` is text to every loader; the optimizer then fails at start-up or,
worse, a script does `float(cfg.get("lr", 1e-3))` on one path and compares strings on another.
YAML 1.1 loaders (PyYAML) also read `5e-4` as a string; write `5.0e-4` for them.

Fails:

```yaml
seq_len: 96
label_len: 48
pred_len: 24
learning_rate: "0.0005"
```

```json
{"alpha_kd": 0.7, "temperature": "2.0", "kd_top_k": 256}
```

Passes:

```yaml
seq_len: 96
label_len: 48
pred_len: 24
learning_rate: 0.0005
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext
from cfglint.schema_check import WRONG_TYPE, wrong_type_message


def check(ctx: RuleContext):
    reported: set[int] = set()
    for issue in ctx.schema_issues:
        if issue.kind == WRONG_TYPE:
            reported.add(issue.node.span.offset)
            yield Violation(issue.node.span, issue.key, issue.message)
    plan = ctx.plan
    for problem in plan.type_problems if plan else ():
        setting = problem.setting
        if setting.node.span.offset in reported:
            continue
        value = getattr(setting.node, "value", None)
        message = wrong_type_message(setting.key, value if value is not None else "?", problem.expected)
        yield Violation(setting.node.span, setting.key, message)


RULE = Rule("S002", "wrong-type", Severity.ERROR, "A value of the wrong type, such as a number written as a string.", check, __doc__)
