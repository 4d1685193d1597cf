"""Shopify orders (objects/Order) → canonical orders.

Shopify keeps two statuses apart: ``displayFinancialStatus`` (paid, pending…)
and ``displayFulfillmentStatus``. ``Order.shop_status`` is the financial one in
lower case (``cancelled`` when the order is cancelled), which is what the
profile's ``[orders] statuses`` map; ``Order.status`` combines both. Line
amounts are taken after discounts (``discountedTotalSet``), taxes from each
line's ``taxLines``; prices including tax (``taxesIncluded``) are brought back
to amounts excluding tax.

A gift card is a payment on Shopify, not a discount: ``totalPriceSet`` includes
what it paid, and the redemption is an order transaction with the gateway
``gift_card`` (objects/OrderTransaction). Each successful one becomes an
``OrderGiftCard`` and ``Order.total`` is what remains after them, as on the
other platforms, so the sale carries the gift-card line and the payment of the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from passerelle.connectors.kit.fields import (
    FieldTable,
    Reader,
    as_sent,
    read_fields,
    required,
    value,
)
from passerelle.model import (
    Address,
    Order,
    OrderGiftCard,
    OrderLine,
    OrderStatus,
    ShippingLine,
    TaxLine,
)

__all__ = ["open_order_from_wire", "order_from_wire", "shop_status"]


def _amount(sent: Any) -> Decimal:
    return Decimal(str(sent or "0"))


def _money(key: str) -> Reader:
    """The amount in the shop's currency of the ``MoneyBag`` at ``key`` (0 when it has
    none); the query always asks for the bag."""
    return required(f"{key}.shopMoney.amount", _amount)


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _created(value: str | None) -> datetime:
    return _date(value) or datetime.now()


def _number(gid: str | None) -> str:
    return str(gid or "").rsplit("/", 1)[-1]


def _rate(sent: Any) -> Decimal | None:
    return Decimal(str(sent)) if sent is not None else None


def _order_number(name: str | None) -> str:
    return (name or "").lstrip("#")


def _customer_id(customer: Mapping[str, Any] | None) -> str | None:
    return _number(customer["id"]) if customer else None


# The fields copied as they are; the rules (statuses, amounts brought back to
# excluding tax, what is paid) are written out below. ``required`` fields are
# those the query always asks for: a record without one is refused, as before.
_ADDRESS: FieldTable = {
    "first_name": as_sent("firstName"),
    "last_name": as_sent("lastName"),
    "company": as_sent("company"),
    "street": as_sent("address1"),
    "street2": as_sent("address2"),
    "postal_code": as_sent("zip"),
    "city": as_sent("city"),
    "country_code": as_sent("countryCodeV2"),
    "subdivision": as_sent("provinceCode"),
    "phone": as_sent("phone"),
}
_TAX: FieldTable = {
    "shop_tax_id": required("title"),
    "label": required("title"),
    "rate": value("rate", _rate),
    "amount": _money("priceSet"),
}
_LINE_NAMES: FieldTable = {
    "source_id": required("id", _number),
    "reference": as_sent("sku"),
    "name": required("name"),
}
_SHIPPING: FieldTable = {
    "source_id": required("id", _number),
    "method_id": as_sent("code"),
    "title": required("title"),
}
# What an order and an open order (read without amounts) both hold.
_HEAD: FieldTable = {
    "source_id": required("id", _number),
    "number": value("name", _order_number),
    "currency": required("currencyCode"),
    "created_at": required("createdAt", _created),
    "modified_at": value("updatedAt", _date),
    "archived": value("closed", bool),
}
_ORDER: FieldTable = {
    **_HEAD,
    "total": _money("totalPriceSet"),
    "total_tax": _money("totalTaxSet"),
    "customer_id": value("customer", _customer_id),
    "customer_note": as_sent("note"),
}
_LINE_TOTAL = _money("discountedTotalSet")
_SHIPPING_TOTAL = _money("discountedPriceSet")


def _address(raw: Mapping[str, Any] | None, email: str = "") -> Address:
    return Address(**read_fields(_ADDRESS, raw or {}), email=email)


def _taxes(raw: list[dict[str, Any]]) -> tuple[TaxLine, ...]:
    return tuple(TaxLine(**read_fields(_TAX, t)) for t in raw)


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


def _lines(raw: Mapping[str, Any], included: bool) -> tuple[OrderLine, ...]:
    """Each line after discounts, brought back to excluding tax when prices include it."""
    lines = []
    for li in raw["lineItems"]["nodes"]:
        taxes = _taxes(li["taxLines"])
        tax = sum((t.amount for t in taxes), Decimal(0))
        total = _LINE_TOTAL(li) - (tax if included else 0)
        lines.append(
            OrderLine(
                **read_fields(_LINE_NAMES, li),
                quantity=required("quantity", Decimal)(li),
                subtotal=total,
                total=total,
                total_tax=tax,
                taxes=taxes,
            )
        )
    return tuple(lines)


def _shipping_lines(raw: Mapping[str, Any], included: bool) -> tuple[ShippingLine, ...]:
    shipping = []
    for sl in raw["shippingLines"]["nodes"]:
        taxes = _taxes(sl["taxLines"])
        tax = sum((t.amount for t in taxes), Decimal(0))
        shipping.append(
            ShippingLine(
                **read_fields(_SHIPPING, sl),
                total=_SHIPPING_TOTAL(sl) - (tax if included else 0),
                total_tax=tax,
                taxes=taxes,
            )
        )
    return tuple(shipping)


_GIFT_CARD = "gift_card"
_TAKEN = ("SALE", "CAPTURE")


def _gift_cards(raw: Mapping[str, Any]) -> tuple[OrderGiftCard, ...]:
    """The successful ``gift_card`` transactions; the API does not give a card's code
    on the transaction, so the transaction's number names it."""
    return tuple(
        OrderGiftCard(code=_number(t["id"]), amount=_money("amountSet")(t))
        for t in raw.get("transactions") or []
        if t.get("gateway") == _GIFT_CARD
        and t.get("kind") in _TAKEN
        and t.get("status") == "SUCCESS"
    )


def order_from_wire(raw: dict[str, Any]) -> Order:
    included = bool(raw.get("taxesIncluded"))
    lines = _lines(raw, included)
    shipping = _shipping_lines(raw, included)
    email = raw.get("email") or ""
    cards = _gift_cards(raw)
    gateways = [g for g in raw.get("paymentGatewayNames") or [] if g != _GIFT_CARD or not cards]
    paid = shop_status(raw) in ("paid", "partially_refunded", "partially_paid")
    fields = read_fields(_ORDER, raw)
    fields["total"] -= sum((c.amount for c in cards), Decimal(0))
    return Order(
        **fields,
        gift_cards=cards,
        status=_status(raw),
        shop_status=shop_status(raw),
        billing=_address(raw.get("billingAddress"), email),
        shipping=_address(raw.get("shippingAddress")),
        lines=lines,
        shipping_lines=shipping,
        prices_include_tax=False,
        payment_method=gateways[0] if gateways else "",
        payment_method_title=gateways[0] if gateways else "",
        paid_at=value("processedAt", _date)(raw) if paid else None,
    )


def open_order_from_wire(raw: dict[str, Any]) -> Order:
    """An order as the open-order read has it: each line holds the units not fulfilled
    yet (``unfulfilledQuantity``); amounts are not read, the stock rule needs none."""
    zero = Decimal(0)
    lines = tuple(
        OrderLine(
            **read_fields(_LINE_NAMES, li),
            quantity=required("unfulfilledQuantity", Decimal)(li),
            subtotal=zero,
            total=zero,
            total_tax=zero,
        )
        for li in raw["lineItems"]["nodes"]
        if int(li["unfulfilledQuantity"]) > 0
    )
    return Order(
        **read_fields(_HEAD, raw),
        status=_status(raw),
        shop_status=shop_status(raw),
        total=zero,
        total_tax=zero,
        customer_id=None,
        billing=Address(),
        shipping=Address(),
        lines=lines,
    )
