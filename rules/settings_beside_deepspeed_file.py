'''An accelerate config sets DeepSpeed settings of its own beside the `deepspeed_config_file` it names.

Why: with `deepspeed_config_file`, the DeepSpeed JSON holds the whole DeepSpeed configuration,
and accelerate refuses a launcher config that also sets `gradient_accumulation_steps`,
`gradient_clipping`, `zero_stage`, `offload_optimizer_device`, `offload_param_device`, their
`nvme_path`s or `zero3_save_16bit_model` under `deepspeed_config`: `accelerate launch` passes
the names of those keys on (ACCELERATE_CONFIG_DS_FIELDS) and DeepSpeedPlugin raises "When using
`deepspeed_config_file`, the following accelerate config variables will be ignored" in every
process, before training starts (huggingface/accelerate 16cb6eb, commands/launch.py
`launch_command` and utils/dataclasses.py `_deepspeed_config_checks`). Set the value in the
DeepSpeed JSON and remove the key here.

Fails:

```yaml
compute_environment: LOCAL_MACHINE
distributed_type: DEEPSPEED
num_processes: 8
deepspeed_config:
  deepspeed_config_file: ds.json
  gradient_accumulation_steps: 4
```

Passes:

```json file=ds.json
{"zero_optimization": {"stage": 2}, "gradient_accumulation_steps": 4}
```

```yaml
compute_environment: LOCAL_MACHINE
distributed_type: DEEPSPEED
num_processes: 8
deepspeed_config:
  deepspeed_config_file: ds.json
  zero3_init_flag: false
```
'''

from cfglint.document import Mapping, Scalar, format_path
from cfglint.finding import Related, Severity, Violation
from cfglint.plan import lookup
from cfglint.rule import Rule, RuleContext

# The deepspeed_config keys _deepspeed_config_checks refuses beside a file (mixed_precision too,
# but only when the launch command does not pass --mixed_precision: not judged).
REFUSED = (
    "gradient_accumulation_steps",
    "gradient_clipping",
    "zero_stage",
    "offload_optimizer_device",
    "offload_param_device",
    "offload_param_nvme_path",
    "offload_optimizer_nvme_path",
    "zero3_save_16bit_model",
)


def check(ctx: RuleContext):
    root = ctx.document.mapping
    detection = ctx.analysis.detection
    if root is None or detection is None or detection.dialect.name != "accelerate":
        return
    kind, file, cpu = lookup(root, "distributed_type"), lookup(root, "deepspeed_config.deepspeed_config_file"), lookup(root, "use_cpu")
    if kind is None or not isinstance(kind[1], Scalar) or kind[1].value != "DEEPSPEED" or file is None:
        return
    if cpu is not None and not (isinstance(cpu[1], Scalar) and cpu[1].value is False):
        return  # `accelerate launch` checks these only when DeepSpeed runs on accelerators
    block = lookup(root, "deepspeed_config")[1]  # a mapping: the file's key is in it
    for entry in block.entries if isinstance(block, Mapping) else ():
        if isinstance(entry.key, Scalar) and entry.key.value in REFUSED:
            yield Violation(
                entry.key.span,
                format_path(entry.value.path),
                f"deepspeed_config.{entry.key.value} is set beside deepspeed_config_file: accelerate refuses this config "
                "in every process before training starts (\"When using `deepspeed_config_file`, the following accelerate "
                "config variables will be ignored\"); set it in the DeepSpeed JSON and remove it here",
                (Related(format_path(file[1].path), file[1].span),),
            )


RULE = Rule("R003", "settings-beside-deepspeed-file", Severity.ERROR, "An accelerate config sets DeepSpeed settings beside the file that holds them.", check, __doc__)
