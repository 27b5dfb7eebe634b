"""A loss component, or a module's output, is NaN or infinite on a real batch.

Why: the distillation run logged "lm_loss produced non-finite value (nan); clamping to zero"
and trained on with a silently zeroed term. A non-finite value at the first batch means every
step is poisoned; forward hooks name the first module whose output is not finite, which is where
to look (an overflow in fp16, a log of 0, a division by a zero std).

Fails:

```json file=probe.json
{"components": {"kd": {"raw": NaN, "grad_norm": 0.0, "finite": false}}, "first_nonfinite_module": "head (Linear)"}
```

```json
{"alpha_kd": 1.0, "kd_top_k": 256, "temperature": 4.0}
```

Passes:

```json file=probe.json
{"components": {"kd": {"raw": 2.3, "grad_norm": 1.0, "finite": true}}}
```

```json
{"alpha_kd": 1.0, "kd_top_k": 256, "temperature": 4.0}
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext, top_of


def check(ctx: RuleContext):
    report = ctx.probe
    if report is None:
        return
    broken = [name for name, component in report.components.items() if not component.finite]
    if not broken and report.first_nonfinite_module is None:
        return
    where = f"the first module with a NaN/Inf output is {report.first_nonfinite_module}" if report.first_nonfinite_module else "no module output was non-finite, so it arises in the loss itself"
    terms = f"the loss terms {', '.join(broken)} are NaN or infinite" if broken else "a module's output is NaN or infinite"
    yield Violation(
        top_of(ctx.document),
        None,
        f"{terms} on the first batch ({report.precision}); {where}; every step would train on it",
    )


RULE = Rule("P005", "non-finite-loss", Severity.ERROR, "A loss term or module output is NaN or infinite.", check, __doc__)
