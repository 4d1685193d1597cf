"""The fast canonical form gives the very text (and hash) the checked one gives.

Hashes are stored with every binding: a different text for the same payload
would make every shop resend its whole catalogue once after an upgrade. The
hashes pinned here were computed by passerelle before the fast path existed.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.flows.catalogue import price_hash, stock_hash
from passerelle.flows.export_products import product_hash
from passerelle.model import ProductDraft
from passerelle.store import canonical_json, content_hash
from passerelle.store.hashing import _canon


class Colour(StrEnum):
    RED = "red"


def checked(payload: Any) -> str:
    """The checked path alone: what canonical_json was before it had a fast one."""
    return json.dumps(
        _canon(payload, "$"),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=6),
    st.sampled_from(["$", "$x", "$$y", "$decimal", "é", Colour.RED]),
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5))])),
)
keys = st.one_of(st.text(max_size=5), st.sampled_from(["$", "$a", "$$b", "$datetime"]))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
        st.dictionaries(keys, inner, max_size=3).map(MappingProxyType),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_fast_and_checked_paths_write_the_same_text(payload: dict[str, Any]) -> None:
    assert canonical_json(payload) == checked(payload)


@pytest.mark.parametrize(
    ("payload", "error", "where"),
    [
        ({"a": [1, {"b": float("nan")}]}, ValueError, "$.a[1].b"),
        ({"a": {"b": Decimal("Infinity")}}, ValueError, "$.a.b"),
        ({"a": [datetime(2024, 1, 1)]}, ValueError, "$.a[0]"),
        ({"a": {1: "x"}}, TypeError, "$.a"),
        ({"a": [{"b"}]}, TypeError, "$.a[0]"),
    ],
)
def test_a_refused_value_is_named_by_its_path(
    payload: dict[str, Any], error: type[Exception], where: str
) -> None:
    with pytest.raises(error, match=rf"^{re.escape(where)}: "):
        canonical_json(payload)


def test_the_catalogue_hashes_are_those_stored_before() -> None:
    draft = ProductDraft(
        sku="AR1",
        name="Été",
        regular_price=Decimal("12.50"),
        sale_price=Decimal("9.99"),
        group_prices=(("pro", Decimal("10.00")),),
        weight=Decimal("0.250"),
        category_ids=("3", "4"),
        stock_quantity=5,
    )
    assert stock_hash(0) == "d8ff54f9f20af8df1c3b8e0de3d257fd9496c487b77a940d1238e08821ea0d29"
    assert stock_hash(7, True) == (
        "644ea04ae5681e8bc1a9468db458928f498f30c9f9ab70a905183d9f1cd34572"
    )
    assert stock_hash(None) == "d854a8636acea41a9a0dce14df93e4e2e19cf54e6227652ada0070dc51b02e0b"
    assert price_hash(draft) == "cbaf156d99345ae8e1af9be174061357928a280a2f1e97fa6d7e2d3ad5141836"
    every_field = frozenset(f.name for f in fields(ProductDraft)) - {"active"}
    assert product_hash(draft, every_field, "on") == (
        "73c26ae78e19dc757a5c9ef7519a8fdb096beaa21cb6a971b3377d35dea1af45"
    )


def test_stock_hash_tells_a_quantity_from_a_flag() -> None:
    """Remembered per value, yet 1 and True (equal in Python) hash apart, as before."""
    assert stock_hash(1) == content_hash({"quantity": 1})
    assert stock_hash(True) == content_hash({"quantity": True}) != stock_hash(1)  # type: ignore[arg-type]
    assert stock_hash(1, False) != stock_hash(1, None)
