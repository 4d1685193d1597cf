"""What the Wix connector SENDS: headers, paging, batch sizes, what is retried.

``httpx.MockTransport`` only answers enough for the connector to go on; every
assertion is on the requests (Wix's wire shape and limits, from the pages cited in
the connector's modules), none on a faked success.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.errors import FatalError, NotFoundError, RetriableError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.site_access import SiteLogin
from passerelle.connectors.wix.connector import WixShop
from passerelle.model import Address, Customer, ProductDraft

SITE = "0b3f5a1c-2d4e-4f60-8a9b-c1d2e3f4a5b6"
KEY = "IST.secret-api-key"
Handler = Callable[[httpx.Request, dict[str, Any]], dict[str, Any] | httpx.Response]


class Recorder:
    """Answers each request with ``handler`` and keeps (method, path, body, headers)."""

    def __init__(self, handler: Handler, version: str = "V3_CATALOG") -> None:
        self.handler = handler
        self.version = version
        self.sent: list[tuple[str, str, Any, httpx.Headers]] = []
        self.raw_paths: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.sent.append((request.method, request.url.path, body, request.headers))
        self.raw_paths.append(request.url.raw_path)
        if request.url.path == "/stores/v3/provision/version":
            return httpx.Response(200, json={"catalogVersion": self.version})
        answer = self.handler(request, body or {})
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)

    def paths(self) -> list[str]:
        return [path for _m, path, _b, _h in self.sent]


def _shop(recorder: Recorder, **options: Any) -> WixShop:
    return WixShop(
        SITE,
        KEY,
        options=HttpOptions(backoff_base=0, backoff_max=0, **options),
        transport=httpx.MockTransport(recorder),
    )


def _stock_write(key: str, shop_id: str, quantity: int) -> ProductWrite:
    return ProductWrite(
        key,
        ProductDraft(sku=key, name=key, regular_price=Decimal(1), stock_quantity=quantity),
        shop_id=shop_id,
        fields=frozenset({"manage_stock", "stock_quantity"}),
    )


def test_every_request_carries_the_api_key_and_the_site() -> None:
    recorder = Recorder(lambda _r, _b: {})
    report = _shop(recorder).test_connection()
    assert report.ok
    (_m, path, _b, headers) = recorder.sent[0]
    assert path == "/stores/v3/provision/version"
    assert headers["Authorization"] == KEY
    assert headers["wix-site-id"] == SITE
    assert "wix-account-id" not in headers


def test_the_catalog_version_is_asked_once() -> None:
    recorder = Recorder(lambda _r, _b: {"products": [], "categories": []})
    shop = _shop(recorder)
    list(shop.iter_products())
    shop.find_products_by_sku(["A"])
    assert recorder.paths().count("/stores/v3/provision/version") == 1


def test_a_site_without_stores_is_a_clear_refusal() -> None:
    recorder = Recorder(lambda _r, _b: {}, version="STORES_NOT_INSTALLED")
    report = _shop(recorder).test_connection()
    assert not report.ok
    assert "install Wix Stores" in report.message


def test_v3_stock_reads_items_per_100_products_and_writes_1000_a_request() -> None:
    products = [f"p{i}" for i in range(2500)]

    def handler(request: httpx.Request, body: dict[str, Any]) -> dict[str, Any]:
        if request.url.path == "/stores/v3/inventory-items/query":
            wanted = body["query"]["filter"]["productId"]["$in"]
            items = [
                {"id": f"i-{p}", "revision": "3", "productId": p, "variantId": f"v-{p}"}
                for p in wanted
            ]
            return {"inventoryItems": items, "pagingMetadata": {"hasNext": False}}
        items = body["inventoryItems"]
        return {
            "results": [
                {
                    "itemMetadata": {
                        "id": b["inventoryItem"]["id"],
                        "originalIndex": n,
                        "success": True,
                    }
                }
                for n, b in enumerate(items)
            ]
        }

    recorder = Recorder(handler)
    writes = [_stock_write(p, p, 5) for p in products]
    outcomes = _shop(recorder).write_products(writes)
    queries = [b for _m, p, b, _h in recorder.sent if p == "/stores/v3/inventory-items/query"]
    updates = [b for _m, p, b, _h in recorder.sent if p == "/stores/v3/bulk/inventory-items/update"]
    assert len(queries) == 25
    assert [len(u["inventoryItems"]) for u in updates] == [1000, 1000, 500]
    first = updates[0]["inventoryItems"][0]["inventoryItem"]
    assert first == {"id": "i-p0", "revision": "3", "trackQuantity": True, "quantity": 5}
    assert [o.shop_id for o in outcomes[:2]] == ["p0", "p1"]
    assert not any(p.startswith("/stores/v3/bulk/products") for p in recorder.paths())


def test_v3_stock_of_a_variation_names_its_variant() -> None:
    def handler(request: httpx.Request, body: dict[str, Any]) -> dict[str, Any]:
        if request.url.path == "/stores/v3/inventory-items/query":
            return {
                "inventoryItems": [
                    {"id": "i1", "revision": "1", "productId": "p", "variantId": "v1"},
                    {"id": "i2", "revision": "1", "productId": "p", "variantId": "v2"},
                ]
            }
        return {"results": []}

    recorder = Recorder(handler)
    _shop(recorder).write_variations("p", [_stock_write("red", "p/v2", 3)])
    (update,) = [b for _m, p, b, _h in recorder.sent if p.endswith("inventory-items/update")]
    assert [i["inventoryItem"]["id"] for i in update["inventoryItems"]] == ["i2"]


def test_v1_stock_is_one_patch_per_product_with_all_its_variants() -> None:
    recorder = Recorder(lambda _r, _b: {}, version="V1_CATALOG")
    writes = [
        _stock_write("s", "p1/v-s", 1),
        _stock_write("m", "p1/v-m", 2),
        _stock_write("plain", "p2", 7),
    ]
    outcomes = _shop(recorder).write_products(writes)
    patches = [(p, b) for m, p, b, _h in recorder.sent if m == "PATCH"]
    assert patches == [
        (
            "/stores/v2/inventoryItems/product/p1",
            {
                "inventoryItem": {
                    "trackQuantity": True,
                    "variants": [
                        {"variantId": "v-s", "quantity": 1},
                        {"variantId": "v-m", "quantity": 2},
                    ],
                }
            },
        ),
        (
            "/stores/v2/inventoryItems/product/p2",
            {
                "inventoryItem": {
                    "trackQuantity": True,
                    "variants": [
                        {"variantId": "00000000-0000-0000-0000-000000000000", "quantity": 7}
                    ],
                }
            },
        ),
    ]
    assert all(o.ok for o in outcomes)


def test_v3_new_products_go_100_a_request_with_their_stock() -> None:
    def handler(_request: httpx.Request, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "results": [
                {"itemMetadata": {"id": f"new{n}", "originalIndex": n, "success": True}}
                for n in range(len(body["products"]))
            ]
        }

    recorder = Recorder(handler)
    writes = [
        ProductWrite(
            f"k{i}",
            ProductDraft(
                sku=f"S{i}", name=f"N{i}", regular_price=Decimal("9.90"), stock_quantity=4
            ),
        )
        for i in range(150)
    ]
    outcomes = _shop(recorder).write_products(writes)
    creates = [b for _m, p, b, _h in recorder.sent if p.endswith("products-with-inventory/create")]
    assert [len(c["products"]) for c in creates] == [100, 50]
    variant = creates[0]["products"][0]["variantsInfo"]["variants"][0]
    assert variant["sku"] == "S0"
    assert variant["price"] == {"actualPrice": {"amount": "9.90"}}  # a decimal string
    assert variant["inventoryItem"] == {"quantity": 4}
    assert outcomes[120].shop_id == "new20" and outcomes[120].created


def test_a_create_is_not_sent_again_when_its_answer_is_lost() -> None:
    recorder = Recorder(lambda _r, _b: httpx.Response(503, json={"message": ""}))
    writes = [ProductWrite("k", ProductDraft(sku="S", name="N", regular_price=Decimal(1)))]
    (outcome,) = _shop(recorder, max_tries=3).write_products(writes)
    assert not outcome.ok
    creates = [p for p in recorder.paths() if p.endswith("products-with-inventory/create")]
    assert len(creates) == 1


def test_a_rate_limited_read_is_sent_again() -> None:
    calls: list[int] = []

    def handler(_request: httpx.Request, _body: dict[str, Any]) -> Any:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"message": "slow"})
        return {"orders": [], "metadata": {"hasNext": False}}

    recorder = Recorder(handler)
    assert list(_shop(recorder).iter_orders()) == []
    assert recorder.paths().count("/ecom/v1/orders/search") == 2


def test_orders_page_by_cursor_with_the_created_date_filter() -> None:
    def order(n: int) -> dict[str, Any]:
        return {"id": f"o{n}", "number": n, "createdDate": "2024-01-02T00:00:00Z", "lineItems": []}

    def handler(request: httpx.Request, body: dict[str, Any]) -> dict[str, Any]:
        if request.url.path == "/ecom/v1/payments/list-by-ids":
            return {"orderTransactions": []}
        if "cursor" in body["search"]["cursorPaging"]:
            return {"orders": [order(2)], "metadata": {"hasNext": False}}
        return {"orders": [order(1)], "metadata": {"hasNext": True, "cursors": {"next": "CUR"}}}

    recorder = Recorder(handler)
    since = datetime(2024, 1, 1, tzinfo=UTC)
    orders = list(_shop(recorder).iter_orders(created_after=since))
    assert [o.source_id for o in orders] == ["o1", "o2"]  # type: ignore[union-attr]
    searches = [b for _m, p, b, _h in recorder.sent if p == "/ecom/v1/orders/search"]
    assert searches[0]["search"] == {
        "cursorPaging": {"limit": 100},
        "filter": {"createdDate": {"$gte": "2024-01-01T00:00:00Z"}, "archived": {"$ne": True}},
        "sort": [{"fieldName": "createdDate", "order": "ASC"}],
    }
    # The next page is asked by its cursor alone, which carries the filter and sort.
    assert searches[1] == {"search": {"cursorPaging": {"limit": 100, "cursor": "CUR"}}}
    payments = [b for _m, p, b, _h in recorder.sent if p == "/ecom/v1/payments/list-by-ids"]
    assert payments == [{"orderIds": ["o1"]}, {"orderIds": ["o2"]}]


def test_a_shipment_fulfills_every_line_with_its_tracking() -> None:
    def handler(request: httpx.Request, _body: dict[str, Any]) -> dict[str, Any]:
        if request.method == "GET":
            return {"order": {"id": "o1", "lineItems": [{"id": "L1", "quantity": 2}]}}
        return {}

    recorder = Recorder(handler)
    _shop(recorder).write_shipment(
        "o1",
        carrier="fedex",
        tracking_number="12345",
        shipped_at=None,
        notify_customer=True,
        status=None,
    )
    method, path, body, _h = recorder.sent[-1]
    assert (method, path) == ("POST", "/ecom/v1/fulfillments/orders/o1/create-fulfillment")
    assert body == {
        "fulfillment": {
            "lineItems": [{"id": "L1", "quantity": 2}],
            "trackingInfo": {"trackingNumber": "12345", "shippingProvider": "fedex"},
        }
    }


def test_an_order_id_cannot_leave_its_path_segment() -> None:
    recorder = Recorder(lambda _r, _b: httpx.Response(404, json={"message": "not found"}))
    with pytest.raises(NotFoundError):
        _shop(recorder).get_order("../products/1")
    assert recorder.raw_paths[-1] == b"/ecom/v1/orders/..%2Fproducts%2F1"


def test_v1_products_are_read_100_an_offset_page_with_variants() -> None:
    def handler(_request: httpx.Request, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("query", {}).get("paging", {}).get("offset") == 0 and "includeVariants" in body:
            return {"products": [{"id": f"p{n}", "sku": f"S{n}"} for n in range(100)]}
        return {"products": [], "collections": []}

    recorder = Recorder(handler, version="V1_CATALOG")
    found = _shop(recorder).find_products_by_sku(["S5"])
    assert found == {"S5": "p5"}
    queries = [b for _m, p, b, _h in recorder.sent if p == "/stores/v1/products/query"]
    assert [q["query"]["paging"] for q in queries] == [
        {"offset": 0, "limit": 100},
        {"offset": 100, "limit": 100},
    ]
    assert queries[0]["includeVariants"] is True
    assert json.loads(queries[0]["query"]["sort"]) == [{"numericId": "asc"}]


def test_retriable_error_keeps_wix_words() -> None:
    recorder = Recorder(
        lambda _r, _b: httpx.Response(
            503,
            json={
                "message": "down",
                "details": {"applicationError": {"code": "X", "description": "try later"}},
            },
        )
    )
    with pytest.raises(RetriableError, match="try later"):
        list(_shop(recorder, max_tries=1).iter_orders())


def test_a_new_product_with_variants_is_refused_with_what_to_do_on_catalog_v1() -> None:
    """Catalog V1 only: a V3 product is created with its options (tests/test_wix_variants.py)."""
    recorder = Recorder(lambda _r, _b: {}, version="V1_CATALOG")
    draft = ProductDraft(sku="TEE", name="Tee", regular_price=Decimal(1), kind="variable")
    (outcome,) = _shop(recorder).write_products([ProductWrite("k", draft)])
    assert outcome.error is not None and "create TEE in Wix" in outcome.error
    (new_variant,) = _shop(recorder).write_variations("p", [ProductWrite("v", draft)])
    assert new_variant.error is not None and "add TEE to the product" in new_variant.error
    assert set(recorder.paths()) == {"/stores/v3/provision/version"}


def test_v3_update_sends_the_revision_and_every_variant() -> None:
    current = {
        "id": "p",
        "revision": "7",
        "name": "Old",
        "options": [{"name": "Size"}],
        "variantsInfo": {
            "variants": [
                {"id": "v1", "sku": "S", "price": {"actualPrice": {"amount": "1"}}},
                {"id": "v2", "sku": "M", "price": {"actualPrice": {"amount": "1"}}},
            ]
        },
    }

    def handler(request: httpx.Request, body: dict[str, Any]) -> dict[str, Any]:
        if request.url.path == "/stores/v3/products/query":
            assert body["query"]["filter"] == {"id": {"$in": ["p"]}}
            return {"products": [current]}
        return {"results": [{"itemMetadata": {"id": "p", "originalIndex": 0, "success": True}}]}

    recorder = Recorder(handler)
    write = ProductWrite(
        "m",
        ProductDraft(sku="M", name="New", regular_price=Decimal("2.50")),
        shop_id="p/v2",
        fields=frozenset({"regular_price"}),
    )
    (outcome,) = _shop(recorder).write_variations("p", [write])
    assert outcome.ok
    (update,) = [b for _m, p, b, _h in recorder.sent if p == "/stores/v3/bulk/products/update"]
    product = update["products"][0]["product"]
    assert product["revision"] == "7"
    assert "name" not in product  # only the asked fields
    assert product["options"] == [{"name": "Size"}]
    prices = [v["price"]["actualPrice"]["amount"] for v in product["variantsInfo"]["variants"]]
    assert prices == ["1", "2.50"]


def test_v1_new_product_then_its_stock() -> None:
    def handler(request: httpx.Request, _body: dict[str, Any]) -> dict[str, Any]:
        if request.method == "POST":
            return {"product": {"id": "new-p"}}
        return {}

    recorder = Recorder(handler, version="V1_CATALOG")
    draft = ProductDraft(sku="S", name="N", regular_price=Decimal("12.5"), stock_quantity=3)
    (outcome,) = _shop(recorder).write_products([ProductWrite("k", draft)])
    assert (outcome.shop_id, outcome.created) == ("new-p", True)
    (_m, _p, create, _h), (method, path, stock, _h2) = recorder.sent[1:]
    assert create["product"]["priceData"] == {"price": 12.5}
    assert create["product"]["productType"] == "physical"
    assert (method, path) == ("PATCH", "/stores/v2/inventoryItems/product/new-p")
    assert stock["inventoryItem"]["variants"] == [
        {"variantId": "00000000-0000-0000-0000-000000000000", "quantity": 3}
    ]


def test_contacts_are_found_by_primary_email_and_created_without_duplicates() -> None:
    def handler(request: httpx.Request, _body: dict[str, Any]) -> dict[str, Any]:
        if request.url.path.endswith("/query"):
            return {"contacts": [{"id": "c1", "primaryInfo": {"email": "Ann@Example.com"}}]}
        return {"contact": {"id": "c2"}}

    recorder = Recorder(handler)
    shop = _shop(recorder)
    assert shop.find_customers_by_email(["ann@example.com"]) == {"ann@example.com": "c1"}
    (query,) = [b for _m, p, b, _h in recorder.sent if p.endswith("/query")]
    assert query["query"]["filter"] == {"primaryInfo.email": {"$in": ["ann@example.com"]}}
    customer = Customer(
        source_id="1",
        name="Bob",
        email="bob@example.com",
        first_name="Bob",
        last_name="Martin",
        addresses=(
            Address(street="1 rue Haute", city="Lyon", postal_code="69001", country_code="FR"),
        ),
    )
    (outcome,) = shop.write_customers([CustomerWrite("1", customer)])
    assert (outcome.shop_id, outcome.created) == ("c2", True)
    _m, path, body, _h = recorder.sent[-1]
    assert path == "/contacts/v4/contacts"
    assert body["allowDuplicates"] is False
    assert body["info"]["emails"] == {"items": [{"tag": "MAIN", "email": "bob@example.com"}]}
    assert body["info"]["addresses"]["items"][0]["address"]["city"] == "Lyon"


def test_hiding_an_out_of_stock_product_is_said_not_done() -> None:
    recorder = Recorder(lambda _r, _b: {}, version="V1_CATALOG")
    write = ProductWrite(
        "k",
        ProductDraft(sku="S", name="N", regular_price=Decimal(1), stock_quantity=0, hidden=True),
        shop_id="p1",
        fields=frozenset({"manage_stock", "stock_quantity", "hidden"}),
    )
    (outcome,) = _shop(recorder).write_products([write])
    assert outcome.ok and outcome.unsupported == ("hidden",)
    assert [m for m, _p, _b, _h in recorder.sent] == ["GET", "PATCH"]  # the stock only


def test_open_orders_are_approved_and_not_fulfilled() -> None:
    def order(n: str, paid: str) -> dict[str, Any]:
        return {
            "id": n,
            "number": n,
            "createdDate": "2024-01-02T00:00:00Z",
            "status": "APPROVED",
            "paymentStatus": paid,
            "lineItems": [],
        }

    def handler(request: httpx.Request, _body: dict[str, Any]) -> dict[str, Any]:
        if request.url.path == "/ecom/v1/payments/list-by-ids":
            return {"orderTransactions": []}
        return {"orders": [order("a", "PAID"), order("b", "FULLY_REFUNDED")]}

    recorder = Recorder(handler)
    opened = list(_shop(recorder).iter_open_orders())
    assert [o.source_id for o in opened] == ["a"]  # type: ignore[union-attr]
    (search,) = [b for _m, p, b, _h in recorder.sent if p == "/ecom/v1/orders/search"]
    assert search["search"]["filter"] == {
        "status": "APPROVED",
        "fulfillmentStatus": {"$ne": "FULFILLED"},
    }


def test_a_site_password_is_refused_with_what_to_remove() -> None:
    """The API key travels in ``Authorization``, and Wix's API is no merchant's server."""
    recorder = Recorder(lambda _r, _b: {})
    login = SiteLogin("shop", "secret")
    with pytest.raises(FatalError, match="Remove http_auth_user and http_auth_password"):
        _shop(recorder, site=login)
    assert recorder.sent == []
