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
from passerelle.connectors.prestashop.translate_values import cents, parse_date
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
        raise RecordError(f"the amount {str(value)[:40]!r} is not a number")
    return amount


def _text(record: Mapping[str, Any], name: str) -> str:
    return str(record.get(name) or "")


def _taxed(raw: Mapping[str, Any], name: str) -> tuple[Decimal, Decimal]:
    """(excluding, including) tax of ``<name>_tax_excl`` and ``<name>_tax_incl``."""
    return money(raw.get(f"{name}_tax_excl")), money(raw.get(f"{name}_tax_incl"))


def _address(a: Mapping[str, Any], countries: Rows, email: str) -> Address:
    return Address(
        first_name=_text(a, "firstname"),
        last_name=_text(a, "lastname"),
        company=_text(a, "company"),
        street=_text(a, "address1"),
        street2=_text(a, "address2"),
        postal_code=_text(a, "postcode"),
        city=_text(a, "city"),
        country_code=str(countries.get(_text(a, "id_country"), {}).get("iso_code", "")),
        phone=_text(a, "phone") or _text(a, "phone_mobile"),
        email=email,
    )


def _line(d: Mapping[str, Any]) -> OrderLine:
    excl, incl = _taxed(d, "total_price")
    rate, tax, name = money(d.get("tax_rate")) / 100, incl - excl, _text(d, "tax_name")
    return OrderLine(
        source_id=str(d["id"]),
        reference=_text(d, "product_reference"),
        name=_text(d, "product_name"),
        quantity=Decimal(str(d.get("product_quantity") or 0)),
        subtotal=excl,
        total=excl,
        total_tax=tax,
        product_id=_text(d, "product_id"),
        taxes=(TaxLine(name or str(rate), name, rate, tax),) if rate or tax else (),
    )


def translate(
    raw: Mapping[str, Any], slug: str, countries: Rows, currencies: Rows, carriers: Rows
) -> Order:
    """``raw`` with its ``_details``, ``_rules``, ``_messages``, ``_invoice``,
    ``_delivery`` and ``_buyer`` attached; ``slug`` its state's status slug."""
    buyer = raw.get("_buyer") or {}
    email = _text(buyer, "email")
    ship_excl, ship_incl = _taxed(raw, "total_shipping")
    carrier = carriers.get(_text(raw, "id_carrier"), {})
    shipping = (
        (
            ShippingLine(
                source_id=_text(raw, "id_carrier"),
                method_id=_text(carrier, "name"),
                title=_text(carrier, "name"),
                total=ship_excl,
                total_tax=ship_incl - ship_excl,
                taxes=(
                    TaxLine(
                        "carrier",
                        "",
                        money(raw.get("carrier_tax_rate")) / 100,
                        ship_incl - ship_excl,
                    ),
                )
                if ship_incl != ship_excl
                else (),
            ),
        )
        if carrier or ship_incl
        else ()
    )
    wrap_excl, wrap_incl = _taxed(raw, "total_wrapping")
    wrap_rate = (
        ((wrap_incl / wrap_excl) - 1).quantize(Decimal("0.001")) if wrap_excl else Decimal(0)
    )
    fees = (
        (
            FeeLine(
                "wrapping",
                WRAPPING,
                wrap_excl,
                wrap_incl - wrap_excl,
                (TaxLine("wrapping", "", wrap_rate, wrap_incl - wrap_excl),),
            ),
        )
        if wrap_incl
        else ()
    )
    coupons = tuple(
        OrderCoupon(
            code=_text(r, "name"),
            discount=money(r.get("value_tax_excl")),
            discount_tax=money(r.get("value")) - money(r.get("value_tax_excl")),
        )
        for r in raw.get("_rules") or []
    )
    status = STATUS_SLUGS[slug]
    created = parse_date(raw.get("date_add"))
    total = cents(money(raw.get("total_paid_tax_incl")))
    return Order(
        source_id=str(raw["id"]),
        number=_text(raw, "reference") or str(raw["id"]),
        status=status,
        shop_status=slug,
        currency=str(currencies.get(_text(raw, "id_currency"), {}).get("iso_code", "")),
        created_at=created or EPOCH,
        total=total,
        total_tax=cents(total - money(raw.get("total_paid_tax_excl"))),
        customer_id=None if buyer.get("is_guest") == "1" else _text(raw, "id_customer"),
        billing=_address(raw.get("_invoice") or {}, countries, email),
        shipping=_address(raw.get("_delivery") or {}, countries, email),
        lines=tuple(_line(d) for d in raw.get("_details") or []),
        shipping_lines=shipping,
        fee_lines=fees,
        coupons=coupons,
        discount_total=money(raw.get("total_discounts_tax_excl")),
        payment_method=_text(raw, "module"),
        payment_method_title=_text(raw, "payment"),
        paid_at=created if status in (OrderStatus.PROCESSING, OrderStatus.COMPLETED) else None,
        modified_at=parse_date(raw.get("date_upd")),
        customer_note="\n".join(_text(m, "message") for m in raw.get("_messages") or []),
        customer_tax_identifier=_text(raw.get("_invoice") or {}, "vat_number"),
    )
