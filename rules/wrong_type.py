"""A value of the wrong type, such as a number written as a string.

Why: `learning_rate: "0.0005"` is text to every loader; the optimizer then fails at start-up or,
worse, a script does `float(cfg.get("lr", 1e-3))` on one path and compares strings on another.
YAML 1.1 loaders (PyYAML) also read `5e-4` as a string; write `5.0e-4` for them.

Fix (safe): write the quoted number as a number, keeping its digits where every loader reads them as that number.

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

import re

from cfglint.document import Document, Node, Scalar, to_data
from cfglint.finding import Severity, Violation
from cfglint.fixes import Applicability, Change, Fix, render_value, replace_node
from cfglint.rule import Rule, RuleContext
from cfglint.schema_check import WRONG_TYPE, numeric_text, wrong_type_message

# Digits every YAML and JSON loader reads as this number (a dot in a float, a signed exponent);
# compiled on first use (re caches it), when a fix is built.
_PORTABLE_NUMBER = r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+][0-9]+)?)?$"


def unquote(doc: Document, node: Node, expected: str) -> Fix | None:
    """The number a quoted numeric string was meant to be, keeping the user's digits where they are portable."""
    text = node.value.strip() if isinstance(node, Scalar) and isinstance(node.value, str) else None
    if text is None or node.style == "plain" or not numeric_text(text):
        return None
    value: float | int = float(text)
    if "integer" in expected:
        if not value.is_integer():
            return None
        value = int(value)
    elif "number" not in expected:
        return None
    written = text if re.match(_PORTABLE_NUMBER, text) and ("." in text) == isinstance(value, float) else render_value(doc, node, value)
    edit = replace_node(doc, node, written)
    return Fix(f"write {text} as the number {written}", Applicability.SAFE, (edit,), (Change(node.path, "set", value),))


def check(ctx: RuleContext):
    reported: set[int] = set()
    for issue in ctx.schema_issues:
        if issue.kind == WRONG_TYPE:
            reported.add(issue.node.span.offset)
            yield Violation(issue.node.span, issue.key, issue.message, fix=unquote(ctx.document, issue.node, issue.expected))
    plan = ctx.plan
    for problem in plan.type_problems if plan else ():
        setting = problem.setting
        if setting.node.span.offset in reported:
            continue
        value = setting.node.value if isinstance(setting.node, Scalar) else to_data(setting.node, limit=10_000)
        message = wrong_type_message(setting.key, value, problem.expected)
        yield Violation(setting.node.span, setting.key, message, fix=unquote(ctx.document, setting.node, problem.expected))


RULE = Rule("S002", "wrong-type", Severity.ERROR, "A value of the wrong type, such as a number written as a string.", check, __doc__)
