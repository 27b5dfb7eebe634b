"""An evaluation, checkpoint or logging interval longer than the whole run.

Why: an `eval_steps` of 5,000 in a run of 4,676 optimizer steps never evaluates; a save interval
past the end never checkpoints, and a crash loses everything. In the distillation incident
evaluation came every 1,000 steps, so a frozen eval loss was visible; past the end it would not
have been. Intervals count optimizer steps (a Hugging Face value below 1 is a share of the run).

Fails:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 1
lr_scheduler_type: cosine
max_steps: 1000
eval_steps: 5000
```

Passes:

```yaml
per_device_train_batch_size: 8
num_train_epochs: 1
lr_scheduler_type: cosine
max_steps: 1000
eval_steps: 200
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting
from cfglint.schedule import step_unit

WHAT = {
    "eval_interval": "never evaluates during the run",
    "save_interval": "never saves a checkpoint during the run",
    "log_interval": "never logs during the run",
}


def check(ctx: RuleContext):
    steps = ctx.steps
    total = steps.total_steps if steps else None
    if total is None or total.value <= 0:
        return
    for field, consequence in WHAT.items():
        (interval,) = ctx.settings(field)
        if interval is None or step_unit(interval) != total.unit:
            continue
        if interval.value >= 1 and interval.value > total.value:  # past a bound on the run is past the run
            yield at_setting(
                interval,
                f"{interval} is longer than the run ({total.describe('optimizer steps')}): it {consequence}; "
                f"use an interval below {int(total.value):,}",
                *total.sources,
            )


RULE = Rule("T010", "interval-exceeds-training", Severity.WARNING, "An eval, save or logging interval longer than the run.", check, __doc__)
