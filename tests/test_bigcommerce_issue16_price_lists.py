"""Issue 16, BigCommerce: customer-group prices as price lists (C10).

The sandbox's ``/v3/pricelists``, its records and assignments follow
``reference/price_lists.v3.yml`` (``passerelle/sandbox/bigcommerce/price_lists.py`` cites each
rule); the connector gives each customer group a price list of its name, assigned to it,
and upserts each product's or variant's price there by SKU. What was written is read back
raw (``tests/conformance/readback/bigcommerce.py``), as ("group", price) pairs.
"""

# The store/http fixtures are those of the catalogue tests, imported (pytest finds them by
# name, so each test's parameter "redefines" them for ruff).
# ruff: noqa: F811

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from passerelle.connectors.base import GroupWrite, ProductWrite
from passerelle.i18n.messages import render
from passerelle.model import CustomerGroup, ProductDraft
from passerelle.sandbox.bigcommerce.platform import BigCommercePlatform
from tests.conformance.readback import reader
from tests.test_bigcommerce_issue16_catalogue import (  # noqa: F401 - fixtures
    _connector,
    http,
    store,
)

CHAIR = {"name": "Chaise", "type": "physical", "weight": 3.5, "price": 49.9, "sku": "CHAIR"}


def _draft(sku: str, *prices: tuple[str, str], **changes: Any) -> ProductDraft:
    return ProductDraft(
        sku=sku,
        name=f"Produit {sku}",
        regular_price=Decimal("20"),
        group_prices=tuple((g, Decimal(p)) for g, p in prices),
        **changes,
    )


def _group_prices(store: BigCommercePlatform, sku: str) -> set[tuple[str, Decimal]]:
    shown = reader("bigcommerce").read_product(store, sku)["group_prices"]
    return {(g, p.normalize()) for g, p in shown}


def _calls(store: BigCommercePlatform, start: str) -> list[tuple[str, str]]:
    return [(e.method, e.path) for e in store.sandbox.exchanges if e.path.startswith(start)]


# ----------------------------------------------------------------------------- sandbox
def test_price_list_names_are_required_and_unique(http: httpx.Client) -> None:
    assert http.post("/v3/pricelists", json={"active": True}).status_code == 422
    made = http.post("/v3/pricelists", json={"name": "Revendeurs"})
    assert made.status_code == 200 and made.json()["data"]["active"] is True
    assert http.post("/v3/pricelists", json={"name": "Revendeurs"}).status_code == 409
    found = http.get("/v3/pricelists", params={"name": "Revendeurs"}).json()["data"]
    assert [p["id"] for p in found] == [made.json()["data"]["id"]]
    assert http.get("/v2/currencies").json()[0]["currency_code"] == "EUR"


def test_records_need_a_currency_a_price_and_a_known_variant_and_are_upserted(
    http: httpx.Client,
) -> None:
    http.post("/v3/catalog/products", json=CHAIR)
    list_id = http.post("/v3/pricelists", json={"name": "Pro"}).json()["data"]["id"]
    path = f"/v3/pricelists/{list_id}/records"
    refused = http.put(
        path,
        json=[
            {"sku": "CHAIR", "currency": "eur", "price": 40},
            {"sku": "CHAIR", "price": 40},
            {"sku": "NOPE", "currency": "eur", "price": 1},
            {"sku": "CHAIR", "currency": "eur"},
            {"sku": "CHAIR", "currency": "eur", "price": 1, "sale_price": -1},
        ],
    )
    assert refused.status_code == 422
    fields = [set(e["field_errors"]) for e in refused.json()["batch_errors"]]
    assert fields == [{"currency"}, {"sku"}, {"price"}, {"sale_price"}]
    assert http.get(path).json()["data"] == []  # nothing written
    assert http.put(path, json=[{"sku": "CHAIR", "price": 1}] * 1001).status_code == 422
    for price in (40, 38.5):  # the second replaces the first
        ok = http.put(path, json=[{"sku": "CHAIR", "currency": "EUR", "price": price}])
        assert ok.status_code == 200 and ok.json() == {"data": {}, "meta": {}}
    (record,) = http.get(path, params={"sku:in": "CHAIR", "include": "sku"}).json()["data"]
    assert record["price"] == 38.5 and record["calculated_price"] == 38.5
    assert record["currency"] == "eur" and record["sku"] == "CHAIR"
    assert http.delete(path, params={"sku:in": "CHAIR"}).status_code == 204
    assert http.get(path).json()["data"] == []
    assert http.get("/v3/pricelists/9999/records").status_code == 404


def test_a_product_with_variants_is_priced_on_its_variants(http: httpx.Client) -> None:
    http.post(
        "/v3/catalog/products",
        json={
            **CHAIR,
            "variants": [
                {
                    "sku": "CHAIR-R",
                    "option_values": [{"option_display_name": "Couleur", "label": "Rouge"}],
                }
            ],
        },
    )
    list_id = http.post("/v3/pricelists", json={"name": "Pro"}).json()["data"]["id"]
    path = f"/v3/pricelists/{list_id}/records"
    parent = http.put(path, json=[{"sku": "CHAIR", "currency": "eur", "price": 1}])
    assert parent.status_code == 422
    assert http.put(path, json=[{"sku": "CHAIR-R", "currency": "eur", "price": 1}]).is_success


def test_assignments_need_a_list_a_group_without_discounts_and_replace_the_groups_list(
    http: httpx.Client,
) -> None:
    pro = http.post("/v2/customer_groups", json={"name": "Pro"}).json()["id"]
    sale = http.post(
        "/v2/customer_groups",
        json={"name": "Soldes", "discount_rules": [{"type": "percent", "amount": 10}]},
    ).json()["id"]
    first, second = (
        http.post("/v3/pricelists", json={"name": n}).json()["data"]["id"] for n in ("A", "B")
    )
    path = "/v3/pricelists/assignments"
    assert http.post(path, json=[{"customer_group_id": pro}]).status_code == 422
    assert (
        http.post(path, json=[{"price_list_id": 999, "customer_group_id": pro}]).status_code == 422
    )
    discounted = http.post(path, json=[{"price_list_id": first, "customer_group_id": sale}])
    assert discounted.status_code == 422 and "discounts" in str(discounted.json()["errors"])
    assert http.post(path, json=[{"price_list_id": first}] * 26).status_code == 422
    for list_id in (first, second):
        assert http.post(
            path, json=[{"price_list_id": list_id, "customer_group_id": pro}]
        ).is_success
    shown = http.get(path, params={"customer_group_id": pro}).json()["data"]
    assert [a["price_list_id"] for a in shown] == [second]


# --------------------------------------------------------------------------- connector
def test_group_prices_land_in_each_groups_price_list_read_back_by_sku(
    store: BigCommercePlatform,
) -> None:
    with _connector(store) as shop:
        shop.write_customer_groups(
            [GroupWrite(n, CustomerGroup(n, n)) for n in ("Revendeurs", "Collectivités")]
        )
        outcomes = shop.write_products(
            [
                ProductWrite("a", _draft("POT-1", ("Revendeurs", "18"), ("Collectivités", "17.5"))),
                ProductWrite("b", _draft("POT-2", ("Revendeurs", "9.90"))),
                ProductWrite("t", _draft("TSH", ("Revendeurs", "1"), kind="variable")),
            ]
        )
        assert [o.ok for o in outcomes] == [True, True, True]
        assert all("group_prices" not in o.unsupported for o in outcomes)
        variation = _draft(
            "TSH-R",
            ("Collectivités", "12"),
            kind="variation",
            variation_options=(("Couleur", "Rouge"),),
        )
        (made,) = shop.write_variations(str(outcomes[2].shop_id), [ProductWrite("v", variation)])
    assert made.ok, made.error
    assert _group_prices(store, "POT-1") == {
        ("Revendeurs", Decimal(18)),
        ("Collectivités", Decimal("17.5")),
    }
    assert _group_prices(store, "POT-2") == {("Revendeurs", Decimal("9.9"))}
    assert _group_prices(store, "TSH-R") == {("Collectivités", Decimal(12))}
    assert _group_prices(store, "TSH") == set()  # the parent: priced on its variants
    # One list a group, made and assigned once; one records request a list and batch.
    assert [m for m, _p in _calls(store, "/v3/pricelists") if m == "POST"].count("POST") == 4
    assert len(store.sandbox.data["price_lists"]) == 2


def test_a_group_no_longer_priced_loses_its_record(store: BigCommercePlatform) -> None:
    with _connector(store) as shop:
        shop.write_customer_groups(
            [GroupWrite(n, CustomerGroup(n, n)) for n in ("Revendeurs", "Collectivités")]
        )
        (made,) = shop.write_products(
            [ProductWrite("a", _draft("POT-1", ("Revendeurs", "18"), ("Collectivités", "17")))]
        )
    with _connector(store) as shop:  # a later run: the lists are found by their assignment
        (updated,) = shop.write_products(
            [
                ProductWrite(
                    "a",
                    _draft("POT-1", ("Revendeurs", "16")),
                    made.shop_id,
                    frozenset({"group_prices"}),
                )
            ]
        )
    assert updated.ok, updated.error
    assert _group_prices(store, "POT-1") == {("Revendeurs", Decimal(16))}
    assert len(store.sandbox.data["price_lists"]) == 2


def test_a_group_the_shop_lacks_is_that_records_error(store: BigCommercePlatform) -> None:
    with _connector(store) as shop:
        broken, fine = shop.write_products(
            [
                ProductWrite("a", _draft("POT-1", ("Inconnus", "18"))),
                ProductWrite("b", _draft("POT-2")),
            ]
        )
    assert not broken.ok and "Inconnus" in render(broken.error) and fine.ok
