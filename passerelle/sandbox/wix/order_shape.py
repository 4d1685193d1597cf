"""An eCommerce order in the shape of the Order Object, from lines, buyer and totals.

Why apart: the seed (the demo's past orders) and the merchant's checkout (a new order)
build the same record. Source: dev.wix.com eCommerce "Order Object" (``lineItems``,
``priceSummary``, ``taxSummary``, ``balanceSummary``, ``billingInfo``/``shippingInfo`` as
an address with ``contactDetails``, amounts as ``{amount, formattedAmount}``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from passerelle.demo_orders import DemoAddress

from .wire import STORES_APP_ID, money

__all__ = ["Line", "address_with_contact", "order_record", "rate_breakdown"]

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Line:
    """One bought item: the catalog's ids, its name and SKU, amounts excluding tax."""

    catalog_item_id: str
    variant_id: str
    name: str
    sku: str
    quantity: int
    total: Decimal  # after discounts, excluding tax
    tax: Decimal
    rate: Decimal  # percent
    discount: Decimal = _ZERO  # what discounts took off the line, excluding tax
    # Several taxes (a compound Canadian GST + PST): (name, percent, amount) each.
    breakdown: tuple[tuple[str, Decimal, Decimal], ...] = ()


def rate_breakdown(
    breakdown: tuple[tuple[str, Decimal, Decimal], ...], currency: str
) -> dict[str, Any]:
    """``taxDetails.rateBreakdown`` of several taxes, by name [verify: the field names]."""
    if len(breakdown) < 2:
        return {}
    return {
        "rateBreakdown": [
            {"name": name, "rate": str(percent / 100), "tax": money(amount, currency)}
            for name, percent, amount in breakdown
        ]
    }


def address_with_contact(address: DemoAddress) -> dict[str, Any]:
    return {
        "address": {
            "addressLine1": address.street,
            **({"addressLine2": address.street2} if address.street2 else {}),
            "city": address.city,
            "postalCode": address.postcode,
            "country": address.country,
            **({"subdivision": f"{address.country}-{address.state}"} if address.state else {}),
        },
        "contactDetails": {
            "firstName": address.first_name,
            "lastName": address.last_name,
            **({"phone": address.phone} if address.phone else {}),
            **({"company": address.company} if address.company else {}),
        },
    }


def _line(line: Line, line_id: str, currency: str) -> dict[str, Any]:
    unit = (line.total / line.quantity).quantize(Decimal("0.01")) if line.quantity else _ZERO
    return {
        "id": line_id,
        "productName": {"original": line.name},
        "catalogReference": {
            "catalogItemId": line.catalog_item_id,
            "appId": STORES_APP_ID,
            **({"options": {"variantId": line.variant_id}} if line.variant_id else {}),
        },
        "quantity": line.quantity,
        "price": money(unit, currency),
        "totalPriceBeforeTax": money(line.total, currency),
        "totalDiscount": money(line.discount, currency),
        "totalPriceAfterTax": money(line.total + line.tax, currency),
        "taxDetails": {
            "taxableAmount": money(line.total, currency),
            "taxRate": str(line.rate / 100),
            "totalTax": money(line.tax, currency),
            **rate_breakdown(line.breakdown, currency),
        },
        "physicalProperties": {"sku": line.sku, "shippable": True},
        "itemType": {"preset": "PHYSICAL"},
    }


def order_record(
    *,
    order_id: str,
    number: int,
    created: str,
    lines: list[tuple[str, Line]],
    buyer: dict[str, Any],
    billing: DemoAddress,
    shipping: DemoAddress | None,
    shipping_cost: tuple[str, Decimal, Decimal] = ("", _ZERO, _ZERO),
    status: str = "APPROVED",
    payment_status: str = "PAID",
    fulfillment_status: str = "NOT_FULFILLED",
    currency: str = "EUR",
    discount: Decimal = _ZERO,
    buyer_note: str = "",
    fees: tuple[Decimal, Decimal] = (_ZERO, _ZERO),
    gift_card: Decimal = _ZERO,
    shipping_rate: Decimal | None = None,
    shipping_breakdown: tuple[tuple[str, Decimal, Decimal], ...] = (),
) -> dict[str, Any]:
    """The order; ``shipping_cost`` is (title, amount excluding tax, its tax) taxed at
    ``shipping_rate`` percent, ``fees`` the ``additionalFees`` (excluding tax, tax),
    ``gift_card`` what a gift card paid."""
    subtotal = sum((li.total for _, li in lines), _ZERO)
    tax = sum((li.tax for _, li in lines), _ZERO) + shipping_cost[2] + fees[1]
    total = subtotal + shipping_cost[1] + fees[0] + tax - gift_card
    paid = payment_status == "PAID"
    return {
        "id": order_id,
        "number": str(number),
        "createdDate": created,
        "updatedDate": created,
        "status": status,
        "paymentStatus": payment_status,
        "fulfillmentStatus": fulfillment_status,
        "archived": False,
        "currency": currency,
        "taxIncludedInPrices": False,
        "weightUnit": "KG",
        "buyerLanguage": "fr",
        "channelInfo": {"type": "WEB"},
        "buyerInfo": buyer,
        "buyerNote": buyer_note,
        "lineItems": [_line(li, line_id, currency) for line_id, li in lines],
        "billingInfo": address_with_contact(billing),
        "shippingInfo": {
            "title": shipping_cost[0],
            **(
                {"logistics": {"shippingDestination": address_with_contact(shipping)}}
                if shipping
                else {}
            ),
            "cost": {
                "price": money(shipping_cost[1], currency),
                "totalPriceBeforeTax": money(shipping_cost[1], currency),
                "totalPriceAfterTax": money(shipping_cost[1] + shipping_cost[2], currency),
                "taxDetails": {
                    "totalTax": money(shipping_cost[2], currency),
                    **({"taxRate": str(shipping_rate / 100)} if shipping_rate else {}),
                    **rate_breakdown(shipping_breakdown, currency),
                },
            },
        },
        "priceSummary": {
            "subtotal": money(subtotal + discount, currency),
            "shipping": money(shipping_cost[1], currency),
            "tax": money(tax, currency),
            "discount": money(discount, currency),
            "total": money(total, currency),
        },
        "taxSummary": {"totalTax": money(tax, currency)},
        "additionalFees": (
            [
                {
                    "id": f"{order_id}-fee",
                    "code": "fee",
                    "name": "Fee",
                    "price": money(fees[0], currency),
                    "priceBeforeTax": money(fees[0], currency),
                    "priceAfterTax": money(fees[0] + fees[1], currency),
                    "taxDetails": {
                        "totalTax": money(fees[1], currency),
                        "taxRate": str((fees[1] / fees[0]).quantize(Decimal("0.0001"))),
                    },
                }
            ]
            if fees[0]
            else []
        ),
        "balanceSummary": {
            "balance": money(_ZERO if paid else total, currency),
            "paid": money(total if paid else _ZERO, currency),
        },
    }
