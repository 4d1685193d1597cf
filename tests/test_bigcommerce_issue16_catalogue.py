"""Issue 16, BigCommerce: brands, related products, custom fields, measures and barcodes.

The sandbox's brands follow ``reference/catalog/brands_catalog.v3.yml`` (unique names,
409 on a duplicate, 422 without a name) and a product's ``brand_id`` must be a brand of
the store; its ``/catalog/products/{id}/custom-fields`` follow
``reference/catalog/products_catalog.v3.yml`` (names and values 1–250 characters, each
name-value pair once a product, 200 fields a product, 404 for an unknown product or
field). The connector finds a brand by name, makes it when missing, and writes its id;
up-sells land in ``related_products``; an updated product's features are written as its
custom fields. What was written is read back raw
(``tests/conformance/readback/bigcommerce.py``), not through the connector.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.model import ProductAttribute, ProductDraft
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.bigcommerce.platform import TOKEN, BigCommercePlatform
from tests.conformance.readback import reader

CHAIR = {"name": "Chaise", "type": "physical", "weight": 3.5, "price": 49.9, "sku": "CHAIR"}
FIELDS = "/v3/catalog/products/{pid}/custom-fields"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BigCommercePlatform]:
    box = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", seed=False, quota=10_000
    )
    box.start()
    try:
        yield BigCommercePlatform(box)
    finally:
        box.stop()


@pytest.fixture
def http(store: BigCommercePlatform) -> Iterator[httpx.Client]:
    box = store.sandbox
    with httpx.Client(
        base_url=f"{box.url}/stores/{box.store_hash}",
        headers={"X-Auth-Token": TOKEN},
        verify=ssl.create_default_context(cafile=str(box.ca_bundle)),
    ) as client:
        yield client


def _connector(store: BigCommercePlatform) -> BigCommerceShop:
    box = store.sandbox
    return BigCommerceShop(
        box.url, box.store_hash, TOKEN, options=HttpOptions(verify=box.ca_bundle, backoff_base=0.05)
    )


def _draft(sku: str, name: str, **changes: Any) -> ProductDraft:
    return ProductDraft(sku=sku, name=name, regular_price=Decimal("20"), **changes)


def _brand_calls(store: BigCommercePlatform) -> list[tuple[str, int]]:
    return [
        (e.method, e.status)
        for e in store.sandbox.exchanges
        if e.path.startswith("/v3/catalog/brands")
    ]


# ----------------------------------------------------------------------------- sandbox
def test_brand_names_are_required_unique_and_found_without_case(http: httpx.Client) -> None:
    made = http.post("/v3/catalog/brands", json={"name": "Revol"})
    assert made.status_code == 200
    brand = made.json()["data"]
    assert brand["name"] == "Revol" and brand["custom_url"]["url"] == "/revol/"
    duplicate = http.post("/v3/catalog/brands", json={"name": "REVOL"})
    assert duplicate.status_code == 409 and "name" in duplicate.json()["errors"]
    assert http.post("/v3/catalog/brands", json={"page_title": "x"}).status_code == 422
    assert http.post("/v3/catalog/brands", json={"name": "x" * 256}).status_code == 422
    found = http.get("/v3/catalog/brands", params={"name": "revol"}).json()["data"]
    assert [b["id"] for b in found] == [brand["id"]]
    assert http.get("/v3/catalog/brands", params={"name": "Pillivuyt"}).json()["data"] == []
    assert http.get(f"/v3/catalog/brands/{brand['id']}").json()["data"]["name"] == "Revol"
    assert http.get("/v3/catalog/brands/9999").status_code == 404


def test_a_product_brand_id_must_be_a_brand_of_the_store(http: httpx.Client) -> None:
    refused = http.post("/v3/catalog/products", json={**CHAIR, "brand_id": 77})
    assert refused.status_code == 422 and "brand_id" in refused.json()["errors"]
    bid = http.post("/v3/catalog/brands", json={"name": "Revol"}).json()["data"]["id"]
    made = http.post("/v3/catalog/products", json={**CHAIR, "brand_id": bid})
    assert made.status_code == 200 and made.json()["data"]["brand_id"] == bid
    pid = made.json()["data"]["id"]
    batch = http.put("/v3/catalog/products", json=[{"id": pid, "brand_id": 78}])
    assert batch.status_code == 422
    assert http.put("/v3/catalog/products", json=[{"id": pid, "brand_id": 0}]).status_code == 200


def test_a_product_brand_name_adds_it_to_the_brand_made_when_missing(http: httpx.Client) -> None:
    made = http.post("/v3/catalog/products", json={**CHAIR, "brand_name": "Revol"})
    assert made.status_code == 200 and "brand_name" not in made.json()["data"]
    bid = made.json()["data"]["brand_id"]
    assert http.get(f"/v3/catalog/brands/{bid}").json()["data"]["name"] == "Revol"
    other = http.post(
        "/v3/catalog/products",
        json={**CHAIR, "name": "Tabouret", "sku": "T", "brand_name": "revol"},
    )
    assert other.json()["data"]["brand_id"] == bid
    assert len(http.get("/v3/catalog/brands").json()["data"]) == 1


# --------------------------------------------------------------------------- connector
def test_a_brand_is_made_once_and_read_back_on_each_product(store: BigCommercePlatform) -> None:
    with _connector(store) as shop:
        outcomes = shop.write_products(
            [
                ProductWrite("a", _draft("POT-1", "Pot", brand="Revol")),
                ProductWrite("b", _draft("POT-2", "Poêle", brand="revol")),
                ProductWrite("c", _draft("POT-3", "Plat")),
            ]
        )
    assert [o.ok for o in outcomes] == [True, True, True]
    assert all("brand" not in o.unsupported for o in outcomes)
    assert _brand_calls(store) == [("GET", 200), ("POST", 200)]
    read = reader("bigcommerce")
    assert [read.read_product(store, s)["brand"] for s in ("POT-1", "POT-2", "POT-3")] == [
        "Revol",
        "Revol",
        "",
    ]


def test_a_brand_the_store_has_is_found_by_name_not_made_again(
    store: BigCommercePlatform, http: httpx.Client
) -> None:
    http.post("/v3/catalog/brands", json={"name": "Pillivuyt"})
    store.sandbox.exchanges.clear()
    with _connector(store) as shop:
        assert shop.write_products([ProductWrite("a", _draft("P-1", "Plat", brand="PILLIVUYT"))])[
            0
        ].ok
    assert [m for m, _s in _brand_calls(store) if m == "POST"] == []
    assert reader("bigcommerce").read_product(store, "P-1")["brand"] == "Pillivuyt"


def test_a_brand_made_meanwhile_is_read_again_after_the_409(
    store: BigCommercePlatform, http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from passerelle.connectors.bigcommerce.brands import Brands

    found = Brands._find
    reads: list[str] = []

    def late(self: Brands, name: str) -> int | None:
        reads.append(name)
        if len(reads) == 1:  # another app makes the brand just after this read
            http.post("/v3/catalog/brands", json={"name": "Revol"})
            return None
        return found(self, name)

    monkeypatch.setattr(Brands, "_find", late)
    with _connector(store) as shop:
        outcome = shop.write_products([ProductWrite("a", _draft("P-1", "Plat", brand="Revol"))])[0]
    assert outcome.ok, outcome.error
    assert ("POST", 409) in _brand_calls(store) and len(reads) == 2
    assert reader("bigcommerce").read_product(store, "P-1")["brand"] == "Revol"
    assert len(store.sandbox.data["brands"]) == 1


def test_an_update_writes_the_brand_only_when_asked(store: BigCommercePlatform) -> None:
    draft = _draft("P-1", "Plat", brand="Revol")
    with _connector(store) as shop:
        pid = shop.write_products([ProductWrite("a", draft)])[0].shop_id
        store.sandbox.exchanges.clear()
        renamed = ProductWrite(
            "a", _draft("P-1", "Plat", brand="Mauviel"), pid, frozenset({"name"})
        )
        assert shop.write_products([renamed])[0].ok
        assert _brand_calls(store) == []  # the brand's policy is "keep"
        assert reader("bigcommerce").read_product(store, "P-1")["brand"] == "Revol"
        changed = ProductWrite("a", renamed.draft, pid, frozenset({"brand"}))
        assert shop.write_products([changed])[0].ok
        assert reader("bigcommerce").read_product(store, "P-1")["brand"] == "Mauviel"
        removed = ProductWrite("a", _draft("P-1", "Plat"), pid, frozenset({"brand"}))
        assert shop.write_products([removed])[0].ok
    assert reader("bigcommerce").read_product(store, "P-1")["brand"] == ""


def test_a_brand_name_too_long_is_the_product_s_error(store: BigCommercePlatform) -> None:
    with _connector(store) as shop:
        outcome = shop.write_products([ProductWrite("a", _draft("P-1", "Plat", brand="B" * 256))])[
            0
        ]
    assert not outcome.ok and "255" in str(outcome.error)
    assert _brand_calls(store) == []
    assert store.sandbox.data["products"] == {}


def test_up_sells_are_the_related_products_read_back(store: BigCommercePlatform) -> None:
    with _connector(store) as shop:
        first = shop.write_products(
            [
                ProductWrite("a", _draft("A", "Assiette")),
                ProductWrite("t", _draft("T", "Tasse", kind="variable")),
            ]
        )
        a, t = (str(o.shop_id) for o in first)
        variant = _draft("T-M", "Tasse M", kind="variation", variation_options=(("Taille", "M"),))
        v = shop.write_variations(t, [ProductWrite("v", variant)])[0].shop_id
        # A variation stands for its product; each product once.
        written = shop.write_products(
            [ProductWrite("b", _draft("B", "Bol", upsell_ids=(a, str(v), t), cross_sell_ids=(a,)))]
        )[0]
        assert written.ok
        assert "upsell_ids" not in written.unsupported
        assert "cross_sell_ids" in written.unsupported  # BigCommerce has one list only
        read = reader("bigcommerce")
        assert read.read_product(store, "B")["upsell_ids"] == (a, t)
        # No up-sell: the store's own choice is left as it is (nothing sent).
        assert read.read_product(store, "A")["upsell_ids"] == ()
        assert store.sandbox.data["products"][a]["related_products"] == [-1]
        bid = str(written.shop_id)
        assert shop.write_products(
            [ProductWrite("b", _draft("B", "Bol", upsell_ids=(t,)), bid, frozenset({"upsell_ids"}))]
        )[0].ok
    assert reader("bigcommerce").read_product(store, "B")["upsell_ids"] == (t,)


# ----------------------------------------------------------------- custom fields
def _features(**named: str) -> tuple[ProductAttribute, ...]:
    return tuple(ProductAttribute(name, (value,)) for name, value in named.items())


def _field_calls(store: BigCommercePlatform) -> list[str]:
    return [e.method for e in store.sandbox.exchanges if "/custom-fields" in e.path]


def test_custom_fields_are_bounded_unique_by_pair_and_of_a_known_product(
    http: httpx.Client,
) -> None:
    pid = http.post("/v3/catalog/products", json=CHAIR).json()["data"]["id"]
    path = FIELDS.format(pid=pid)
    made = http.post(path, json={"name": "Bois", "value": "Chêne"})
    assert made.status_code == 200
    fid = made.json()["data"]["id"]
    assert http.post(path, json={"name": "Bois", "value": "Chêne"}).status_code == 422
    assert http.post(path, json={"name": "Bois", "value": "Hêtre"}).status_code == 200
    assert http.post(path, json={"name": "Bois"}).status_code == 422
    assert http.post(path, json={"name": "x" * 251, "value": "v"}).status_code == 422
    assert http.post(FIELDS.format(pid=9999), json={"name": "a", "value": "b"}).status_code == 404
    # Changing a field into a pair the product already has is refused too.
    assert http.put(f"{path}/{fid}", json={"value": "Hêtre"}).status_code == 422
    changed = http.put(f"{path}/{fid}", json={"value": "Noyer"})
    assert changed.status_code == 200 and changed.json()["data"]["value"] == "Noyer"
    assert http.put(f"{path}/9999", json={"value": "Noyer"}).status_code == 404
    listed = http.get(path).json()["data"]
    assert [(f["name"], f["value"]) for f in listed] == [("Bois", "Noyer"), ("Bois", "Hêtre")]
    assert http.delete(f"{path}/{fid}").status_code == 204
    assert len(http.get(path).json()["data"]) == 1


def test_a_product_holds_at_most_200_custom_fields(http: httpx.Client) -> None:
    many = [{"name": f"F{i}", "value": "v"} for i in range(201)]
    refused = http.post("/v3/catalog/products", json={**CHAIR, "custom_fields": many})
    assert refused.status_code == 422
    twice = [{"name": "Bois", "value": "Chêne"}] * 2
    assert http.post(
        "/v3/catalog/products", json={**CHAIR, "custom_fields": twice}
    ).status_code == (422)
    pid = http.post("/v3/catalog/products", json={**CHAIR, "custom_fields": many[:200]}).json()[
        "data"
    ]["id"]
    assert http.post(FIELDS.format(pid=pid), json={"name": "F", "value": "v"}).status_code == 422


def test_gtin_and_mpn_have_no_length_limit_but_upc_has_32(http: httpx.Client) -> None:
    # product_Base gives upc maxLength 32 and gtin/mpn none.
    assert http.post("/v3/catalog/products", json={**CHAIR, "upc": "1" * 33}).status_code == 422
    long_codes = {"gtin": "1" * 300, "mpn": "M" * 300}
    assert http.post("/v3/catalog/products", json={**CHAIR, **long_codes}).status_code == 200


def test_an_update_writes_the_features_as_custom_fields(
    store: BigCommercePlatform, http: httpx.Client
) -> None:
    draft = ProductDraft(
        sku="TAB", name="Table", regular_price=Decimal("90"), attributes=_features(Bois="Chêne")
    )
    read = reader("bigcommerce")
    with _connector(store) as shop:
        pid = str(shop.write_products([ProductWrite("t", draft)])[0].shop_id)
        # The merchant adds a field of their own in the control panel.
        http.post(FIELDS.format(pid=pid), json={"name": "Garantie", "value": "2 ans"})
        store.sandbox.exchanges.clear()
        changed = replace(draft, attributes=_features(Bois="Hêtre", Finition="Huilée"))
        outcome = shop.write_products([ProductWrite("t", changed, pid, frozenset({"attributes"}))])[
            0
        ]
        assert outcome.ok and "attributes" not in outcome.unsupported
        assert _field_calls(store) == ["GET", "PUT", "POST"]
        assert dict((a.name, a.options) for a in read.read_product(store, "TAB")["attributes"]) == {
            "Bois": ("Hêtre",),
            "Finition": ("Huilée",),
            "Garantie": ("2 ans",),
        }
        store.sandbox.exchanges.clear()
        # Features that already read the same cost the read only.
        again = shop.write_products([ProductWrite("t", changed, pid, frozenset({"attributes"}))])
        assert again[0].ok and _field_calls(store) == ["GET"]
        store.sandbox.exchanges.clear()
        # The features' policy is "keep": nothing is read or written.
        kept = shop.write_products([ProductWrite("t", draft, pid, frozenset({"name"}))])
        assert kept[0].ok and _field_calls(store) == []


def test_a_refused_custom_field_is_the_product_s_error(store: BigCommercePlatform) -> None:
    draft = ProductDraft(sku="TAB", name="Table", regular_price=Decimal("90"))
    with _connector(store) as shop:
        pid = str(shop.write_products([ProductWrite("t", draft)])[0].shop_id)
        store.sandbox.data["custom_fields"][pid] = [
            {"id": 500 + i, "name": f"F{i}", "value": "v"} for i in range(200)
        ]
        full = replace(draft, attributes=_features(Bois="Chêne"))
        outcome = shop.write_products([ProductWrite("t", full, pid, frozenset({"attributes"}))])[0]
    assert not outcome.ok and "200 custom fields" in str(outcome.error)


def test_weight_and_dimensions_are_at_most_9999999999(http: httpx.Client) -> None:
    # product_Base: weight, width, depth, height have minimum 0 and maximum 9,999,999,999.
    for field in ("weight", "width", "depth", "height"):
        refused = http.post("/v3/catalog/products", json={**CHAIR, field: 10_000_000_000})
        assert refused.status_code == 422 and field in refused.json()["errors"], field
    top = {f: 9_999_999_999 for f in ("weight", "width", "depth", "height")}
    assert http.post("/v3/catalog/products", json={**CHAIR, **top}).status_code == 200
