"""Adobe Commerce gift cards on a Magento order: the demo order 717 (a gift card of
20.00 redeemed, a gift wrap) is seeded with ``extension_attributes.gift_cards`` and
``gift_cards_amount`` (``sales-data-order-extension-interface``), the connector
reads them as the order's gift card, and its import into Tryton is a sale equal
to the shop's total, with nothing set aside.

Before, the seed wrote the total after the gift card without the card, and the
import parked 717 ("the back-office total would be 60.63 EUR but the shop says
40.63").
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.connectors.magento.translate_orders import order_from_wire
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
)
from passerelle.demo_orders.cases import CASE_ORDERS
from passerelle.model import Order, OrderGiftCard
from passerelle.sandbox.magento import MagentoSandbox
from passerelle.sandbox.magento.seed_orders import order_record
from tests.conformance.conftest import PlatformWorld, platform  # noqa: F401 - fixture

_ORDER = 717
_CARD = OrderGiftCard(code="GC-7K2M-9QXA-4TBW", amount=Decimal("20.00"))


def _adds_up(order: Order) -> Decimal:
    """Lines + shipping + fees + taxes − discounts − gift cards, as the shop counts."""
    lines = sum((line.total + line.total_tax for line in order.lines), Decimal(0))
    shipping = sum((s.total + s.total_tax for s in order.shipping_lines), Decimal(0))
    fees = sum((f.total + f.total_tax for f in order.fee_lines), Decimal(0))
    cards = sum((c.amount for c in order.gift_cards), Decimal(0))
    return lines + shipping + fees - cards


def _demo_717() -> dict[str, Any]:
    (demo,) = [o for o in CASE_ORDERS if o.number == _ORDER]
    record = order_record(demo, datetime(2026, 12, 1, tzinfo=UTC))
    assert record is not None
    return record


def test_the_seeded_order_carries_adobe_commerce_s_gift_card_fields() -> None:
    ext = _demo_717()["extension_attributes"]
    assert ext["gift_cards"] == [
        {"id": 7171, "code": "GC-7K2M-9QXA-4TBW", "amount": 20.0, "base_amount": 20.0}
    ]
    assert ext["gift_cards_amount"] == ext["base_gift_cards_amount"] == 20.0


def test_the_connector_reads_the_gift_card_and_the_order_adds_up_to_its_grand_total() -> None:
    order = order_from_wire(_demo_717())
    assert order.gift_cards == (_CARD,)
    assert order.total == Decimal("40.63")
    assert order.fee_lines and order.fee_lines[0].total == Decimal("3.00")
    assert _adds_up(order) == order.total


def test_an_order_without_gift_cards_has_none_and_the_amount_alone_is_one_card() -> None:
    record = _demo_717()
    ext = record["extension_attributes"]
    plain = {**record, "extension_attributes": {k: v for k, v in ext.items() if "gift" not in k}}
    assert order_from_wire(plain).gift_cards == ()
    bare = {k: v for k, v in ext.items() if k != "gift_cards"}
    alone = order_from_wire({**record, "extension_attributes": bare})
    assert alone.gift_cards == (OrderGiftCard(code="", amount=Decimal("20.00")),)


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[MagentoSandbox, httpx.Client]]:
    sandbox = MagentoSandbox(None, cert_dir=tmp_path / "tls").start()
    client = httpx.Client(
        base_url=f"{sandbox.url}/rest/default/V1/",
        verify=ssl.create_default_context(cafile=str(sandbox.ca_bundle)),
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    yield sandbox, client
    client.close()
    sandbox.stop()


def test_the_sandbox_serves_order_717_with_its_gift_card(shop: Any) -> None:
    """Read through the platform's own endpoint (``GET /V1/orders/{id}``), raw."""
    _, client = shop
    answer = client.get(f"orders/{_ORDER}")
    assert answer.status_code == 200
    data = answer.json()
    ext = data["extension_attributes"]
    assert [(c["code"], c["amount"]) for c in ext["gift_cards"]] == [("GC-7K2M-9QXA-4TBW", 20.0)]
    assert data["grand_total"] == 40.63
    assert order_from_wire(data).gift_cards == (_CARD,)


@pytest.mark.parametrize("platform", [("tryton", "magento")], indirect=True)
def test_importing_order_717_into_tryton_gives_a_sale_equal_to_the_shop_s_total(
    platform: PlatformWorld,  # noqa: F811 - the fixture imported above
) -> None:
    """The conformance suite's world (the Tryton demo copy, the seeded sandbox)."""
    # Order 717 only: the other seeded orders are the conformance suite's subject.
    platform.run_with("import-orders", order_ids=[str(_ORDER)])
    parked = [
        p.reason
        for p in platform.store.parked(platform.profile.name, "import-orders")
        if p.record_key.endswith(f"#{_ORDER}") or p.record_key == str(_ORDER)
    ]
    assert parked == []
    shop_total = platform.shop.view.orders()[str(_ORDER)].total
    sales = [s.total for s in platform.sales() if s.key.endswith(f"#{_ORDER}")]
    assert sales == [shop_total] == [Decimal("40.63")]
