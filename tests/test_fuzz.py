"""Fuzzing with byte-level mutations of the real configs in ../shared/corpus.

Whatever the mutation, `check` never raises, every position lies inside the file, and the same
bytes give the same findings. CI runs a short session; run a long one with
`CFGLINT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py`.
"""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfglint.api import CheckOptions, Checker
from helpers import CORPUS

EXAMPLES = int(os.environ.get("CFGLINT_FUZZ_EXAMPLES", "150"))
FILES = sorted(
    os.path.join(folder, name)
    for folder, _, names in os.walk(CORPUS)
    for name in names
    if name.endswith((".yaml", ".yml", ".json"))
) if os.path.isdir(CORPUS) else []
CHECKER = Checker(CheckOptions(isolated=True))


@st.composite
def mutated(draw):
    path = draw(st.sampled_from(FILES))
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        if operation == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20) | st.sampled_from([b"&a ", b"*a", b"<<: ", b"\t", b"{", b"[", b"!!python/name:x ", b"${x}", b"\xff", b"\x00", b"'", b'"']))
        elif operation == "replace" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif operation == "duplicate":
            data[at:at] = data[max(0, at - 30) : at]
        else:
            del data[at:]
    return os.path.basename(path), bytes(data)


@pytest.mark.skipif(not FILES, reason="../shared/corpus is not present")
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_real_configs_never_break_check(case):
    name, data = case
    report = CHECKER.check_bytes(data, name)
    for finding in report.findings:
        span = finding.span
        assert 1 <= span.line <= data.count(b"\n") + 2 and span.column >= 1
        assert 0 <= span.offset <= span.end_offset <= len(data) + 1
    assert report.findings == CHECKER.check_bytes(data, name).findings
