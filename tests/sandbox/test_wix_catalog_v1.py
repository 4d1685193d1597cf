"""Catalog V1 on the Wix sandbox (passerelle/sandbox/wix/products_v1.py): offset paging,
variants made from options, inventory changes bounded as documented. Numbers and shapes
from tests/data/openapi/wix/documented_examples.json."""

from __future__ import annotations

import json
from typing import Any

from .test_wix_sandbox import DOCS, LIMITS, covers, shape_of, started

__all__ = ["started"]  # the fixture, used by name


def test_v1_products_page_with_limit_and_offset_to_the_end(started: Any) -> None:
    site = started("v1")
    for n in range(5):
        site.ok(
            "POST",
            "/stores/v1/products",
            {
                "product": {
                    "name": f"Tasse {n}",
                    "productType": "physical",
                    "priceData": {"price": 5 + n},
                    "sku": f"TAS-{n}",
                }
            },
        )
    seen, offset = [], 0
    while True:
        page = site.ok(
            "POST",
            "/stores-reader/v1/products/query",
            {"query": {"paging": {"limit": 2, "offset": offset}}},
        )
        if not page["products"]:
            break
        assert page["totalResults"] == 5
        seen += [p["sku"] for p in page["products"]]
        offset += 2
    assert seen == [f"TAS-{n}" for n in range(5)]
    filtered = site.ok(
        "POST",
        "/stores-reader/v1/products/query",
        {"query": {"filter": json.dumps({"sku": "TAS-3"})}},
    )
    assert [p["name"] for p in filtered["products"]] == ["Tasse 3"]
    too_big = LIMITS["stores_v1_paging"]["page"] + 1
    assert (
        site.post(
            "/stores/v1/products/query", {"query": {"paging": {"limit": too_big}}}
        ).status_code
        == 400
    )


def test_v1_variants_come_from_the_options_when_the_product_manages_them(started: Any) -> None:
    site = started("v1")
    product = site.ok(
        "POST",
        "/stores/v1/products",
        {
            "product": {
                "name": "T-shirt",
                "priceData": {"price": 19},
                "manageVariants": True,
                "productOptions": [
                    {
                        "name": "Taille",
                        "choices": [
                            {"value": "S", "description": "S"},
                            {"value": "M", "description": "M"},
                        ],
                    }
                ],
            }
        },
    )["product"]
    assert sorted(v["choices"]["Taille"] for v in product["variants"]) == ["M", "S"]
    path = f"/stores/v1/products/{product['id']}/variants"
    answer = site.ok(
        "PATCH", path, {"variants": [{"choices": {"Taille": "M"}, "sku": "TSH-M", "price": 21}]}
    )
    medium = next(v for v in answer["variants"] if v["choices"]["Taille"] == "M")
    assert medium["variant"]["sku"] == "TSH-M"
    assert medium["variant"]["priceData"]["price"] == 21
    unknown = site.http.patch(path, json={"variants": [{"choices": {"Taille": "XL"}}]})
    assert unknown.status_code == 400


def test_v1_inventory_changes_take_at_most_the_documented_variants(started: Any) -> None:
    site = started("v1")
    product = site.ok(
        "POST", "/stores/v1/products", {"product": {"name": "Bol", "priceData": {"price": 5}}}
    )["product"]
    site.ok(
        "PATCH",
        f"/stores/v2/inventoryItems/product/{product['id']}",
        {
            "inventoryItem": {
                "trackQuantity": True,
                "variants": [{"variantId": product["variants"][0]["id"], "quantity": 4}],
            }
        },
    )
    most = LIMITS["inventory_v1_increment_decrement"]["variants"]
    entry = {
        "productId": product["id"],
        "variantId": product["variants"][0]["id"],
        "incrementBy": 1,
    }
    too_many = site.post(
        "/stores/v2/inventoryItems/increment", {"incrementData": [entry] * (most + 1)}
    )
    assert too_many.status_code == 400
    site.ok("POST", "/stores/v2/inventoryItems/increment", {"incrementData": [entry] * most})
    items = site.ok("POST", "/stores/v2/inventoryItems/query", {"query": {}})["inventoryItems"]
    assert covers(
        shape_of(items[0]), shape_of(DOCS["inventory_v1_get_variants"]["example"]["inventoryItem"])
    )
    assert items[0]["variants"][0]["quantity"] == 4 + most
