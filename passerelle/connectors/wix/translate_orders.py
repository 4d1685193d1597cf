"""Wix eCommerce orders -> canonical :class:`Order`.

Docs: the Order object
(dev.wix.com/docs/api-reference/business-solutions/e-commerce/orders/orders/order-object),
Search Orders (dev.wix.com/docs/rest/api-reference/wix-e-commerce/orders/search-orders) and
List Transactions For Multiple Orders
(dev.wix.com/docs/rest/business-solutions/e-commerce/order-transactions/list-transactions-for-multiple-orders).
What the translator relies on:

- amounts are objects ``{amount: "17.99", formattedAmount}`` whose ``amount`` is a
  decimal *string*, read as :class:`Decimal` (never a float);
- ``number`` is the order number shown in the dashboard; ``currency`` ISO 4217;
  ``taxIncludedInPrices`` says whether ``price`` amounts hold the tax;
- a line's ``totalPriceBeforeTax`` is after its discounts and before tax, its
  ``taxDetails.totalTax`` the tax, ``taxDetails.taxRate`` a decimal fraction as a string
  (several taxes, as Canada's GST and PST, by name in ``taxDetails.rateBreakdown``
  ``[{name, rate, tax}]`` [verify]),
  ``totalDiscount`` the discount it carries; its SKU is ``physicalProperties.sku``, its
  product and variant ``catalogReference.catalogItemId`` and ``.options.variantId``;
- ``shippingInfo``: ``title``, ``cost.totalPriceBeforeTax``, ``cost.taxDetails``, the
  destination in ``logistics.shippingDestination`` (``address`` and ``contactDetails``);
- ``billingInfo``: ``address`` (``addressLine1``/``addressLine2`` or ``streetAddress``,
  ``city``, ``postalCode``, ``country``, ``subdivision``) and ``contactDetails``
  (``firstName``, ``lastName``, ``company``, ``phone``, ``vatId.id``);
- ``priceSummary``: ``subtotal``, ``shipping``, ``tax``, ``discount``, ``total``;
- ``additionalFees`` (gift wrapping and the like): ``id``, ``code``, ``name``,
  ``priceBeforeTax`` (``price`` when absent) and ``taxDetails``;
- ``appliedDiscounts``: each with a ``coupon`` ``{code, name, amount}`` or a merchant
  discount or discount rule;
- ``status`` (``INITIALIZED`` never returned by search, ``APPROVED``, ``CANCELED``,
  ``PENDING``), ``paymentStatus`` and ``fulfillmentStatus``;
- payments are not on the order: the Order Transactions service lists them
  (``regularPaymentDetails.paymentMethod``, ``providerTransactionId``; gift cards in
  ``giftcardPaymentDetails``).

The order's ``shop_status`` is its ``paymentStatus`` (``PAID``, ``NOT_PAID``…), or
``CANCELED`` for a cancelled order: the names a profile's status table maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.connectors.kit.fields import optional_text, read_fields, required, text, value
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

__all__ = ["ORDER_STATUSES", "order_from_wix", "parse_time"]

#: Every status name ``shop_status`` can hold (profile checks name them).
ORDER_STATUSES = frozenset(
    {
        "NOT_PAID",
        "PAID",
        "PARTIALLY_REFUNDED",
        "FULLY_REFUNDED",
        "PENDING",
        "PARTIALLY_PAID",
        "PENDING_MERCHANT",
        "DECLINED",
        "CANCELED",
    }
)
_CENT = Decimal("0.01")


def parse_time(raw: Any) -> datetime:
    """An ISO-8601 date as Wix writes it (``2023-11-10T08:28:58.917Z``)."""
    return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))


def _optional_time(raw: Any) -> datetime | None:
    return parse_time(raw) if raw else None


def money(raw: Any) -> Decimal:
    """``{amount: "12.50"}`` -> Decimal("12.50"); a missing amount is zero."""
    if raw is None:
        return Decimal(0)
    if isinstance(raw, Mapping):
        raw = raw.get("amount")
    if raw in (None, ""):
        return Decimal(0)
    if isinstance(raw, float):
        raise RecordError(M_("an amount is a number instead of a decimal text"))
    return Decimal(str(raw))


def _rate(raw: Any) -> Decimal | None:
    return Decimal(str(raw)) if raw not in (None, "") else None


_HEAD = {
    "source_id": required("id", str),
    "number": value("number", lambda found: str(found or "")),
    "currency": text("currency"),
    "created_at": required("createdDate", parse_time),
    "modified_at": value("updatedDate", _optional_time),
    "total": value("priceSummary.total", money),
    "total_tax": value("priceSummary.tax", money),
    "discount_total": value("priceSummary.discount", money),
    "customer_id": optional_text("buyerInfo.contactId"),
    "customer_note": text("buyerNote"),
    "archived": value("archived", bool),
}

_CONTACT = {
    "first_name": text("contactDetails.firstName"),
    "last_name": text("contactDetails.lastName"),
    "company": text("contactDetails.company"),
    "phone": text("contactDetails.phone"),
    "city": text("address.city"),
    "postal_code": text("address.postalCode"),
    "country_code": text("address.country"),
    "subdivision": text("address.subdivision"),
    "street2": text("address.addressLine2"),
}


def _address(data: Mapping[str, Any] | None, email: str = "") -> Address:
    data = data or {}
    street = str((data.get("address") or {}).get("addressLine1") or "")
    if not street:
        parts = (data.get("address") or {}).get("streetAddress") or {}
        street = " ".join(str(parts.get(k) or "") for k in ("number", "name")).strip()
    return Address(**read_fields(_CONTACT, data), street=street, email=email)


def _status(raw: Mapping[str, Any]) -> tuple[OrderStatus, str]:
    status = str(raw.get("status") or "")
    paid = str(raw.get("paymentStatus") or "")
    fulfilled = str(raw.get("fulfillmentStatus") or "")
    if status == "CANCELED":
        return OrderStatus.CANCELLED, "CANCELED"
    if paid == "FULLY_REFUNDED":
        return OrderStatus.REFUNDED, paid
    if paid == "DECLINED":
        return OrderStatus.FAILED, paid
    if paid in ("NOT_PAID", "PENDING", "PARTIALLY_PAID", "PENDING_MERCHANT") or status == "PENDING":
        return OrderStatus.PENDING_PAYMENT, paid
    if fulfilled == "FULFILLED":
        return OrderStatus.COMPLETED, paid
    if paid in ("PAID", "PARTIALLY_REFUNDED"):
        return OrderStatus.PROCESSING, paid
    return OrderStatus.OTHER, paid


def _without_tax(amount: Decimal, rate: Decimal | None, included: bool) -> Decimal:
    """``amount`` without its tax when prices include it (a discount's tax share)."""
    if not included or not rate:
        return amount
    return (amount / (1 + rate)).quantize(_CENT, ROUND_HALF_UP)


def _taxes(details: Mapping[str, Any] | None, label: str) -> tuple[Decimal, tuple[TaxLine, ...]]:
    """The tax of a line (shipping, fee): one rate, or several by name when
    ``rateBreakdown`` lists them (GST and PST)."""
    details = details or {}
    amount = money(details.get("totalTax"))
    parts = [p for p in details.get("rateBreakdown") or [] if isinstance(p, Mapping)]
    if len(parts) > 1:
        return amount, tuple(
            TaxLine(
                shop_tax_id=str(p.get("name") or ""),
                label=str(p.get("name") or label),
                rate=_rate(p.get("rate")),
                amount=money(p.get("tax")),
            )
            for p in parts
        )
    rate = _rate(details.get("taxRate"))
    if not amount and rate is None:
        return Decimal(0), ()
    return amount, (TaxLine(shop_tax_id=str(rate or ""), label=label, rate=rate, amount=amount),)


def _line(raw: Mapping[str, Any], included: bool) -> OrderLine:
    tax, taxes = _taxes(raw.get("taxDetails"), "tax")
    total = money(raw.get("totalPriceBeforeTax"))
    rate = taxes[0].rate if taxes else None
    discount = _without_tax(money(raw.get("totalDiscount")), rate, included)
    reference = raw.get("catalogReference") or {}
    product = str(reference.get("catalogItemId") or "")
    variant = str((reference.get("options") or {}).get("variantId") or "")
    return OrderLine(
        source_id=str(raw["id"]),
        reference=str((raw.get("physicalProperties") or {}).get("sku") or ""),
        name=str((raw.get("productName") or {}).get("original") or ""),
        quantity=Decimal(str(raw["quantity"])),
        subtotal=total + discount,
        total=total,
        total_tax=tax,
        taxes=taxes,
        product_id=f"{product}/{variant}" if variant else product,
    )


def _shipping(raw: Mapping[str, Any], ship_to: Address) -> tuple[ShippingLine, ...]:
    info = raw.get("shippingInfo") or {}
    if not info:
        return ()
    cost = info.get("cost") or {}
    tax, taxes = _taxes(cost.get("taxDetails"), "shipping tax")
    return (
        ShippingLine(
            source_id=str(info.get("code") or "shipping"),
            method_id=str(info.get("code") or info.get("title") or ""),
            title=str(info.get("title") or ""),
            total=money(cost.get("totalPriceBeforeTax")),
            total_tax=tax,
            taxes=taxes,
            ship_to=ship_to,
        ),
    )


def _fees(raw: Mapping[str, Any]) -> tuple[FeeLine, ...]:
    found = []
    for index, fee in enumerate(raw.get("additionalFees") or []):
        tax, taxes = _taxes(fee.get("taxDetails"), "fee tax")
        found.append(
            FeeLine(
                source_id=str(fee.get("id") or fee.get("code") or index),
                name=str(fee.get("name") or ""),
                total=money(fee.get("priceBeforeTax") or fee.get("price")),
                total_tax=tax,
                taxes=taxes,
            )
        )
    return tuple(found)


def _coupons(raw: Mapping[str, Any]) -> tuple[OrderCoupon, ...]:
    found = []
    for applied in raw.get("appliedDiscounts") or []:
        coupon = (applied or {}).get("coupon")
        if coupon:
            found.append(
                OrderCoupon(
                    code=str(coupon.get("code") or ""),
                    discount=money(coupon.get("amount")),
                    discount_tax=Decimal(0),
                    description=str(coupon.get("name") or ""),
                )
            )
    return tuple(found)


def _payments(
    transactions: Mapping[str, Any] | None, currency: str
) -> tuple[tuple[OrderPayment, ...], tuple[OrderGiftCard, ...]]:
    payments: list[OrderPayment] = []
    cards: list[OrderGiftCard] = []
    for payment in (transactions or {}).get("payments") or []:
        amount = money(payment.get("amount"))
        card = payment.get("giftcardPaymentDetails")
        if card:
            if not card.get("voided"):
                cards.append(OrderGiftCard(code=str(card.get("giftCardId") or ""), amount=amount))
            continue
        regular = payment.get("regularPaymentDetails") or {}
        if str(regular.get("status") or "APPROVED") not in ("APPROVED", "REFUNDED"):
            continue  # pending, declined, cancelled: not money received
        method = str(regular.get("paymentMethod") or "")
        payments.append(
            OrderPayment(
                method=method,
                method_title=method,
                amount=amount,
                paid_at=_optional_time(payment.get("createdDate")),
                transaction_id=str(regular.get("providerTransactionId") or ""),
                currency=currency,
            )
        )
    return tuple(payments), tuple(cards)


def order_from_wix(raw: Mapping[str, Any], transactions: Mapping[str, Any] | None = None) -> Order:
    """One Wix order (and its transactions, when read) as a canonical order."""
    head = read_fields(_HEAD, raw)
    included = bool(raw.get("taxIncludedInPrices"))
    email = str((raw.get("buyerInfo") or {}).get("email") or "")
    billing = _address(raw.get("billingInfo"), email)
    destination = ((raw.get("shippingInfo") or {}).get("logistics") or {}).get(
        "shippingDestination"
    )
    shipping = _address(destination, email) if destination else billing
    status, shop_status = _status(raw)
    payments, cards = _payments(transactions, head["currency"])
    first = payments[0] if payments else None
    vat = ((raw.get("billingInfo") or {}).get("contactDetails") or {}).get("vatId") or {}
    return Order(
        **head,
        status=status,
        shop_status=shop_status,
        billing=billing,
        shipping=shipping,
        lines=tuple(_line(line, included) for line in raw.get("lineItems") or []),
        shipping_lines=_shipping(raw, shipping),
        fee_lines=_fees(raw),
        coupons=_coupons(raw),
        prices_include_tax=included,
        payment_method=first.method if first else "",
        payment_method_title=first.method_title if first else "",
        transaction_id=first.transaction_id if first else "",
        paid_at=first.paid_at if first else None,
        payments=payments,
        gift_cards=cards,
        customer_tax_identifier=str(vat.get("id") or ""),
    )
