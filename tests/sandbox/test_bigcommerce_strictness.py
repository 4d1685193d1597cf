"""The BigCommerce sandbox refuses what BigCommerce refuses, and accepts what it accepts.

One test per row of the table in ``passerelle/sandbox/bigcommerce/README.md``.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox.bigcommerce import BigCommerceSandbox

TOKEN = "bc_demo_token"
CHAIR = {
    "name": "Chaise",
    "type": "physical",
    "weight": 3.5,
    "price": 49.9,
    "sku": "CHAIR",
    "inventory_tracking": "product",
    "inventory_level": 5,
}


@pytest.fixture
def box(tmp_path: Path) -> Iterator[BigCommerceSandbox]:
    sandbox = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", seed=False, quota=10_000
    )
    sandbox.data["trees"]["1"] = {"id": 1, "name": "Default", "channels": [1]}
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _client(box: BigCommerceSandbox, token: str = TOKEN) -> httpx.Client:
    return httpx.Client(
        base_url=f"{box.url}/stores/{box.store_hash}",
        headers={"X-Auth-Token": token},
        verify=ssl.create_default_context(cafile=str(box.ca_bundle)),
    )


@pytest.fixture
def http(box: BigCommerceSandbox) -> Iterator[httpx.Client]:
    with _client(box) as client:
        yield client


def _product(http: httpx.Client, **changes: Any) -> httpx.Response:
    return http.post("/v3/catalog/products", json={**CHAIR, **changes})


def _customer(**changes: Any) -> dict[str, Any]:
    return {"email": "anne@example.org", "first_name": "Anne", "last_name": "Nord", **changes}


def test_a_wrong_token_is_refused_with_401(box: BigCommerceSandbox) -> None:
    with _client(box, "not-the-token") as client:
        answer = client.get("/v3/catalog/products")
    assert answer.status_code == 401
    assert set(answer.json()) == {"status", "title", "type", "errors"}


def test_a_read_only_token_reads_and_any_write_is_forbidden(tmp_path: Path) -> None:
    sandbox = BigCommerceSandbox(
        None, token=TOKEN, cert_dir=tmp_path / "tls", seed=False, read_only_token="bc_read_only"
    )
    sandbox.start()
    try:
        with _client(sandbox, "bc_read_only") as client:
            assert client.get("/v3/catalog/products").status_code == 200
            answer = client.post("/v3/catalog/products", json=CHAIR)
        assert answer.status_code == 403
        assert answer.json()["title"] == "You don't have a required scope to access the endpoint"
        assert sandbox.data["products"] == {}
    finally:
        sandbox.stop()


def test_product_names_are_unique(http: httpx.Client) -> None:
    assert _product(http).status_code == 200
    answer = _product(http, name="chaise", sku="CHAIR-2")
    assert answer.status_code == 409
    assert answer.json()["errors"] == {"name": "The product name is a duplicate"}


def test_skus_are_unique_across_products_and_variants(http: httpx.Client) -> None:
    assert _product(http).status_code == 200
    assert _product(http, name="Chaise 2").status_code == 409
    made = _product(
        http,
        name="T-shirt",
        sku="TS",
        inventory_tracking="variant",
        variants=[
            {"sku": "TS-M", "option_values": [{"option_display_name": "Size", "label": "M"}]}
        ],
    )
    assert made.status_code == 200
    assert _product(http, name="Chaise 3", sku="TS-M").status_code == 409


def test_one_batch_cannot_give_two_products_the_same_name(http: httpx.Client) -> None:
    one = _product(http).json()["data"]["id"]
    two = _product(http, name="Tabouret", sku="STOOL").json()["data"]["id"]
    answer = http.put(
        "/v3/catalog/products", json=[{"id": one, "name": "Banc"}, {"id": two, "name": "banc"}]
    )
    assert answer.status_code == 409
    names = {p["name"] for p in http.get("/v3/catalog/products").json()["data"]}
    assert names == {"Chaise", "Tabouret"}


def test_storefront_urls_are_unique_and_custom_fields_have_bounded_texts(
    http: httpx.Client,
) -> None:
    url = {"url": "/chaise-chene/", "is_customized": True}
    assert _product(http, custom_url=url).status_code == 200
    assert _product(http, name="Chaise 2", sku="C2", custom_url=url).status_code == 409
    answer = _product(
        http, name="Chaise 3", sku="C3", custom_fields=[{"name": "Matière", "value": ""}]
    )
    assert answer.status_code == 422 and set(answer.json()["errors"]) == {"custom_fields.0"}


def test_required_fields_to_create_a_product(http: httpx.Client) -> None:
    answer = http.post("/v3/catalog/products", json={"name": "Table", "sku": "TABLE"})
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"type", "weight", "price"}


def test_field_lengths_and_allowed_values(http: httpx.Client) -> None:
    answer = _product(http, name="x" * 251, type="furniture")
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"name", "type"}
    assert _product(http, name="").status_code == 422
    assert _product(http, name="x" * 250).status_code == 200


def test_prices_and_weights_are_zero_or_more(http: httpx.Client) -> None:
    answer = _product(http, price=-1, weight=-0.5)
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"price", "weight"}
    pid = _product(http).json()["data"]["id"]
    assert http.put("/v3/catalog/products", json=[{"id": pid, "sale_price": -3}]).status_code == 422
    assert http.put("/v3/catalog/products", json=[{"id": pid, "price": 0}]).status_code == 200


def test_an_unknown_tax_class_is_a_conflict(http: httpx.Client) -> None:
    assert _product(http, tax_class_id=99).status_code == 409
    assert _product(http, tax_class_id=4).status_code == 200


def test_an_unknown_category_is_refused(http: httpx.Client) -> None:
    answer = _product(http, categories=[99999])
    assert answer.status_code == 422
    assert "Category 99999 does not exist" in answer.json()["title"]


def test_a_batch_update_naming_an_unknown_product_is_refused_whole_with_422(
    http: httpx.Client,
) -> None:
    pid = _product(http).json()["data"]["id"]
    answer = http.put(
        "/v3/catalog/products", json=[{"id": pid, "price": 10}, {"id": 99999, "price": 10}]
    )
    assert answer.status_code == 422  # the batch declares 409/413/422, not 404
    assert http.get("/v3/catalog/products").json()["data"][0]["price"] == 49.9


def test_a_batch_update_takes_only_the_fields_given(http: httpx.Client) -> None:
    """Lenient: ``product_Put_Collection`` requires only the id (the rest stays)."""
    pid = _product(http).json()["data"]["id"]
    answer = http.put("/v3/catalog/products", json=[{"id": pid, "price": 45}])
    assert answer.status_code == 200
    product = answer.json()["data"][0]
    assert (product["price"], product["name"], product["weight"]) == (45, "Chaise", 3.5)


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [
        ("/v3/catalog/products", 11, 413),
        ("/v3/catalog/variants", 51, 413),
        ("/v3/customers", 11, 413),
    ],
)
def test_batch_size_limits(http: httpx.Client, path: str, size: int, status: int) -> None:
    assert http.put(path, json=[{"id": 1}] * size).status_code == status


def test_an_inventory_adjustment_takes_at_most_2000_items(http: httpx.Client) -> None:
    pid = _product(http).json()["data"]["id"]
    items = [{"location_id": 1, "product_id": pid, "quantity": 1}] * 2001
    answer = http.put("/v3/inventory/adjustments/absolute", json={"items": items})
    assert answer.status_code == 422
    assert answer.headers["Content-Type"] == "application/problem+json"


def test_unknown_ids_answer_404(http: httpx.Client) -> None:
    assert http.get("/v2/orders/99999").status_code == 404
    assert (
        http.post(
            "/v3/catalog/products/99999/variants",
            json={"option_values": [{"option_display_name": "Size", "label": "M"}]},
        ).status_code
        == 404
    )
    assert http.delete("/v3/catalog/products/99999").status_code == 404
    assert http.delete("/v3/catalog/products/1/variants/99999").status_code == 404
    assert http.get("/v2/shipping/zones/99/methods").status_code == 404


def test_deleting_a_product_answers_204_and_it_is_gone(http: httpx.Client) -> None:
    pid = _product(http).json()["data"]["id"]
    assert http.delete(f"/v3/catalog/products/{pid}").status_code == 204
    assert http.get("/v3/catalog/products", params={"id:in": pid}).json()["data"] == []
    assert http.put("/v3/catalog/products", json=[{"id": pid, "price": 1}]).status_code == 422


def test_customer_emails_are_validated(http: httpx.Client) -> None:
    answer = http.post("/v3/customers", json=[_customer(email="anne.example.org")])
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"0.email": "email must be a valid email address"}


def test_customer_emails_are_unique_without_case(http: httpx.Client) -> None:
    assert http.post("/v3/customers", json=[_customer()]).status_code == 200
    answer = http.post("/v3/customers", json=[_customer(email="ANNE@example.org")])
    assert answer.status_code == 422
    assert "already in use" in answer.json()["errors"]["0.email"]
    twice = http.post(
        "/v3/customers", json=[_customer(email="b@example.org"), _customer(email="B@example.org")]
    )
    assert twice.status_code == 422 and set(twice.json()["errors"]) == {"1.email"}


def test_customer_required_fields_and_lengths(http: httpx.Client) -> None:
    answer = http.post(
        "/v3/customers",
        json=[{"email": "c@example.org", "first_name": "x" * 101, "phone": "1" * 51}],
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"0.last_name", "0.first_name", "0.phone"}


def test_a_customer_address_needs_its_fields_and_a_known_address_is_not_added_twice(
    http: httpx.Client,
) -> None:
    cid = http.post("/v3/customers", json=[_customer()]).json()["data"][0]["id"]
    address = {
        "customer_id": cid,
        "first_name": "Anne",
        "last_name": "Nord",
        "address1": "3 rue Haute",
        "city": "Lyon",
        "state_or_province": "",
        "postal_code": "69001",
        "country_code": "FR",
    }
    missing = http.post("/v3/customers/addresses", json=[{**address, "city": ""}])
    assert missing.status_code == 422 and set(missing.json()["errors"]) == {"0.city"}
    first = http.post("/v3/customers/addresses", json=[address])
    assert first.status_code == 200 and len(first.json()["data"]) == 1
    again = http.post("/v3/customers/addresses", json=[address])
    assert again.status_code == 200 and again.json()["data"] == []
    listed = http.get("/v3/customers/addresses", params={"customer_id:in": cid}).json()
    assert [a["address1"] for a in listed["data"]] == ["3 rue Haute"]


def test_updating_an_unknown_customer_is_refused(http: httpx.Client) -> None:
    answer = http.put("/v3/customers", json=[{"id": 99999, "notes": "x"}])
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"0.id": "customer not found"}


def test_a_new_customer_keeps_the_password_reset_asked(http: httpx.Client) -> None:
    made = http.post(
        "/v3/customers",
        json=[
            _customer(authentication={"force_password_reset": True, "new_password": "s3cret-Pass"})
        ],
    )
    assert made.status_code == 200
    assert made.json()["data"][0]["authentication"] == {"force_password_reset": True}


def test_an_order_status_outside_the_list_is_refused(
    box: BigCommerceSandbox, http: httpx.Client
) -> None:
    pid = _product(http).json()["data"]["id"]
    order = box.call(
        "POST",
        "/v2/orders",
        {
            "billing_address": {"email": "a@example.org"},
            "products": [{"product_id": pid, "quantity": 1}],
        },
    )
    answer = http.put(f"/v2/orders/{order['id']}", json={"status_id": 15})
    assert answer.status_code == 400
    assert answer.json()[0]["status"] == 400  # the v2 error shape: a list


def test_a_tracking_number_is_at_most_50_characters(
    box: BigCommerceSandbox, http: httpx.Client
) -> None:
    pid = _product(http).json()["data"]["id"]
    order = box.call(
        "POST",
        "/v2/orders",
        {
            "billing_address": {"email": "a@example.org"},
            "products": [{"product_id": pid, "quantity": 1}],
        },
    )
    line = box.data["order_products"][str(order["id"])][0]
    answer = http.post(
        f"/v2/orders/{order['id']}/shipments",
        json={
            "order_address_id": line["order_address_id"],
            "tracking_number": "1" * 51,
            "items": [{"order_product_id": line["id"], "quantity": 1}],
        },
    )
    assert answer.status_code == 400


def test_an_order_needs_its_billing_address_and_products(http: httpx.Client) -> None:
    answer = http.post("/v2/orders", json={"products": []})
    assert answer.status_code == 400


def test_past_the_quota_the_store_answers_429_until_the_window_resets(
    box: BigCommerceSandbox, http: httpx.Client
) -> None:
    from passerelle.sandbox.bigcommerce.wire import QuotaWindow

    box.quota = QuotaWindow(1, 60_000)
    assert http.get("/v3/customers").status_code == 200
    answer = http.get("/v3/customers")
    assert answer.status_code == 429
    assert int(answer.headers["X-Rate-Limit-Time-Reset-Ms"]) > 0
