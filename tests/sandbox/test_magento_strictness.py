"""The Magento sandbox refuses what Magento refuses and accepts what it accepts.

One test per row of ``passerelle/sandbox/magento/README.md`` ("Strict and lenient
as Magento"), in the same order; each asserts the status and the body Magento
answers (``{"message", "parameters"}``).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox.magento import MagentoSandbox
from passerelle.sandbox.magento.platform import MagentoPlatform

Client = httpx.Client


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[MagentoSandbox, Client]]:
    sandbox = MagentoSandbox(None, cert_dir=tmp_path / "tls").start()
    context = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    client = httpx.Client(
        base_url=f"{sandbox.url}/rest/default/V1/",
        verify=context,
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    yield sandbox, client
    client.close()
    sandbox.stop()


def _product(sku: str, name: str = "Mug", **extra: Any) -> dict[str, Any]:
    return {
        "product": {
            "sku": sku,
            "name": name,
            "price": 9.9,
            "attribute_set_id": 4,
            "type_id": "simple",
            **extra,
        }
    }


def _refused(answer: httpx.Response, status: int) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_a_wrong_token_is_401_naming_the_resource(api: Any) -> None:
    sandbox, _ = api
    answer = httpx.get(
        f"{sandbox.url}/rest/default/V1/customers/search",
        headers={"Authorization": "Bearer not-the-token"},
        verify=ssl.create_default_context(cafile=str(sandbox.ca_bundle)),
    )
    assert _refused(answer, 401) == {
        "message": "The consumer isn't authorized to access %resources.",
        "parameters": [{"resources": "Magento_Customer::manage"}],
    }


def test_guest_carts_need_no_token(api: Any) -> None:
    sandbox, _ = api
    answer = httpx.post(
        f"{sandbox.url}/rest/default/V1/guest-carts",
        verify=ssl.create_default_context(cafile=str(sandbox.ca_bundle)),
    )
    assert answer.status_code == 200 and len(answer.json()) == 32


def test_an_unknown_product_order_or_customer_is_404_with_magento_s_words(api: Any) -> None:
    _, client = api
    assert _refused(client.get("products/NOPE"), 404)["message"] == (
        "The product that was requested doesn't exist. Verify the product and try again."
    )
    assert _refused(client.get("orders/999999"), 404)["message"] == (
        "The entity that was requested doesn't exist. Verify the entity and try again."
    )
    assert _refused(client.get("customers/999999"), 404) == {
        "message": "No such entity with %fieldName = %fieldValue",
        "parameters": [{"fieldName": "customerId", "fieldValue": "999999"}],
    }
    assert _refused(client.get("nowhere"), 404) == {"message": "Request does not match any route."}


def test_an_e_mail_already_used_on_the_website_is_refused(api: Any) -> None:
    _, client = api
    answer = client.post(
        "customers",
        json={
            "customer": {"email": "Jeanne.Martin@example.org", "firstname": "J", "lastname": "M"}
        },
    )
    assert _refused(answer, 400) == {
        "message": "A customer with the same email address already exists in an associated website."
    }


@pytest.mark.parametrize(
    "email", ["jeanne.martin", "jeanne..m@example.org", "a b@x.fr", "x@-bad.fr"]
)
def test_an_e_mail_that_is_not_an_address_is_refused(api: Any, email: str) -> None:
    _, client = api
    answer = client.post(
        "customers", json={"customer": {"email": email, "firstname": "J", "lastname": "M"}}
    )
    assert _refused(answer, 400) == {"message": '"Email" is not a valid email address.'}


def test_a_customer_without_a_name_is_refused(api: Any) -> None:
    _, client = api
    answer = client.post(
        "customers", json={"customer": {"email": "new@example.org", "firstname": "Anne"}}
    )
    assert _refused(answer, 400) == {
        "message": '"%fieldName" is required. Enter and try again.',
        "parameters": [{"fieldName": "lastname"}],
    }


def test_a_customer_attribute_the_store_does_not_define_is_dropped(api: Any) -> None:
    _, client = api
    made = client.post(
        "customers",
        json={
            "customer": {
                "email": "new@example.org",
                "firstname": "Anne",
                "lastname": "N",
                "custom_attributes": [
                    {"attribute_code": "account_code", "value": "C1"},
                    {"attribute_code": "_notes", "value": "VIP"},
                ],
            }
        },
    )
    assert made.status_code == 200
    codes = {
        a["attribute_code"]
        for a in client.get(f"customers/{made.json()['id']}").json()["custom_attributes"]
    }
    assert codes == {"account_code"}


def test_a_new_product_needs_its_required_attributes(api: Any) -> None:
    _, client = api
    answer = client.post(
        "products", json={"product": {"sku": "NEW-1", "price": 1, "attribute_set_id": 4}}
    )
    assert _refused(answer, 400) == {
        "message": 'The "%1" attribute value is empty. Set the attribute and try again.',
        "parameters": [{"1": "name"}],
    }


def test_a_sku_longer_than_64_characters_is_refused(api: Any) -> None:
    _, client = api
    assert client.post("products", json=_product("S" * 64)).status_code == 200
    assert _refused(client.post("products", json=_product("S" * 65, name="Other")), 400) == {
        "message": "SKU length should be %1 characters or less.",
        "parameters": [{"1": 64}],
    }


def test_two_visible_products_cannot_share_a_url_key(api: Any) -> None:
    _, client = api
    first = client.post("products", json=_product("MUG-1", name="Mug émaillé"))
    assert {"attribute_code": "url_key", "value": "mug-emaille"} in first.json()[
        "custom_attributes"
    ]
    assert _refused(client.post("products", json=_product("MUG-2", name="Mug émaillé")), 400) == {
        "message": "URL key for specified store already exists."
    }
    hidden = _product("MUG-3", name="Mug émaillé", visibility=1)  # a variation: no rewrite
    assert client.post("products", json=hidden).status_code == 200


def test_saving_an_unknown_sku_creates_the_product_even_with_put(api: Any) -> None:
    sandbox, client = api
    assert client.put("products/GHOST", json=_product("GHOST")).status_code == 200
    assert "GHOST" in sandbox.data["products"]
    partial = client.put("products/GHOST-2", json={"product": {"sku": "GHOST-2", "price": 3}})
    assert _refused(partial, 400)["message"].startswith('The "%1" attribute value is empty')


def test_an_unknown_product_attribute_code_is_accepted_and_dropped(api: Any) -> None:
    _, client = api
    saved = client.post(
        "products",
        json=_product(
            "MUG-1",
            custom_attributes=[
                {"attribute_code": "gtin", "value": "3700000000001"},
                {"attribute_code": "description", "value": "<p>Grès</p>"},
            ],
        ),
    )
    assert saved.status_code == 200
    codes = {a["attribute_code"] for a in client.get("products/MUG-1").json()["custom_attributes"]}
    assert "gtin" not in codes and "description" in codes


def test_a_link_to_an_unknown_product_is_refused(api: Any) -> None:
    _, client = api
    answer = client.post(
        "products",
        json=_product(
            "MUG-1",
            product_links=[
                {
                    "sku": "MUG-1",
                    "link_type": "upsell",
                    "linked_product_sku": "NOPE",
                    "linked_product_type": "simple",
                    "position": 0,
                }
            ],
        ),
    )
    assert _refused(answer, 404) == {
        "message": 'The Product with the "%1" SKU doesn\'t exist.',
        "parameters": [{"1": "NOPE"}],
    }


def test_source_items_of_a_sku_no_product_has_are_saved(api: Any) -> None:
    sandbox, client = api
    answer = client.post(
        "inventory/source-items",
        json={
            "sourceItems": [
                {"sku": "NOT-IN-CATALOGUE", "source_code": "default", "quantity": 5, "status": 1}
            ]
        },
    )
    assert answer.status_code == 200 and answer.json() == []
    assert "default|NOT-IN-CATALOGUE" in sandbox.data["source_items"]


def test_a_list_input_holds_at_most_20_entities(api: Any) -> None:
    _, client = api
    items = [
        {"sku": f"S{i}", "source_code": "default", "quantity": 1, "status": 1} for i in range(21)
    ]
    assert (
        _refused(client.post("inventory/source-items", json={"sourceItems": items}), 400)["message"]
        == 'Maximum items of type "%type" is %max'
    )


def test_a_page_size_above_300_is_refused(api: Any) -> None:
    _, client = api
    answer = client.get("orders", params={"searchCriteria[pageSize]": 301})
    assert _refused(answer, 400) == {
        "message": "Maximum SearchCriteria pageSize is %max",
        "parameters": [{"max": 300}],
    }


def test_salable_quantity_of_an_unknown_or_composite_product_is_refused(api: Any) -> None:
    _, client = api
    assert _refused(client.get("inventory/get-product-salable-quantity/NOPE/1"), 404)[
        "message"
    ].startswith("The product that was requested doesn't exist")
    assert client.post("products", json=_product("CFG", type_id="configurable")).status_code == 200
    assert _refused(client.get("inventory/get-product-salable-quantity/CFG/1"), 400) == {
        "message": "Can't check requested quantity for products without Source Items support."
    }


def test_an_order_s_actions_follow_its_state(api: Any) -> None:
    sandbox, client = api
    complete = next(k for k, o in sandbox.data["orders"].items() if o["state"] == "complete")
    held = next(k for k, o in sandbox.data["orders"].items() if o["state"] == "holded")
    processing = next(k for k, o in sandbox.data["orders"].items() if o["state"] == "processing")
    assert _refused(client.post(f"orders/{complete}/hold"), 400) == {
        "message": "A hold action is not available."
    }
    assert _refused(client.post(f"order/{held}/ship", json={}), 400)["message"].endswith(
        "The order does not allow a shipment to be created."
    )
    assert _refused(client.post(f"order/{processing}/invoice", json={}), 400) == {
        "message": "The order does not allow an invoice to be created."
    }
    assert client.post(f"orders/{processing}/cancel").json() is False  # paid: refund it
    assert _refused(client.post(f"orders/{complete}/unhold"), 400) == {
        "message": "You cannot remove the hold."
    }


def test_shipping_more_than_the_source_holds_is_refused(api: Any) -> None:
    sandbox, client = api
    assert client.post("products", json=_product("MUG-1")).status_code == 200
    stock = {"sku": "MUG-1", "source_code": "default", "quantity": 5, "status": 1}
    assert client.post("inventory/source-items", json={"sourceItems": [stock]}).status_code == 200
    order = MagentoPlatform(sandbox).place_order({"MUG-1": 3})
    assert (
        client.post(
            "inventory/source-items", json={"sourceItems": [dict(stock, quantity=1)]}
        ).status_code
        == 200
    )  # counted again: only 1 left
    assert _refused(client.post(f"order/{order}/ship", json={}), 400) == {
        "message": "Not all of your products are available in the requested quantity."
    }
