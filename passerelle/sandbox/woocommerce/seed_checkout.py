"""Placing seed orders the way the shop's checkout would, one helper for every seed order.

Why a module: the demo shop's orders (``seed.py``) and the order-import
cases (``seed_cases.py``) are placed alike — a registered customer's or a
guest's addresses, the checkout's ``created_via``, client IP and user agent,
then optionally a later status — through :meth:`OrderService.create`, i.e.
the same totals code as ``POST /orders``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from passerelle import demo_data

from .resources.common import set_dates
from .resources.orders import OrderService

__all__ = ["SeedCheckout", "address", "line", "shipping"]

TAX_CLASS_OF = {"VAT20": "", "VAT10": "intermediate-rate", "VAT55": "reduced-rate"}
SHIPPING_TITLES = {
    "flat_rate": "Colissimo",
    "free_shipping": "Livraison gratuite",
    "local_pickup": "Retrait en boutique",
}
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def address(customer: demo_data.DemoCustomer, *, with_contact: bool) -> dict[str, str]:
    """A demo customer's address in WooCommerce's billing (with e-mail) or shipping shape."""
    out = {
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "company": customer.company,
        "address_1": customer.street,
        "address_2": "",
        "city": customer.city,
        "state": "",
        "postcode": customer.postal_code,
        "country": customer.country,
        "phone": "06 12 34 56 78",
    }
    if with_contact:
        out["email"] = customer.email
    return out


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


class SeedCheckout:
    """Places orders for registered demo customers (by code) or guests."""

    def __init__(
        self, orders: OrderService, registered: dict[str, dict[str, Any]], now: datetime
    ) -> None:
        self.orders = orders
        self.registered = registered
        self.now = now
        self.customers: dict[str, demo_data.DemoCustomer] = {c.code: c for c in demo_data.CUSTOMERS}

    def place(
        self,
        code: str | None,
        days_ago: float,
        body: dict[str, Any],
        *,
        then: tuple[str, float] | None = None,
        guest: dict[str, str] | None = None,
        transaction_id: str = "",
        created_via: str = "checkout",
        prices_include_tax: bool = False,
        gift_cards: list[dict[str, str]] | None = None,
    ) -> dict[str, Any]:
        """Place an order as the checkout would, then optionally move it on later."""
        moment = self.now - timedelta(days=days_ago)
        body = dict(body)
        if code is not None:
            demo = self.customers[code]
            body["customer_id"] = self.registered[code]["id"]
            body["billing"] = address(demo, with_contact=True)
            body.setdefault("shipping", address(demo, with_contact=False))
        else:
            assert guest is not None
            body["customer_id"] = 0
            body["billing"] = guest
            body.setdefault("shipping", {k: v for k, v in guest.items() if k != "email"})
        if transaction_id:
            body["transaction_id"] = transaction_id
        order = self.orders.create(
            body,
            date_created=moment,
            created_via=created_via,
            prices_include_tax=prices_include_tax,
            gift_cards=gift_cards,
        )
        order["customer_ip_address"] = f"192.0.2.{order['id'] % 250}"
        order["customer_user_agent"] = USER_AGENT
        if then is not None:
            self.move(order, *then)
        return order

    def move(self, order: dict[str, Any], status: str, days_ago: float) -> None:
        """Change the order's status later, as the merchant would."""
        later = self.now - timedelta(days=days_ago)
        self.orders._transition(order, status, later)  # noqa: SLF001 - seed drives the shop
        set_dates(order, later, created=False)
