"""Distillation settings that differ between training and evaluation.

Why: the distillation run in the incident reports trained KD on the teacher's top-256 tokens but
scored it on the full vocabulary; its eval loss sat 6x above the training loss and looked like
severe overfitting for hours. Evaluation must compute the same KD loss as training to be
comparable.

Fails:

```json
{"alpha_kd": 0.7, "temperature": 2.0, "kd_top_k": 256, "eval": {"eval_steps": 1000, "use_kd_top_k": false}}
```

```json
{"alpha_kd": 0.7, "temperature": 2.0, "kd_top_k": 256, "eval": {"eval_steps": 1000, "kd_top_k": 50000}}
```

Passes:

```json
{"alpha_kd": 0.7, "temperature": 2.0, "kd_top_k": 256, "eval": {"eval_steps": 1000, "use_kd_top_k": true}}
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting

CONSEQUENCE = "train and eval KD losses are not comparable (the incident saw eval loss 6x train)"


def check(ctx: RuleContext):
    top_k, eval_top_k, eval_uses = ctx.settings("kd_top_k", "eval_kd_top_k", "eval_use_kd_top_k")
    if top_k is None or top_k.value <= 0:
        return
    if eval_uses is not None and eval_uses.value is False:
        yield at_setting(eval_uses, f"{eval_uses} while training uses {top_k}: {CONSEQUENCE}; score eval on the same top-k", top_k)
    if eval_top_k is not None and eval_top_k.value != top_k.value:
        yield at_setting(eval_top_k, f"{eval_top_k} differs from {top_k}: {CONSEQUENCE}; use {top_k.value} in both", top_k)


RULE = Rule("K003", "kd-eval-mismatch", Severity.WARNING, "Distillation settings differ between training and evaluation.", check, __doc__)
