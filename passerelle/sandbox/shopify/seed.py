"""The demo shop in Shopify's shape, translated from :mod:`passerelle.demo_orders`.

Same customers (ids, names, e-mails, addresses), same orders (ids, numbers as
order names ``#<number>``, buyers, lines by SKU, taxes, shipping, payment
method ids as payment gateway names, totals). The neutral statuses become
Shopify's two separate ones (objects/Order: ``displayFinancialStatus`` and
``displayFulfillmentStatus``): processing = PAID + UNFULFILLED, completed =
PAID + FULFILLED, pending / on hold = PENDING, cancelled = VOIDED and
cancelled, trashed = VOIDED, cancelled and closed (Shopify has no trash).
Coupon discounts are allocated on the lines (objects/DiscountAllocation);
fees, which Shopify does not have, are custom line items without SKU.

A gift card is a payment on Shopify, not a discount: the order's
``totalPriceSet`` includes what the gift card paid (objects/Order), and the
redemption is an order transaction with the gateway ``gift_card``
(objects/OrderTransaction: ``gateway``, ``kind`` SALE, ``status`` SUCCESS,
``amountSet``; help "Gift cards"), listed in ``paymentGatewayNames``. The rest
is one transaction of the order's own payment method.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from passerelle.demo_orders import DemoAddress, DemoOrder, DemoTaxAmount
from passerelle.sandbox.demo_shop import demo_customers, demo_orders, demo_tax_rates

__all__ = ["seed_state"]

_FINANCIAL = {
    "processing": "PAID",
    "completed": "PAID",
    "pending": "PENDING",
    "on_hold": "PENDING",
    "cancelled": "VOIDED",
    "trashed": "VOIDED",
}
_LOCATION_ID = 61_000_001
_CENT = Decimal("0.01")


def _money(amount: Decimal) -> str:
    return str(amount.quantize(_CENT))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _address(address: DemoAddress | None) -> dict[str, Any] | None:
    if address is None or not (address.street or address.city):
        return None
    return {
        "firstName": address.first_name or None,
        "lastName": address.last_name or None,
        "company": address.company or None,
        "address1": address.street or None,
        "address2": address.street2 or None,
        "city": address.city or None,
        "zip": address.postcode or None,
        "countryCodeV2": address.country or None,
        "provinceCode": address.state or None,
        "phone": address.phone or None,
    }


def _tax_lines(taxes: tuple[DemoTaxAmount, ...]) -> list[dict[str, Any]]:
    return [
        {
            "title": tax.rate.name,
            "rate": float(tax.rate.percent) / 100,
            "ratePercentage": float(tax.rate.percent),
            "amount": _money(tax.total),
        }
        for tax in taxes
        if tax.total
    ]


def _transactions(order: DemoOrder, next_id: Any) -> list[dict[str, Any]]:
    """One ``gift_card`` transaction per redeemed card, then the payment of the rest."""
    paid = _FINANCIAL.get(order.status) == "PAID"
    found = [
        {
            "id": next_id(),
            "gateway": "gift_card",
            "kind": "SALE",
            "status": "SUCCESS",
            "amount": _money(card.amount),
        }
        for card in order.gift_cards
    ]
    if order.payment_method and order.total:
        found.append(
            {
                "id": next_id(),
                "gateway": order.payment_method,
                "kind": "SALE",
                "status": "SUCCESS" if paid else "PENDING",
                "amount": _money(order.total),
            }
        )
    return found


def _order(order: DemoOrder, now: datetime, seq: list[int]) -> dict[str, Any]:
    included = order.prices_include_tax
    lines = []

    def next_id() -> int:
        seq[0] += 1
        return seq[0]

    for item in order.lines:
        gross = item.gross_subtotal
        original = (
            (gross if gross is not None else item.subtotal + item.subtotal_tax)
            if included
            else item.subtotal
        )
        lines.append(
            {
                "id": next_id(),
                "sku": item.sku or None,
                "name": item.name,
                "quantity": item.quantity,
                "unitPrice": _money(original / item.quantity),
                "originalTotal": _money(original),
                "discount": _money(item.discount),
                "tax": _money(item.total_tax),
                "taxLines": _tax_lines(item.taxes),
            }
        )
    for fee in order.fees:
        original = fee.total + fee.total_tax if included else fee.total
        lines.append(
            {
                "id": next_id(),
                "sku": None,
                "name": fee.name,
                "quantity": 1,
                "unitPrice": _money(original),
                "originalTotal": _money(original),
                "discount": "0.00",
                "tax": _money(fee.total_tax),
                "taxLines": _tax_lines(fee.taxes),
            }
        )
    shipping = [
        {
            "id": next_id(),
            "title": ship.title,
            "code": ship.method,
            "source": "shopify",
            "price": _money(ship.total + ship.total_tax if included else ship.total),
            "taxLines": _tax_lines(ship.taxes),
        }
        for ship in order.shipping_lines
    ]
    status = order.status
    completed = status == "completed"
    modified = _stamp(order.modified_at(now))
    transactions = _transactions(order, next_id)
    for line in lines:  # shipped before the sandbox existed: no stock moves to replay
        line.update(committed=0, fulfilled=line["quantity"] if completed else 0)
    return {
        "id": order.number,
        "name": f"#{order.number}",
        "email": order.billing.email or None,
        "note": order.customer_note or None,
        "tags": [],
        "createdAt": _stamp(order.created_at(now)),
        "updatedAt": modified,
        "processedAt": _stamp(order.paid_at(now) or order.created_at(now)),
        "cancelledAt": modified if status in ("cancelled", "trashed") else None,
        "closed": status == "trashed",
        "currencyCode": order.currency,
        "taxesIncluded": included,
        "displayFinancialStatus": _FINANCIAL.get(status, "PENDING"),
        "displayFulfillmentStatus": "FULFILLED" if completed else "UNFULFILLED",
        "paymentGatewayNames": list(dict.fromkeys(t["gateway"] for t in transactions)),
        "transactions": transactions,
        "total": _money(order.total + order.gift_card_total),
        "totalTax": _money(order.total_tax),
        "discountCodes": [c.code for c in order.coupons],
        "customerId": order.customer.id if order.customer else None,
        "billingAddress": _address(order.billing),
        "shippingAddress": _address(order.shipping),
        "lineItems": lines,
        "shippingLines": shipping,
        "fulfillmentOrders": [
            {"id": next_id(), "holds": [], "status": "CLOSED" if completed else "OPEN"}
        ],
        "fulfillments": [],
        "metafields": {},
        "refunds": [],
    }


def seed_state() -> dict[str, Any]:
    """The whole initial state (JSON-ready), built from the neutral demo shop."""
    now = datetime.now(UTC).replace(microsecond=0)
    seq = [900_000]
    customers = {}
    for account in demo_customers():
        signed_up = _stamp(account.created_at(now))
        customers[str(account.id)] = {
            "id": account.id,
            "email": account.email,
            "firstName": account.first_name or None,
            "lastName": account.last_name or None,
            "phone": account.phone or None,
            "note": None,
            "tags": [],
            "state": "ENABLED",
            "createdAt": signed_up,
            "updatedAt": signed_up,
            "addresses": [a for a in [_address(account.billing)] if a],
            "metafields": {},
        }
    orders = {str(o.number): _order(o, now, seq) for o in demo_orders()}
    return {
        "format": 1,
        "sequences": {
            "product": 8_000_000,
            "variant": 44_000_000,
            "inventory_item": 47_000_000,
            "collection": 300_100,
            "customer": 600,
            "metafield": 20_000_000,
            "fulfillment": 5_500_000,
            "bulk": 1,
            "adjustment": 1,
            "line": seq[0],
            "order": 10_000,
        },
        "shop": {"name": "Maison Passerelle", "currencyCode": "EUR", "taxesIncluded": False},
        "locations": {
            str(_LOCATION_ID): {
                "id": _LOCATION_ID,
                "name": "Entrepôt principal",
                "isActive": True,
                "isPrimary": True,
            }
        },
        "products": {},
        "variants": {},
        "inventory_items": {},
        "collections": _tax_collections(),
        "customers": customers,
        "orders": orders,
        "bulk_operations": {},
        "delivery_profiles": _delivery_profiles(orders),
    }


def _tax_collections() -> dict[str, Any]:
    """Shopify has no tax classes: a merchant selling at reduced VAT rates makes a
    collection per rate and sets a tax override on it (Settings › Taxes and duties ›
    country › Add override; help.shopify.com/manual/taxes/tax-overrides). The override
    is not in the Admin API; the sandbox keeps it beside the collection, where only its
    checkout (``merchant.py``) reads it. One collection per reduced demo tax class."""
    out = {}
    for number, rate in enumerate(demo_tax_rates(), 300_001):
        if rate.country != "FR" or rate.tax_class in ("standard", "zero-rate"):
            continue
        out[str(number)] = {
            "id": number,
            "title": rate.tax_class,
            "handle": rate.tax_class,
            "updatedAt": "2026-01-05T09:00:00Z",
            "taxOverride": {"country": rate.country, "rate": f"{rate.percent:f}"},
        }
    return out


def _delivery_profiles(orders: dict[str, Any]) -> dict[str, Any]:
    """The general delivery profile: one zone whose rates are the shipping methods the
    demo orders used, by the name the buyer saw (objects/DeliveryMethodDefinition)."""
    names = sorted({s["title"] for o in orders.values() for s in o["shippingLines"]})
    return {
        "1": {
            "id": 1,
            "name": "General profile",
            "default": True,
            "zones": [
                {
                    "id": 1,
                    "name": "France",
                    "methods": [
                        {"id": n, "name": name, "active": True} for n, name in enumerate(names, 1)
                    ],
                }
            ],
        }
    }
