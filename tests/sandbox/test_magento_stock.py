"""MSI in the Magento sandbox: reservations, salable quantity, source deductions.

Each test drives the sandbox as a buyer and a merchant would (the platform's test
hooks go through its REST handlers) and reads what Magento's own routes answer:
``GET /V1/inventory/get-product-salable-quantity/{sku}/{stockId}`` and
``GET /V1/inventory/source-items``. The rules are those of "Inventory management:
reservations" (devdocs ``inventory/reservations.md``) and of
``InventorySales\\Model\\GetProductSalableQty`` / ``ReturnProcessor\\ProcessRefundItems``.
"""

from __future__ import annotations

import json
import ssl
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.base import ProductWrite, Shop
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import Order, ProductDraft
from passerelle.sandbox.magento.platform import MagentoPlatform, start

SKU = "MUG-01"


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[MagentoPlatform, httpx.Client]]:
    platform = start(tmp_path)
    sandbox = platform.sandbox
    context = ssl.create_default_context(cafile=str(sandbox.ca_bundle))
    client = httpx.Client(
        base_url=f"{sandbox.url}/rest/default/V1/",
        verify=context,
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    for sku in (SKU, "BOWL-01"):
        assert (
            client.post(
                "products",
                json={
                    "product": {
                        "sku": sku,
                        "name": f"Produit {sku}",
                        "price": 10,
                        "attribute_set_id": 4,
                        "type_id": "simple",
                    }
                },
            ).status_code
            == 200
        )
    stock(client, SKU, 10)
    stock(client, "BOWL-01", 4)
    yield platform, client
    client.close()
    platform.stop()


def stock(client: httpx.Client, sku: str, quantity: float) -> None:
    answer = client.post(
        "inventory/source-items",
        json={
            "sourceItems": [
                {
                    "sku": sku,
                    "source_code": "default",
                    "quantity": quantity,
                    "status": 1 if quantity > 0 else 0,
                }
            ]
        },
    )
    assert answer.status_code == 200, answer.text


def salable(client: httpx.Client, sku: str = SKU) -> float:
    answer = client.get(f"inventory/get-product-salable-quantity/{sku}/1")
    assert answer.status_code == 200, answer.text
    return float(answer.json())


def source(client: httpx.Client, sku: str = SKU) -> float:
    items = client.get(
        "inventory/source-items",
        params={
            "searchCriteria[filterGroups][0][filters][0][field]": "sku",
            "searchCriteria[filterGroups][0][filters][0][value]": sku,
        },
    ).json()["items"]
    return float(items[0]["quantity"])


def reservations(platform: MagentoPlatform, order_id: str) -> list[tuple[str, float, str]]:
    return [
        (r["sku"], r["quantity"], json.loads(r["metadata"])["event_type"])
        for r in platform.sandbox.data["reservations"]
        if json.loads(r["metadata"])["object_id"] == order_id
    ]


def test_placing_an_order_appends_a_negative_reservation_and_leaves_the_source(shop: Any) -> None:
    platform, client = shop
    order_id = platform.place_order({SKU: 3, "BOWL-01": 1}, state="pending")
    assert reservations(platform, order_id) == [
        (SKU, -3.0, "order_placed"),
        ("BOWL-01", -1.0, "order_placed"),
    ]
    assert (source(client), salable(client)) == (10.0, 7.0)
    assert platform.view.products()[SKU].stock == 7  # the shop offers the salable quantity


def test_salable_quantity_is_the_sources_minus_reservations_minus_the_threshold(shop: Any) -> None:
    platform, client = shop
    platform.place_order({SKU: 2})
    assert (
        client.put(
            f"products/{SKU}",
            json={
                "product": {
                    "extension_attributes": {
                        "stock_item": {"use_config_min_qty": False, "min_qty": 3}
                    }
                }
            },
        ).status_code
        == 200
    )
    assert salable(client) == 10 - 2 - 3
    stock(client, SKU, 0)  # out of stock at its only source: nothing is salable
    assert salable(client) == 0


def test_shipping_deducts_the_source_and_compensates_the_reservation(shop: Any) -> None:
    platform, client = shop
    order_id = platform.place_order({SKU: 4})
    platform.set_order_state(order_id, "shipped")
    assert reservations(platform, order_id) == [
        (SKU, -4.0, "order_placed"),
        (SKU, 4.0, "shipment_created"),
    ]
    assert (source(client), salable(client)) == (6.0, 6.0)
    assert platform.sandbox.data["orders"][order_id]["state"] == "complete"


def test_cancelling_compensates_the_reservation_and_a_paid_order_is_refunded_instead(
    shop: Any,
) -> None:
    platform, client = shop
    pending = platform.place_order({SKU: 2}, state="pending")
    paid = platform.place_order({SKU: 3}, state="paid")
    assert client.post(f"orders/{paid}/cancel").json() is False  # canCancel(): invoiced
    assert client.post(f"orders/{pending}/cancel").json() is True
    assert reservations(platform, pending)[-1] == (SKU, 2.0, "order_canceled")
    assert salable(client) == 10 - 3
    platform.set_order_state(paid, "cancelled")  # the merchant's way: a credit memo
    assert reservations(platform, paid)[-1] == (SKU, 3.0, "creditmemo_created")
    assert (source(client), salable(client)) == (10.0, 10.0)


def test_a_credit_memo_returning_shipped_goods_to_stock_adds_them_to_the_source(shop: Any) -> None:
    platform, client = shop
    order_id = platform.place_order({SKU: 5})
    platform.set_order_state(order_id, "shipped")
    assert source(client) == 5.0
    platform.set_order_state(order_id, "refunded")
    assert (source(client), salable(client)) == (10.0, 10.0)
    assert platform.sandbox.data["orders"][order_id]["state"] == "closed"


def test_a_credit_memo_without_return_to_stock_leaves_the_source_as_it_is(shop: Any) -> None:
    platform, client = shop
    order_id = platform.place_order({SKU: 5})
    platform.set_order_state(order_id, "shipped")
    assert client.post(f"order/{order_id}/refund", json={}).status_code == 200
    assert (source(client), salable(client)) == (5.0, 5.0)


def test_a_hold_keeps_the_reservation_until_the_order_is_released_and_shipped(shop: Any) -> None:
    platform, client = shop
    order_id = platform.place_order({SKU: 2}, state="on_hold")
    assert salable(client) == 8
    assert client.post(f"order/{order_id}/ship", json={}).status_code == 400  # held
    platform.set_order_state(order_id, "shipped")
    assert (source(client), salable(client)) == (8.0, 8.0)


def test_more_than_the_salable_quantity_cannot_be_ordered(shop: Any) -> None:
    platform, client = shop
    platform.place_order({SKU: 8})
    with pytest.raises(Exception, match="The requested qty is not available"):
        platform.place_order({SKU: 3})
    context = ssl.create_default_context(cafile=str(platform.sandbox.ca_bundle))
    cart = httpx.post(
        f"{platform.url}/rest/default/V1/guest-carts", verify=context
    ).json()  # anonymous: no token
    answer = client.post(
        f"guest-carts/{cart}/items", json={"cartItem": {"sku": SKU, "qty": 3, "quote_id": cart}}
    )
    assert answer.status_code == 400
    assert answer.json()["message"] == "The requested qty is not available"


def test_the_demo_s_open_orders_hold_reservations_and_finished_ones_do_not(shop: Any) -> None:
    platform, _ = shop
    orders = platform.sandbox.data["orders"]
    held = {json.loads(r["metadata"])["object_id"] for r in platform.sandbox.data["reservations"]}
    open_ids = {k for k, o in orders.items() if o["state"] in ("new", "processing", "holded")}
    assert held == open_ids
    assert not held & {k for k, o in orders.items() if o["state"] in ("complete", "canceled")}


def _connector(platform: MagentoPlatform) -> MagentoShop:
    return MagentoShop(
        platform.url, platform.sandbox.token, options=HttpOptions(verify=platform.sandbox.ca_bundle)
    )


def test_the_connector_reports_reservations_and_lists_the_orders_that_hold_them(shop: Any) -> None:
    platform, _ = shop
    placed = {
        state: platform.place_order({SKU: 1}, state=state)
        for state in ("pending", "paid", "on_hold")
    }
    shipped = platform.place_order({SKU: 1})
    platform.set_order_state(shipped, "shipped")
    cancelled = platform.place_order({SKU: 1}, state="pending")
    platform.set_order_state(cancelled, "cancelled")
    refunded = platform.place_order({SKU: 1})
    platform.set_order_state(refunded, "refunded")
    shipped_not_invoiced = platform.place_order({SKU: 1}, state="pending")
    platform.sandbox.call("POST", f"order/{shipped_not_invoiced}/ship", {})
    connector = _connector(platform)
    try:
        assert isinstance(connector, Shop)
        assert connector.holds_reservations is True
        found = list(connector.iter_open_orders())
    finally:
        connector.close()
    assert all(isinstance(o, Order) for o in found)
    ids = {o.source_id for o in found if isinstance(o, Order)}
    assert set(placed.values()) <= ids
    assert not ids & {shipped, cancelled, refunded, shipped_not_invoiced}
    # Exactly the orders whose reservations do not sum to 0 yet.
    balance: Counter[str] = Counter()
    for r in platform.sandbox.data["reservations"]:
        balance[json.loads(r["metadata"])["object_id"]] += r["quantity"]
    assert ids == {order_id for order_id, total in balance.items() if total}


def test_the_connector_writes_the_physical_quantity_and_magento_subtracts_its_orders(
    shop: Any,
) -> None:
    platform, client = shop
    platform.place_order({SKU: 3})
    draft = ProductDraft(sku=SKU, name="Mug", regular_price=Decimal("10"), stock_quantity=20)
    connector = _connector(platform)
    try:
        outcome = connector.write_products(
            [ProductWrite(SKU, draft, SKU, frozenset({"manage_stock", "stock_quantity"}))]
        )[0]
        assert outcome.ok, outcome.error
        read = {p.sku: p.stock_quantity for p in connector.iter_products()}
    finally:
        connector.close()
    assert read[SKU] == 20 == source(client)
    assert salable(client) == 17


def test_a_partly_shipped_order_holds_only_what_is_left_to_ship(shop: Any) -> None:
    platform, client = shop
    order_id = platform.place_order({SKU: 3, "BOWL-01": 1})
    item = next(i for i in platform.sandbox.data["orders"][order_id]["items"] if i["sku"] == SKU)
    assert (
        client.post(
            f"order/{order_id}/ship", json={"items": [{"order_item_id": item["item_id"], "qty": 2}]}
        ).status_code
        == 200
    )
    assert (source(client), salable(client)) == (8.0, 7.0)  # 1 unit still reserved
    connector = _connector(platform)
    try:
        order = next(
            o
            for o in connector.iter_open_orders()
            if isinstance(o, Order) and o.source_id == order_id
        )
    finally:
        connector.close()
    assert {(line.reference, line.quantity) for line in order.lines} == {
        (SKU, Decimal(1)),
        ("BOWL-01", Decimal(1)),
    }
