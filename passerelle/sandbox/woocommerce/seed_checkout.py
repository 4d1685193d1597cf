"""Placing the demo shop's orders the way the shop's checkout would.

Why: the orders are described once, in no platform's vocabulary, by
:mod:`passerelle.demo_orders`, amounts included. The WooCommerce sandbox does
not copy those amounts: it posts what a checkout posts — the buyer's
addresses, lines at their price before coupons, shipping, fees, coupons, gift
cards — through :meth:`OrderService.create` (the totals code of
``POST /orders``), then moves the order on as the merchant did. Its own order
engine thus recomputes every amount, and ``tests/sandbox/test_demo_orders.py``
checks it finds the neutral ones to the cent. ``line`` and ``shipping`` build
checkout lines for tests that place orders of their own.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from passerelle import demo_data
from passerelle.demo_orders import SHIPPING_TITLES, DemoAddress, DemoOrder, DemoOrderLine, at

from .resources.common import set_dates
from .resources.extensions import ECOTAX_META, VAT_NUMBER_META
from .resources.orders import OrderService

__all__ = ["SeedCheckout", "line", "shipping", "woo_address"]

TAX_CLASS_OF = {"VAT20": "", "VAT10": "intermediate-rate", "VAT55": "reduced-rate"}
#: neutral status -> WooCommerce's.
WOO_STATUS = {
    "pending": "pending",
    "processing": "processing",
    "on_hold": "on-hold",
    "completed": "completed",
    "cancelled": "cancelled",
    "trashed": "trash",
}
#: neutral sales channel -> the order's ``created_via``.
CREATED_VIA = {"web": "checkout"}


def _item(code: str) -> demo_data.DemoItem:
    if code == demo_data.RETIRED_ITEM.code:
        return demo_data.RETIRED_ITEM
    return next(i for i in demo_data.ITEMS if i.code == code)


def line(
    code: str,
    quantity: int,
    *,
    unit_price: str | None = None,
    meta_data: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An order line of a demo item at its catalogue price (or ``unit_price``)."""
    item = _item(code)
    price = item.price if unit_price is None else Decimal(unit_price)
    amount = f"{price * quantity:.2f}"
    out: dict[str, Any] = {
        "sku": item.code,
        "name": item.name,
        "quantity": quantity,
        "tax_class": TAX_CLASS_OF[item.tax],
        "subtotal": amount,
        "total": amount,
    }
    if meta_data:
        out["meta_data"] = meta_data
    return out


def shipping(method: str, total: str) -> list[dict[str, Any]]:
    """One shipping line of a demo method."""
    return [{"method_id": method, "method_title": SHIPPING_TITLES[method], "total": total}]


def woo_address(address: DemoAddress, *, with_email: bool) -> dict[str, str]:
    """A neutral address in WooCommerce's billing (with e-mail) or shipping shape."""
    out = {
        "first_name": address.first_name,
        "last_name": address.last_name,
        "company": address.company,
        "address_1": address.street,
        "address_2": address.street2,
        "city": address.city,
        "state": address.state,
        "postcode": address.postcode,
        "country": address.country,
        "phone": address.phone,
    }
    if with_email:
        out["email"] = address.email
    return out


def _line_item(item: DemoOrderLine, *, gross: bool) -> dict[str, Any]:
    """What the checkout posts for a line: the amount before coupons (gross if so priced)."""
    amount = item.gross_subtotal if gross and item.gross_subtotal is not None else item.subtotal
    out: dict[str, Any] = {
        "sku": item.sku,
        "name": item.name,
        "quantity": item.quantity,
        "tax_class": TAX_CLASS_OF[item.tax],
        "subtotal": f"{amount:.2f}",
        "total": f"{amount:.2f}",
    }
    if item.ecotax is not None:
        out["meta_data"] = [{"key": ECOTAX_META, "value": f"{item.ecotax:.2f}"}]
    return out


def _placed_status(order: DemoOrder) -> str | None:
    """The status the checkout placed an order in, when its status changed later.

    Paid at checkout: processing (``set_paid``). Unpaid and later completed: the
    merchant waited for the bank transfer (on hold); unpaid and later cancelled:
    pending payment. None: the order kept the status it was placed in.
    """
    if order.paid_days_ago == order.created_days_ago:
        return "processing"
    if order.status == "completed":
        return "on_hold"
    if order.status == "cancelled":
        return "pending"
    return None


class SeedCheckout:
    """Places the neutral demo orders through the shop's own checkout and totals."""

    def __init__(
        self,
        orders: OrderService,
        registered: dict[str, dict[str, Any]],
        now: datetime,
    ) -> None:
        self.orders = orders
        self.registered = registered
        self.now = now

    def place(self, demo: DemoOrder) -> dict[str, Any]:
        """Place ``demo`` as the checkout would, then move it on as the merchant did."""
        placed = _placed_status(demo)
        body: dict[str, Any] = {
            "payment_method": demo.payment_method,
            "payment_method_title": demo.payment_title,
            "line_items": [_line_item(li, gross=demo.prices_include_tax) for li in demo.lines],
            "shipping_lines": [
                {"method_id": s.method, "method_title": s.title, "total": f"{s.total:.2f}"}
                for s in demo.shipping_lines
            ],
            "billing": woo_address(demo.billing, with_email=True),
            "shipping": woo_address(demo.shipping or demo.billing, with_email=False),
            "customer_id": self.registered[demo.customer.code]["id"] if demo.customer else 0,
        }
        if placed == "processing":
            body["set_paid"] = True
        else:
            body["status"] = WOO_STATUS[placed or demo.status]
        if demo.fees:
            body["fee_lines"] = [
                {
                    "name": f.name,
                    "total": f"{f.total:.2f}",
                    "tax_status": "taxable",
                    "tax_class": "",
                }
                for f in demo.fees
            ]
        if demo.coupons:
            body["coupon_lines"] = [{"code": c.code} for c in demo.coupons]
        if demo.currency != "EUR":
            body["currency"] = demo.currency
        if demo.customer_note:
            body["customer_note"] = demo.customer_note
        if demo.transaction_id:
            body["transaction_id"] = demo.transaction_id
        meta = [{"key": VAT_NUMBER_META, "value": demo.vat_number}] if demo.vat_number else []
        if demo.vat_exempt:
            meta.append({"key": "is_vat_exempt", "value": "yes"})
        if meta:
            body["meta_data"] = meta
        order = self.orders.create(
            body,
            date_created=at(self.now, demo.created_days_ago),
            created_via=CREATED_VIA.get(demo.channel, demo.channel),
            prices_include_tax=demo.prices_include_tax,
            gift_cards=[{"code": g.code, "amount": f"{g.amount:.2f}"} for g in demo.gift_cards]
            or None,
        )
        if order["id"] != demo.number:
            raise RuntimeError(
                f"demo order {demo.number} became order {order['id']}: the seed must create "
                "records in the order the demo shop numbers them"
            )
        order["customer_ip_address"] = demo.client_ip
        order["customer_user_agent"] = demo.user_agent
        if placed is not None and WOO_STATUS[demo.status] != order["status"]:
            days = demo.completed_days_ago
            self.move(
                order, WOO_STATUS[demo.status], demo.modified_days_ago if days is None else days
            )
        return order

    def move(self, order: dict[str, Any], status: str, days_ago: float) -> None:
        """Change the order's status later, as the merchant would."""
        later = at(self.now, days_ago)
        self.orders._transition(order, status, later)  # noqa: SLF001 - seed drives the shop
        set_dates(order, later, created=False)
