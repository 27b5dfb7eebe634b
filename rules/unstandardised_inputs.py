"""Model inputs far from zero mean and unit scale.

Why: the structure learner fed raw data ranging over [0, 2775]; activations and gradients scaled
with it (norms of 46,767), and standardising the inputs removed most of the explosion. UMLAUT,
TheDeepChecker and SageMaker Debugger flag inputs whose features have |mean| above about 1 or
spreads far outside [-1, 1].

Fix (unsafe): turn the config's standardisation switch on (`standardize`, `scale`, `normalize`,
at any depth), when it has one that is off.

Fails:

```json file=probe.json
{"input_min": 0.0, "input_max": 2775.0, "input_max_abs_mean": 812.5, "input_max_std": 640.2}
```

```yaml
lambda_sparse: 0.01
lambda_acyclic: 0.001
standardize: false
```

Passes:

```json file=probe.json
{"input_min": -4.1, "input_max": 10.8, "input_max_abs_mean": 0.02, "input_max_std": 1.0}
```

```yaml
lambda_sparse: 0.01
lambda_acyclic: 0.001
standardize: true
```
"""

from cfglint.document import Scalar, format_path
from cfglint.finding import Severity, Violation
from cfglint.fixes import Applicability, set_value
from cfglint.rule import Rule, RuleContext, top_of

SWITCHES = ("standardize", "standardise", "scale", "normalize", "normalise")


def check(ctx: RuleContext):
    report, doc = ctx.probe, ctx.document
    if report is None or not report.raw_inputs():
        return
    # The config's own switch, at any depth (`data: {normalize: false}`): the first one written.
    switches = sorted(
        (node for node in doc.nodes(keys=False) if isinstance(node, Scalar) and isinstance(node.value, bool) and node.path and str(node.path[-1]).lower() in SWITCHES),
        key=lambda node: node.span.offset,
    )
    if any(node.value is True for node in switches):
        return  # the config asks for standardisation; this probe saw raw data before it took effect
    message = (
        f"inputs range over [{report.input_min:.4g}, {report.input_max:.4g}] with feature means up to "
        f"{report.input_max_abs_mean:.4g} and standard deviations up to {report.input_max_std:.4g}: un-standardised inputs "
        "scale activations and gradients with them, and distort every other measurement of this probe; standardise "
        "each feature to mean 0, std 1 (fitted on the train split) and probe again"
    )
    if switches:
        switch = switches[0]
        key = format_path(switch.path)
        fix = set_value(doc, switch, True, f"set {key} to true", Applicability.UNSAFE)
        yield Violation(switch.span, key, f"{key} is false and {message}", fix=fix)
    else:
        yield Violation(top_of(ctx.document), None, message)


RULE = Rule("P007", "unstandardised-inputs", Severity.WARNING, "Model inputs far from zero mean and unit scale.", check, __doc__)
