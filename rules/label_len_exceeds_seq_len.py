"""The decoder's start-token window (label_len) is longer than the input window (seq_len).

Why: forecasting decoders (Informer, Autoformer, the model in the incident reports) take the
last `label_len` steps of the `seq_len` input as their start tokens; a longer label window
reads past the input, and data loaders either crash mid-epoch or silently shorten it.

Fails:

```yaml
seq_len: 96
label_len: 125
pred_len: 10
```

Passes:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
```
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    label, seq = ctx.settings("label_len", "seq_len")
    if label and seq and label.value > seq.value:
        yield at_setting(
            label,
            f"{label} > {seq}: the decoder's start tokens are the last {label.name} steps of the input, "
            f"so they cannot be longer than it; set {label.name} to at most {seq.value}",
            seq,
        )


RULE = Rule("M001", "label-len-exceeds-seq-len", Severity.ERROR, "label_len is longer than seq_len.", check, __doc__)
