"""``connectors/reading.py``: a record's translation failure is that record's error.

What the shop sent decides the failure, so the tests raise what real
translators raise on bad data (a missing key, a wrong type, an unreadable
amount) and check that each becomes a ``RecordError`` naming the record,
while the records around it are still read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from passerelle.connectors.errors import ConnectorError, NotFoundError, RecordError
from passerelle.connectors.reading import each_record, raw_id, read_record


def _total(raw: Any) -> Decimal:
    """A translator as small as they come: the record's total, compared to zero."""
    total = Decimal(str(raw["total"]))
    if total == 0:
        raise RecordError("an order of nothing")
    return total


def test_each_failure_is_its_records_error_and_the_read_goes_on() -> None:
    raws: list[Any] = [
        {"id": 1, "total": "5"},
        {"id": 2},
        {"id": 3, "total": "n/a"},
        {"id": 4, "total": "sNaN"},
        "not an object",
        {"id": 5, "total": "0"},
        {"id": 6, "total": "7.5"},
    ]
    read = list(each_record(raws, _total))
    assert read[0] == Decimal(5) and read[-1] == Decimal("7.5")
    errors = read[1:-1]
    assert all(isinstance(e, RecordError) for e in errors)
    assert [e.record_id for e in errors if isinstance(e, ConnectorError)] == [
        "2",
        "3",
        "4",
        None,
        "5",
    ]
    messages = [str(e) for e in errors]
    assert "the field 'total' is missing" in messages[0]
    assert "not a number" in messages[1] and "not a number" in messages[2]
    assert "wrong type" in messages[3]
    assert messages[4] == "an order of nothing"  # the translator's own words are kept


def test_a_connector_error_keeps_its_class_and_gets_the_id() -> None:
    def gone() -> None:
        raise NotFoundError("no such order", status=404)

    with pytest.raises(NotFoundError) as caught:
        read_record("42", gone)
    assert caught.value.record_id == "42"


def test_a_long_reason_is_cut() -> None:
    def verbose() -> None:
        raise ValueError("x" * 5000)

    with pytest.raises(RecordError) as caught:
        read_record("9", verbose)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"id": 7}, "7"),
        ({"id": "gid://shopify/Order/7"}, "gid://shopify/Order/7"),
        ({"id": True}, None),
        ({"id": [1]}, None),
        ({"id": ""}, None),
        ({}, None),
        ([1], None),
    ],
)
def test_raw_id_never_raises(raw: Any, expected: str | None) -> None:
    assert raw_id(raw) == expected
