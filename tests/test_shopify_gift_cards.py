"""Shopify gift cards on an order: a gift card is a payment, not a discount.

objects/Order ``totalPriceSet`` includes what the gift card paid; the redemption
is an order transaction with the gateway ``gift_card`` (objects/OrderTransaction:
``gateway``, ``kind`` SALE, ``status`` SUCCESS, ``amountSet``), and
``paymentGatewayNames`` lists ``gift_card``. The demo order 717 (a gift card of
20.00 redeemed, a gift wrap) is seeded that way; the connector reads the
transaction as the order's gift card, its total after it (as WooCommerce's), and
its import into Tryton is a sale equal to what the buyer still owed, nothing set aside.

Before, the seed knew no gift card and the import parked 717 ("the back-office
total would be 60.63 EUR but the shop says 40.63").
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from passerelle.connectors.shopify.endpoints import ORDER_FIELDS
from passerelle.connectors.shopify.translate_orders import order_from_wire
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
)
from passerelle.model import Order
from passerelle.sandbox.shopify.platform import ShopifyPlatform, start
from tests.conformance.conftest import PlatformWorld, platform  # noqa: F401 - fixture
from tests.conformance.readback.shopify import graphql

_ORDER = 717
_GID = f"gid://shopify/Order/{_ORDER}"
_RAW = """query($id: ID!) { order(id: $id) { paymentGatewayNames
  totalPriceSet { shopMoney { amount } }
  transactions(first: 10) { gateway kind status amountSet { shopMoney { amount } } } } }"""


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[ShopifyPlatform]:
    started = start(tmp_path)
    yield started
    started.stop()


def _adds_up(order: Order) -> Decimal:
    """What the buyer still owes as the shop counts it: every line, shipping and fee
    with its tax (lines after discounts), less the gift cards."""
    parts = [*order.lines, *order.shipping_lines, *order.fee_lines]
    owed = sum((part.total + part.total_tax for part in parts), Decimal(0))
    return owed - sum((card.amount for card in order.gift_cards), Decimal(0))


def test_order_717_read_raw_shows_the_gift_card_payment_inside_its_total(
    shop: ShopifyPlatform,
) -> None:
    order = graphql(shop, _RAW, {"id": _GID})["order"]
    assert "gift_card" in order["paymentGatewayNames"]
    paid = [
        (t["gateway"], t["kind"], t["status"], Decimal(t["amountSet"]["shopMoney"]["amount"]))
        for t in order["transactions"]
    ]
    assert ("gift_card", "SALE", "SUCCESS", Decimal("20.00")) in paid
    assert Decimal(order["totalPriceSet"]["shopMoney"]["amount"]) == Decimal("60.63")
    assert sum((p[3] for p in paid), Decimal(0)) == Decimal("60.63")  # the payments add up


def test_the_connector_reads_the_gift_card_and_the_rest_to_pay(shop: ShopifyPlatform) -> None:
    raw = graphql(shop, f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}", {"id": _GID})
    order = order_from_wire(raw["order"])
    assert [c.amount for c in order.gift_cards] == [Decimal("20.00")]
    assert order.total == Decimal("40.63")
    assert order.payment_method and order.payment_method != "gift_card"
    assert _adds_up(order) == order.total
    assert shop.view.orders()[str(_ORDER)].total == Decimal("40.63")


def test_an_order_without_gift_card_transaction_has_no_gift_card(shop: ShopifyPlatform) -> None:
    raw: dict[str, Any] = graphql(
        shop, f"query($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}", {"id": _GID}
    )["order"]
    pending = [{**t, "status": "PENDING"} for t in raw["transactions"]]
    order = order_from_wire({**raw, "transactions": pending})
    assert order.gift_cards == () and order.total == Decimal("60.63")


@pytest.mark.parametrize("platform", [("tryton", "shopify")], indirect=True)
def test_importing_order_717_into_tryton_gives_a_sale_equal_to_the_rest_to_pay(
    platform: PlatformWorld,  # noqa: F811 - the fixture imported above
) -> None:
    """The conformance suite's world (the Tryton demo copy, the seeded sandbox)."""
    # Order 717 only: the other seeded orders are the conformance suite's subject.
    summary = platform.run_with("import-orders", order_ids=[str(_ORDER)])
    set_aside = {
        p.record_key for p in platform.store.parked(platform.profile.name, "import-orders")
    }
    assert not {key for key in set_aside if key.rsplit("#", 1)[-1] == str(_ORDER)}, summary
    written = {s.key: s.total for s in platform.sales() if s.key.rsplit("#", 1)[-1] == str(_ORDER)}
    assert list(written.values()) == [Decimal("40.63")]
    assert platform.shop.view.orders()[str(_ORDER)].total == Decimal("40.63")
