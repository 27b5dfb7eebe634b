"""A rule failed on this file (a bug in cfglint, not in the config).

Why: one rule tripping over a strange but valid config must not hide what the other rules find,
nor pass silently. The engine runs every other rule, reports the failing rule here with the
error, and `cfglint check` exits 3 so CI notices. Please report it with the file.

The engine raises this finding itself, so it has no examples of its own; tests/test_adversarial.py
makes a rule fail and checks the finding and the exit code.
"""

from cfglint.finding import Severity
from cfglint.rule import Rule, RuleContext


def check(ctx: RuleContext):
    return ()


RULE = Rule("C002", "internal-error", Severity.ERROR, "A rule failed on this file (a bug in cfglint).", check, __doc__, raised_by_engine=True)
