"""A key is written twice in the same mapping.

Why: PyYAML, yacs and Python's json keep the last value without a word, so the value a reader
sees near the top of the file is not the one that trains: a duplicated `lr` or `warmup_steps` is
an invisible change of hyper-parameters. OmegaConf (Hydra, torchtune, NeMo, fairseq), ruamel and
HyperPyYAML refuse the file instead ("found duplicate key"): the run stops before it starts. The
message names what the config's loader does (cfglint.loaders); for a config whose loader is not
known it says both.

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

from cfglint import loaders
from cfglint.finding import Related, Severity, Violation
from cfglint.fixes import remove_entry
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    doc = ctx.document
    detection = ctx.analysis.detection
    loader = loaders.of_file(detection.dialect.loader, doc) if detection is not None else loaders.JSON if doc.format == "json" else None
    for problem in doc.problems:
        if problem.kind == "duplicate-key":
            related = tuple(Related(key, span) for key, span in problem.related)
            fix = None
            if problem.mapping is not None and problem.earlier is not None and doc.source_of(problem.span) is doc:
                fix = remove_entry(doc, problem.mapping, problem.earlier, f"remove the earlier {problem.key}, which loaders ignore")
                # An anchor in the removed entry could be used by an alias elsewhere: leave it to the user.
                if fix is not None and any("&" in doc.text[e.start : e.end] for e in fix.edits):
                    fix = None
            yield Violation(problem.span, problem.key, _message(problem, loader), related, fix=fix)


def _message(problem, loader: str | None) -> str:
    first = problem.related[0][1].line
    name = problem.key.rsplit(".", 1)[-1]
    if loader is None:
        effect = (
            "PyYAML and yacs silently keep only the last value, while OmegaConf (Hydra) and ruamel refuse "
            "the file; remove one of them"
        )
    elif loaders.refuses_duplicates(loader):
        effect = f"{loaders.TITLES[loader]} refuses the file (\"found duplicate key {name}\"), so the run does not start; remove one of them"
    else:
        effect = f"{loaders.TITLES[loader]} silently keeps only the last value; remove one of them"
    return f"duplicate key '{name}' (first written at line {first}): {effect}"


RULE = Rule("D002", "duplicate-key", Severity.ERROR, "A key is written twice in the same mapping.", check, __doc__)
