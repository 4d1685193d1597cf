"""The neutral demo orders agree, to the cent, with the WooCommerce sandbox's order engine.

Why: every sandbox is seeded from :mod:`passerelle.demo_orders`; the WooCommerce
sandbox places the same orders through its own checkout and totals code (posting
prices, not totals), so this test ties the literal amounts to a real order engine
and nothing drifts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from passerelle import demo_data, demo_orders
from passerelle.demo_orders import ORDERS, DemoOrder, DemoTaxAmount
from passerelle.sandbox.woocommerce.server import WooSandbox

_STATUS = {"on_hold": "on-hold", "trashed": "trash"}


@pytest.fixture(scope="module")
def woo() -> Any:
    return WooSandbox(None).data


def _d(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def _taxes(taxes: tuple[DemoTaxAmount, ...], *, with_subtotal: bool) -> list[tuple[Any, ...]]:
    return [
        (t.rate.id, t.total, t.before_discount) if with_subtotal else (t.rate.id, t.total)
        for t in taxes
    ]


def _woo_taxes(taxes: list[dict[str, Any]], *, with_subtotal: bool) -> list[tuple[Any, ...]]:
    return [
        (t["id"], _d(t["total"]), _d(t["subtotal"])) if with_subtotal else (t["id"], _d(t["total"]))
        for t in taxes
    ]


def _moment(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text + "+00:00")


def test_the_same_orders(woo: Any) -> None:
    assert sorted(woo.orders) == [o.number for o in ORDERS]
    assert len(ORDERS) == 31


def test_the_same_customers_and_rates(woo: Any) -> None:
    assert {c["id"]: c["email"] for c in woo.customers.values()} == {
        a.id: a.email for a in demo_orders.ACCOUNTS
    }
    assert [(r["id"], _d(r["rate"]), r["name"], r["compound"]) for r in woo.taxes.values()] == [
        (r.id, r.percent, r.name, r.compound) for r in demo_orders.TAX_RATES
    ]


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: str(o.number))
def test_an_order_to_the_cent(woo: Any, order: DemoOrder) -> None:
    wo = woo.orders[order.number]
    assert wo["status"] == _STATUS.get(order.status, order.status)
    for field in (
        "discount_total",
        "discount_tax",
        "shipping_total",
        "shipping_tax",
        "cart_tax",
        "total",
        "total_tax",
    ):
        assert _d(wo[field]) == getattr(order, field), field
    assert wo["currency"] == order.currency
    assert wo["prices_include_tax"] == order.prices_include_tax
    assert wo["payment_method"] == order.payment_method
    assert wo["payment_method_title"] == order.payment_title
    assert wo["transaction_id"] == order.transaction_id
    assert wo["customer_note"] == order.customer_note
    assert wo["customer_id"] == (order.customer.id if order.customer else 0)
    assert wo["billing"]["email"] == order.billing.email
    assert wo["billing"]["address_1"] == order.billing.street
    if order.shipping is None:  # shipped to several packages: the extension blanks it
        assert order.packages and wo["shipping"]["address_1"] == ""
    else:
        assert (wo["shipping"]["address_1"], wo["shipping"]["city"]) == (
            order.shipping.street,
            order.shipping.city,
        )
    assert wo["customer_ip_address"] == order.client_ip
    assert len(wo["line_items"]) == len(order.lines)
    for item, line in zip(wo["line_items"], order.lines, strict=True):
        assert item["_sku"] == line.sku
        assert item["name"] == line.name
        assert item["quantity"] == line.quantity
        assert (_d(item["subtotal"]), _d(item["total"])) == (line.subtotal, line.total)
        assert (_d(item["subtotal_tax"]), _d(item["total_tax"])) == (
            line.subtotal_tax,
            line.total_tax,
        )
        assert _woo_taxes(item["taxes"], with_subtotal=True) == _taxes(
            line.taxes, with_subtotal=True
        )
        if line.gross_subtotal is not None:
            assert _d(item["_gross_subtotal"]) == line.gross_subtotal
            assert _d(item["_gross_total"]) == line.gross_total
    for ship, shipping in zip(wo["shipping_lines"], order.shipping_lines, strict=True):
        assert (ship["method_id"], ship["method_title"]) == (shipping.method, shipping.title)
        assert (_d(ship["total"]), _d(ship["total_tax"])) == (shipping.total, shipping.total_tax)
        assert _woo_taxes(ship["taxes"], with_subtotal=False) == _taxes(
            shipping.taxes, with_subtotal=False
        )
    for raw, fee in zip(wo["fee_lines"], order.fees, strict=True):
        assert (raw["name"], _d(raw["total"]), _d(raw["total_tax"])) == (
            fee.name,
            fee.total,
            fee.total_tax,
        )
    assert [(c["code"], _d(c["discount"]), _d(c["discount_tax"])) for c in wo["coupon_lines"]] == [
        (c.code, c.discount, c.discount_tax) for c in order.coupons
    ]
    assert [(g["code"], _d(g["amount"])) for g in wo.get("gift_cards") or []] == [
        (g.code, g.amount) for g in order.gift_cards
    ]
    assert [t["rate_id"] for t in wo["tax_lines"]] == [r.id for r in order.rates]
    refunds = [r for r in woo.refunds.values() if r["order_id"] == order.number]
    assert [(_d(r["amount"]), r["reason"]) for r in refunds] == [
        (r.amount, r.reason) for r in order.refunds
    ]


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: str(o.number))
def test_an_order_at_the_same_moments(woo: Any, order: DemoOrder) -> None:
    """The engine seeded at its own 'now': every moment sits the same distance before it."""
    first = ORDERS[0]
    now = _moment(woo.orders[first.number]["date_created_gmt"]) + timedelta(
        days=first.created_days_ago
    )
    assert now.tzinfo == UTC
    wo = woo.orders[order.number]

    def close(text: str | None, expected: datetime | None) -> bool:
        moment = _moment(text)
        if moment is None or expected is None:
            return moment is expected
        return abs(moment - expected) <= timedelta(seconds=1)

    assert close(wo["date_created_gmt"], order.created_at(now))
    assert close(wo["date_modified_gmt"], order.modified_at(now))
    assert close(wo["date_paid_gmt"], order.paid_at(now))
    assert close(wo["date_completed_gmt"], order.completed_at(now))


def test_orders_name_catalogue_items_and_neutral_statuses() -> None:
    """Lines name demo items (or the one unknown SKU); statuses are the neutral words."""
    known = {i.code: i for i in (*demo_data.ITEMS, demo_data.RETIRED_ITEM)}
    for order in ORDERS:
        assert order.status in demo_orders.ORDER_STATUSES
        for line in order.lines:
            assert line.sku in known or line.sku == demo_orders.UNKNOWN_SKU
    assert {name: demo_orders.order_by_number(n).number for name, n in demo_orders.CASES.items()}
