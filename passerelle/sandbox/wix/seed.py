"""The demo site: the demo shop's customers as contacts and its past orders as eCommerce
orders (``passerelle.sandbox.demo_shop``), in Wix's words.

Mapping: ``processing`` → ``APPROVED``/``PAID``/``NOT_FULFILLED``; ``completed`` → ``PAID``
and ``FULFILLED``; ``pending`` and ``on_hold`` → ``APPROVED``/``NOT_PAID`` (an offline payment
waiting for the merchant: "Order Object", ``NOT_PAID``); ``cancelled`` → ``CANCELED``; the bin
→ ``archived`` with the status it had. The catalog starts empty (the connector fills it), so
a line's ``catalogItemId`` is a stable GUID derived from its SKU.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from passerelle.demo_orders import DemoOrder, DemoTaxAmount
from passerelle.sandbox.demo_shop import demo_customers, demo_orders

from .contacts import Contacts
from .order_shape import Line, order_record
from .state import State, iso
from .transactions import Payment, Transactions

__all__ = ["PAYMENT_METHODS", "seed_site", "sku_item_id"]

#: The demo's gateways as the payment methods a Wix order's transactions name, and
#: whether the payment is offline (the merchant marks it paid) [verify: Wix's names].
PAYMENT_METHODS = {
    "stripe": ("Stripe", False),
    "paypal": ("PayPal", False),
    "amazon_payments_advanced": ("Amazon Pay", False),
    "bacs": ("Bank Transfer", True),
    "cheque": ("Cheque", True),
    "cod": ("Cash on Delivery", True),
}
_SKUS = uuid.UUID("0b8f4c52-1d7e-4a3b-9c6f-5e2d8a7b1c40")
_ZERO = Decimal(0)
_STATUS = {
    "processing": ("APPROVED", "NOT_FULFILLED"),
    "completed": ("APPROVED", "FULFILLED"),
    "pending": ("APPROVED", "NOT_FULFILLED"),
    "on_hold": ("APPROVED", "NOT_FULFILLED"),
    "cancelled": ("CANCELED", "NOT_FULFILLED"),
}


def sku_item_id(sku: str) -> str:
    return str(uuid.uuid5(_SKUS, sku))


def _breakdown(taxes: Sequence[DemoTaxAmount]) -> tuple[tuple[str, Decimal, Decimal], ...]:
    return tuple((t.rate.name, t.rate.percent, t.total) for t in taxes)


def _combined(amount: Decimal, tax: Decimal, taxes: Sequence[DemoTaxAmount]) -> Decimal:
    """The one rate Wix shows on a line (percent): compound taxes combined."""
    if len(taxes) == 1:
        return taxes[0].rate.percent
    return (tax * 100 / amount).quantize(Decimal("0.01")) if amount and taxes else _ZERO


def seed_site(state: State, contacts: Contacts, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC).replace(microsecond=0)
    ids: dict[int, str] = {}
    for account in demo_customers():
        info = {
            "name": {"first": account.first_name, "last": account.last_name},
            "emails": {"items": [{"tag": "MAIN", "email": account.email}]},
            "phones": {"items": [{"tag": "MOBILE", "phone": account.phone}]},
        }
        ids[account.id] = contacts.insert(info, iso(account.created_at(now)))["id"]
    for order in demo_orders():
        _seed_order(state, order, ids, now)


def _seed_order(state: State, order: DemoOrder, contacts: dict[int, str], now: datetime) -> None:
    trashed = order.status == "trashed"
    status = (order.trashed_from or "processing") if trashed else order.status
    state_, fulfillment = _STATUS.get(status, ("APPROVED", "NOT_FULFILLED"))
    lines = [
        (
            state.new_id("line"),
            Line(
                sku_item_id(li.sku),
                "",
                li.name,
                li.sku,
                li.quantity,
                li.total,
                li.total_tax,
                _combined(li.total, li.total_tax, li.taxes),
                li.subtotal - li.total,
                _breakdown(li.taxes),
            ),
        )
        for li in order.lines
    ]
    shipping = order.shipping_lines[0].title if order.shipping_lines else ""
    # The shipping's one rate (Wix's ``taxDetails.taxRate``); compound taxes combined.
    taxes = order.shipping_lines[0].taxes if order.shipping_lines else ()
    rate = (
        (
            taxes[0].rate.percent
            if len(taxes) == 1
            else order.shipping_tax * 100 / order.shipping_total
        )
        if order.shipping_total and order.shipping_tax
        else None
    )
    buyer = {"email": order.billing.email}
    if order.customer is not None:
        buyer["contactId"] = contacts[order.customer.id]
    record = order_record(
        order_id=state.new_id("order"),
        number=order.number,
        created=iso(order.created_at(now)),
        lines=lines,
        buyer=buyer,
        billing=order.billing,
        shipping=order.shipping,
        shipping_cost=(shipping, order.shipping_total, order.shipping_tax),
        status=state_,
        payment_status="PAID" if order.paid else "NOT_PAID",
        fulfillment_status=fulfillment,
        currency=order.currency,
        discount=order.discount_total,
        buyer_note=order.customer_note,
        fees=(order.fee_total, order.fee_tax),
        gift_card=order.gift_card_total,
        shipping_rate=rate,
        shipping_breakdown=_breakdown(taxes),
    )
    record["updatedDate"] = iso(order.modified_at(now))
    record["archived"] = trashed
    state.data["orders"][record["id"]] = record
    method, offline = PAYMENT_METHODS.get(order.payment_method, (order.payment_title, True))
    paid_at = order.paid_at(now)
    Transactions(state).record(
        record,
        Payment(method, order.transaction_id, offline=offline),
        gift_cards=[(card.code, card.amount) for card in order.gift_cards],
        when=iso(paid_at) if paid_at else None,
    )
