"""A key is written twice in the same mapping.

Why: YAML and JSON loaders keep the last value without a word, so the value a reader sees near
the top of the file is not the one that trains. A duplicated `lr` or `warmup_steps` is an
invisible change of hyper-parameters.

Fix (safe): remove the earlier entry, which loaders ignore, so the data does not change; unsafe when
its lines hold a comment; none when it holds an anchor, or sits in a flow mapping.

Fails:

```yaml
learning_rate: 0.001
warmup_epochs: 3
learning_rate: 0.003
```

Passes:

```yaml
learning_rate: 0.003
warmup_epochs: 3
```
"""

from cfglint.finding import Related, Severity, Violation
from cfglint.fixes import remove_entry
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    doc = ctx.document
    for problem in doc.problems:
        if problem.kind == "duplicate-key":
            related = tuple(Related(key, span) for key, span in problem.related)
            fix = None
            if problem.mapping is not None and problem.earlier is not None:
                fix = remove_entry(doc, problem.mapping, problem.earlier, f"remove the earlier {problem.key}, which loaders ignore")
                # An anchor in the removed entry could be used by an alias elsewhere: leave it to the user.
                if fix is not None and any("&" in doc.text[e.start : e.end] for e in fix.edits):
                    fix = None
            yield Violation(problem.span, problem.key, problem.message, related, fix=fix)


RULE = Rule("D002", "duplicate-key", Severity.ERROR, "A key is written twice in the same mapping.", check, __doc__)
