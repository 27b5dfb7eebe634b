"""A loss component's share of the gradient is far from the share its weight intends.

Why: weights multiply losses whose raw scales can differ by orders of magnitude. In the
distillation incident alpha_kd / alpha_feature / alpha_attention = 0.7 / 0.1 / 0.1 came out as
15 % / 43 % / 0.5 % of the loss; in the structure learner an acyclicity penalty of 1000+ beside
an MSE of 0.001 took over the training. `cfglint probe` measures each component's gradient on a
real batch (GradNorm-style: the norm of each weighted component's gradient) and compares its
share with the intended one: the weights' own proportions, or the shares recorded under
`$cfglint.loss_shares` by an earlier probe patch. Reported when a term the weights treat as minor
takes over 90 % of the gradient, a term meant to have 5 % or more gets under 1 %, or an intended
share of 5 % or more is missed by over 2x (and by at least 5 points).

Fix (unsafe): rescale the weights so each gradient share matches the intent, keeping the total
weighted gradient (so the effective learning rate stays), and record the intent under
`$cfglint.loss_shares` so later probes compare against it.

Fails:

```json file=probe.json
{"components": {"kd": {"raw": 14.85, "grad_norm": 0.5}, "feature": {"raw": 41.22, "grad_norm": 20.0}},
 "weight_keys": {"kd": "alpha_kd", "feature": "alpha_feature"}}
```

```json
{"kd_top_k": 256, "temperature": 4.0, "alpha_kd": 0.9, "alpha_feature": 0.1}
```

Passes:

```json file=probe.json
{"components": {"kd": {"raw": 14.85, "grad_norm": 2.0}, "feature": {"raw": 41.22, "grad_norm": 2.0}},
 "weight_keys": {"kd": "alpha_kd", "feature": "alpha_feature"}}
```

```json
{"kd_top_k": 256, "temperature": 4.0, "alpha_kd": 0.9, "alpha_feature": 0.1}
```
"""

import math

from cfglint.finding import Severity, Violation
from cfglint.fixes import Applicability, Fix, insert_top_level_key, set_value
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    report, doc = ctx.probe, ctx.document
    if report is None or len(report.components) < 2 or not all(c.finite and math.isfinite(c.grad_norm) for c in report.components.values()):
        return  # a NaN term has no share to judge (non-finite-loss reports it)
    from cfglint.probe import shares  # only once a probe ran: `check` never pays for the import

    components = shares.weighted_components(report, doc)
    measured = shares.gradient_shares(components)
    intent, source = shares.intended_shares(components, doc)
    if not measured or not intent:
        return
    # Gradients measured on un-standardised inputs change once they are standardised: no patch yet.
    fix = None if report.raw_inputs() else _fix(ctx, components, intent, source)
    alternative = shares.loss_balanced_weights(components, intent)
    for component in components:
        share, wanted = measured[component.name], intent[component.name]
        if not shares.share_is_off(share, wanted):
            continue
        location = doc.node_at(tuple(component.key.split(".")))[0] if component.key else doc.root
        weight = f"{component.key} ({component.weight:g})" if component.key else f"{component.name} (weight 1, not in the config)"
        others = ", ".join(f"{c.name} {measured[c.name]:.1%}" for c in components if c is not component)
        hint = "; standardise the inputs and probe again before rebalancing" if report.raw_inputs() else ""
        if fix is not None:
            hint = "; rebalanced weights: " + ", ".join(f"{c.key}: {fix[1][c.name]:g}" for c in components)
            if alternative:
                hint += " (to balance the loss values instead: " + ", ".join(f"{c.key}: {alternative[c.name]:g}" for c in components) + ")"
        yield Violation(
            location.span,
            component.key,
            f"{weight}: the {component.name} term gets {share:.1%} of the gradient, not the {wanted:.1%} that {source} "
            f"intend (raw loss {component.raw:.4g}, unweighted gradient norm {component.grad_norm:.4g}; {others}){hint}",
            fix=fix[0] if fix else None,
        )


def _fix(ctx, components, intent, source):
    from cfglint.probe import shares

    weights = shares.balanced_weights(components, intent)
    if weights is None:
        return None
    doc = ctx.document
    parts = [set_value(doc, doc.node_at(tuple(c.key.split(".")))[0], weights[c.name], "", Applicability.UNSAFE) for c in components]
    detection = ctx.analysis.detection
    # jsonargparse (LightningCLI) refuses keys its classes do not define, `$cfglint` included: no record there.
    if source == "the weights" and not (detection and detection.dialect.loader == "jsonargparse"):
        record = insert_top_level_key(doc, shares.INTENT_BLOCK, {shares.INTENT_KEY: {c.name: round(intent[c.name], 4) for c in components}}, "", Applicability.UNSAFE)
        if record is None:
            return None
        parts.append(record)
    fix = Fix(
        "rescale the loss weights to the intended gradient shares",
        Applicability.UNSAFE,
        tuple(e for p in parts for e in p.edits),
        tuple(c for p in parts for c in p.changes),
    )
    return fix, weights


RULE = Rule("P001", "gradient-share-mismatch", Severity.WARNING, "A loss term's gradient share is far from its intended share.", check, __doc__)
