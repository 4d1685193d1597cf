"""A run's candidates share their field sets: equal sets are one object, the value is kept."""

from __future__ import annotations

from passerelle.flows.exporting import Candidate


def test_equal_field_sets_are_one_object_and_keep_their_value() -> None:
    names = [f"field_{n}" for n in range(40)]
    first = Candidate("1", "A", object(), "h", fields=frozenset(names))
    second = Candidate("2", "B", object(), "h", fields=frozenset(reversed(names)))
    other = Candidate("3", "C", object(), "h", fields=frozenset(names[:3]))
    assert first.fields is second.fields
    assert first.fields == frozenset(names)
    assert other.fields == frozenset(names[:3]) and other.fields is not first.fields
    assert Candidate("4", "D", object(), "h").fields is None


def test_the_shared_sets_stay_few() -> None:
    """However many distinct sets a process sees, it keeps a bounded number of them."""
    from passerelle.flows import exporting

    for n in range(1000):
        assert Candidate(str(n), "X", None, "h", fields=frozenset({f"f{n}"})).fields == {f"f{n}"}
    assert len(exporting._SHARED) <= 256
