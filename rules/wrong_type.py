"""A value of the wrong type, such as a number written as a string.

Why: `learning_rate: "0.0005"` is text to every loader; the optimizer then fails at start-up or,
worse, a script does `float(cfg.get("lr", 1e-3))` on one path and compares strings on another.
YAML 1.1 loaders (PyYAML) also read `5e-4` as a string; write `5.0e-4` for them. Values are
read as the config's loader reads them: under PyYAML's resolvers (PyYAML, OmegaConf, yacs)
`fp16: yes` is true and `010` is 8, while `096` is text; under YAML 1.2 loaders (ruamel,
HyperPyYAML) `yes` is text and `010` is 10.

Digits with a leading zero that PyYAML's resolvers read as octal (`epochs: 010` is 8, and 10
to YAML 1.2 loaders) are a warning: the value read is not what the digits say. Which was meant
is the user's choice, so that fix is only shown, with both numbers.

Fix (safe): write the quoted number as a number in the user's digits, spelt as the file's loader
reads it: `3.0e-5` for PyYAML (a dot and a signed exponent), `3e-5` kept for OmegaConf, JSON
and TOML; leading zeros, `+` and `_` dropped. Unsafe when the number underflows to 0.0 or is an
integer past 2**53 (a float rounds it); only shown when no number can be written (`1e400`
overflows, `nan`, an integer past TOML's 64 bits). The message names the spelling the fix writes.

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

import math
import re

from cfglint import loaders
from cfglint.document import Document, Node, Scalar, to_data
from cfglint.finding import Severity, Violation
from cfglint.fixes import Applicability, Change, Fix, replace_node
from cfglint.loaders import TITLES
from cfglint.rule import Rule, RuleContext
from cfglint.rules.yaml11_float import yaml11_spelling
from cfglint.schema_check import WRONG_TYPE, describe_value, numeric_text, wrong_type_message

# A decimal number as a user writes one: sign, whole digits, an optional fraction, an optional
# exponent. Compiled on first use (re caches it), when a quoted number is found.
_NUMBER = r"^([-+]?)([0-9][0-9_]*|)(\.([0-9][0-9_]*|))?(?:([eE])([-+]?)([0-9]+))?$"
# Beyond 2**53 a 64-bit float no longer holds every integer: code that reads one as a float rounds it.
_FLOAT_EXACT = 2**53


class Spelling:
    """How S002 writes a quoted number: the text (None when no number can be written), the value
    the file's loader then reads, how safe that is, and why it is not safe."""

    __slots__ = ("text", "value", "applicability", "reason")

    def __init__(self, text: str | None, value, applicability: Applicability, reason: str | None = None) -> None:
        self.text, self.value, self.applicability, self.reason = text, value, applicability, reason


def spelling(text: str, expected: str, doc: Document, loader: str | None) -> Spelling | None:
    """The number a quoted numeric string was meant to be, in the user's digits, spelt so that the
    file's loader reads exactly that number: PyYAML needs a dot and a signed exponent (`3e-5` is
    written `3.0e-5`); JSON, TOML and YAML 1.2 loaders take `3e-5` as it is. Leading zeros, a `+`
    and `_` go (JSON has none of them; PyYAML reads `010` as octal). A number that overflows, is
    not finite, underflows to zero or is an integer past a float's exact range is never safe."""
    try:
        number = float(text)
    except ValueError:
        return None
    match = re.match(_NUMBER, text)
    if match is None:
        return Spelling(None, number, Applicability.DISPLAY, f"{text} is not a finite number") if not math.isfinite(number) else None
    sign, whole, dot, fraction, e, exponent_sign, exponent = match.groups()
    whole, fraction = whole.replace("_", ""), (fraction or "").replace("_", "")
    if not whole and not fraction:
        return None
    from decimal import Decimal  # only for a quoted number: not on every check's start-up path

    exact = Decimal(f"{sign}{whole or '0'}.{fraction or '0'}{e or ''}{exponent_sign or ''}{exponent or ''}")
    integral = dot is None and e is None
    if "integer" in expected:
        if exact != exact.to_integral_value():
            return None
        integral = True
    elif "number" not in expected:
        return None
    if integral:
        value = int(exact)
        if doc.format == "toml" and not -(2**63) <= value < 2**63:
            return Spelling(None, value, Applicability.DISPLAY, f"{text} is past TOML's 64-bit integers")
        if abs(value) > _FLOAT_EXACT:
            try:
                rounded = f"{float(value)!r}"
            except OverflowError:
                rounded = "infinity"
            reason = f"{value} is past 2**53, where 64-bit floats skip integers: read as a float it is {rounded}"
            return Spelling(str(value), value, Applicability.UNSAFE, reason)
        return Spelling(str(value), value, Applicability.SAFE)
    value = float(exact)
    if not math.isfinite(value):
        return Spelling(None, value, Applicability.DISPLAY, f"{text} is past a 64-bit float's range (it reads as infinity)")
    pyyaml = doc.format == "yaml" and loader in (loaders.PYYAML, loaders.YACS_OR_PYYAML)
    written = ("-" if sign == "-" else "") + (whole.lstrip("0") or "0")
    if dot is not None:
        written += "." + (fraction or "0")
    if e is not None:
        written += e + (exponent_sign or "") + exponent
        if pyyaml:
            written = yaml11_spelling(written) or written  # Y001's respelling: a dot and a signed exponent
    if value == 0 and exact != 0:
        return Spelling(written, value, Applicability.UNSAFE, f"{text} is below a 64-bit float's smallest number: it reads as 0.0")
    return Spelling(written, value, Applicability.SAFE)


def _loader(ctx: RuleContext) -> str | None:
    detection = ctx.analysis.detection
    return loaders.of_file(detection.dialect.loader, ctx.document) if detection is not None else None


def number_message(key: str, value, expected: str, spelt: Spelling | None) -> str:
    """S002's message for a quoted number; the spelling it names is the one the fix writes (none
    for a number of the wrong kind, such as "0.5" for an integer)."""
    message = f"{key} is {describe_value(value)}, expected {expected}"
    if spelt is None:
        return message
    message += ": a training script reads it as text"
    if spelt.text is None:
        return f"{message}, and {spelt.reason}"
    how = f"without quotes ({spelt.text})" if spelt.text == value.strip() else f"as {spelt.text}"
    return f"{message}; write it {how}" + (f", though {spelt.reason}" if spelt.reason else "")


def unquote(doc: Document, node: Node, spelt: Spelling | None) -> Fix | None:
    """The fix that writes a quoted number as the number `spelt` names."""
    if spelt is None:
        return None
    text = node.value.strip()
    if spelt.text is None:
        return Fix(f"no number to write: {spelt.reason}", Applicability.DISPLAY, ())
    description = f"write {text} as the number {spelt.text}" + (f" ({spelt.reason})" if spelt.reason else "")
    return Fix(description, spelt.applicability, (replace_node(doc, node, spelt.text),), (Change(node.path, "set", spelt.value),))


def _quoted(node: Node) -> bool:
    return isinstance(node, Scalar) and node.style != "plain" and numeric_text(node.value)


def check(ctx: RuleContext):
    reported: set[int] = set()
    for issue in ctx.schema_issues:
        if issue.kind == WRONG_TYPE:
            reported.add(issue.node.span.offset)
            if _quoted(issue.node):
                spelt = spelling(issue.node.value.strip(), issue.expected, ctx.document, _loader(ctx))
                message = number_message(issue.key or "the document", issue.node.value, issue.expected, spelt)
                yield Violation(issue.node.span, issue.key, message, fix=unquote(ctx.document, issue.node, spelt))
            else:
                yield Violation(issue.node.span, issue.key, issue.message)
    plan = ctx.plan
    for problem in plan.type_problems if plan else ():
        setting = problem.setting
        if setting.node.span.offset in reported:
            continue
        value = to_data(setting.node, limit=10_000)
        if isinstance(setting.node, Scalar) and setting.value is not None:
            value = setting.value  # as the loader reads the node (cfglint.loaders.read_values)
        plain = _plain_number(ctx, setting, problem.expected)
        if plain is not None:
            yield Violation(setting.node.span, setting.key, plain[0], fix=plain[1])
        elif _quoted(setting.node):
            spelt = spelling(setting.node.value.strip(), problem.expected, ctx.document, _loader(ctx))
            yield Violation(setting.node.span, setting.key, number_message(setting.key, value, problem.expected, spelt), fix=unquote(ctx.document, setting.node, spelt))
        else:
            yield Violation(setting.node.span, setting.key, wrong_type_message(setting.key, value, problem.expected))
    yield from octal(ctx)


def _plain_number(ctx: RuleContext, setting, expected: str) -> tuple[str, Fix] | None:
    """Unquoted digits that the config's loader reads as text: `096` under PyYAML's YAML 1.1
    (a leading zero means octal, and 9 is no octal digit). Writing 96 is safe: it is what the
    digits say, and what YAML 1.2 loaders already read."""
    text, detection = setting.value, ctx.analysis.detection
    if not (isinstance(setting.node, Scalar) and setting.node.style == "plain" and isinstance(text, str) and detection):
        return None
    digits = text.replace("_", "")
    if not re.match(r"^[-+]?0[0-9]+$", digits):
        return None
    number = int(digits)
    why = "YAML 1.1 reads a leading zero as octal, and a digit past 7 leaves it text"
    message = f"{setting.key} is the string {text!r} to {TITLES[detection.dialect.loader]} ({why}), expected {expected}; write {number}"
    edit = replace_node(ctx.document, setting.node, str(number))
    return message, Fix(f"write {text} as {number}", Applicability.SAFE, (edit,), (Change(setting.node.path, "set", number),))


def octal(ctx: RuleContext):
    """Digits with a leading zero (`epochs: 010`) that PyYAML's resolvers read as octal (8) and
    YAML 1.2 loaders as decimal (10): a warning, since the value the loader reads is not what the
    digits say. Which of the two was meant is the user's choice, so the fix is only shown."""
    plan, doc, loader = ctx.plan, ctx.document, _loader(ctx)
    if plan is None or doc.format != "yaml" or loader not in loaders.YAML_1_1_RESOLVERS:
        return
    for setting in plan.every_setting():
        node = setting.node
        if node.__class__ is not Scalar or node.value.__class__ is not int or node.style != "plain" or node.tag is not None:
            continue  # only an integer can have been written with a leading zero
        text = doc.text_at(node.span)
        if not re.match(r"^[-+]?0[0-7_]+$", text):
            continue
        digits = text.replace("_", "")
        read, meant = int(digits, 8), int(digits)
        if read == meant:
            continue  # 00 to 07: the same number either way
        title = TITLES[loader]
        yield Violation(
            node.span,
            setting.key,
            f"{setting.key}: {text} is {read} to {title} (YAML 1.1 reads a leading zero as octal) but {meant} to YAML 1.2 loaders; write {read} or {meant}",
            severity=Severity.WARNING,
            fix=Fix(f"write {read} (what {title} reads now) or {meant} (what the digits say)", Applicability.DISPLAY, ()),
        )


RULE = Rule("S002", "wrong-type", Severity.ERROR, "A value of the wrong type, such as a number written as a string.", check, __doc__)
