"""The fast canonical form gives the very text (and hash) the checked one gives.

Hashes are stored with every binding: a different text for the same payload
would make every shop resend its whole catalogue once after an upgrade. The
hashes pinned here were computed by passerelle before the fast path existed.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from hashlib import sha256
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.flows.catalogue import price_hash, stock_hash
from passerelle.flows.export_products import checked_product_hash, product_hash
from passerelle.flows.sent import Unusual, canonical_fields, canonical_text, sent_fields, sent_json
from passerelle.model import MediaRef, ProductAttribute, ProductDraft, ProductTexts
from passerelle.store import canonical_json, content_hash
from passerelle.store.hashing import _canon, encode_canonical


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


def _rich_draft(**changes: Any) -> ProductDraft:
    """A product with every shape a draft holds: files, attributes, translations, pairs."""
    photo = MediaRef("photo-ab12.jpg", "https://bo/photo.jpg", "ab12" * 16, shop_id="77")
    sheet = MediaRef("sheet-cd34.pdf", "https://bo/sheet.pdf", "cd34" * 16)
    draft = ProductDraft(
        sku="AR2",
        name='Chaise $ "bois"',
        regular_price=Decimal("120.00"),
        weight=Decimal("4.5"),
        sale_price=None,
        group_prices=(("pro", Decimal("99.90")), ("vip", Decimal("95"))),
        category_ids=("3",),
        attributes=(ProductAttribute("Colour", ("red", "blue"), variation=True),),
        variation_options=(("Colour", "red"),),
        images=(photo,),
        documents=(sheet,),
        translations=(ProductTexts("fr", name="Chaise", description="En bois"),),
        stock_quantity=3,
        hidden=True,
        tax_rate=Decimal("0.2"),
    )
    return replace(draft, **changes)


EVERY_FIELD = frozenset(f.name for f in fields(ProductDraft))


def test_a_product_hash_and_its_kept_content_are_those_of_the_checked_path() -> None:
    draft = _rich_draft()
    names = EVERY_FIELD - {"active"}
    assert product_hash(draft, names, "off") == checked_product_hash(draft, names, "off")
    assert product_hash(draft, names, "off") == (
        "7420e2f49b779118b8e6c552f2df4d5fd44d4534b7f26604c94b500f10e6778f"  # computed before
    )
    for kept in (EVERY_FIELD, frozenset({"images", "regular_price", "attributes", "active"})):
        assert sent_json(draft, kept) == canonical_json(sent_fields(draft, kept))
    # Files are kept by their name, hashed by their digest.
    assert '"images":["photo-ab12.jpg"]' in sent_json(draft, EVERY_FIELD)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=8),
            "regular_price": st.decimals(allow_nan=False, allow_infinity=False, places=2),
            "weight": st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False)),
            "stock_quantity": st.one_of(st.none(), st.integers()),
            "category_ids": st.lists(st.text(max_size=3), max_size=3).map(tuple),
            "group_prices": st.lists(
                st.tuples(st.text(max_size=3), st.decimals(allow_nan=False, allow_infinity=False)),
                max_size=2,
            ).map(tuple),
            "hidden": st.booleans(),
        }
    ),
    st.sets(st.sampled_from(sorted(EVERY_FIELD)), max_size=12),
    st.sampled_from(["on", "off"]),
)
def test_one_walk_and_checked_paths_agree_on_any_product(
    changes: dict[str, Any], names: set[str], state: str
) -> None:
    draft = _rich_draft(**changes)
    chosen = frozenset(names)
    assert product_hash(draft, chosen, state) == checked_product_hash(draft, chosen, state)
    assert sent_json(draft, chosen) == canonical_json(sent_fields(draft, chosen))


def test_a_value_the_walk_does_not_know_takes_the_checked_path() -> None:
    """A text subclass (an enum) and a non-finite price give the checked path's answer."""
    draft = _rich_draft(name=Colour.RED)
    assert product_hash(draft, EVERY_FIELD, "on") == checked_product_hash(draft, EVERY_FIELD, "on")
    assert sent_json(draft, EVERY_FIELD) == canonical_json(sent_fields(draft, EVERY_FIELD))
    with pytest.raises(ValueError, match=r"^\$\.regular_price: "):
        product_hash(_rich_draft(regular_price=Decimal("NaN")), EVERY_FIELD, "on")


texts = st.text(max_size=6, alphabet=st.characters(codec="utf-8"))


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "name": texts,
            "description": texts,
            "stock_quantity": st.one_of(st.none(), st.integers(), st.just(True)),
            "weight": st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False)),
            "category_ids": st.lists(texts, max_size=3).map(tuple),
            "attributes": st.lists(
                st.builds(ProductAttribute, texts, st.lists(texts, max_size=2).map(tuple)),
                max_size=2,
            ).map(tuple),
            "tax_rate": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
        }
    ),
    st.sets(st.sampled_from(sorted(EVERY_FIELD)), max_size=14),
    st.booleans(),
)
def test_the_written_text_is_the_encoded_canonical_form(
    changes: dict[str, Any], names: set[str], hashed: bool
) -> None:
    """Written straight as text (escapes, unicode, floats, nested records, files), a
    record's fields read as the structure the one walk builds, once encoded."""
    draft = _rich_draft(**changes)
    chosen = frozenset(names)
    assert canonical_text(draft, chosen, hashed=hashed) == encode_canonical(
        canonical_fields(draft, chosen, hashed=hashed)
    )
    assert canonical_text(draft, chosen, hashed=hashed, before='"$$state":"on"') == (
        encode_canonical({**canonical_fields(draft, chosen, hashed=hashed), "$$state": "on"})
    )


def test_the_written_text_refuses_what_the_walk_refuses() -> None:
    with pytest.raises(Unusual):
        canonical_text(_rich_draft(weight=Decimal("NaN")), EVERY_FIELD)
    with pytest.raises(Unusual):
        canonical_text(_rich_draft(tax_rate=float("inf")), EVERY_FIELD, hashed=True)
    assert canonical_text(_rich_draft(), frozenset()) == "{}"
    assert canonical_text(_rich_draft(), frozenset({"sku", "not_a_field"})) == '{"sku":"AR2"}'


prices = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.sampled_from([Decimal("1.10"), Decimal("1.1"), Decimal("-0"), Decimal("1E+2"), 3, 1.5]),
)


@settings(max_examples=300, deadline=None)
@given(
    prices,
    prices,
    st.lists(st.tuples(st.sampled_from(["pro", "$x", 'é"\n', ""]), prices), max_size=3),
)
def test_a_price_hash_is_the_hash_of_its_payload(
    regular: Any, sale: Any, groups: list[tuple[str, Any]]
) -> None:
    """The price text written straight (finite prices, named groups) and the checked path
    for anything else hash as the payload always did: no price resent after an upgrade."""
    draft = ProductDraft(
        sku="A", name="n", regular_price=regular, sale_price=sale, group_prices=tuple(groups)
    )
    payload = {"price": regular, "sale": sale, "groups": [list(g) for g in groups]}
    assert price_hash(draft) == content_hash(payload)
    assert price_hash(draft) == sha256(checked(payload).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_a_price_the_text_does_not_know_is_refused_as_before(value: Decimal) -> None:
    draft = ProductDraft(sku="A", name="n", regular_price=Decimal(1), sale_price=value)
    with pytest.raises(ValueError, match=r"^\$\.sale: "):
        price_hash(draft)
