"""What groups products on a Wix site (passerelle/sandbox/wix/groups.py): Catalog V3's
categories (Categories API: the Stores tree, 5 levels, items by the Stores app id) and
Catalog V1's collections; and the bulk update's documented limits. Numbers from
tests/data/openapi/wix/documented_examples.json."""

from __future__ import annotations

from typing import Any

from passerelle.sandbox.wix.platform import WixPlatform
from passerelle.sandbox.wix.wire import STORES_APP_ID

from .test_wix_sandbox import LIMITS, started, v3_product

__all__ = ["started"]  # the fixture, used by name
TREE = {"treeReference": {"appNamespace": "@wix/stores"}}


def test_categories_hold_v3_products_five_levels_deep_at_most(started: Any) -> None:
    site = started()
    product = site.ok("POST", "/stores/v3/products", {"product": v3_product("Bol", "BOL")})
    assert (
        site.post("/categories/v1/categories", {"category": {"name": "Cuisine"}}).status_code == 400
    )
    parent = None
    for level in range(LIMITS["categories"]["levels"]):
        body = {
            "category": {
                "name": f"Niveau {level}",
                **({"parentCategory": {"id": parent}} if parent else {}),
            },
            **TREE,
        }
        parent = site.ok("POST", "/categories/v1/categories", body)["category"]["id"]
    deeper = {"category": {"name": "Trop", "parentCategory": {"id": parent}}, **TREE}
    assert site.post("/categories/v1/categories", deeper).status_code == 428
    long_name = {"category": {"name": "x" * (LIMITS["categories"]["name_max_length"] + 1)}, **TREE}
    assert site.post("/categories/v1/categories", long_name).status_code == 400
    item = {"catalogItemId": product["product"]["id"], "appId": STORES_APP_ID}
    added = site.ok(
        "POST",
        f"/categories/v1/bulk/categories/{parent}/add-items",
        {"items": [item, {**item, "catalogItemId": "nope"}], **TREE},
    )
    assert added["bulkActionMetadata"] == {
        "totalSuccesses": 1,
        "totalFailures": 1,
        "undetailedFailures": 0,
    }
    listed = site.ok("POST", "/categories/v1/categories/query", {"query": {}, **TREE})
    assert {c["name"]: c["itemCounter"] for c in listed["categories"]}["Niveau 4"] == 1
    view = WixPlatform(site.box).view
    assert view.products()["BOL"].category_names == ("Niveau 4",)
    assert view.category_names() == {f"Niveau {n}" for n in range(5)}


def test_collections_belong_to_v1_sites_and_categories_to_v3_sites(started: Any) -> None:
    v1 = started("v1")
    product = v1.ok(
        "POST",
        "/stores/v1/products",
        {"product": {"name": "Tasse", "priceData": {"price": 6}, "sku": "TAS"}},
    )["product"]
    collection = v1.ok("POST", "/stores/v1/collections", {"collection": {"name": "Été"}})
    cid = collection["collection"]["id"]
    assert (
        v1.ok("POST", f"/stores/v1/collections/{cid}/productIds", {"productIds": [product["id"]]})
        == {}
    )
    listed = v1.ok("POST", "/stores-reader/v1/collections/query", {"query": {}})
    assert [(c["name"], c["numberOfProducts"]) for c in listed["collections"]] == [("Été", 1)]
    assert v1.ok("GET", f"/stores/v1/products/{product['id']}")["product"]["collectionIds"] == [cid]
    assert WixPlatform(v1.box).view.products()["TAS"].category_names == ("Été",)
    assert (
        v1.post("/categories/v1/categories", {"category": {"name": "Cuisine"}, **TREE}).status_code
        == 428
    )
    assert (
        started("v3").post("/stores/v1/collections", {"collection": {"name": "Été"}}).status_code
        == 428
    )


def test_v3_bulk_update_takes_at_most_the_documented_products(started: Any) -> None:
    site = started()
    limit = LIMITS["products_v3_bulk_update"]["products"]
    created = site.ok("POST", "/stores/v3/products", {"product": v3_product("Bol", "BOL")})
    product = created["product"]
    masked = {"product": {"id": product["id"], "revision": product["revision"], "name": "Bol 2"}}
    too_many = site.post("/stores/v3/bulk/products/update", {"products": [masked] * (limit + 1)})
    assert too_many.status_code == 400
    done = site.ok(
        "POST",
        "/stores/v3/bulk/products/update",
        {
            "products": [masked, {"product": {"id": "missing", "revision": "1"}}],
            "returnEntity": True,
        },
    )
    assert [r["itemMetadata"]["success"] for r in done["results"]] == [True, False]
    assert done["results"][0]["item"]["name"] == "Bol 2"
