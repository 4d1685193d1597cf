"""A PrestaShop order, with the records it links to attached, as a canonical ``Order``; no I/O.

``orders.md``: totals with and without tax, ``module`` (the payment module)
and ``payment`` (its label), ``reference`` (the number buyers see). Lines
are ``order_details`` (priced before cart rules, with ``tax_rate``), the
discount is ``total_discounts_*`` with the ``order_cart_rules`` naming it,
gift wrapping is ``total_wrapping_*``. The buyer's checkout message is the
order's public ``messages`` record (see :mod:`.orders`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import FieldTable, read_fields, text, value
from passerelle.connectors.prestashop.translate_values import cents, parse_date
from passerelle.i18n.messages import M_
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderLine,
    OrderStatus,
    ShippingLine,
    TaxLine,
)

__all__ = ["STATUS_SLUGS", "translate"]

STATUS_SLUGS = {
    "delivered": OrderStatus.COMPLETED,
    "shipped": OrderStatus.COMPLETED,
    "paid": OrderStatus.PROCESSING,
    "canceled": OrderStatus.CANCELLED,
    "refunded": OrderStatus.REFUNDED,
    "payment_error": OrderStatus.FAILED,
    "awaiting_payment": OrderStatus.PENDING_PAYMENT,
}
WRAPPING = "Emballage cadeau"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Rows = Mapping[str, Mapping[str, Any]]


def money(value: Any) -> Decimal:
    """An order's amount: absent or empty is 0, anything else must be a finite number.

    Not ``translate_values.money``, which reads a product's unreadable price as 0: an order
    whose total reads as 0 would be imported wrong without a word, so it is the
    order's error instead (the import parks it)."""
    if value is None or value == "":
        return Decimal(0)
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        amount = Decimal("NaN")
    if not amount.is_finite():
        raise RecordError(M_("the amount %(amount)s is not a number", amount=repr(str(value)[:40])))
    return amount


def _text(record: Mapping[str, Any], name: str) -> str:
    return text(name)(record)


def _amount(record: Mapping[str, Any], name: str) -> Decimal:
    """The amount at ``name``; one that is not a number is the order's error naming it."""
    return value(name, money)(record)


def _taxed(raw: Mapping[str, Any], name: str) -> tuple[Decimal, Decimal]:
    """(excluding, including) tax of ``<name>_tax_excl`` and ``<name>_tax_incl``."""
    return _amount(raw, f"{name}_tax_excl"), _amount(raw, f"{name}_tax_incl")


def _quantity(sent: Any) -> Decimal:
    return Decimal(str(sent or 0))


# The fields copied as they are; the rules (the country and currency looked up, the
# tax of each line, shipping and gift wrapping, what is paid) are written out below.
_ADDRESS: FieldTable = {
    "first_name": text("firstname"),
    "last_name": text("lastname"),
    "company": text("company"),
    "street": text("address1"),
    "street2": text("address2"),
    "postal_code": text("postcode"),
    "city": text("city"),
}
_LINE: FieldTable = {
    "reference": text("product_reference"),
    "name": text("product_name"),
    "quantity": value("product_quantity", _quantity),
    "product_id": text("product_id"),
}
_COUPON: FieldTable = {
    "code": text("name"),
    "discount": value("value_tax_excl", money),
}
_ORDER: FieldTable = {
    "discount_total": value("total_discounts_tax_excl", money),
    "payment_method": text("module"),
    "payment_method_title": text("payment"),
    "modified_at": value("date_upd", parse_date),
    "customer_tax_identifier": text("_invoice.vat_number"),
}


def _address(a: Mapping[str, Any], countries: Rows, email: str) -> Address:
    return Address(
        **read_fields(_ADDRESS, a),
        country_code=str(countries.get(_text(a, "id_country"), {}).get("iso_code", "")),
        phone=_text(a, "phone") or _text(a, "phone_mobile"),
        email=email,
    )


def _line(d: Mapping[str, Any]) -> OrderLine:
    excl, incl = _taxed(d, "total_price")
    rate, tax, name = _amount(d, "tax_rate") / 100, incl - excl, _text(d, "tax_name")
    return OrderLine(
        **read_fields(_LINE, d),
        source_id=str(d["id"]),
        subtotal=excl,
        total=excl,
        total_tax=tax,
        taxes=(TaxLine(name or str(rate), name, rate, tax),) if rate or tax else (),
    )


def _coupon(r: Mapping[str, Any]) -> OrderCoupon:
    fields = read_fields(_COUPON, r)
    return OrderCoupon(**fields, discount_tax=_amount(r, "value") - fields["discount"])


def _shipping(raw: Mapping[str, Any], carriers: Rows) -> tuple[ShippingLine, ...]:
    """The carrier's line, when the order names a carrier or pays shipping."""
    ship_excl, ship_incl = _taxed(raw, "total_shipping")
    carrier = carriers.get(_text(raw, "id_carrier"), {})
    if not (carrier or ship_incl):
        return ()
    tax = ship_incl - ship_excl
    taxes = (TaxLine("carrier", "", _amount(raw, "carrier_tax_rate") / 100, tax),) if tax else ()
    return (
        ShippingLine(
            source_id=_text(raw, "id_carrier"),
            method_id=_text(carrier, "name"),
            title=_text(carrier, "name"),
            total=ship_excl,
            total_tax=tax,
            taxes=taxes,
        ),
    )


def _wrapping(raw: Mapping[str, Any]) -> tuple[FeeLine, ...]:
    """Gift wrapping as a fee, its rate worked out from its two totals."""
    wrap_excl, wrap_incl = _taxed(raw, "total_wrapping")
    if not wrap_incl:
        return ()
    rate = ((wrap_incl / wrap_excl) - 1).quantize(Decimal("0.001")) if wrap_excl else Decimal(0)
    tax = wrap_incl - wrap_excl
    return (FeeLine("wrapping", WRAPPING, wrap_excl, tax, (TaxLine("wrapping", "", rate, tax),)),)


def translate(
    raw: Mapping[str, Any], slug: str, countries: Rows, currencies: Rows, carriers: Rows
) -> Order:
    """``raw`` with its ``_details``, ``_rules``, ``_messages``, ``_invoice``,
    ``_delivery`` and ``_buyer`` attached; ``slug`` its state's status slug."""
    buyer = raw.get("_buyer") or {}
    email = _text(buyer, "email")
    status = STATUS_SLUGS[slug]
    created = parse_date(raw.get("date_add"))
    total = cents(_amount(raw, "total_paid_tax_incl"))
    return Order(
        **read_fields(_ORDER, raw),
        source_id=str(raw["id"]),
        number=_text(raw, "reference") or str(raw["id"]),
        status=status,
        shop_status=slug,
        currency=str(currencies.get(_text(raw, "id_currency"), {}).get("iso_code", "")),
        created_at=created or EPOCH,
        total=total,
        total_tax=cents(total - _amount(raw, "total_paid_tax_excl")),
        customer_id=None if buyer.get("is_guest") == "1" else _text(raw, "id_customer"),
        billing=_address(raw.get("_invoice") or {}, countries, email),
        shipping=_address(raw.get("_delivery") or {}, countries, email),
        lines=tuple(_line(d) for d in raw.get("_details") or []),
        shipping_lines=_shipping(raw, carriers),
        fee_lines=_wrapping(raw),
        coupons=tuple(_coupon(r) for r in raw.get("_rules") or []),
        paid_at=created if status in (OrderStatus.PROCESSING, OrderStatus.COMPLETED) else None,
        customer_note="\n".join(_text(m, "message") for m in raw.get("_messages") or []),
    )
