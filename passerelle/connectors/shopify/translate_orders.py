"""Shopify orders (objects/Order) → canonical orders.

Shopify keeps two statuses apart: ``displayFinancialStatus`` (paid, pending…)
and ``displayFulfillmentStatus``. ``Order.shop_status`` is the financial one in
lower case (``cancelled`` when the order is cancelled), which is what the
profile's ``[orders] statuses`` map; ``Order.status`` combines both. Line
amounts are taken after discounts (``discountedTotalSet``), taxes from each
line's ``taxLines``; prices including tax (``taxesIncluded``) are brought back
to amounts excluding tax.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from passerelle.model import Address, Order, OrderLine, OrderStatus, ShippingLine, TaxLine

__all__ = ["open_order_from_wire", "order_from_wire", "shop_status"]


def _money(bag: dict[str, Any] | None) -> Decimal:
    return Decimal(str(((bag or {}).get("shopMoney") or {}).get("amount") or "0"))


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _number(gid: str | None) -> str:
    return str(gid or "").rsplit("/", 1)[-1]


def _address(raw: dict[str, Any] | None, email: str = "") -> Address:
    raw = raw or {}
    return Address(
        first_name=raw.get("firstName") or "",
        last_name=raw.get("lastName") or "",
        company=raw.get("company") or "",
        street=raw.get("address1") or "",
        street2=raw.get("address2") or "",
        postal_code=raw.get("zip") or "",
        city=raw.get("city") or "",
        country_code=raw.get("countryCodeV2") or "",
        subdivision=raw.get("provinceCode") or "",
        phone=raw.get("phone") or "",
        email=email,
    )


def _taxes(raw: list[dict[str, Any]]) -> tuple[TaxLine, ...]:
    return tuple(
        TaxLine(
            shop_tax_id=t["title"],
            label=t["title"],
            rate=Decimal(str(t["rate"])) if t.get("rate") is not None else None,
            amount=_money(t["priceSet"]),
        )
        for t in raw
    )


def shop_status(raw: dict[str, Any]) -> str:
    if raw.get("cancelledAt"):
        return "cancelled"
    return str(raw.get("displayFinancialStatus") or "pending").lower()


def _status(raw: dict[str, Any]) -> OrderStatus:
    financial = shop_status(raw)
    if financial == "cancelled":
        return OrderStatus.CANCELLED
    if financial == "refunded":
        return OrderStatus.REFUNDED
    if financial in ("paid", "partially_refunded"):
        return (
            OrderStatus.COMPLETED
            if raw.get("displayFulfillmentStatus") == "FULFILLED"
            else OrderStatus.PROCESSING
        )
    return OrderStatus.PENDING_PAYMENT


def order_from_wire(raw: dict[str, Any]) -> Order:
    included = bool(raw.get("taxesIncluded"))
    lines = []
    for li in raw["lineItems"]["nodes"]:
        taxes = _taxes(li["taxLines"])
        tax = sum((t.amount for t in taxes), Decimal(0))
        total = _money(li["discountedTotalSet"]) - (tax if included else 0)
        lines.append(
            OrderLine(
                source_id=_number(li["id"]),
                reference=li.get("sku") or "",
                name=li["name"],
                quantity=Decimal(li["quantity"]),
                subtotal=total,
                total=total,
                total_tax=tax,
                taxes=taxes,
            )
        )
    shipping = []
    for sl in raw["shippingLines"]["nodes"]:
        taxes = _taxes(sl["taxLines"])
        tax = sum((t.amount for t in taxes), Decimal(0))
        shipping.append(
            ShippingLine(
                source_id=_number(sl["id"]),
                method_id=sl.get("code") or "",
                title=sl["title"],
                total=_money(sl["discountedPriceSet"]) - (tax if included else 0),
                total_tax=tax,
                taxes=taxes,
            )
        )
    email = raw.get("email") or ""
    gateways = raw.get("paymentGatewayNames") or []
    paid = shop_status(raw) in ("paid", "partially_refunded", "partially_paid")
    number = (raw.get("name") or "").lstrip("#")
    return Order(
        source_id=_number(raw["id"]),
        number=number,
        status=_status(raw),
        shop_status=shop_status(raw),
        currency=raw["currencyCode"],
        created_at=_date(raw["createdAt"]) or datetime.now(),
        total=_money(raw["totalPriceSet"]),
        total_tax=_money(raw["totalTaxSet"]),
        customer_id=_number(raw["customer"]["id"]) if raw.get("customer") else None,
        billing=_address(raw.get("billingAddress"), email),
        shipping=_address(raw.get("shippingAddress")),
        lines=tuple(lines),
        shipping_lines=tuple(shipping),
        prices_include_tax=False,
        payment_method=gateways[0] if gateways else "",
        payment_method_title=gateways[0] if gateways else "",
        paid_at=_date(raw.get("processedAt")) if paid else None,
        modified_at=_date(raw.get("updatedAt")),
        customer_note=raw.get("note") or "",
        archived=bool(raw.get("closed")),
    )


def open_order_from_wire(raw: dict[str, Any]) -> Order:
    """An order as the open-order read has it: each line holds the units not fulfilled
    yet (``unfulfilledQuantity``); amounts are not read, the stock rule needs none."""
    zero = Decimal(0)
    lines = tuple(
        OrderLine(
            source_id=_number(li["id"]),
            reference=li.get("sku") or "",
            name=li["name"],
            quantity=Decimal(li["unfulfilledQuantity"]),
            subtotal=zero,
            total=zero,
            total_tax=zero,
        )
        for li in raw["lineItems"]["nodes"]
        if int(li["unfulfilledQuantity"]) > 0
    )
    return Order(
        source_id=_number(raw["id"]),
        number=(raw.get("name") or "").lstrip("#"),
        status=_status(raw),
        shop_status=shop_status(raw),
        currency=raw["currencyCode"],
        created_at=_date(raw["createdAt"]) or datetime.now(),
        total=zero,
        total_tax=zero,
        customer_id=None,
        billing=Address(),
        shipping=Address(),
        lines=lines,
        modified_at=_date(raw.get("updatedAt")),
        archived=bool(raw.get("closed")),
    )
