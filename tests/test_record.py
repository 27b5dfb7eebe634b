"""Records: value equality, hashing, repr and replace from their slots."""

from cfglint.document import Opaque, Span
from cfglint.finding import Finding, Related, Severity


def test_records_compare_and_hash_by_value_and_type():
    assert Span(1, 2, 1, 5, 1, 4) == Span(1, 2, 1, 5, 1, 4)
    assert Span(1, 2, 1, 5, 1, 4) != Span(1, 2, 1, 6, 1, 5)
    assert len({Span(1, 2, 1, 5, 1, 4), Span(1, 2, 1, 5, 1, 4)}) == 1
    assert Opaque("!tag", "") != Related("!tag", "")  # same values, different kinds of record
    assert Opaque("!tag", "") != ("!tag", "")  # not a tuple: loaded data never mistakes it for a list


def test_repr_names_every_field():
    assert repr(Related("lr", Span(3, 5, 3, 9, 20, 24))) == "Related(key='lr', span=Span(line=3, column=5, end_line=3, end_column=9, offset=20, end_offset=24), file=None)"


def test_replace_builds_a_new_record():
    finding = Finding("run.yaml", Span(1, 1, 1, 2, 0, 1), "T001", "warmup-exceeds-training", Severity.ERROR, "warmup too long")
    quieter = finding.replace(severity=Severity.INFO)
    assert quieter.severity is Severity.INFO and finding.severity is Severity.ERROR
    assert quieter.replace(severity=Severity.ERROR) == finding


def test_every_record_subclasses_record_directly():
    """Equality, repr and replace read a record's own __slots__: a record built on another record
    would silently leave the parent's fields out."""
    import cfglint.api, cfglint.engine, cfglint.fixer, cfglint.schedule_report  # noqa: F401 - define every record
    from cfglint.record import Record

    records = Record.__subclasses__()
    assert len(records) >= 20
    for record in records:
        assert record.__subclasses__() == [], record
        assert record.__slots__ and "__dict__" not in dir(record), record
