"""target_indices name columns the model does not read, repeat a column, or exceed the outputs.

Why: the forecasting model in the incident reports predicts the OHLC columns
`target_indices: [0, 1, 2, 3]` out of `enc_in` input features with `c_out` outputs. An index at
or above enc_in selects a column that is not there (an IndexError at the first batch, or the
wrong feature after a silent clamp); more indices than c_out compares targets with outputs
that do not exist.

Fails:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
enc_in: 4
c_out: 4
target_indices: [0, 1, 2, 4]
```

Passes:

```yaml
seq_len: 250
label_len: 125
pred_len: 10
enc_in: 118
c_out: 4
target_indices: [0, 1, 2, 3]
```
"""

from cfglint.finding import Related, Severity, Violation
from cfglint.rule import Rule, RuleContext, at_setting


def check(ctx: RuleContext):
    targets, enc_in, c_out = ctx.settings("target_indices", "enc_in", "c_out")
    if targets is None:
        return
    seen: set[int] = set()
    for index, item in zip(targets.value, targets.node.items):
        if index in seen:
            yield Violation(item.span, targets.key, f"target index {index} is listed twice in {targets.key}: the loss counts that column twice and c_out no longer matches the targets")
        seen.add(index)
    if enc_in is not None:
        for index, item in zip(targets.value, targets.node.items):
            if index < 0 or index >= enc_in.value:
                yield Violation(
                    item.span,
                    targets.key,
                    f"target index {index} is outside the {enc_in.value} input columns ({enc_in}): "
                    f"indices run from 0 to {enc_in.value - 1}",
                    (Related(enc_in.key, enc_in.node.span),),
                )
    if c_out is not None and len(targets.value) > c_out.value:
        yield at_setting(
            targets,
            f"{targets.key} lists {len(targets.value)} targets but {c_out} outputs only {c_out.value}: "
            f"set c_out to {len(targets.value)} or drop targets",
            c_out,
        )


RULE = Rule("M003", "target-indices-out-of-range", Severity.ERROR, "target_indices outside enc_in or longer than c_out.", check, __doc__)
