"""Magento orders → canonical orders, no I/O.

Docs (admin-schema-2.4.9.yaml, ``sales-data-order-interface``): an order has
``entity_id`` (the id every ``/V1/orders/{id}`` route takes) and
``increment_id`` (the number the buyer and the merchant see); ``state`` is
Magento's fixed life-cycle step (new, pending_payment, processing, complete,
closed, canceled, holded, payment_review) and ``status`` the merchant's label
under it (custom statuses are assigned to a state): flows map ``status``,
the canonical status comes from ``state``. Child items of a configurable
line carry ``parent_item_id`` and no price: only the parent line counts.
Taxes per item are in ``extension_attributes.item_applied_taxes``; dates are
UTC ``YYYY-MM-DD HH:MM:SS``. Adobe Commerce's gift card accounts redeemed on the
order are ``extension_attributes.gift_cards`` (``id``, ``code``, ``amount``,
``base_amount``, ``gift-card-account-data-gift-card-interface``) and
``grand_total`` is after them: they become the order's gift cards, so the sale
adds up to the shop's total.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, read_fields, text, value
from passerelle.connectors.magento.translate_values import money, parse_datetime
from passerelle.i18n.messages import M_
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderGiftCard,
    OrderLine,
    OrderPayment,
    OrderStatus,
    ShippingLine,
    TaxLine,
)

__all__ = [
    "NUMBER_PREFIX",
    "OPEN_STATES",
    "address_from_wire",
    "order_from_wire",
]

# The order comment carrying the back-office sale number (O-number write-back).
NUMBER_PREFIX = "Back-office sale:"
# States whose orders may still hold an MSI reservation (not complete, closed, canceled).
OPEN_STATES = frozenset({"new", "pending_payment", "processing", "holded", "payment_review"})
_STATES = {
    "new": OrderStatus.PENDING_PAYMENT,
    "pending_payment": OrderStatus.PENDING_PAYMENT,
    "payment_review": OrderStatus.ON_HOLD,
    "processing": OrderStatus.PROCESSING,
    "complete": OrderStatus.COMPLETED,
    "closed": OrderStatus.REFUNDED,
    "canceled": OrderStatus.CANCELLED,
    "holded": OrderStatus.ON_HOLD,
}


# The fields copied as they are; the rules (street lines, the shipping address,
# what is paid, the lines' taxes) are written out below.
_ADDRESS: FieldTable = {
    "first_name": text("firstname"),
    "last_name": text("lastname"),
    "company": text("company"),
    "postal_code": text("postcode"),
    "city": text("city"),
    "country_code": text("country_id"),
    "subdivision": text("region_code"),
    "phone": text("telephone"),
    "email": text("email"),
}
_LINE: FieldTable = {
    "reference": text("sku"),
    "name": text("name"),
    "quantity": value("qty_ordered", money),
    "total_tax": value("tax_amount", money),
    "product_id": text("product_id"),
}
_ORDER: FieldTable = {
    "shop_status": text("status"),
    "currency": text("order_currency_code"),
    "total_tax": value("tax_amount", money),
    "transaction_id": text("payment.last_trans_id"),
    "modified_at": value("updated_at", parse_datetime),
    "customer_note": text("customer_note"),
    "customer_tax_identifier": text("customer_taxvat"),
}


def address_from_wire(data: Mapping[str, Any] | None) -> Address:
    data = data or {}
    street = list(data.get("street") or [])
    return Address(
        **read_fields(_ADDRESS, data),
        street=str(street[0]) if street else "",
        street2=", ".join(str(s) for s in street[1:]),
    )


def _taxes(applied: list[Mapping[str, Any]]) -> tuple[TaxLine, ...]:
    return tuple(
        TaxLine(
            shop_tax_id=str(t.get("code") or ""),
            label=str(t.get("title") or t.get("code") or ""),
            rate=money(t.get("percent")) / 100 if t.get("percent") is not None else None,
            amount=money(t.get("amount")),
        )
        for t in applied
    )


def order_from_wire(data: Mapping[str, Any]) -> Order:
    if not isinstance(data, Mapping):
        raise RecordError(
            M_("an order came as %(kind)s, not a JSON object", kind=type(data).__name__)
        )
    order_id = str(data.get("entity_id"))
    number = str(data.get("increment_id") or order_id)  # the number the merchant knows
    try:
        return _order(data, order_id, number)
    except RecordError as exc:
        exc.record_id = order_id
        raise
    except (TypeError, AttributeError, ValueError, KeyError) as exc:
        raise RecordError(
            M_("order %(number)s could not be read: %(error)s", number=number, error=str(exc)),
            record_id=order_id,
        ) from exc


def _order(data: Mapping[str, Any], order_id: str, number: str) -> Order:
    ext = data.get("extension_attributes") or {}
    item_taxes, shipping_taxes = _applied_taxes(ext)
    lines = _lines(data, item_taxes, number)
    shipping_info = (ext.get("shipping_assignments") or [{}])[0].get("shipping") or {}
    shipping = _shipping(data, order_id, shipping_info, shipping_taxes)
    fees = _gift_wrapping(ext, order_id)
    coupons = _coupons(data)
    created = parse_datetime(data.get("created_at"))
    if created is None:
        raise RecordError(M_("order %(number)s has no creation date", number=number))
    total = money(data.get("grand_total"), M_("the total of order %(number)s", number=number))
    fields = read_fields(_ORDER, data)
    method = str((data.get("payment") or {}).get("method") or "")
    payments = _payments(data, method, fields["currency"])
    return Order(
        **fields,
        source_id=order_id,
        number=str(data.get("increment_id") or order_id),
        status=_STATES.get(str(data.get("state") or ""), OrderStatus.OTHER),
        created_at=created,
        total=total,
        customer_id=None
        if data.get("customer_is_guest") or not data.get("customer_id")
        else str(data["customer_id"]),
        billing=address_from_wire(data.get("billing_address")),
        shipping=address_from_wire(shipping_info.get("address") or data.get("billing_address")),
        lines=lines,
        shipping_lines=shipping,
        fee_lines=fees,
        coupons=coupons,
        gift_cards=_gift_cards(ext, number),
        discount_total=-money(data.get("discount_amount")),
        prices_include_tax=False,
        payment_method=method,
        payment_method_title=payments[0].method_title if payments else method,
        paid_at=payments[0].paid_at if payments else None,
        store=str(data.get("store_name") or "").split("\n")[-1],
        payments=payments,
    )


def _applied_taxes(
    ext: Mapping[str, Any],
) -> tuple[dict[str, list[Mapping[str, Any]]], list[Mapping[str, Any]]]:
    """``item_applied_taxes`` split: the items' taxes by item id, and the shipping's."""
    by_item: dict[str, list[Mapping[str, Any]]] = {}
    shipping_taxes: list[Mapping[str, Any]] = []
    for group in ext.get("item_applied_taxes") or []:
        if group.get("type") == "shipping":
            shipping_taxes.extend(group.get("applied_taxes") or [])
        else:
            by_item.setdefault(str(group.get("item_id")), []).extend(
                group.get("applied_taxes") or []
            )
    return by_item, shipping_taxes


def _lines(
    data: Mapping[str, Any], item_taxes: Mapping[str, list[Mapping[str, Any]]], number: str
) -> tuple[OrderLine, ...]:
    """The order's lines; an item without applied taxes is taxed at its own
    ``tax_percent``, and the simple child of a configurable line is left out (the
    parent carries the price)."""
    lines = []
    for item in data.get("items") or []:
        if item.get("parent_item_id"):
            continue
        row = money(item.get("row_total"), M_("a line's total of order %(number)s", number=number))
        discount = money(item.get("discount_amount"))
        applied = item_taxes.get(str(item.get("item_id")))
        if applied is None and item.get("tax_percent") is not None:
            applied = [
                {
                    "code": str(item.get("tax_percent")),
                    "title": "",
                    "percent": item.get("tax_percent"),
                    "amount": item.get("tax_amount"),
                }
            ]
        lines.append(
            OrderLine(
                **read_fields(_LINE, item),
                source_id=str(item.get("item_id")),
                subtotal=row,
                total=row - discount,
                taxes=_taxes(applied or []),
            )
        )
    return tuple(lines)


def _shipping(
    data: Mapping[str, Any],
    order_id: str,
    shipping_info: Mapping[str, Any],
    shipping_taxes: list[Mapping[str, Any]],
) -> tuple[ShippingLine, ...]:
    """One shipping line, when the order has a shipping amount or description."""
    shipping_amount = money(data.get("shipping_amount"))
    if not (shipping_amount or data.get("shipping_description")):
        return ()
    return (
        ShippingLine(
            source_id=f"{order_id}-shipping",
            method_id=str(shipping_info.get("method") or ""),
            title=str(data.get("shipping_description") or ""),
            total=shipping_amount,
            total_tax=money(data.get("shipping_tax_amount")),
            taxes=_taxes(shipping_taxes),
        ),
    )


def _gift_wrapping(ext: Mapping[str, Any], order_id: str) -> tuple[FeeLine, ...]:
    """Gift wrapping (``gw_price``) as a fee, at the order's applied rate nearest to
    the one its tax makes."""
    if ext.get("gw_price") in (None, "", "0", 0):
        return ()
    gw, gw_tax = money(ext.get("gw_price")), money(ext.get("gw_tax_amount"))
    rates = [money(t.get("percent")) for t in ext.get("applied_taxes") or []]
    rate = min(rates, key=lambda r: abs(r - gw_tax * 100 / gw)) if rates and gw else None
    return (
        FeeLine(
            source_id=f"{order_id}-gw",
            name="Gift wrapping",
            total=gw,
            total_tax=gw_tax,
            taxes=(
                TaxLine(
                    shop_tax_id="gw",
                    label="",
                    rate=rate / 100 if rate is not None else None,
                    amount=gw_tax,
                ),
            ),
        ),
    )


def _gift_cards(ext: Mapping[str, Any], number: str) -> tuple[OrderGiftCard, ...]:
    """The gift card accounts redeemed (Adobe Commerce), each paying ``amount`` of
    the order in its currency; Magento Open Source orders have none."""
    cards = []
    for card in ext.get("gift_cards") or []:
        if not isinstance(card, Mapping):
            raise RecordError(
                M_(
                    "order %(number)s: a gift card came as %(type)s",
                    number=number,
                    type=type(card).__name__,
                )
            )
        cards.append(
            OrderGiftCard(
                code=str(card.get("code") or ""),
                amount=money(
                    card.get("amount"),
                    M_("a gift card amount of order %(number)s", number=number),
                ),
            )
        )
    total = money(ext.get("gift_cards_amount"))
    if not cards and total:  # the amount without the accounts: one card, code unknown
        cards.append(OrderGiftCard(code="", amount=total))
    return tuple(cards)


def _coupons(data: Mapping[str, Any]) -> tuple[OrderCoupon, ...]:
    """The order's coupon code, carrying the whole discount (tax not split out)."""
    if not data.get("coupon_code"):
        return ()
    return (
        OrderCoupon(
            code=str(data["coupon_code"]),
            discount=-money(data.get("discount_amount")),
            discount_tax=Decimal("0.00"),
            description=str(data.get("discount_description") or ""),
        ),
    )


def _payments(data: Mapping[str, Any], method: str, currency: str) -> tuple[OrderPayment, ...]:
    """What is paid (``total_paid``), as one payment dated by the order's last update."""
    paid = money(data.get("total_paid"))
    if not paid:
        return ()
    payment = data.get("payment") or {}
    titles = payment.get("additional_information") or []
    return (
        OrderPayment(
            method=method,
            method_title=str(titles[0]) if titles else method,
            amount=paid,
            paid_at=parse_datetime(data.get("updated_at")),
            transaction_id=str(payment.get("last_trans_id") or ""),
            currency=currency,
        ),
    )
