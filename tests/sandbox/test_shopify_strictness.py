"""The Shopify sandbox refuses what Shopify refuses and accepts what it accepts.

One test per row of ``passerelle/sandbox/shopify/README.md``.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox.shopify.server import ShopifySandbox

PRODUCT_SET = (
    "mutation($input: ProductSetInput!, $id: ProductSetIdentifiers) { "
    "productSet(input: $input, identifier: $id) { product { id handle } "
    "userErrors { field message code } } }"
)
CUSTOMER_CREATE = (
    "mutation($input: CustomerInput!) { customerCreate(input: $input) { "
    "customer { id } userErrors { field message } } }"
)
METAFIELDS_SET = (
    "mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { "
    "metafields { id } userErrors { field message code } } }"
)


@pytest.fixture
def sandbox() -> ShopifySandbox:
    return ShopifySandbox(None)


def _run(s: ShopifySandbox, query: str, variables: dict[str, Any] | None = None) -> Any:
    return s.execute(query, variables or {})


def _product(
    title: str = "Bol",
    price: Any = "9.90",
    handle: str | None = None,
    variants: list[list[tuple[str, str]]] | None = None,
) -> dict[str, Any]:
    variants = variants or [[("Title", "Default Title")]]
    options: dict[str, list[str]] = {}
    for combination in variants:
        for name, value in combination:
            if value not in options.setdefault(name, []):
                options[name].append(value)
    return {
        "title": title,
        "handle": handle,
        "productOptions": [
            {"name": n, "values": [{"name": v} for v in vs]} for n, vs in options.items()
        ],
        "variants": [
            {"price": price, "optionValues": [{"optionName": n, "name": v} for n, v in combination]}
            for combination in variants
        ],
    }


def _codes(answer: Any, root: str) -> list[str | None]:
    return [e.get("code") for e in answer["data"][root]["userErrors"]]


def _messages(answer: Any, root: str) -> list[str]:
    return [e["message"] for e in answer["data"][root]["userErrors"]]


# ------------------------------------------------------------------ transport
@pytest.fixture
def served(tmp_path: Path) -> Iterator[ShopifySandbox]:
    s = ShopifySandbox(None, cert_dir=tmp_path / "tls").start()
    try:
        yield s
    finally:
        s.stop()


def _tls(s: ShopifySandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(s.ca_bundle))


def test_a_wrong_token_is_401_with_shopifys_message(served: ShopifySandbox) -> None:
    answer = httpx.post(
        served.endpoint,
        json={"query": "{ shop { name } }"},
        headers={"X-Shopify-Access-Token": "shpat_wrong"},
        verify=_tls(served),
    )
    assert answer.status_code == 401
    assert "Invalid API key or access token" in answer.json()["errors"]


def test_a_malformed_document_is_a_graphql_error_with_http_200(served: ShopifySandbox) -> None:
    answer = httpx.post(
        served.endpoint,
        json={"query": "{ shop { name "},
        headers={"X-Shopify-Access-Token": "shpat_demo"},
        verify=_tls(served),
    )
    assert answer.status_code == 200
    assert answer.json()["errors"][0]["extensions"]["code"] == "syntaxError"


# ------------------------------------------------------------------ products
def test_a_price_that_is_not_money_is_refused_before_anything_runs(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, PRODUCT_SET, {"input": _product(price="abc")})
    assert "data" not in answer and "invalid value 'abc'" in answer["errors"][0]["message"]
    assert sandbox.state["products"] == {}


def test_a_negative_price_is_an_invalid_variant(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, PRODUCT_SET, {"input": _product(price="-1.00")})
    assert _codes(answer, "productSet") == ["INVALID_VARIANT"]


def test_a_new_product_needs_a_title(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, PRODUCT_SET, {"input": _product(title="")})
    assert _codes(answer, "productSet") == ["BLANK"]


def test_a_handle_made_from_a_taken_title_is_suffixed_silently(sandbox: ShopifySandbox) -> None:
    handles = [
        _run(sandbox, PRODUCT_SET, {"input": _product()})["data"]["productSet"]["product"]["handle"]
        for _ in range(3)
    ]
    assert handles == ["bol", "bol-1", "bol-2"]


def test_a_handle_given_and_taken_is_refused(sandbox: ShopifySandbox) -> None:
    _run(sandbox, PRODUCT_SET, {"input": _product(handle="bol")})
    answer = _run(sandbox, PRODUCT_SET, {"input": _product(title="Autre", handle="bol")})
    assert _codes(answer, "productSet") == ["HANDLE_NOT_UNIQUE"]


def test_two_variants_with_the_same_options_are_refused(sandbox: ShopifySandbox) -> None:
    same = [[("Taille", "S")], [("Taille", "S")]]
    answer = _run(sandbox, PRODUCT_SET, {"input": _product(variants=same)})
    assert "INVALID_VARIANT" in _codes(answer, "productSet")
    assert "already exists" in " ".join(_messages(answer, "productSet"))


def test_more_than_three_options_are_refused(sandbox: ShopifySandbox) -> None:
    combination = [("A", "1"), ("B", "1"), ("C", "1"), ("D", "1")]
    answer = _run(sandbox, PRODUCT_SET, {"input": _product(variants=[combination])})
    assert _codes(answer, "productSet") == ["OPTIONS_OVER_LIMIT"]


def test_more_than_2048_variants_are_refused(sandbox: ShopifySandbox) -> None:
    many = [[("Taille", str(n))] for n in range(2049)]
    answer = _run(sandbox, PRODUCT_SET, {"input": _product(variants=many)})
    assert "TOO_MANY_VARIANTS" in _codes(answer, "productSet")


def test_updating_a_deleted_product_answers_product_does_not_exist(sandbox: ShopifySandbox) -> None:
    created = _run(sandbox, PRODUCT_SET, {"input": _product()})["data"]["productSet"]["product"]
    deleted = _run(
        sandbox,
        "mutation($id: ID!) { productDelete(input: {id: $id}) { "
        "deletedProductId userErrors { message } } }",
        {"id": created["id"]},
    )
    assert deleted["data"]["productDelete"]["deletedProductId"] == created["id"]
    again = _run(sandbox, PRODUCT_SET, {"input": _product(), "id": {"id": created["id"]}})
    assert _codes(again, "productSet") == ["PRODUCT_DOES_NOT_EXIST"]


def test_deleting_an_unknown_product_is_a_user_error(sandbox: ShopifySandbox) -> None:
    answer = _run(
        sandbox,
        'mutation { productDelete(input: {id: "gid://shopify/Product/1"})'
        " { deletedProductId userErrors { field message } } }",
    )
    assert answer["data"]["productDelete"]["userErrors"] == [
        {"field": ["id"], "message": "Product does not exist"}
    ]


def test_the_last_variant_of_a_product_cannot_be_deleted(sandbox: ShopifySandbox) -> None:
    created = _run(sandbox, PRODUCT_SET, {"input": _product()})["data"]["productSet"]["product"]
    variant = _run(
        sandbox,
        "query($id: ID!) { node(id: $id) { ... on Product { variants("
        "first: 1) { nodes { id } } } } }",
        {"id": created["id"]},
    )
    answer = _run(
        sandbox,
        "mutation($p: ID!, $v: [ID!]!) { productVariantsBulkDelete("
        "productId: $p, variantsIds: $v) { userErrors { code } } }",
        {"p": created["id"], "v": [variant["data"]["node"]["variants"]["nodes"][0]["id"]]},
    )
    assert _codes(answer, "productVariantsBulkDelete") == ["CANNOT_DELETE_LAST_VARIANT"]


# ------------------------------------------------------------------ customers
def test_a_duplicate_email_is_taken(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, CUSTOMER_CREATE, {"input": {"email": "JEANNE.MARTIN@example.org"}})
    assert answer["data"]["customerCreate"]["userErrors"] == [
        {"field": ["email"], "message": "Email has already been taken"}
    ]


def test_an_invalid_email_is_refused(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, CUSTOMER_CREATE, {"input": {"email": "not-an-email"}})
    assert _messages(answer, "customerCreate") == ["Email is invalid"]


def test_a_phone_not_in_international_form_is_refused(sandbox: ShopifySandbox) -> None:
    answer = _run(
        sandbox, CUSTOMER_CREATE, {"input": {"email": "a@example.com", "phone": "0607080910"}}
    )
    assert _messages(answer, "customerCreate") == ["Phone is invalid"]
    ok = _run(
        sandbox, CUSTOMER_CREATE, {"input": {"email": "a@example.com", "phone": "+33607080910"}}
    )
    assert ok["data"]["customerCreate"]["customer"]


def test_a_customer_needs_an_email_a_phone_or_a_name(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, CUSTOMER_CREATE, {"input": {"note": "rien"}})
    assert answer["data"]["customerCreate"]["customer"] is None
    assert _messages(answer, "customerCreate")


# ------------------------------------------------------------------ metafields
def _metafield(
    namespace: str, key: str = "code", value: str = "X", kind: str = "single_line_text_field"
) -> dict[str, Any]:
    return {
        "ownerId": "gid://shopify/Customer/530",
        "namespace": namespace,
        "key": key,
        "value": value,
        "type": kind,
    }


@pytest.mark.parametrize("namespace", ["shopify--loyalty", "app--999--crm"])
def test_a_reserved_metafield_namespace_is_refused(sandbox: ShopifySandbox, namespace: str) -> None:
    answer = _run(sandbox, METAFIELDS_SET, {"m": [_metafield(namespace)]})
    assert _codes(answer, "metafieldsSet") == ["APP_NOT_AUTHORIZED"]


def test_metafield_namespace_and_key_lengths_are_checked(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, METAFIELDS_SET, {"m": [_metafield("ab", key="k")]})
    assert _codes(answer, "metafieldsSet") == ["INVALID", "INVALID"]


def test_a_single_line_metafield_holds_no_line_break(sandbox: ShopifySandbox) -> None:
    answer = _run(sandbox, METAFIELDS_SET, {"m": [_metafield("passerelle", value="a\nb")]})
    assert _codes(answer, "metafieldsSet") == ["INVALID_VALUE"]


# ------------------------------------------------------------------ inventory, orders
def test_only_available_and_on_hand_can_be_set(sandbox: ShopifySandbox) -> None:
    answer = _run(
        sandbox,
        'mutation { inventorySetQuantities(input: {name: "committed", '
        'reason: "correction", quantities: []}) { userErrors { code } } }',
    )
    assert _codes(answer, "inventorySetQuantities") == ["INVALID_NAME"]


def test_one_unknown_inventory_item_fails_the_whole_call(sandbox: ShopifySandbox) -> None:
    [(_, shop_id)] = sandbox.seed_products(1, prefix="INV-")
    known = f"gid://shopify/InventoryItem/{shop_id.split('/')[2]}"
    answer = _run(
        sandbox,
        "mutation($q: [InventoryQuantityInput!]!) { inventorySetQuantities("
        'input: {name: "available", reason: "correction", quantities: $q}'
        ") { userErrors { code } } }",
        {
            "q": [
                {
                    "inventoryItemId": known,
                    "locationId": "gid://shopify/Location/61000001",
                    "quantity": 5,
                    "changeFromQuantity": None,
                },
                {
                    "inventoryItemId": "gid://shopify/InventoryItem/1",
                    "locationId": "gid://shopify/Location/61000001",
                    "quantity": 5,
                    "changeFromQuantity": None,
                },
            ]
        },
    )
    assert _codes(answer, "inventorySetQuantities") == ["INVALID_INVENTORY_ITEM"]
    item = sandbox.state["inventory_items"][shop_id.split("/")[2]]
    assert next(iter(item["levels"].values()))["available"] == 0


def test_nodes_takes_at_most_250_ids(sandbox: ShopifySandbox) -> None:
    ids = [f"gid://shopify/Product/{n}" for n in range(251)]
    answer = _run(sandbox, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", {"ids": ids})
    assert answer["errors"][0]["extensions"]["code"] == "MAX_INPUT_SIZE_EXCEEDED"


def test_an_order_cannot_be_cancelled_twice(sandbox: ShopifySandbox) -> None:
    cancel = (
        'mutation { orderCancel(orderId: "gid://shopify/Order/727", reason: CUSTOMER, '
        "restock: true) { orderCancelUserErrors { code } } }"
    )
    assert _run(sandbox, cancel)["data"]["orderCancel"]["orderCancelUserErrors"] == []
    assert _run(sandbox, cancel)["data"]["orderCancel"]["orderCancelUserErrors"] == [
        {"code": "INVALID"}
    ]


PRODUCT_METAFIELD = (
    "query($id: ID!, $k: String!) { node(id: $id) { ... on Product { "
    'metafield(namespace: "custom", key: $k) { value } } } }'
)


def test_product_set_replaces_the_metafields_it_is_given(sandbox: ShopifySandbox) -> None:
    def metafield(key: str) -> dict[str, Any]:
        return {"namespace": "custom", "key": key, "value": key, "type": "single_line_text_field"}

    def keys(product_id: str) -> list[str]:
        return [
            key
            for key in ("aa", "bb")
            if _run(sandbox, PRODUCT_METAFIELD, {"id": product_id, "k": key})["data"]["node"][
                "metafield"
            ]
        ]

    created = _run(sandbox, PRODUCT_SET, {"input": {**_product(), "metafields": [metafield("aa")]}})
    product_id = created["data"]["productSet"]["product"]["id"]
    assert keys(product_id) == ["aa"]
    # Left out, the list stays as it is; given, it is the whole list: "aa" is deleted.
    _run(sandbox, PRODUCT_SET, {"input": {"title": "Bol bleu"}, "id": {"id": product_id}})
    assert keys(product_id) == ["aa"]
    _run(
        sandbox, PRODUCT_SET, {"input": {"metafields": [metafield("bb")]}, "id": {"id": product_id}}
    )
    assert keys(product_id) == ["bb"]
