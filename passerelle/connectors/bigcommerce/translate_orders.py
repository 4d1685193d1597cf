"""v2 orders → canonical orders, and the sale number on the order's staff notes.

From ``reference/orders.v2.oas2.yml``: amounts are decimal strings;
``include=consignments.line_items`` (``consignment_structure=object``) gives
each consignment with its order products: shipping ones — one per shipping
address, with its address and shipping cost —, pickups, and the downloads of
digital products. An order with several addresses
becomes lines and shipping lines each carrying its ``ship_to`` (O23: one
back-office document per address). ``/orders/{id}/taxes`` lists one row per
rate and line (``line_item_type`` item, shipping, handling, gift-wrapping;
``order_product_id`` for items); a rate whose ``priority`` is above the
order's lowest is compounded on the price plus the lower ones (O24).

The sale number is written on ``staff_notes`` (the "Staff notes" a merchant
reads on the order in the control panel; ``customer_message`` is the
buyer's own comment, shown to them), as a line ``Back-office sale: <n>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import (
    FieldTable,
    as_sent,
    optional_text,
    read_fields,
    text,
    value,
)
from passerelle.i18n.messages import M_
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderGiftCard,
    OrderLine,
    OrderStatus,
    ShippingLine,
    TaxLine,
)

__all__ = ["STATUS_IDS", "number_of", "order_from_wire", "with_number"]

STATUS_IDS = {
    "Incomplete": 0,
    "Pending": 1,
    "Shipped": 2,
    "Partially Shipped": 3,
    "Refunded": 4,
    "Cancelled": 5,
    "Declined": 6,
    "Awaiting Payment": 7,
    "Awaiting Pickup": 8,
    "Awaiting Shipment": 9,
    "Completed": 10,
    "Awaiting Fulfillment": 11,
    "Manual Verification Required": 12,
    "Disputed": 13,
    "Partially Refunded": 14,
}
_CANONICAL = {
    0: OrderStatus.DRAFT,
    1: OrderStatus.PENDING_PAYMENT,
    2: OrderStatus.COMPLETED,
    3: OrderStatus.PROCESSING,
    4: OrderStatus.REFUNDED,
    5: OrderStatus.CANCELLED,
    6: OrderStatus.FAILED,
    7: OrderStatus.PENDING_PAYMENT,
    8: OrderStatus.PROCESSING,
    9: OrderStatus.PROCESSING,
    10: OrderStatus.COMPLETED,
    11: OrderStatus.PROCESSING,
    12: OrderStatus.ON_HOLD,
    13: OrderStatus.ON_HOLD,
    14: OrderStatus.PROCESSING,
}
_NUMBER = re.compile(r"^Back-office sale: (.*)$", re.MULTILINE)
_PAID = {"captured", "paid", "authorized", "partially refunded"}


def number_of(staff_notes: str) -> str:
    found = _NUMBER.search(staff_notes or "")
    return found.group(1).strip() if found else ""


def with_number(staff_notes: str, number: str) -> str:
    """The staff notes with the sale number line set (replaced, never repeated)."""
    line = f"Back-office sale: {number}"
    if _NUMBER.search(staff_notes or ""):
        return _NUMBER.sub(line, staff_notes, count=1)
    return f"{staff_notes}\n{line}" if staff_notes else line


def _d(value: Any) -> Decimal:
    """A v2 amount ("84.8300", four places) in cents: order currencies have two."""
    return _cents(Decimal(str(value))) if value not in (None, "") else Decimal(0)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _date(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value))
    except (TypeError, ValueError):
        return None


# The fields copied as they are; the rules (taxes, discounts, addresses, what is
# paid) are written out below.
_ADDRESS: FieldTable = {
    "first_name": as_sent("first_name"),
    "last_name": as_sent("last_name"),
    "company": as_sent("company"),
    "street": as_sent("street_1"),
    "street2": as_sent("street_2"),
    "postal_code": text("zip"),
    "city": as_sent("city"),
    "country_code": as_sent("country_iso2"),
    "subdivision": as_sent("state"),
    "phone": as_sent("phone"),
    "email": as_sent("email"),
}
_LINE: FieldTable = {
    "reference": as_sent("sku"),
    "name": as_sent("name"),
    "quantity": value("quantity", lambda q: Decimal(str(q or 0))),
    "product_id": text("product_id"),
}
_ORDER: FieldTable = {
    "shop_status": text("status"),
    "currency": text("currency_code"),
    "total_tax": value("total_tax", _d),
    "customer_id": optional_text("customer_id"),
    "payment_method": text("payment_method"),
    "payment_method_title": text("payment_method"),
    "transaction_id": text("payment_provider_id"),
    "modified_at": value("date_modified", _date),
    "customer_note": text("customer_message"),
    "archived": value("is_deleted", bool),
}


def _address(raw: Mapping[str, Any]) -> Address:
    return Address(**read_fields(_ADDRESS, raw))


def _tax_lines(rows: Iterable[Mapping[str, Any]], lowest: int) -> tuple[TaxLine, ...]:
    by_rate: dict[str, TaxLine] = {}
    for row in rows:
        key = str(row.get("tax_rate_id"))
        amount = _d(row.get("line_amount"))
        before = by_rate.get(key)
        by_rate[key] = TaxLine(
            shop_tax_id=key,
            label=str(row.get("name") or ""),
            rate=Decimal(str(row.get("rate") or 0)) / 100,
            amount=amount + (before.amount if before else 0),
            compound=int(row.get("priority") or 0) > lowest,
        )
    return tuple(by_rate.values())


def _line_items(raw: Mapping[str, Any], oid: str) -> list[Mapping[str, Any]]:
    """The order's products, from its consignments: shipped, picked up or downloaded.

    A product belongs to exactly one consignment, so reading all three kinds
    gives every line once, with no ``/orders/{id}/products`` request; an
    order read without them is refused rather than imported without lines.
    """
    consignments = raw.get("consignments")
    if not isinstance(consignments, Mapping):
        raise RecordError(
            M_(
                "BigCommerce order %(number)s came without its consignments "
                "(include=consignments.line_items)",
                number=oid,
            ),
            record_id=oid,
        )
    return [
        p
        for kind in ("shipping", "pickups", "downloads")
        for c in consignments.get(kind) or []
        for p in c.get("line_items") or []
    ]


def order_from_wire(
    raw: Mapping[str, Any], *, taxes: list[dict[str, Any]], coupons: list[dict[str, Any]]
) -> Order:
    """One v2 order (read with its consignments) and its taxes/coupons."""
    oid, status_id, created = _identity(raw)
    items = _line_items(raw, oid)
    shipping = raw["consignments"].get("shipping") or []
    ship_to = _ShipTo(shipping)
    lowest = min((int(t.get("priority") or 0) for t in taxes), default=0)
    lines = _lines(items, taxes, lowest, ship_to)
    shipping_lines = _shipping_lines(shipping, taxes, lowest, ship_to)
    fees = _fees(raw, taxes, lowest)
    order_coupons = _coupons(items, lines, coupons)
    payment_status = str(raw.get("payment_status") or "").lower()
    billing = _address(raw.get("billing_address") or {})
    # A gift certificate is a payment in BigCommerce (``gift_certificate_amount``);
    # the canonical total is what remains to pay, the certificate a gift card.
    gift = _d(raw.get("gift_certificate_amount"))
    return Order(
        **read_fields(_ORDER, raw),
        source_id=oid,
        number=oid,
        status=_CANONICAL.get(status_id, OrderStatus.OTHER),
        created_at=created,
        total=_d(raw.get("total_inc_tax")) - gift,
        billing=billing,
        shipping=next(iter(ship_to.addresses.values()), billing),
        lines=lines,
        shipping_lines=shipping_lines,
        fee_lines=fees,
        coupons=order_coupons,
        discount_total=_d(raw.get("coupon_discount")) + _d(raw.get("discount_amount")),
        paid_at=created if payment_status in _PAID else None,
        gift_cards=(OrderGiftCard(code="gift certificate", amount=gift),) if gift else (),
    )


def _identity(raw: Mapping[str, Any]) -> tuple[str, int, datetime]:
    """The order's id, status id and creation date, without which it is not read."""
    try:
        oid = str(raw["id"])
        status_id = int(raw["status_id"])
        created = _date(raw["date_created"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(
            M_(
                "BigCommerce order %(number)s lacks %(error)s",
                number=repr(raw.get("id")),
                error=str(exc),
            ),
            record_id=str(raw.get("id")),
        ) from exc
    if created is None:
        raise RecordError(
            M_("BigCommerce order %(number)s has no readable date_created", number=oid),
            record_id=oid,
        )
    return oid, status_id, created


class _ShipTo:
    """The shipping consignments' addresses by consignment id; a line or shipping line
    carries its own only when the order ships to several (O23)."""

    def __init__(self, shipping: Sequence[Mapping[str, Any]]) -> None:
        self.several = len(shipping) > 1
        self.addresses = {c.get("id"): _address(c) for c in shipping}

    def of(self, consignment_id: Any) -> Address | None:
        return self.addresses.get(consignment_id) if self.several else None


def _lines(
    items: Iterable[Mapping[str, Any]],
    taxes: list[dict[str, Any]],
    lowest: int,
    ship_to: _ShipTo,
) -> tuple[OrderLine, ...]:
    """One line per order product, its tax from the order's tax rows when it has any."""
    lines = []
    for p in items:
        rows = [
            t
            for t in taxes
            if t.get("line_item_type") == "item"
            and str(t.get("order_product_id")) == str(p.get("id"))
        ]
        discount = sum((_d(d.get("amount")) for d in p.get("applied_discounts") or []), Decimal(0))
        subtotal = _d(p.get("total_ex_tax"))
        line_taxes = _tax_lines(rows, lowest)
        lines.append(
            OrderLine(
                **read_fields(_LINE, p),
                source_id=str(p.get("id")),
                subtotal=subtotal,
                total=subtotal - discount,
                total_tax=sum((t.amount for t in line_taxes), Decimal(0))
                if rows
                else _d(p.get("total_tax")),
                taxes=line_taxes,
                ship_to=ship_to.of(p.get("order_address_id")),
            )
        )
    return tuple(lines)


def _shipping_lines(
    shipping: Iterable[Mapping[str, Any]],
    taxes: list[dict[str, Any]],
    lowest: int,
    ship_to: _ShipTo,
) -> tuple[ShippingLine, ...]:
    """One shipping line per shipping consignment with a cost or a method."""
    shipping_lines = []
    for c in shipping:
        cost, cost_tax = _d(c.get("cost_ex_tax")), _d(c.get("cost_tax"))
        rows = [
            t
            for t in taxes
            if t.get("line_item_type") == "shipping" and t.get("order_address_id") == c.get("id")
        ]
        method = str(c.get("shipping_method") or "")
        if cost or method:
            shipping_lines.append(
                ShippingLine(
                    source_id=str(c.get("id")),
                    method_id=method,
                    title=method,
                    total=cost,
                    total_tax=cost_tax,
                    taxes=_tax_lines(rows, lowest),
                    ship_to=ship_to.of(c.get("id")),
                )
            )
    return tuple(shipping_lines)


def _fees(raw: Mapping[str, Any], taxes: list[dict[str, Any]], lowest: int) -> tuple[FeeLine, ...]:
    """Gift wrapping and handling, each a fee when it costs something."""
    fees = []
    for kind, name, prefix in (
        ("gift-wrapping", "Gift wrapping", "wrapping_cost"),
        ("handling", "Handling", "handling_cost"),
    ):
        amount = _d(raw.get(f"{prefix}_ex_tax"))
        if amount:
            rows = [t for t in taxes if t.get("line_item_type") == kind]
            fees.append(
                FeeLine(
                    source_id=kind,
                    name=name,
                    total=amount,
                    total_tax=_d(raw.get(f"{prefix}_tax")),
                    taxes=_tax_lines(rows, lowest),
                )
            )
    return tuple(fees)


def _coupons(
    items: Iterable[Mapping[str, Any]],
    lines: Iterable[OrderLine],
    coupons: Iterable[Mapping[str, Any]],
) -> tuple[OrderCoupon, ...]:
    """The coupons, sharing the discount's tax (the products' tax less the lines')
    in proportion to their amounts."""
    discount_tax = _cents(
        sum((_d(p.get("total_tax")) for p in items), Decimal(0))
        - sum((ln.total_tax for ln in lines), Decimal(0))
    )
    coupon_total = sum((_d(c.get("discount")) for c in coupons), Decimal(0))
    return tuple(
        OrderCoupon(
            code=str(c.get("code") or ""),
            discount=_d(c.get("discount")),
            discount_tax=_cents(discount_tax * _d(c.get("discount")) / coupon_total)
            if coupon_total
            else Decimal(0),
        )
        for c in coupons
    )
