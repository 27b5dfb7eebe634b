'''A config names a DeepSpeed config that cfglint cannot find, or one the Hugging Face integration refuses.

Why: TrainingArguments' and axolotl's `deepspeed:` and accelerate's `deepspeed_config_file`
name a JSON file that is opened only when the job starts, after it has waited in the queue: a
wrong path fails there with "Expected a string path to an existing deepspeed config, or a
dictionary, or a base64 encoded string", a file that is not JSON fails in json.load, and one
without a `zero_optimization` block is refused by accelerate's DeepSpeedPlugin. The Hugging Face
integration opens a relative path from the training process's working folder, so cfglint looks
beside the config, in the working folder and at the git work tree's root, and says where it
looked. It is a warning: the file may exist on the machine that launches the job. A path with a
variable in it (`$HOME/ds.json`, `${oc.env:DS}`) is known only at launch and is not judged.

Fails:

```yaml
model_name_or_path: gpt2
output_dir: out
per_device_train_batch_size: 4
num_train_epochs: 3
lr_scheduler_type: cosine
deepspeed: configs/ds_z2.json
```

Passes:

```json file=ds_z2.json
{"zero_optimization": {"stage": 2}, "train_micro_batch_size_per_gpu": "auto"}
```

```yaml
model_name_or_path: gpt2
output_dir: out
per_device_train_batch_size: 4
num_train_epochs: 3
lr_scheduler_type: cosine
deepspeed: ds_z2.json
```
'''

from cfglint.finding import Severity, Violation
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    for reference in ctx.analysis.references:
        if reference.problem is not None:
            message = f"{reference.key} names {reference.shown}, {reference.problem}"
            if reference.missing:
                message += "; the integration opens it from the training process's working folder, so check the path there (it may exist on the launch machine)"
            yield Violation(reference.node.span, reference.key, message)


RULE = Rule("R001", "referenced-file-unreadable", Severity.WARNING, "A DeepSpeed config the config names is missing or refused.", check, __doc__)
