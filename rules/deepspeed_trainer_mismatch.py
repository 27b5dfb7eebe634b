'''An explicit DeepSpeed value disagrees with the TrainingArguments that name its file.

Why: with `deepspeed:` set, the Hugging Face Trainer writes its own values over every "auto" in
the DeepSpeed config and compares each explicit value with them (HfTrainerDeepSpeedConfig's
`fill_match`): the micro-batch with `per_device_train_batch_size`, `gradient_accumulation_steps`,
`train_batch_size` with world size x micro-batch x accumulation, `gradient_clipping` with
`max_grad_norm`, the optimizer's lr, betas, eps and weight_decay with `learning_rate`,
`adam_beta1`/`adam_beta2`, `adam_epsilon` and `weight_decay`, the scheduler's `warmup_max_lr`,
`total_num_steps` and `warmup_num_steps` with the run's, and fp16/bf16/amp `enabled` with
`fp16`/`bf16`. A key the YAML does not write counts with TrainingArguments' default (batch 8,
lr 5e-5, clip 1.0, betas 0.9/0.999, eps 1e-8, no weight decay), except the learning rate and
bf16, which TRL's configs default otherwise. Any difference stops the run when training starts,
after the model is loaded: "Please correct the following DeepSpeed config values that mismatch
TrainingArguments values". train_batch_size is judged without a world size only when no number
of processes makes it agree (it is not a multiple of micro-batch x accumulation).

The finding is in the DeepSpeed file, where HF asks for the change: write "auto" there (HF then
fills in its own value), or make the two equal.

Fails:

```json file=ds.json
{"train_micro_batch_size_per_gpu": 16, "zero_optimization": {"stage": 2}}
```

```yaml
model_name_or_path: gpt2
output_dir: out
per_device_train_batch_size: 4
num_train_epochs: 3
lr_scheduler_type: cosine
deepspeed: ds.json
```

Passes:

```json file=ds.json
{"train_micro_batch_size_per_gpu": "auto", "gradient_clipping": 1.0, "zero_optimization": {"stage": 2}}
```

```yaml
model_name_or_path: gpt2
output_dir: out
per_device_train_batch_size: 4
num_train_epochs: 3
lr_scheduler_type: cosine
deepspeed: ds.json
```
'''

from cfglint.document import Scalar, format_path, to_data
from cfglint.finding import Related, Severity, Violation
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    if not ctx.analysis.references:
        return
    from cfglint.references import REFUSAL, filled, show  # read only for a config that names a DeepSpeed file

    for reference in ctx.analysis.references:
        for expected, node in filled(ctx.analysis, reference):
            ds_value = to_data(node)
            if not expected.compared or ds_value == "auto" or isinstance(ds_value, (str, dict)):
                continue  # another string is DeepSpeed's own reading to judge
            sources = " and ".join(str(source) for source in expected.sources)
            written = tuple(Related(source.key, source.node.span) for source in expected.sources if source.node is not None)
            related = written or (Related(reference.key, reference.node.span),)
            if expected.multiple_of is not None:
                size = expected.multiple_of
                if isinstance(ds_value, bool) or not isinstance(ds_value, (int, float)) or (ds_value >= size and ds_value % size == 0):
                    continue
                hf = f"{size} x the world size"
                said = (
                    f"{expected.ds_key} is {show(ds_value)}, but HF computes it as the world size x {sources.replace(' and ', ' x ')} = {hf}, "
                    f"and {show(ds_value)} is not a multiple of {size}, so no number of processes makes them agree"
                )
                advice = f"write \"auto\" there, or a multiple of {size}"
            elif expected.value is None or ds_value == expected.value:
                continue
            else:
                hf = str(expected.value)
                said = f"{expected.ds_key} is {show(ds_value)} in the DeepSpeed config, but HF fills it with {show(expected.value)} from {sources}"
                advice = 'write "auto" there, or make the two equal'
            yield Violation(
                node.span,
                format_path(node.path),
                f"{said}: the Hugging Face Trainer refuses this pair when training starts "
                f"(\"{REFUSAL}: - ds {expected.ds_key}={ds_value} vs hf {expected.hf_name}={hf}\"); {advice}",
                related,
            )


RULE = Rule("R002", "deepspeed-trainer-mismatch", Severity.ERROR, "An explicit DeepSpeed value the Hugging Face Trainer refuses beside its TrainingArguments.", check, __doc__)
