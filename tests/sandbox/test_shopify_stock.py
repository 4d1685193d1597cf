"""The Shopify sandbox moves stock between states as Shopify does around an order.

https://shopify.dev/docs/apps/build/orders-fulfillment/inventory-management-apps:
placing an order moves units from available to committed (on_hand unchanged),
fulfilling takes them out of committed and on_hand, cancelling or refunding with
restock gives them back. Everything is read back through ``inventoryLevel.quantities``.
"""

from __future__ import annotations

from typing import Any

import pytest

from passerelle.sandbox.shopify.platform import ShopifyPlatform
from passerelle.sandbox.shopify.server import ShopifySandbox

LOCATION = "gid://shopify/Location/61000001"
NAMES = ("available", "committed", "on_hand")


@pytest.fixture
def shop() -> ShopifyPlatform:
    sandbox = ShopifySandbox(None)
    sandbox.seed_products(2, prefix="STK-")
    platform = ShopifyPlatform(sandbox)
    set_available(platform, "STK-00000", 10)
    return platform


def _item(shop: ShopifyPlatform, sku: str) -> str:
    nodes = shop.sandbox.admin(
        "query($q: String) { productVariants(first: 1, query: $q) { "
        "nodes { inventoryItem { id } } } }",
        {"q": f"sku:{sku}"},
    )
    return str(nodes["productVariants"]["nodes"][0]["inventoryItem"]["id"])


def levels(shop: ShopifyPlatform, sku: str) -> dict[str, int]:
    data = shop.sandbox.admin(
        "query($id: ID!, $loc: ID!) { node(id: $id) { ... on InventoryItem { "
        'inventoryLevel(locationId: $loc) { quantities(names: ["available", "committed", '
        '"on_hand"]) { name quantity } } } } }',
        {"id": _item(shop, sku), "loc": LOCATION},
    )
    return {q["name"]: q["quantity"] for q in data["node"]["inventoryLevel"]["quantities"]}


def set_quantities(
    shop: ShopifyPlatform,
    sku: str,
    quantity: int,
    name: str = "available",
    change_from: int | None = None,
) -> list[dict[str, Any]]:
    data = shop.sandbox.admin(
        "mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities("
        "input: $input) { userErrors { field code } } }",
        {
            "input": {
                "name": name,
                "reason": "correction",
                "quantities": [
                    {
                        "inventoryItemId": _item(shop, sku),
                        "locationId": LOCATION,
                        "quantity": quantity,
                        "changeFromQuantity": change_from,
                    }
                ],
            }
        },
    )
    return list(data["inventorySetQuantities"]["userErrors"])


def set_available(shop: ShopifyPlatform, sku: str, quantity: int) -> None:
    assert set_quantities(shop, sku, quantity) == []


def test_placing_an_order_commits_its_units_and_keeps_on_hand(shop: ShopifyPlatform) -> None:
    shop.place_order({"STK-00000": 3})
    assert levels(shop, "STK-00000") == {"available": 7, "committed": 3, "on_hand": 10}
    assert shop.view.products()["STK-00000"].stock == 7  # what is offered


@pytest.mark.parametrize("state", ["pending", "on_hold"])
def test_an_unpaid_or_held_order_commits_its_units_too(shop: ShopifyPlatform, state: str) -> None:
    order_id = shop.place_order({"STK-00000": 2}, state=state)
    assert levels(shop, "STK-00000")["committed"] == 2
    assert not shop.view.orders()[order_id].paid


def test_fulfilling_takes_the_units_out_of_committed_and_on_hand(shop: ShopifyPlatform) -> None:
    order_id = shop.place_order({"STK-00000": 3})
    shop.set_order_state(order_id, "shipped")
    assert levels(shop, "STK-00000") == {"available": 7, "committed": 0, "on_hand": 7}


def test_a_held_order_cannot_be_fulfilled_until_released(shop: ShopifyPlatform) -> None:
    order_id = shop.place_order({"STK-00000": 1})
    shop.set_order_state(order_id, "on_hold")
    fo = shop.sandbox.state["orders"][order_id]["fulfillmentOrders"][0]["id"]
    refused = shop.sandbox.admin(
        "mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { "
        "userErrors { message } } }",
        {
            "f": {
                "lineItemsByFulfillmentOrder": [
                    {"fulfillmentOrderId": f"gid://shopify/FulfillmentOrder/{fo}"}
                ]
            }
        },
    )
    assert refused["fulfillmentCreate"]["userErrors"]
    assert levels(shop, "STK-00000")["committed"] == 1
    shop.set_order_state(order_id, "shipped")  # releases the hold, then fulfils
    assert levels(shop, "STK-00000") == {"available": 9, "committed": 0, "on_hand": 9}


def test_cancelling_with_restock_gives_the_units_back(shop: ShopifyPlatform) -> None:
    order_id = shop.place_order({"STK-00000": 4})
    shop.set_order_state(order_id, "cancelled")
    assert levels(shop, "STK-00000") == {"available": 10, "committed": 0, "on_hand": 10}
    assert shop.sandbox.state["orders"][order_id]["cancelledAt"]


def test_a_refund_with_restock_gives_back_unshipped_and_returned_units(
    shop: ShopifyPlatform,
) -> None:
    unshipped = shop.place_order({"STK-00000": 2})
    shop.set_order_state(unshipped, "refunded")
    assert levels(shop, "STK-00000") == {"available": 10, "committed": 0, "on_hand": 10}
    shipped = shop.place_order({"STK-00000": 3})
    shop.set_order_state(shipped, "shipped")
    assert levels(shop, "STK-00000")["on_hand"] == 7
    shop.set_order_state(shipped, "refunded")  # returned: back on hand and available
    assert levels(shop, "STK-00000") == {"available": 10, "committed": 0, "on_hand": 10}
    assert shop.sandbox.state["orders"][shipped]["displayFinancialStatus"] == "REFUNDED"


def test_order_create_claims_no_stock_unless_asked(shop: ShopifyPlatform) -> None:
    """OrderCreateOptionsInput.inventoryBehaviour defaults to BYPASS."""
    variant = shop.sandbox.admin(
        '{ productVariants(first: 1, query: "sku:STK-00000") { nodes { id } } }'
    )["productVariants"]["nodes"][0]["id"]
    created = shop.sandbox.admin(
        "mutation($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id } "
        "userErrors { message } } }",
        {"o": {"lineItems": [{"variantId": variant, "quantity": 2}]}},
    )
    assert created["orderCreate"]["order"]
    assert levels(shop, "STK-00000") == {"available": 10, "committed": 0, "on_hand": 10}


def test_a_checkout_of_more_than_is_available_is_refused(shop: ShopifyPlatform) -> None:
    with pytest.raises(ValueError, match="only 10"):
        shop.place_order({"STK-00000": 11})
    assert levels(shop, "STK-00000")["committed"] == 0


def test_setting_available_moves_on_hand_and_leaves_committed(shop: ShopifyPlatform) -> None:
    shop.place_order({"STK-00000": 3})
    set_available(shop, "STK-00000", 20)
    assert levels(shop, "STK-00000") == {"available": 20, "committed": 3, "on_hand": 23}
    assert set_quantities(shop, "STK-00000", 30, name="on_hand") == []
    assert levels(shop, "STK-00000") == {"available": 27, "committed": 3, "on_hand": 30}


def test_compare_and_swap_fails_when_an_order_moved_the_stock_meanwhile(
    shop: ShopifyPlatform,
) -> None:
    read = levels(shop, "STK-00000")["available"]
    shop.place_order({"STK-00000": 2})  # a buyer, between the read and the write
    errors = set_quantities(shop, "STK-00000", 15, change_from=read)
    assert [e["code"] for e in errors] == ["CHANGE_FROM_QUANTITY_STALE"]
    assert levels(shop, "STK-00000") == {"available": 8, "committed": 2, "on_hand": 10}
    assert set_quantities(shop, "STK-00000", 15, change_from=8) == []


def test_quantities_of_an_unknown_state_are_refused(shop: ShopifyPlatform) -> None:
    answer = shop.sandbox.execute(
        "query($id: ID!) { node(id: $id) { ... on InventoryItem { inventoryLevel(locationId: "
        f'"{LOCATION}") {{ quantities(names: ["sold"]) {{ quantity }} }} }} }} }}',
        {"id": _item(shop, "STK-00000")},
    )
    assert "not a valid inventory quantity name" in answer["errors"][0]["message"]


def test_units_set_aside_stay_on_hand_and_are_not_offered(shop: ShopifyPlatform) -> None:
    """inventoryAdjustQuantities of ``damaged``: on_hand = available + committed +
    the unavailable states, so on_hand follows and available does not."""
    answer = shop.sandbox.admin(
        "mutation($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities("
        "input: $input) { userErrors { code } } }",
        {
            "input": {
                "name": "damaged",
                "reason": "damaged",
                "changes": [
                    {
                        "delta": 2,
                        "inventoryItemId": _item(shop, "STK-00000"),
                        "locationId": LOCATION,
                    }
                ],
            }
        },
    )
    assert answer["inventoryAdjustQuantities"]["userErrors"] == []
    assert levels(shop, "STK-00000") == {"available": 10, "committed": 0, "on_hand": 12}
    refused = shop.sandbox.admin(
        "mutation($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities("
        "input: $input) { userErrors { code } } }",
        {
            "input": {
                "name": "committed",
                "reason": "correction",
                "changes": [
                    {
                        "delta": 2,
                        "inventoryItemId": _item(shop, "STK-00000"),
                        "locationId": LOCATION,
                    }
                ],
            }
        },
    )
    assert refused["inventoryAdjustQuantities"]["userErrors"] == [{"code": "INVALID_QUANTITY_NAME"}]
