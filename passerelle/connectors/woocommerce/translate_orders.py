"""A WooCommerce order (with its refunds and notes) as a canonical ``Order``, no I/O.

Docs followed (woocommerce-rest-api-docs, ``wp-api-v3``):

- ``_orders.md``: amounts as strings; ``*_gmt`` dates; ``created_via``
  ("shows where the order was created": checkout, rest-api, a marketplace or
  point-of-sale channel) read as the order's store/channel; ``status``
  ``trash`` for an order in the trash; ``date_paid_gmt`` /
  ``date_completed_gmt``; ``tax_lines`` with ``rate_id``, ``label``,
  ``rate_percent`` and ``compound`` (each line's ``taxes`` name rates by id);
  ``coupon_lines`` carry only ``code`` and discounts (the coupon's
  ``description`` comes from ``_coupons.md``, looked up by the connector);
  the ``refunds`` summary only lists refund ids.
- ``_order-refunds.md``: a refund's ``amount`` (positive), ``reason``,
  ``date_created_gmt`` and ``line_items`` with negative quantities, totals
  and taxes and a ``_refunded_item_id`` meta naming the order line.
- ``_order-notes.md``: ``note``, ``customer_note`` (shown to the customer),
  ``author`` — "system" for WooCommerce's own event notes.

Extension data (VAT number, invoice date, eco-tax, gift cards, delivery
addresses) is read by ``translate_order_extensions.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, read_fields, text, value
from passerelle.connectors.woocommerce import translate_order_extensions as ext
from passerelle.connectors.woocommerce.translate_values import meta_value, money, parse_datetime
from passerelle.i18n.messages import M_, Text
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderLine,
    OrderNote,
    OrderPayment,
    OrderRefund,
    OrderStatus,
    RefundLine,
    ShippingLine,
    TaxLine,
)

__all__ = [
    "ARCHIVED_STATUS",
    "address_from_wire",
    "note_from_wire",
    "order_from_wire",
    "refund_from_wire",
]

ARCHIVED_STATUS = "trash"
TRASH_STATUS_META = "_wp_trash_meta_status"
SYSTEM_AUTHOR = "system"
_STATUSES = {status.value: status for status in OrderStatus}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Rates = Mapping[str, Mapping[str, Any]]


# The fields copied as they are; the rules (lines and their taxes, the status of an
# order in the trash, what is paid) are written out below.
_ADDRESS: FieldTable = {
    "first_name": text("first_name"),
    "last_name": text("last_name"),
    "company": text("company"),
    "street": text("address_1"),
    "street2": text("address_2"),
    "postal_code": text("postcode"),
    "city": text("city"),
    "country_code": text("country"),
    "subdivision": text("state"),
    "phone": text("phone"),
    "email": text("email"),
}
_ORDER: FieldTable = {
    "currency": text("currency"),
    "discount_total": value("discount_total", money),
    "prices_include_tax": value("prices_include_tax", bool),
    "payment_method": text("payment_method"),
    "payment_method_title": text("payment_method_title"),
    "transaction_id": text("transaction_id"),
    "paid_at": value("date_paid_gmt", parse_datetime),
    "modified_at": value("date_modified_gmt", parse_datetime),
    "completed_at": value("date_completed_gmt", parse_datetime),
    "customer_note": text("customer_note"),
    "store": text("created_via"),
}


def address_from_wire(data: Mapping[str, Any] | None) -> Address:
    """An order's, or a customer's, ``billing`` or ``shipping`` object as an Address."""
    return Address(**read_fields(_ADDRESS, data or {}))


def _tax_lines(
    taxes: Sequence[Mapping[str, Any]] | None, rates: Rates, where: Text, *, sign: int = 1
) -> tuple[TaxLine, ...]:
    """A line's ``taxes`` with each rate's label, percentage and ``compound`` flag."""
    result = []
    for tax in taxes or []:
        amount = money(tax.get("total"), what=M_("%(where)s tax", where=where))
        if amount == 0 and tax.get("total") in ("", None):
            continue
        rate_id = str(tax.get("id"))
        rate = rates.get(rate_id, {})
        percent = rate.get("rate_percent")
        result.append(
            TaxLine(
                shop_tax_id=rate_id,
                label=str(rate.get("label") or rate.get("rate_code") or rate_id),
                rate=(money(percent) / 100) if percent not in (None, "") else None,
                amount=amount * sign,
                compound=bool(rate.get("compound")),
            )
        )
    return tuple(result)


def refund_from_wire(data: Mapping[str, Any], rates: Rates, where: Text) -> OrderRefund:
    """One ``GET /orders/<id>/refunds`` item, amounts made positive."""
    if not isinstance(data, Mapping):
        raise RecordError(
            M_("%(where)s: a refund came as %(type)s", where=where, type=type(data).__name__)
        )
    refund_where = M_("%(where)s refund %(refund)s", where=where, refund=data.get("id"))
    created = parse_datetime(data.get("date_created_gmt"))
    if created is None:
        raise RecordError(M_("%(where)s has no creation date", where=refund_where))
    lines = tuple(
        RefundLine(
            line_id=str(meta_value(item, "_refunded_item_id") or ""),
            reference=str(item.get("sku") or ""),
            name=str(item.get("name") or ""),
            quantity=abs(
                money(item.get("quantity"), what=M_("%(where)s quantity", where=refund_where))
            ),
            total=abs(
                money(item.get("total"), what=M_("%(where)s line total", where=refund_where))
            ),
            total_tax=abs(
                money(item.get("total_tax"), what=M_("%(where)s line tax", where=refund_where))
            ),
            taxes=_tax_lines(item.get("taxes"), rates, refund_where, sign=-1),
        )
        for item in data.get("line_items") or []
        if isinstance(item, Mapping)
    )
    # Refunded shipping is listed by WooCommerce versions that render it; else it
    # is part of the amount the lines do not cover.
    shipping = [s for s in data.get("shipping_lines") or [] if isinstance(s, Mapping)]
    return OrderRefund(
        source_id=str(data.get("id")),
        created_at=created,
        amount=abs(money(data.get("amount"), what=M_("%(where)s amount", where=refund_where))),
        reason=str(data.get("reason") or ""),
        lines=lines,
        shipping_total=sum((abs(money(s.get("total"))) for s in shipping), money(0)),
        shipping_tax=sum((abs(money(s.get("total_tax"))) for s in shipping), money(0)),
    )


def note_from_wire(data: Mapping[str, Any]) -> OrderNote | None:
    """An order note as a message, or None for WooCommerce's own event notes.

    Notes by the "system" author (status changes, payment events) are the
    shop's log, not messages; a ``customer_note`` is the shop's message to
    the buyer; any other note is private. A buyer's own words are the
    order's ``customer_note`` field (the checkout note), not a note.
    """
    if not isinstance(data, Mapping):
        return None
    to_customer = bool(data.get("customer_note"))
    if not to_customer and str(data.get("author") or "") == SYSTEM_AUTHOR:
        return None
    return OrderNote(
        text=str(data.get("note") or ""),
        from_customer=False,
        private=not to_customer,
        created_at=parse_datetime(data.get("date_created_gmt")),
    )


def _notes(raw_notes: Sequence[Mapping[str, Any]]) -> tuple[OrderNote, ...]:
    """Messages oldest first (the notes endpoint lists newest first)."""
    notes = [n for n in (note_from_wire(raw) for raw in raw_notes) if n is not None]
    return tuple(sorted(notes, key=lambda n: n.created_at or _EPOCH))


def order_from_wire(
    data: Mapping[str, Any],
    *,
    coupon_descriptions: Mapping[str, str] | None = None,
    refunds: Sequence[Mapping[str, Any]] = (),
    notes: Sequence[Mapping[str, Any]] = (),
) -> Order:
    """A WooCommerce order as a canonical ``Order``; RecordError naming it if unreadable.

    ``coupon_descriptions`` (code → description), ``refunds`` (the
    ``/orders/<id>/refunds`` items) and ``notes`` (the ``/orders/<id>/notes``
    items) are what the connector read besides the order, when it did.
    """
    if not isinstance(data, Mapping):
        raise RecordError(
            M_("an order came as %(kind)s, not a JSON object", kind=type(data).__name__)
        )
    order_id = str(data.get("id"))
    where = M_("order %(number)s", number=data.get("number") or order_id)
    try:
        return _order(data, order_id, where, coupon_descriptions or {}, refunds, notes)
    except RecordError as exc:
        exc.record_id = order_id
        raise
    except (TypeError, AttributeError, ValueError) as exc:
        raise RecordError(
            M_(
                "order %(number)s could not be read: %(error)s",
                number=data.get("number") or order_id,
                error=str(exc),
            ),
            record_id=order_id,
        ) from exc


def _order(
    data: Mapping[str, Any],
    order_id: str,
    where: Text,
    descriptions: Mapping[str, str],
    refunds: Sequence[Mapping[str, Any]],
    notes: Sequence[Mapping[str, Any]],
) -> Order:
    rates = {str(t.get("rate_id")): t for t in data.get("tax_lines") or []}
    lines, shipping = _lines(data, rates, where)
    fees = _fees(data, rates, where)
    coupons = _coupons(data, descriptions)
    created = parse_datetime(data.get("date_created_gmt")) or parse_datetime(
        data.get("date_created")
    )
    if created is None:
        raise RecordError(M_("%(where)s has no creation date", where=where))
    shop_status, archived = _shop_status(data)
    customer_id = str(data.get("customer_id") or "0")
    total = money(data.get("total"), what=M_("%(where)s total", where=where))
    fields = read_fields(_ORDER, data)
    return Order(
        **fields,
        source_id=order_id,
        number=str(data.get("number") or order_id),
        status=_STATUSES.get(shop_status, OrderStatus.OTHER),
        shop_status=shop_status,
        created_at=created,
        total=total,
        total_tax=money(data.get("total_tax"), what=M_("%(where)s total tax", where=where)),
        customer_id=None if customer_id == "0" else customer_id,
        billing=address_from_wire(data.get("billing")),
        shipping=address_from_wire(data.get("shipping")),
        lines=lines,
        shipping_lines=shipping,
        fee_lines=fees,
        coupons=coupons,
        customer_tax_identifier=ext.tax_identifier(data),
        invoiced_at=ext.invoice_date(data, where),
        payments=_payments(fields, total),
        gift_cards=ext.gift_cards(data, where),
        notes=_notes(notes),
        refunds=tuple(
            sorted(
                (refund_from_wire(r, rates, where) for r in refunds),
                key=lambda r: (r.created_at, r.source_id),
            )
        ),
        archived=archived,
    )


def _lines(
    data: Mapping[str, Any], rates: Rates, where: Text
) -> tuple[tuple[OrderLine, ...], tuple[ShippingLine, ...]]:
    """The product lines and shipping lines, each with its delivery address when the
    order has several (``translate_order_extensions.delivery_addresses``)."""
    ship_to_line, ship_to_shipping = ext.delivery_addresses(data, where)
    lines = tuple(
        OrderLine(
            source_id=str(item.get("id")),
            reference=str(item.get("sku") or ""),
            name=str(item.get("name") or ""),
            quantity=money(item.get("quantity"), what=M_("%(where)s quantity", where=where)),
            subtotal=money(item.get("subtotal"), what=M_("%(where)s line subtotal", where=where)),
            total=money(item.get("total"), what=M_("%(where)s line total", where=where)),
            total_tax=money(item.get("total_tax"), what=M_("%(where)s line tax", where=where)),
            taxes=_tax_lines(item.get("taxes"), rates, where),
            product_id=str(item.get("variation_id") or item.get("product_id") or ""),
            ship_to=ship_to_line.get(str(item.get("id"))),
            ecotax=ext.line_ecotax(item, where),
        )
        for item in data.get("line_items") or []
    )
    shipping = tuple(
        ShippingLine(
            source_id=str(item.get("id")),
            method_id=str(item.get("method_id") or ""),
            title=str(item.get("method_title") or ""),
            total=money(item.get("total"), what=M_("%(where)s shipping", where=where)),
            total_tax=money(item.get("total_tax"), what=M_("%(where)s shipping tax", where=where)),
            taxes=_tax_lines(item.get("taxes"), rates, where),
            ship_to=ship_to_shipping.get(str(item.get("id"))),
        )
        for item in data.get("shipping_lines") or []
    )
    return lines, shipping


def _fees(data: Mapping[str, Any], rates: Rates, where: Text) -> tuple[FeeLine, ...]:
    """The order's fees, each with its taxes."""
    return tuple(
        FeeLine(
            source_id=str(item.get("id")),
            name=str(item.get("name") or ""),
            total=money(item.get("total"), what=M_("%(where)s fee", where=where)),
            total_tax=money(item.get("total_tax"), what=M_("%(where)s fee tax", where=where)),
            taxes=_tax_lines(item.get("taxes"), rates, where),
        )
        for item in data.get("fee_lines") or []
    )


def _coupons(data: Mapping[str, Any], descriptions: Mapping[str, str]) -> tuple[OrderCoupon, ...]:
    """The coupons used, each with its description (looked up by code, any case)."""
    return tuple(
        OrderCoupon(
            code=str(item.get("code") or ""),
            discount=money(item.get("discount")),
            discount_tax=money(item.get("discount_tax")),
            description=descriptions.get(str(item.get("code") or "").lower(), ""),
        )
        for item in data.get("coupon_lines") or []
    )


def _shop_status(data: Mapping[str, Any]) -> tuple[str, bool]:
    """The order's status in the shop, and whether it is in the trash.

    WordPress keeps the status an order had before the trash in a meta; the order
    is imported (O27) under that status.
    """
    shop_status = str(data.get("status") or "")
    if shop_status != ARCHIVED_STATUS:
        return shop_status, False
    return str(meta_value(data, TRASH_STATUS_META) or shop_status), True


def _payments(fields: Mapping[str, Any], total: Decimal) -> tuple[OrderPayment, ...]:
    """The whole total as one payment, once the order is paid (``date_paid_gmt``)."""
    if fields["paid_at"] is None:
        return ()
    return (
        OrderPayment(
            method=fields["payment_method"],
            method_title=fields["payment_method_title"],
            amount=total,
            paid_at=fields["paid_at"],
            transaction_id=fields["transaction_id"],
            currency=fields["currency"],
        ),
    )
