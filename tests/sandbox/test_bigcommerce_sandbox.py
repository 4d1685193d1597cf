"""The BigCommerce sandbox against the docs: auth, pages, batch limits, error shapes, quota.

Every exchange of the connector's flows is checked against the official OpenAPI files in
``test_bigcommerce_openapi.py``."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from passerelle.sandbox.bigcommerce import BigCommerceSandbox

TOKEN = "bc_demo_token"


def _ca(sandbox: BigCommerceSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sandbox.ca_bundle))


@pytest.fixture
def box(tmp_path: Path) -> Iterator[BigCommerceSandbox]:
    # Standard plan: the quota tests read its window (150 requests / 30 s).
    sandbox = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", plan="standard"
    )
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def http(box: BigCommerceSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{box.url}/stores/{box.store_hash}",
        verify=_ca(box),
        headers={"X-Auth-Token": TOKEN},
    ) as client:
        yield client


def test_a_request_without_the_token_is_refused(box: BigCommerceSandbox) -> None:
    with httpx.Client(verify=_ca(box)) as client:
        answer = client.get(f"{box.url}/stores/{box.store_hash}/v3/customers")
    assert answer.status_code == 401
    assert set(answer.json()) == {"status", "title", "type", "errors"}


def test_v2_errors_are_a_list_of_status_and_message(http: httpx.Client) -> None:
    answer = http.get("/v2/orders/99999")
    assert answer.status_code == 404
    assert answer.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_every_answer_tells_the_quota(http: httpx.Client) -> None:
    answer = http.get("/v3/customers")
    for name in ("Time-Window-Ms", "Time-Reset-Ms", "Requests-Quota", "Requests-Left"):
        assert f"x-rate-limit-{name.lower()}" in {k.lower() for k in answer.headers}
    assert answer.headers["X-Rate-Limit-Time-Window-Ms"] == "30000"


def test_past_the_quota_the_store_answers_429_until_the_window_resets(tmp_path: Path) -> None:
    sandbox = BigCommerceSandbox(
        None, token=TOKEN, cert_dir=tmp_path / "tls", quota=2, window_ms=60_000, seed=False
    )
    sandbox.start()
    try:
        with httpx.Client(verify=_ca(sandbox), headers={"X-Auth-Token": TOKEN}) as client:
            url = f"{sandbox.url}/stores/{sandbox.store_hash}/v3/customers"
            codes = [client.get(url).status_code for _ in range(3)]
            last = client.get(url)
        assert codes == [200, 200, 429]
        assert last.headers["X-Rate-Limit-Requests-Left"] == "0"
        assert int(last.headers["X-Rate-Limit-Time-Reset-Ms"]) > 0
    finally:
        sandbox.stop()


def test_v3_lists_page_with_meta_pagination(http: httpx.Client) -> None:
    first = http.get("/v3/customers", params={"limit": 4, "page": 1}).json()
    last = http.get("/v3/customers", params={"limit": 4, "page": 3}).json()
    assert first["meta"]["pagination"]["total"] == 10
    assert first["meta"]["pagination"]["total_pages"] == 3
    assert len(first["data"]) == 4 and len(last["data"]) == 2


def test_v2_orders_answer_204_past_the_last_page(http: httpx.Client) -> None:
    assert len(http.get("/v2/orders", params={"limit": 250}).json()) == 30
    assert http.get("/v2/orders", params={"limit": 250, "page": 2}).status_code == 204
    assert len(http.get("/v2/orders", params={"is_deleted": "true"}).json()) == 1


@pytest.mark.parametrize(
    ("path", "size"),
    [("/v3/catalog/products", 11), ("/v3/catalog/variants", 51), ("/v3/customers", 11)],
)
def test_batches_over_the_documented_limit_are_refused(
    http: httpx.Client, path: str, size: int
) -> None:
    answer = http.put(path, json=[{"id": 1}] * size)
    assert answer.status_code == 413


def test_inventory_adjustments_take_at_most_2000_items(http: httpx.Client) -> None:
    items = [{"location_id": 1, "product_id": 1, "quantity": 1}] * 2001
    assert http.put("/v3/inventory/adjustments/absolute", json={"items": items}).status_code == 422


def test_a_multi_address_order_has_one_consignment_per_address(http: httpx.Client) -> None:
    order = http.get(
        "/v2/orders/724",
        params={"include": "consignments.line_items", "consignment_structure": "object"},
    ).json()
    shipping = order["consignments"]["shipping"]
    assert [c["city"] for c in shipping] == ["Toulouse", "Annecy"]
    assert [[p["sku"] for p in c["line_items"]] for c in shipping] == [["TWL-001"], ["BOK-003"]]


def test_compound_taxes_have_a_higher_priority(http: httpx.Client) -> None:
    taxes = http.get("/v2/orders/719/taxes").json()
    assert {t["name"]: t["priority"] for t in taxes} == {"GST": 1, "PST": 2}


def test_status_ids_are_the_documented_0_to_14(http: httpx.Client) -> None:
    statuses = http.get("/v2/order_statuses").json()
    assert [s["id"] for s in statuses] == list(range(15))
    assert http.put("/v2/orders/703", json={"status_id": 15}).status_code == 400
    assert http.put("/v2/orders/703", json={"status_id": 10}).json()["status"] == "Completed"


def test_a_shipment_needs_its_address_and_items_and_ships_them(
    box: BigCommerceSandbox, http: httpx.Client
) -> None:
    """orderShipment_Post: order_address_id and items required, tracking_number <= 50."""
    oid = next(iter(box.data["orders"]))
    address = box.data["shipping_addresses"][oid][0]["id"]
    lines = [p for p in box.data["order_products"][oid] if p["order_address_id"] == address]
    url = f"/v2/orders/{oid}/shipments"
    assert http.post(url, json={"order_address_id": address}).status_code == 400
    too_long = {
        "order_address_id": address,
        "tracking_number": "X" * 51,
        "items": [{"order_product_id": lines[0]["id"], "quantity": 1}],
    }
    assert http.post(url, json=too_long).status_code == 400
    assert http.get(url).status_code == 204
    items = [{"order_product_id": p["id"], "quantity": p["quantity"]} for p in lines]
    made = http.post(
        url,
        json={
            "order_address_id": address,
            "items": items,
            "tracking_number": "1Z1",
            "shipping_provider": "ups",
        },
    )
    assert made.status_code == 201
    assert made.json()["items"][0]["order_product_id"] == lines[0]["id"]
    assert (
        http.post(url, json={"order_address_id": address, "items": items}).status_code == 400
    )  # nothing left
    assert [s["id"] for s in http.get(url).json()] == [made.json()["id"]]


def test_customer_groups_need_a_name_and_are_listed_by_id(http: httpx.Client) -> None:
    """customers.v2.yml, createCustomerGroup: ``name`` required; getCustomerGroups: 200."""
    assert http.get("/v2/customer_groups").json() == []
    assert http.post("/v2/customer_groups", json={"is_default": False}).status_code == 400
    made = [
        http.post("/v2/customer_groups", json={"name": n}).json()
        for n in ("Revendeurs", "Grands comptes")
    ]
    assert [g["name"] for g in http.get("/v2/customer_groups").json()] == [
        "Revendeurs",
        "Grands comptes",
    ]
    assert made[0]["id"] < made[1]["id"] and made[0]["discount_rules"] == []
    assert http.get("/v2/customer_groups", params={"page": 2, "limit": 1}).json() == [made[1]]


def test_a_variant_batch_answers_its_errors_in_batch_errors(http: httpx.Client) -> None:
    """updateVariantsBatch's 422 is a "Variants Batch Error Response"."""
    answer = http.put("/v3/catalog/variants", json=[{"id": 99999, "price": 1}])
    assert answer.status_code == 422
    (problem,) = answer.json()["batch_errors"]
    assert problem["status"] == 422 and "99999" in problem["title"]


def test_v3_errors_carry_the_media_type_their_api_declares(http: httpx.Client) -> None:
    """inventory.v3.yml declares application/problem+json; the catalog application/json."""
    stock = http.put("/v3/inventory/adjustments/absolute", json={"items": []})
    catalog = http.put("/v3/catalog/products", json=[{"id": 1}] * 11)
    assert (stock.status_code, stock.headers["Content-Type"]) == (422, "application/problem+json")
    assert (catalog.status_code, catalog.headers["Content-Type"]) == (413, "application/json")
