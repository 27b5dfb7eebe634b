"""Properties of the generic reading over generated configs in the vocabulary's own keys.

Whatever the nesting, every finding sits on a value the reading found; moving the whole config
under a block that is not training leaves nothing to report; and a generic guess never raises
an error.
"""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cfglint.api import CheckOptions, Checker
from cfglint.vocabulary import TERMS

checker = Checker(CheckOptions(isolated=True))

KEYS = sorted({key for term in TERMS for key in term.keys} | {"alpha_kd", "lambda_l1", "teacher", "factor", "patience"})
BLOCKS = ["optim", "optimizer", "train", "trainer", "sched", "scheduler", "model", "data", "loss", "kd", "params", "stage"]
VALUES = st.one_of(
    st.integers(-5, 100_000),
    st.floats(-10, 1e6, allow_nan=False),
    st.sampled_from(["adam", "adamw", "sgd", "plateau", "cosine", "3e-4", "auto", "???", True, False, None]),
)
config = st.recursive(
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6),
    lambda inner: st.dictionaries(st.sampled_from(BLOCKS + KEYS), st.one_of(inner, VALUES), max_size=4),
    max_leaves=20,
)


def report(data: dict, name: str):
    return checker.check_bytes(json.dumps(data).encode("utf-8"), name)


@settings(max_examples=200, deadline=None)
@given(config)
def test_generic_findings_are_never_errors_and_sit_on_the_text(data):
    found = report(data, "run.json")
    text_length = len(json.dumps(data)) + 1
    for finding in found.findings:
        assert 0 <= finding.span.offset <= finding.span.end_offset <= text_length
        if found.reading == "generic":
            assert finding.severity.name != "ERROR", finding  # a guess is at most a warning


@settings(max_examples=200, deadline=None)
@given(config, st.sampled_from(["generation", "sampling", "inference", "rollout", "early_stopping"]))
def test_a_config_moved_under_a_block_that_is_not_training_feeds_nothing(data, block):
    moved = report({block: data}, "run.json")
    assert moved.findings == []
    assert moved.reading != "generic"  # a dialect may still claim it by a marker (`_target_`), reading nothing
