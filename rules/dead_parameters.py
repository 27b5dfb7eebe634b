"""Parameters that get no gradient, or an all-zero gradient.

Why: the forecasting model in the incident reports had celestial key/query projections whose
gradient was exactly zero: the layers were built, counted and saved, but trained nothing, and
the architecture being evaluated was not the one that ran. AutoTrainer and PyTorch DDP ("parameters
that were not used in producing loss") flag the same. Usually a branch the forward pass skips, a
detached tensor, or a mask that zeroes a path.

Fails:

```json file=probe.json
{"dead_parameters": {"encoder.celestial_key_projection": ["weight", "bias"]}}
```

```yaml
seq_len: 96
label_len: 48
pred_len: 24
```

Passes:

```json file=probe.json
{"dead_parameters": {}}
```

```yaml
seq_len: 96
label_len: 48
pred_len: 24
```
"""

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext, top_of


def check(ctx: RuleContext):
    report, doc = ctx.probe, ctx.document
    if report is None or not report.dead_parameters or doc.root is None:
        return
    modules = sorted(report.dead_parameters)
    listed = "; ".join(f"{module} ({', '.join(report.dead_parameters[module])})" for module in modules[:5])
    more = f"; and {len(modules) - 5} more modules" if len(modules) > 5 else ""
    yield Violation(
        top_of(doc),
        None,
        f"{sum(len(v) for v in report.dead_parameters.values())} parameter tensors in {len(modules)} modules got no gradient "
        f"or an all-zero one: {listed}{more}; the forward pass skips or detaches them, so they never train",
    )


RULE = Rule("P004", "dead-parameters", Severity.WARNING, "Parameters that get no gradient.", check, __doc__)
