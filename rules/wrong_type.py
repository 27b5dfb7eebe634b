"""A value of the wrong type, such as a number written as a string.

Why: `learning_rate: "0.0005"` is text to every loader; the optimizer then fails at start-up or,
worse, a script does `float(cfg.get("lr", 1e-3))` on one path and compares strings on another.
YAML 1.1 loaders (PyYAML) also read `5e-4` as a string; write `5.0e-4` for them. Values are
read as the config's loader reads them: under PyYAML's resolvers (PyYAML, OmegaConf, yacs)
`fp16: yes` is true and `010` is 8, while `096` is text; under YAML 1.2 loaders (ruamel,
HyperPyYAML) `yes` is text and `010` is 10.

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
from cfglint.loaders import TITLES
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
        value = to_data(setting.node, limit=10_000)
        if isinstance(setting.node, Scalar) and setting.value is not None:
            value = setting.value  # as the loader reads the node (cfglint.loaders.read_values)
        message = _plain_number(ctx, setting, problem.expected) or wrong_type_message(setting.key, value, problem.expected)
        yield Violation(setting.node.span, setting.key, message, fix=unquote(ctx.document, setting.node, problem.expected))


def _plain_number(ctx: RuleContext, setting, expected: str) -> str | None:
    """Unquoted digits that the config's loader reads as text: `096` under PyYAML's YAML 1.1
    (a leading zero means octal, and 9 is no octal digit)."""
    text, detection = setting.value, ctx.analysis.detection
    if not (isinstance(setting.node, Scalar) and setting.node.style == "plain" and isinstance(text, str) and detection):
        return None
    digits = text.replace("_", "")
    if not re.match(r"^[-+]?[0-9]+$", digits):
        return None
    if digits.lstrip("+-").startswith("0"):
        why = "YAML 1.1 reads a leading zero as octal, and a digit past 7 leaves it text"
    else:
        return None
    return f"{setting.key} is the string {text!r} to {TITLES[detection.dialect.loader]} ({why}), expected {expected}; write {int(digits)}"


RULE = Rule("S002", "wrong-type", Severity.ERROR, "A value of the wrong type, such as a number written as a string.", check, __doc__)
