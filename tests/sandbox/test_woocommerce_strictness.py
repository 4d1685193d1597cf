"""The WooCommerce sandbox is as strict — and as lenient — as the real shop.

One test per row of ``passerelle/sandbox/woocommerce/README.md``; the source
of each behaviour is cited there and in the sandbox module that implements it.
"""

from __future__ import annotations

import itertools
import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from passerelle.sandbox.woocommerce import WooSandbox

API = "/wp-json/wc/v3"
_N = itertools.count(1)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WooSandbox]:
    state = tmp_path_factory.mktemp("woo-strict")
    with WooSandbox(state / "shop.json", cert_dir=state / "certs") as sb:
        yield sb


def _client(sandbox: WooSandbox, auth: tuple[str, str] | None) -> httpx.Client:
    verify = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    return httpx.Client(base_url=sandbox.url + API, auth=auth, verify=verify, timeout=10)


@pytest.fixture()
def client(sandbox: WooSandbox) -> Iterator[httpx.Client]:
    with _client(sandbox, ("ck_demo", "cs_demo")) as c:
        yield c


def _sku() -> str:
    return f"STR-{next(_N):03d}"


def _product(client: httpx.Client, **body: Any) -> dict[str, Any]:
    answer = client.post("/products", json={"name": "Plaid", "sku": _sku(), **body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def _error(answer: httpx.Response) -> tuple[int, str]:
    return answer.status_code, answer.json()["code"]


def test_updating_an_unknown_product_is_400_invalid_id_reading_it_404(client: httpx.Client) -> None:
    assert _error(client.put("/products/999999", json={"name": "x"})) == (
        400,
        "woocommerce_rest_product_invalid_id",
    )
    assert _error(client.get("/products/999999")) == (404, "woocommerce_rest_product_invalid_id")


def test_a_batch_update_of_an_unknown_product_fails_that_item_with_400(
    client: httpx.Client,
) -> None:
    kept = _product(client, regular_price="5.00")
    answer = client.post(
        "/products/batch",
        json={
            "update": [
                {"id": 999999, "stock_quantity": 3},
                {"id": kept["id"], "regular_price": "6.00"},
            ]
        },
    )
    gone, done = answer.json()["update"]
    assert gone["error"]["code"] == "woocommerce_rest_product_invalid_id"
    assert gone["error"]["data"]["status"] == 400
    assert done["regular_price"] == "6.00"


def test_updating_an_unknown_variation_is_400_variation_invalid_id(client: httpx.Client) -> None:
    parent = _product(client, type="variable")
    assert _error(client.put(f"/products/{parent['id']}/variations/999999", json={})) == (
        400,
        "woocommerce_rest_product_variation_invalid_id",
    )
    batch = client.post(
        f"/products/{parent['id']}/variations/batch",
        json={"update": [{"id": 999999, "regular_price": "1"}]},
    ).json()
    assert batch["update"][0]["error"]["code"] == "woocommerce_rest_product_variation_invalid_id"
    assert batch["update"][0]["error"]["data"]["status"] == 400


def test_updating_an_unknown_order_is_400_reading_it_404(client: httpx.Client) -> None:
    assert _error(client.put("/orders/999999", json={"status": "completed"})) == (
        400,
        "woocommerce_rest_shop_order_invalid_id",
    )
    assert _error(client.get("/orders/999999")) == (404, "woocommerce_rest_shop_order_invalid_id")


def test_a_price_that_is_not_a_number_is_silently_cleared(client: httpx.Client) -> None:
    made = _product(client, regular_price="19.90")
    answer = client.put(f"/products/{made['id']}", json={"regular_price": "abc"})
    assert answer.status_code == 200
    assert answer.json()["regular_price"] == "" and answer.json()["price"] == ""
    assert answer.json()["purchasable"] is False


def test_a_price_with_the_shops_decimal_comma_is_stored_with_a_dot(client: httpx.Client) -> None:
    made = _product(client, regular_price="12,50")
    assert made["regular_price"] == "12.50"


def test_a_sale_price_not_below_the_regular_price_is_dropped(client: httpx.Client) -> None:
    above = _product(client, regular_price="10.00", sale_price="12.00")
    assert (above["sale_price"], above["price"], above["on_sale"]) == ("", "10.00", False)
    equal = _product(client, regular_price="10.00", sale_price="10.00")
    assert equal["sale_price"] == ""
    below = _product(client, regular_price="10.00", sale_price="8.00")
    assert (below["sale_price"], below["price"], below["on_sale"]) == ("8.00", "8.00", True)


def test_a_sale_price_without_a_regular_price_is_dropped(client: httpx.Client) -> None:
    assert _product(client, sale_price="8.00")["sale_price"] == ""


def test_batch_items_are_not_checked_against_the_schema_single_requests_are(
    client: httpx.Client,
) -> None:
    single = client.post("/products", json={"name": "x", "regular_price": 12.5})
    assert _error(single) == (400, "rest_invalid_param")
    batch = client.post(
        "/products/batch",
        json={"create": [{"name": "Plaid", "sku": _sku(), "regular_price": 12.5}]},
    ).json()
    assert batch["create"][0]["regular_price"] == "12.5"


def test_sku_look_ups_ignore_case(client: httpx.Client) -> None:
    made = _product(client)
    found = client.get("/products", params={"sku": made["sku"].lower()}).json()
    assert [p["id"] for p in found] == [made["id"]]


def test_a_sku_differing_only_in_case_is_a_duplicate(client: httpx.Client) -> None:
    made = _product(client)
    again = client.post("/products", json={"name": "Autre", "sku": made["sku"].lower()})
    assert _error(again) == (400, "product_invalid_sku")
    assert again.json()["data"]["resource_id"] == made["id"]


def test_a_global_unique_id_is_unique_across_products_and_variations(client: httpx.Client) -> None:
    made = _product(client, global_unique_id="376-0000000017")
    assert made["global_unique_id"] == "376-0000000017"
    taken = client.post(
        "/products", json={"name": "Autre", "sku": _sku(), "global_unique_id": "376-0000000017"}
    )
    assert _error(taken) == (400, "product_invalid_global_unique_id")
    assert taken.json()["data"]["resource_id"] == made["id"]
    parent = _product(
        client,
        type="variable",
        attributes=[{"name": "Taille", "options": ["S"], "variation": True}],
    )
    refused = client.post(
        f"/products/{parent['id']}/variations",
        json={
            "sku": _sku(),
            "attributes": [{"name": "Taille", "option": "S"}],
            "global_unique_id": "376-0000000017",
        },
    )
    assert _error(refused) == (400, "product_invalid_global_unique_id")
    # Its own barcode again is no duplicate; characters that are never valid are dropped.
    again = client.put(f"/products/{made['id']}", json={"global_unique_id": "376-0000000017"})
    assert again.status_code == 200, again.text
    cleaned = _product(client, global_unique_id="EAN 4006381333931")
    assert cleaned["global_unique_id"] == "4006381333931"
    batch = client.post(
        "/products/batch",
        json={"create": [{"name": "Lot", "sku": _sku(), "global_unique_id": "4006381333931"}]},
    ).json()
    assert batch["create"][0]["error"]["code"] == "product_invalid_global_unique_id"
    assert _error(
        client.post("/products", json={"name": "X", "sku": _sku(), "global_unique_id": "12X4"})
    ) == (400, "product_invalid_global_unique_id_format")


def test_an_unknown_key_is_anonymous_and_a_wrong_secret_is_refused(sandbox: WooSandbox) -> None:
    with _client(sandbox, ("ck_unknown", "cs_demo")) as stranger:
        assert _error(stranger.get("/products")) == (401, "woocommerce_rest_cannot_view")
        assert _error(stranger.put("/products/1", json={})) == (401, "woocommerce_rest_cannot_edit")
    with _client(sandbox, ("ck_demo", "cs_wrong")) as wrong:
        assert _error(wrong.get("/products")) == (401, "woocommerce_rest_authentication_error")


def test_an_unknown_tax_class_becomes_the_standard_one(client: httpx.Client) -> None:
    made = _product(client, tax_class="super-reduced")
    assert made["tax_class"] == ""
    assert _product(client, tax_class="Reduced rate")["tax_class"] == "reduced-rate"


def test_a_variation_keeps_only_its_parents_variation_attributes(client: httpx.Client) -> None:
    parent = _product(
        client,
        type="variable",
        attributes=[
            {"name": "Parfum", "options": ["Figue"], "variation": True},
            {"name": "Matière", "options": ["Cire"], "variation": False},
        ],
    )
    made = client.post(
        f"/products/{parent['id']}/variations",
        json={
            "regular_price": "9.00",
            "attributes": [
                {"name": "parfum", "option": "Figue"},
                {"name": "Matière", "option": "Cire"},
                {"name": "Couleur", "option": "Rouge"},
            ],
        },
    ).json()
    assert made["attributes"] == [{"id": 0, "name": "Parfum", "option": "Figue"}]


def test_a_variation_is_named_after_its_attribute_values(client: httpx.Client) -> None:
    parent = _product(
        client,
        name="Bougie parfumée",
        type="variable",
        attributes=[
            {"name": "Parfum", "options": ["Figue"], "variation": True},
            {"name": "Taille", "options": ["200 g"], "variation": True},
        ],
    )
    made = client.post(
        f"/products/{parent['id']}/variations",
        json={
            "sku": _sku(),
            "regular_price": "14.90",
            "attributes": [
                {"name": "Parfum", "option": "Figue"},
                {"name": "Taille", "option": "200 g"},
            ],
        },
    ).json()
    assert made["name"] == "Figue, 200 g"
    # GET /products?sku= shows it as a product named by its post title.
    [as_product] = client.get("/products", params={"sku": made["sku"]}).json()
    assert as_product["name"] == "Bougie parfumée - Figue, 200 g"


def test_a_variation_without_its_own_stock_shows_its_parents(client: httpx.Client) -> None:
    parent = _product(
        client,
        type="variable",
        manage_stock=True,
        stock_quantity=12,
        attributes=[{"name": "Parfum", "options": ["Figue", "Ambre"], "variation": True}],
    )
    shared = client.post(
        f"/products/{parent['id']}/variations",
        json={"regular_price": "9.00", "attributes": [{"name": "Parfum", "option": "Figue"}]},
    ).json()
    own = client.post(
        f"/products/{parent['id']}/variations",
        json={
            "regular_price": "9.00",
            "manage_stock": True,
            "stock_quantity": 3,
            "attributes": [{"name": "Parfum", "option": "Ambre"}],
        },
    ).json()
    assert (shared["manage_stock"], shared["stock_quantity"]) == ("parent", 12)
    assert (own["manage_stock"], own["stock_quantity"]) == (True, 3)


def test_a_variable_product_reads_with_its_lowest_childs_price(client: httpx.Client) -> None:
    parent = _product(
        client,
        type="variable",
        regular_price="99.00",
        attributes=[{"name": "Parfum", "options": ["Figue", "Ambre"], "variation": True}],
    )
    assert (parent["price"], parent["purchasable"], parent["has_options"]) == ("", False, True)
    for option, price in (("Figue", "14.90"), ("Ambre", "12.50")):
        client.post(
            f"/products/{parent['id']}/variations",
            json={"regular_price": price, "attributes": [{"name": "Parfum", "option": option}]},
        )
    read = client.get(f"/products/{parent['id']}").json()
    assert (read["price"], read["regular_price"], read["purchasable"]) == ("12.50", "", True)
    assert "12,50" in read["price_html"] and "14,90" in read["price_html"]
    assert "&ndash;" in read["price_html"]


def test_customer_meta_with_a_protected_key_is_dropped_and_hidden(client: httpx.Client) -> None:
    answer = client.post(
        "/customers",
        json={
            "email": f"meta{next(_N)}@example.com",
            "meta_data": [
                {"key": "_account_code", "value": "C1"},
                {"key": "account_code", "value": "C1"},
            ],
        },
    )
    assert answer.status_code == 201
    assert [m["key"] for m in answer.json()["meta_data"]] == ["account_code"]


def test_customer_email_checks_single_request_then_batch(client: httpx.Client) -> None:
    assert _error(client.post("/customers", json={"email": "not-an-email"})) == (
        400,
        "rest_invalid_param",
    )
    assert _error(client.post("/customers", json={"first_name": "Ana"})) == (
        400,
        "rest_missing_callback_param",
    )
    batch = client.post(
        "/customers/batch", json={"create": [{"email": "not-an-email"}, {"email": ""}]}
    ).json()["create"]
    assert [i["error"]["code"] for i in batch] == [
        "customer_invalid_email",
        "registration-error-invalid-email",
    ]


def test_an_email_already_registered_is_refused_whatever_its_case(client: httpx.Client) -> None:
    email = f"taken{next(_N)}@example.com"
    assert client.post("/customers", json={"email": email}).status_code == 201
    assert _error(client.post("/customers", json={"email": email.upper()})) == (
        400,
        "registration-error-email-exists",
    )


def test_a_customers_role_is_read_only(client: httpx.Client) -> None:
    made = client.post(
        "/customers", json={"email": f"role{next(_N)}@example.com", "role": "administrator"}
    ).json()
    assert made["role"] == "customer"
