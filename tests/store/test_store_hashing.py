"""content_hash: deterministic, and different whenever the content differs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.store import canonical_json, content_hash
from passerelle.store.checks import check_hash


def test_known_vector() -> None:
    """Pins the canonical form: changing it makes every shop resend everything once."""
    payload = {
        "sku": "AR0003",
        "price": Decimal("12.50"),
        "stock": 4,
        "active": True,
        "weight": 0.5,
        "tags": ["a", None],
        "updated": datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2))),
        "launch": date(2024, 6, 1),
        "$meta": {"b": 1, "a": "é"},
    }
    assert canonical_json(payload) == (
        '{"$$meta":{"a":"é","b":1},"active":true,"launch":{"$date":"2024-06-01"},'
        '"price":{"$decimal":"12.50"},"sku":"AR0003","stock":4,"tags":["a",null],'
        '"updated":{"$datetime":"2024-05-01T08:00:00+00:00"},"weight":0.5}'
    )
    assert (
        content_hash(payload) == "447119ba853cb2581b02d7c9a1d161d1ac13c487d436b94a66b76911000ec5bc"
    )


def test_stable_across_key_order() -> None:
    a = {"name": "Chair", "price": Decimal("1.10"), "attrs": {"colour": "red", "size": "M"}}
    b = {"attrs": {"size": "M", "colour": "red"}, "price": Decimal("1.10"), "name": "Chair"}
    assert content_hash(a) == content_hash(b)


def test_decimals_are_hashed_as_given() -> None:
    """Decided: callers quantize amounts; the hash does not normalise them.

    So 1.10 and 1.1 differ — a mapper that stops quantizing is a visible change.
    """
    assert content_hash({"p": Decimal("1.10")}) != content_hash({"p": Decimal("1.1")})
    assert content_hash({"p": Decimal("1.10")}) == content_hash({"p": Decimal("1.10")})


@pytest.mark.parametrize("other", [1, 1.0, "1", True, Decimal("1.0"), {"$decimal": "1"}, ["1"]])
def test_types_are_part_of_the_content(other: Any) -> None:
    assert content_hash({"p": Decimal("1")}) != content_hash({"p": other})


def test_tags_cannot_be_forged_by_data() -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    assert content_hash({"d": when}) != content_hash({"d": {"$datetime": when.isoformat()}})
    assert content_hash({"$x": 1}) != content_hash({"$$x": 1})


def test_same_instant_in_other_zone_is_same_content() -> None:
    utc = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    paris = datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert content_hash({"t": utc}) == content_hash({"t": paris})


def test_str_enum_hashes_as_its_value() -> None:
    class Colour(StrEnum):
        RED = "red"

    assert content_hash({"c": Colour.RED}) == content_hash({"c": "red"})


def test_tuple_and_list_are_the_same_array() -> None:
    assert content_hash({"x": (1, 2)}) == content_hash({"x": [1, 2]})


@pytest.mark.parametrize(
    ("payload", "error", "where"),
    [
        ({"t": datetime(2024, 1, 1)}, ValueError, r"\$\.t"),
        ({"p": Decimal("NaN")}, ValueError, r"\$\.p"),
        ({"p": float("inf")}, ValueError, r"\$\.p"),
        ({"s": {1, 2}}, TypeError, r"\$\.s"),
        ({"b": b"raw"}, TypeError, r"\$\.b"),
        ({"n": {1: "x"}}, TypeError, r"\$\.n"),
        ({"l": [0, object()]}, TypeError, r"\$\.l\[1\]"),
    ],
)
def test_rejects_what_it_cannot_hash_faithfully(payload: Any, error: type, where: str) -> None:
    with pytest.raises(error, match=where):
        content_hash(payload)


def test_rejects_non_mapping() -> None:
    with pytest.raises(TypeError):
        content_hash([1, 2])  # type: ignore[arg-type]


# ---------------------------------------------------------------- property

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.datetimes(timezones=st.just(UTC))
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=8,
)
payloads = st.dictionaries(st.text(max_size=6), values, min_size=1, max_size=6)


def same(a: Any, b: Any) -> bool:
    """Identical content: same types all the way down and same written form."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return repr(a) == repr(b)


@settings(max_examples=300, deadline=None)
@given(payload=payloads, data=st.data())
def test_any_changed_value_changes_the_hash(payload: dict[str, Any], data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(payload)))
    new = data.draw(values)
    changed = {**payload, key: new}
    if same(payload[key], new):
        assert content_hash(changed) == content_hash(payload)
    else:
        assert content_hash(changed) != content_hash(payload)


@settings(max_examples=200, deadline=None)
@given(payload=payloads, data=st.data())
def test_added_or_renamed_key_changes_the_hash(
    payload: dict[str, Any], data: st.DataObject
) -> None:
    new_key = data.draw(st.text(max_size=6).filter(lambda k: k not in payload))
    old_key = data.draw(st.sampled_from(sorted(payload)))
    renamed = {(new_key if k == old_key else k): v for k, v in payload.items()}
    assert content_hash(renamed) != content_hash(payload)
    assert content_hash({**payload, new_key: None}) != content_hash(payload)


@settings(max_examples=100, deadline=None)
@given(payload=payloads)
def test_insertion_order_never_matters(payload: dict[str, Any]) -> None:
    assert content_hash(dict(reversed(list(payload.items())))) == content_hash(payload)


@pytest.mark.parametrize(
    "value",
    ["a" * 63 + "\n", "A" * 64, "a" * 63, "a" * 65, "g" * 64, "٠" * 64, 7, b"a" * 64],
)
def test_a_binding_hash_that_is_not_a_lowercase_sha256_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="content_hash must be a lowercase hex sha256"):
        check_hash(value)


def test_a_lowercase_sha256_or_none_is_a_binding_hash() -> None:
    check_hash(None)
    check_hash("0123456789abcdef" * 4)
