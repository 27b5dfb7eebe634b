"""Property tests: whatever the bytes, loading and checking never raise, and positions stay in the file."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cfglint.api import CheckOptions, Checker

checker = Checker(CheckOptions(isolated=True))

# Text built from YAML and JSON punctuation, so that inputs get deep into both parsers.
_PIECES = list("{}[],:'\"-#&*!|>? \n\t\r01e.5abc_\\%@`~") + ["lr", "seq_len", "<<", "---", "NaN", "!!float ", "&a ", "*a"]
config_text = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


def assert_well_formed(data: bytes, name: str) -> None:
    report = checker.check_bytes(data, name)
    text_length = len(data) + 1
    for finding in report.findings:
        span = finding.span
        assert 1 <= span.line and 1 <= span.column
        assert 0 <= span.offset <= span.end_offset <= text_length
    assert report.findings == checker.check_bytes(data, name).findings  # deterministic


@settings(max_examples=300, deadline=None)
@given(config_text, st.sampled_from(["c.yaml", "c.json"]))
def test_generated_text_never_raises(text, name):
    assert_well_formed(text.encode("utf-8"), name)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["c.yaml", "c.json"]))
def test_random_bytes_never_raise(data, name):
    assert_well_formed(data, name)
