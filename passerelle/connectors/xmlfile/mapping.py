"""One schema-valid ``<order>`` element → one canonical :class:`Order`.

Why separate from the reader: the reader decides *whether* an order can be
read (well-formed, valid, located for messages); this module only says what
each element means, so it reads as the format's table of fields. It is
called on valid elements only, so it never checks presence or lexical form;
the one thing the schema cannot promise is that a date-time exists in
Python's calendar (year 0, 24:00), which raises a :class:`MappingProblem`
naming the element.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from lxml import etree

from passerelle.i18n.messages import M_, Text
from passerelle.model import (
    Address,
    FeeLine,
    Order,
    OrderCoupon,
    OrderGiftCard,
    OrderLine,
    OrderNote,
    OrderPayment,
    OrderRefund,
    OrderStatus,
    RefundLine,
    ShippingLine,
    TaxLine,
)

from .schema import tag

__all__ = ["MappingProblem", "order_from_element"]

_T = TypeVar("_T")
_Element = etree._Element  # noqa: SLF001 - lxml's element type has no public alias
_HUNDRED = Decimal(100)
_ZERO = Decimal("0")


class MappingProblem(ValueError):
    """A valid element whose value still cannot be used; carries the element."""

    def __init__(self, element: _Element, message: Text) -> None:
        super().__init__(str(message))
        self.element = element
        #: What is wrong, kept to be said in the reader's language.
        self.message = message


# ------------------------------------------------------------------ leaf values


def _child(parent: _Element, name: str) -> _Element | None:
    return parent.find(tag(name))


def _text(parent: _Element, name: str, default: str = "") -> str:
    """The stripped text of a child; indentation around a value never carries meaning."""
    child = _child(parent, name)
    if child is None:
        return default
    return (child.text or "").strip()


def _decimal(parent: _Element, name: str, default: Decimal | None = None) -> Decimal:
    child = _child(parent, name)
    if child is None:
        if default is None:  # the schema requires it: only reached on a schema change
            raise MappingProblem(parent, M_("<%(element)s> is missing", element=name))
        return default
    return Decimal((child.text or "").strip())


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip() in ("true", "1")


def _when(parent: _Element, name: str) -> datetime | None:
    child = _child(parent, name)
    if child is None:
        return None
    text = (child.text or "").strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise MappingProblem(
            child,
            M_(
                "<%(element)s>: '%(value)s' is not a date and time that exists (%(error)s)",
                element=name,
                value=text,
                error=str(exc),
            ),
        ) from exc


def _each(
    parent: _Element, wrapper: str, item: str, read: Callable[[_Element], _T]
) -> tuple[_T, ...]:
    box = _child(parent, wrapper)
    if box is None:
        return ()
    return tuple(read(element) for element in box.iterfind(tag(item)))


# ------------------------------------------------------------------ parts


def _address(element: _Element | None) -> Address:
    if element is None:
        return Address()
    return Address(
        first_name=_text(element, "first-name"),
        last_name=_text(element, "last-name"),
        company=_text(element, "company"),
        street=_text(element, "street"),
        street2=_text(element, "street2"),
        postal_code=_text(element, "postal-code"),
        city=_text(element, "city"),
        country_code=_text(element, "country"),
        subdivision=_text(element, "subdivision"),
        phone=_text(element, "phone"),
        email=_text(element, "email"),
    )


def _optional_address(parent: _Element, name: str) -> Address | None:
    element = _child(parent, name)
    return None if element is None else _address(element)


def _tax(element: _Element) -> TaxLine:
    percent = _child(element, "percent")
    return TaxLine(
        shop_tax_id=(element.get("id") or "").strip(),
        label=_text(element, "label"),
        # The file says 20 for 20 %; the model keeps a fraction.
        rate=None if percent is None else Decimal((percent.text or "").strip()) / _HUNDRED,
        amount=_decimal(element, "amount"),
        compound=_flag(element.get("compound")),
    )


def _taxes(parent: _Element) -> tuple[TaxLine, ...]:
    return _each(parent, "taxes", "tax", _tax)


def _line(element: _Element) -> OrderLine:
    return OrderLine(
        source_id=element.get("id", "").strip(),
        reference=_text(element, "reference"),
        name=_text(element, "name"),
        quantity=_decimal(element, "quantity"),
        subtotal=_decimal(element, "subtotal"),
        total=_decimal(element, "total"),
        total_tax=_decimal(element, "total-tax"),
        taxes=_taxes(element),
        product_id=(element.get("product-id") or "").strip(),
        ship_to=_optional_address(element, "ship-to"),
        ecotax=_decimal(element, "ecotax", _ZERO),
    )


def _shipping_line(element: _Element) -> ShippingLine:
    return ShippingLine(
        source_id=element.get("id", "").strip(),
        method_id=(element.get("method") or "").strip(),
        title=_text(element, "title"),
        total=_decimal(element, "total"),
        total_tax=_decimal(element, "total-tax"),
        taxes=_taxes(element),
        ship_to=_optional_address(element, "ship-to"),
    )


def _fee(element: _Element) -> FeeLine:
    return FeeLine(
        source_id=element.get("id", "").strip(),
        name=_text(element, "name"),
        total=_decimal(element, "total"),
        total_tax=_decimal(element, "total-tax"),
        taxes=_taxes(element),
    )


def _coupon(element: _Element) -> OrderCoupon:
    return OrderCoupon(
        code=_text(element, "code"),
        discount=_decimal(element, "discount"),
        discount_tax=_decimal(element, "discount-tax"),
        description=_text(element, "description"),
    )


def _payment(element: _Element) -> OrderPayment:
    return OrderPayment(
        method=_text(element, "method"),
        method_title=_text(element, "title"),
        amount=_decimal(element, "amount"),
        paid_at=_when(element, "paid"),
        transaction_id=_text(element, "transaction-id"),
        currency=_text(element, "currency"),
    )


def _gift_card(element: _Element) -> OrderGiftCard:
    return OrderGiftCard(code=_text(element, "code"), amount=_decimal(element, "amount"))


def _note(element: _Element) -> OrderNote:
    return OrderNote(
        text=_text(element, "text"),
        from_customer=_flag(element.get("from-customer")),
        private=_flag(element.get("private")),
        created_at=_when(element, "created"),
    )


def _refund_line(element: _Element) -> RefundLine:
    return RefundLine(
        line_id=element.get("line-id", "").strip(),
        reference=_text(element, "reference"),
        name=_text(element, "name"),
        quantity=_decimal(element, "quantity"),
        total=_decimal(element, "total"),
        total_tax=_decimal(element, "total-tax"),
        taxes=_taxes(element),
    )


def _refund(element: _Element) -> OrderRefund:
    created = _when(element, "created")
    if created is None:  # required by the schema
        raise MappingProblem(element, M_("<refund> has no <created> date"))
    return OrderRefund(
        source_id=element.get("id", "").strip(),
        created_at=created,
        amount=_decimal(element, "amount"),
        reason=_text(element, "reason"),
        lines=_each(element, "lines", "line", _refund_line),
        shipping_total=_decimal(element, "shipping-total", _ZERO),
        shipping_tax=_decimal(element, "shipping-tax", _ZERO),
    )


# ------------------------------------------------------------------ the order


def order_from_element(element: _Element) -> Order:
    """The canonical order a valid ``<order>`` describes."""
    order_id = element.get("id", "").strip()
    status_element = _child(element, "status")
    status_text = _text(element, "status")
    created = _when(element, "created")
    if status_element is None or created is None:  # required by the schema
        raise MappingProblem(element, M_("<order> lacks <status> or <created>"))
    customer = _child(element, "customer")
    customer_id = (customer.get("id") or "").strip() if customer is not None else ""
    payment_method = _child(element, "payment-method")
    return Order(
        source_id=order_id,
        number=(element.get("number") or "").strip() or order_id,
        status=OrderStatus(status_text),
        shop_status=(status_element.get("shop") or "").strip() or status_text,
        currency=_text(element, "currency"),
        created_at=created,
        total=_decimal(element, "total"),
        total_tax=_decimal(element, "total-tax"),
        customer_id=customer_id or None,
        billing=_address(_child(element, "billing")),
        shipping=_address(_child(element, "shipping")),
        lines=_each(element, "lines", "line", _line),
        shipping_lines=_each(element, "shipping-lines", "shipping-line", _shipping_line),
        fee_lines=_each(element, "fees", "fee", _fee),
        coupons=_each(element, "coupons", "coupon", _coupon),
        discount_total=_decimal(element, "discount-total", _ZERO),
        prices_include_tax=_flag(_text(element, "prices-include-tax") or None),
        payment_method=(payment_method.get("id") or "").strip()
        if payment_method is not None
        else "",
        payment_method_title=_text(element, "payment-method"),
        transaction_id=_text(element, "transaction-id"),
        paid_at=_when(element, "paid"),
        modified_at=_when(element, "modified"),
        customer_note=_text(element, "customer-note"),
        store=_text(element, "store"),
        customer_tax_identifier=_text(customer, "tax-identifier") if customer is not None else "",
        invoiced_at=_when(element, "invoiced"),
        completed_at=_when(element, "completed"),
        payments=_each(element, "payments", "payment", _payment),
        gift_cards=_each(element, "gift-cards", "gift-card", _gift_card),
        notes=_each(element, "notes", "note", _note),
        refunds=_each(element, "refunds", "refund", _refund),
        archived=_flag(element.get("archived")),
    )
