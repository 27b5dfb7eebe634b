"""The gradient-norm clip cuts most updates.

Why: clipping should catch the rare explosion; when the norm before clipping is above the
threshold on most batches, every update is rescaled and the learning rate no longer means what
the config says. The structure learner clipped 96 % of its batches (norms of 46,000 against a
clip of 10). The Deep Learning Tuning Playbook sets the clip near the 90th percentile of the
unclipped norms; more than half of the updates clipped is too aggressive.

Fix (unsafe): set the clip to the 90th percentile of the measured norms (not offered while the
inputs are un-standardised: those norms would change once they are).

Fails:

```json file=probe.json
{"grad_norms": [46767.0, 30211.0, 12004.5, 8800.0]}
```

```yaml
lambda_sparse: 0.01
lambda_acyclic: 0.001
grad_clip: 10.0
```

Passes:

```json file=probe.json
{"grad_norms": [0.4, 0.7, 0.5, 2.5]}
```

```yaml
lambda_sparse: 0.01
lambda_acyclic: 0.001
grad_clip: 1.0
```
"""

from cfglint.finding import Severity
from cfglint.fixes import Applicability, set_value
from cfglint.rule import Rule, RuleContext, at_setting

MAX_CLIPPED = 0.5


def check(ctx: RuleContext):
    report = ctx.probe
    (clip,) = ctx.settings("clip_grad_norm")
    if report is None or clip is None or clip.value <= 0 or not report.grad_norms:
        return
    fraction = report.clipped_fraction(clip.value)
    if fraction <= MAX_CLIPPED:
        return
    p90 = float(f"{report.norm_percentile(0.9):.2g}")
    norms = report.grad_norms
    if report.raw_inputs():  # these norms come from raw inputs: standardise first, then measure again
        advice, fix = "the inputs are un-standardised, which inflates every norm: standardise them and probe again", None
    else:
        advice = f"clip near the 90th percentile ({p90:g}) and fix the scale that makes the norms this large"
        fix = set_value(ctx.document, clip.node, p90, f"clip at the 90th percentile of the measured norms ({p90:g})", Applicability.UNSAFE)
    yield at_setting(
        clip,
        f"{clip} clips {fraction:.0%} of the probed batches: gradient norms before clipping were "
        f"{min(norms):.4g}..{max(norms):.4g} (median {sorted(norms)[len(norms) // 2]:.4g}), so nearly every update is "
        f"rescaled; {advice}",
        fix=fix,
    )


RULE = Rule("P003", "clip-always-active", Severity.WARNING, "The gradient clip cuts most updates.", check, __doc__)
