"""The Wix sandbox (passerelle/sandbox/wix) against Wix's documentation: authentication,
the Catalog Versioning API, both catalogs, paging, bulk limits, contacts, orders search and
error bodies. The numbers and error shapes come from the documented extracts in
tests/data/openapi/wix/documented_examples.json, not from the sandbox's code."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox import kit
from passerelle.sandbox.wix import WixSandbox

DOCS = json.loads(
    (Path(__file__).parents[1] / "data" / "openapi" / "wix" / "documented_examples.json").read_text(
        encoding="utf-8"
    )
)
LIMITS = DOCS["limits"]


def trusting(box: WixSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(box.ca_bundle))


class Site:
    """An API client of the sandbox, authenticated as "Make API Calls with an API Key" says."""

    def __init__(self, box: WixSandbox) -> None:
        self.box = box
        self.http = httpx.Client(
            base_url=box.url,
            verify=trusting(box),
            headers={"Authorization": box.api_key, "wix-site-id": box.site_id},
        )

    def post(self, path: str, body: Any) -> httpx.Response:
        return self.http.post(path, json=body)

    def ok(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = self.http.request(method, path, json=body)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Any]:
    sites: list[Site] = []

    def start(catalog: str = "v3", **options: Any) -> Site:
        box = WixSandbox(
            tmp_path / f"wix-{len(sites)}.json",
            cert_dir=tmp_path / "tls",
            catalog=catalog,
            **options,
        )
        sites.append(Site(box.start()))
        return sites[-1]

    yield start
    for site in sites:
        site.http.close()
        site.box.stop()


def v3_product(name: str, sku: str, price: str = "10.00", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "productType": "PHYSICAL",
        "physicalProperties": {},
        "variantsInfo": {"variants": [{"sku": sku, "price": {"actualPrice": {"amount": price}}}]},
        **extra,
    }


def shape_of(value: Any) -> Any:
    """The JSON structure of ``value``: keys and types, not the values."""
    if isinstance(value, dict):
        return {k: shape_of(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape_of(value[0])] if value else []
    return type(value).__name__


def covers(actual: Any, documented: Any) -> bool:
    """Every key of the documented structure is in ``actual`` with the same JSON type."""
    if isinstance(documented, dict):
        return isinstance(actual, dict) and all(
            k in actual and covers(actual[k], v) for k, v in documented.items()
        )
    if isinstance(documented, list):
        return isinstance(actual, list) and all(covers(a, documented[0]) for a in actual)
    return actual == documented


def test_a_missing_or_wrong_api_key_is_refused_with_401(started: Any) -> None:
    site = started()
    for headers in ({}, {"Authorization": "not-the-key", "wix-site-id": site.box.site_id}):
        answer = httpx.get(
            f"{site.box.url}/stores/v3/provision/version",
            headers=headers,
            verify=trusting(site.box),
        )
        assert answer.status_code == 401
        assert answer.json()["details"]["applicationError"]["code"] == "UNAUTHENTICATED"


def test_a_site_the_key_does_not_reach_is_refused_with_403(started: Any) -> None:
    site = started()
    for site_id in (None, "00000000-1111-2222-3333-444444444444"):
        headers = {"Authorization": site.box.api_key}
        if site_id:
            headers["wix-site-id"] = site_id
        answer = httpx.get(
            f"{site.box.url}/stores/v3/provision/version",
            headers=headers,
            verify=trusting(site.box),
        )
        assert answer.status_code == 403
        assert answer.json()["details"]["applicationError"]["code"] == "PERMISSION_DENIED"


def test_sending_both_the_account_and_the_site_id_is_refused(started: Any) -> None:
    site = started()
    answer = site.http.get("/stores/v3/provision/version", headers={"wix-account-id": "acc"})
    assert answer.status_code == 400


def test_the_catalog_version_says_which_catalog_the_site_runs(started: Any) -> None:
    documented = DOCS["catalog_version"]["catalogVersion"]
    for catalog, expected in (("v3", "V3_CATALOG"), ("v1", "V1_CATALOG")):
        answer = started(catalog).ok("GET", "/stores/v3/provision/version")
        assert answer == {"catalogVersion": expected}
        assert expected in documented


def test_each_catalog_answers_its_own_endpoints_and_refuses_the_other_with_428(
    started: Any,
) -> None:
    v3, v1 = started("v3"), started("v1")
    assert v3.post("/stores/v3/products/query", {"query": {}}).status_code == 200
    assert v1.post("/stores-reader/v1/products/query", {"query": {}}).status_code == 200
    for site, path in ((v3, "/stores-reader/v1/products/query"), (v1, "/stores/v3/products/query")):
        answer = site.post(path, {"query": {}})
        assert answer.status_code == 428
        assert covers(
            shape_of(answer.json()),
            shape_of(DOCS["application_error"]["example"])
            | {"details": {"applicationError": {"code": "str", "description": "str"}}},
        )


def test_v3_products_page_to_the_end_with_cursors(started: Any) -> None:
    site = started()
    products = [v3_product(f"Bol {n}", f"BOL-{n}") for n in range(7)]
    created = site.ok("POST", "/stores/v3/bulk/products/create", {"products": products})
    assert created["bulkActionMetadata"]["totalSuccesses"] == 7
    seen: list[str] = []
    paging: dict[str, Any] = {"limit": 3}
    while True:
        page = site.ok("POST", "/stores/v3/products/query", {"query": {"cursorPaging": paging}})
        seen += [p["variantsInfo"]["variants"][0]["sku"] for p in page["products"]]
        if not page["pagingMetadata"]["hasNext"]:
            assert "next" not in page["pagingMetadata"]["cursors"]
            break
        paging = {"limit": 3, "cursor": page["pagingMetadata"]["cursors"]["next"]}
    assert sorted(seen) == sorted(f"BOL-{n}" for n in range(7))


def test_v3_query_refuses_a_page_larger_than_documented(started: Any) -> None:
    site = started()
    most = LIMITS["products_v3_query"]["page"]
    assert (
        site.post(
            "/stores/v3/products/query", {"query": {"cursorPaging": {"limit": most}}}
        ).status_code
        == 200
    )
    answer = site.post(
        "/stores/v3/products/query", {"query": {"cursorPaging": {"limit": most + 1}}}
    )
    assert answer.status_code == 400
    assert covers(shape_of(answer.json()), shape_of(DOCS["validation_error"]["shape"]))


def test_v3_bulk_create_takes_at_most_the_documented_products_and_variants(started: Any) -> None:
    site = started()
    limit = LIMITS["products_v3_bulk_create"]
    too_many = [v3_product(f"P{n}", f"P-{n}") for n in range(limit["products"] + 1)]
    assert site.post("/stores/v3/bulk/products/create", {"products": too_many}).status_code == 400
    variants = [
        {
            "sku": f"V-{n}",
            "price": {"actualPrice": {"amount": "1"}},
            "choices": [{"optionChoiceNames": {"optionName": "N", "choiceName": str(n)}}],
        }
        for n in range(limit["variants"] // 2 + 1)
    ]
    option = [
        {
            "name": "N",
            "choicesSettings": {"choices": [{"name": str(n)} for n in range(len(variants))]},
        }
    ]
    two = [
        {**v3_product(f"Big {n}", "x"), "options": option, "variantsInfo": {"variants": variants}}
        for n in range(2)
    ]
    assert site.post("/stores/v3/bulk/products/create", {"products": two}).status_code == 400
    assert site.box.data["products"] == {}


def test_v3_products_need_a_variant_and_choices_the_product_has(started: Any) -> None:
    site = started()
    bare = {**v3_product("Bol", "B"), "variantsInfo": {"variants": []}}
    assert site.post("/stores/v3/products", {"product": bare}).status_code == 400
    wrong = v3_product("Bol", "B")
    wrong["variantsInfo"]["variants"][0]["choices"] = [
        {"optionChoiceNames": {"optionName": "Taille", "choiceName": "XL"}}
    ]
    assert site.post("/stores/v3/products", {"product": wrong}).status_code == 400
    long_name = v3_product("x" * 81, "B")
    assert site.post("/stores/v3/products", {"product": long_name}).status_code == 400


def test_v3_updates_need_the_current_revision(started: Any) -> None:
    site = started()
    product = site.ok("POST", "/stores/v3/products", {"product": v3_product("Bol", "B")})["product"]
    path = f"/stores/v3/products/{product['id']}"
    stale = site.http.patch(path, json={"product": {"revision": "7", "name": "Bol bleu"}})
    assert stale.status_code == 409
    updated = site.ok(
        "PATCH", path, {"product": {"revision": product["revision"], "name": "Bol bleu"}}
    )
    assert updated["product"]["name"] == "Bol bleu"
    assert updated["product"]["revision"] != product["revision"]


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


def test_contacts_refuse_a_duplicate_email_and_are_found_by_email(started: Any) -> None:
    site = started()
    info = {"name": {"first": "Anne"}, "emails": {"items": [{"email": "Anne@Example.org"}]}}
    created = site.ok("POST", "/contacts/v4/contacts", {"info": info})["contact"]
    again = site.post("/contacts/v4/contacts", {"info": info})
    assert again.status_code == 409
    assert again.json()["details"]["applicationError"]["code"] == "DUPLICATE_CONTACT_EXISTS"
    assert (
        site.post("/contacts/v4/contacts", {"info": info, "allowDuplicates": True}).status_code
        == 200
    )
    found = site.ok(
        "POST",
        "/contacts/v4/contacts/query",
        {"query": {"filter": {"info.emails.email": "anne@example.org"}}},
    )
    assert created["id"] in [c["id"] for c in found["contacts"]]
    assert site.post("/contacts/v4/contacts", {"info": {}}).status_code == 400


def test_contact_updates_need_the_revision_and_labels_must_exist(started: Any) -> None:
    site = started()
    contact = site.ok(
        "POST", "/contacts/v4/contacts", {"info": {"name": {"first": "Paul", "last": "Roux"}}}
    )["contact"]
    path = f"/contacts/v4/contacts/{contact['id']}"
    stale = site.http.patch(path, json={"revision": contact["revision"] + 5, "info": {}})
    assert stale.status_code == 409
    updated = site.ok(
        "PATCH", path, {"revision": contact["revision"], "info": {"company": "Roux SARL"}}
    )["contact"]
    assert updated["info"]["company"] == "Roux SARL"
    assert site.post(f"{path}/labels", {"labelKeys": ["custom.pro"]}).status_code == 400
    label = site.ok("POST", "/contacts/v4/labels", {"displayName": "Pro"})["label"]
    labelled = site.ok("POST", f"{path}/labels", {"labelKeys": [label["key"]]})["contact"]
    assert labelled["info"]["labelKeys"]["items"] == [label["key"]]


def test_orders_search_pages_to_the_end_and_filters(started: Any) -> None:
    site = started()
    orders = site.box.data["orders"]
    seen: list[str] = []
    paging: dict[str, Any] = {"limit": 10}
    while True:
        page = site.ok("POST", "/ecom/v1/orders/search", {"search": {"cursorPaging": paging}})
        seen += [o["id"] for o in page["orders"]]
        if not page["metadata"]["hasNext"]:
            break
        paging = {"limit": 10, "cursor": page["metadata"]["cursors"]["next"]}
    assert sorted(seen) == sorted(orders)
    dates = [orders[i]["createdDate"] for i in seen]
    assert dates == sorted(dates, reverse=True)  # documented default: createdDate DESC
    middle = sorted(dates)[len(dates) // 2]
    recent = site.ok(
        "POST",
        "/ecom/v1/orders/search",
        {"search": {"filter": {"createdDate": {"$gte": middle}, "paymentStatus": "PAID"}}},
    )["orders"]
    assert recent
    assert all(o["createdDate"] >= middle and o["paymentStatus"] == "PAID" for o in recent)
    over = LIMITS["search_orders"]["default_limit"] + 1
    assert (
        site.post(
            "/ecom/v1/orders/search", {"search": {"cursorPaging": {"limit": over}}}
        ).status_code
        == 400
    )


def test_a_seeded_order_has_the_documented_parts(started: Any) -> None:
    site = started()
    order = next(iter(site.box.data["orders"].values()))
    fetched = site.ok("GET", f"/ecom/v1/orders/{order['id']}")["order"]
    line = fetched["lineItems"][0]
    assert line["catalogReference"]["appId"] and line["catalogReference"]["catalogItemId"]
    for part in ("priceSummary", "taxSummary", "billingInfo", "shippingInfo", "buyerInfo"):
        assert part in fetched
    assert fetched["paymentStatus"] in ("NOT_PAID", "PAID")
    assert site.http.get("/ecom/v1/orders/00000000-0000-0000-0000-000000000001").status_code == 404


def test_the_rate_limit_and_injected_faults_answer_as_wix_does(started: Any) -> None:
    site = started(rate_limit=0.001)
    site.ok("GET", "/stores/v3/provision/version")
    refused = site.http.get("/stores/v3/provision/version")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    assert refused.json()["details"]["applicationError"]["code"] == "RESOURCE_EXHAUSTED"
    failing = started(faults=kit.Faults(rate=1.0, kinds=("500",), seed=1))
    answer = failing.http.get("/stores/v3/provision/version")
    assert answer.status_code == 500
    assert answer.json() == {}  # "System errors … are sent empty by design"
