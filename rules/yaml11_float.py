"""A number like `5e-4` that YAML 1.1 loaders read as a string.

Why: YAML 1.2 reads `5e-4` as a float, but PyYAML (YAML 1.1, which most training scripts and
Hugging Face's argument parser use) requires a dot in the mantissa and a sign in the exponent:
it returns the string "5e-4", and the optimizer fails or a comparison silently misbehaves
(LlamaFactory #4014). Writing `5.0e-4` means the same number to every loader. Only reported
for dialects read by PyYAML; OmegaConf, axolotl and litgpt convert such strings themselves. A
config read generically is taken to be loaded by PyYAML, as hand-written training loops most
often are, unless its syntax names another loader (OmegaConf's `${...}`, HyperPyYAML's tags) or
leaves it open (upper-case blocks: yacs or PyYAML), and only the training settings the reading
found are reported; the
`loader` setting (`omegaconf`, `ruamel`, `yacs`, `hyperpyyaml`) names the loader outright.

Fix (safe): respell the number (`5e-4` -> `5.0e-4`); the value is unchanged.

Fails:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: cosine
learning_rate: 5e-4
```

Passes:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 3
lr_scheduler_type: cosine
learning_rate: 5.0e-4
```
"""

import re

from cfglint.document import Scalar, format_path
from cfglint.finding import Severity, Violation
from cfglint.fixes import respell
from cfglint.loaders import reads_yaml_1_1
from cfglint.rule import Rule, RuleContext

# PyYAML's float resolver (YAML 1.1): a dot is required, an exponent needs a sign. Compiled on
# first use (re caches them): only a number with an exponent needs them.
YAML11_FLOAT = r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$"
MANTISSA_EXPONENT = r"^([-+]?)([0-9]*)(?:\.([0-9]*))?[eE]([-+]?)([0-9]+)$"


def yaml11_spelling(text: str) -> str | None:
    """`5e-4` -> `5.0e-4`, `1E4` -> `1.0E+4`: the same number in a form PyYAML reads as a float."""
    match = re.match(MANTISSA_EXPONENT, text) if "e" in text or "E" in text else None
    if match is None:
        return None
    sign, whole, fraction, exponent_sign, exponent = match.groups()
    e = text[len(sign) + len(whole) + (len(fraction) + 1 if fraction is not None else 0)]
    return f"{sign}{whole or '0'}.{fraction or '0'}{e}{exponent_sign or '+'}{exponent}"


def check(ctx: RuleContext):
    detection = ctx.analysis.detection
    doc = ctx.document
    if doc.format != "yaml" or detection is None or not reads_yaml_1_1(detection.dialect.loader):
        return
    if not doc.sources and not re.search(r"[0-9.][eE][-+]?[0-9]", doc.text):
        return  # no number with an exponent anywhere: no node to look at
    nodes = doc.nodes(keys=False)
    if detection.dialect.name == "generic":
        reader = "which a training loop of one's own most likely reads it with (if yours uses OmegaConf or another loader, say so with the `loader` setting)"
        plan = ctx.plan
        nodes = [setting.node for setting in plan.every_setting()] if plan else []
    else:
        reader = "which most training scripts use to read it"
    for node in nodes:
        if isinstance(node, Scalar) and node.style == "plain" and node.tag is None and isinstance(node.value, float):
            text = doc.text_at(node.span)
            spelling = yaml11_spelling(text)
            if spelling is not None and not re.match(YAML11_FLOAT, text):
                key = format_path(node.path)
                yield Violation(
                    node.span,
                    key,
                    f"{key}: {text} is a float in YAML 1.2 but the string {text!r} to PyYAML (YAML 1.1), {reader}; write {spelling}",
                    fix=respell(doc, node, spelling, f"write {text} as {spelling}"),
                )


RULE = Rule("Y001", "yaml11-float", Severity.WARNING, "A number like 5e-4 that YAML 1.1 loaders read as a string.", check, __doc__)
