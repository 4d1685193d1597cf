"""The demo shop in Shopify's shape, translated from ``sandbox/demo_shop.py``.

Same customers (ids, names, e-mails, addresses), same orders (ids, numbers as
order names ``#<number>``, buyers, lines by SKU, taxes, shipping, payment
method ids as payment gateway names, totals). WooCommerce statuses become
Shopify's two separate ones (objects/Order: ``displayFinancialStatus`` and
``displayFulfillmentStatus``): processing = PAID + UNFULFILLED, completed =
PAID + FULFILLED, pending / on-hold = PENDING, cancelled = VOIDED and
cancelled, trash = VOIDED, cancelled and closed (Shopify has no trash).
Coupon discounts are allocated on the lines (objects/DiscountAllocation);
fees, which Shopify does not have, are custom line items without SKU.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.sandbox.demo_shop import demo_shop, demo_tax_rates

__all__ = ["seed_state"]

_FINANCIAL = {
    "processing": "PAID",
    "completed": "PAID",
    "pending": "PENDING",
    "on-hold": "PENDING",
    "cancelled": "VOIDED",
    "trash": "VOIDED",
    "refunded": "REFUNDED",
    "failed": "VOIDED",
}
_LOCATION_ID = 61_000_001


def _address(raw: dict[str, Any]) -> dict[str, Any] | None:
    if not raw or not (raw.get("address_1") or raw.get("city")):
        return None
    return {
        "firstName": raw.get("first_name") or None,
        "lastName": raw.get("last_name") or None,
        "company": raw.get("company") or None,
        "address1": raw.get("address_1") or None,
        "address2": raw.get("address_2") or None,
        "city": raw.get("city") or None,
        "zip": raw.get("postcode") or None,
        "countryCodeV2": raw.get("country") or None,
        "provinceCode": raw.get("state") or None,
        "phone": raw.get("phone") or None,
    }


def _tax_lines(
    taxes: list[dict[str, Any]], rates: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for tax in taxes:
        amount = Decimal(str(tax.get("total") or "0"))
        if not amount:
            continue
        rate = rates[int(tax["id"])]
        percent = float(rate["rate"])
        out.append(
            {
                "title": rate["name"],
                "rate": percent / 100,
                "ratePercentage": percent,
                "amount": str(amount.quantize(Decimal("0.01"))),
            }
        )
    return out


def _order(raw: dict[str, Any], rates: dict[int, dict[str, Any]], seq: list[int]) -> dict[str, Any]:
    included = bool(raw.get("prices_include_tax"))
    lines = []

    def next_id() -> int:
        seq[0] += 1
        return seq[0]

    for item in raw["line_items"]:
        qty = int(item["quantity"])
        subtotal = Decimal(item["subtotal"])
        total = Decimal(item["total"])
        tax = Decimal(item["total_tax"])
        gross = Decimal(item.get("_gross_subtotal") or subtotal + Decimal(item["subtotal_tax"]))
        original = gross if included else subtotal
        lines.append(
            {
                "id": next_id(),
                "sku": item.get("_sku") or None,
                "name": item["name"],
                "quantity": qty,
                "unitPrice": str((original / qty).quantize(Decimal("0.01"))),
                "originalTotal": str(original),
                "discount": str(subtotal - total),
                "tax": str(tax),
                "taxLines": _tax_lines(item["taxes"], rates),
            }
        )
    for fee in raw["fee_lines"]:
        total = Decimal(fee["total"])
        tax = Decimal(fee["total_tax"])
        original = total + tax if included else total
        lines.append(
            {
                "id": next_id(),
                "sku": None,
                "name": fee["name"],
                "quantity": 1,
                "unitPrice": str(original),
                "originalTotal": str(original),
                "discount": "0.00",
                "tax": str(tax),
                "taxLines": _tax_lines(fee["taxes"], rates),
            }
        )
    shipping = []
    for ship in raw["shipping_lines"]:
        total = Decimal(ship["total"])
        tax = Decimal(ship["total_tax"])
        shipping.append(
            {
                "id": next_id(),
                "title": ship["method_title"],
                "code": ship["method_id"],
                "source": "shopify",
                "price": str(total + tax if included else total),
                "taxLines": _tax_lines(ship["taxes"], rates),
            }
        )
    status = raw["status"]
    cancelled = status in ("cancelled", "trash")
    for line in lines:  # shipped before the sandbox existed: no stock moves to replay
        line.update(committed=0, fulfilled=line["quantity"] if status == "completed" else 0)
    return {
        "id": raw["id"],
        "name": f"#{raw['number']}",
        "email": raw["billing"].get("email") or None,
        "note": raw.get("customer_note") or None,
        "tags": [],
        "createdAt": raw["date_created_gmt"] + "Z",
        "updatedAt": raw["date_modified_gmt"] + "Z",
        "processedAt": (raw.get("date_paid_gmt") or raw["date_created_gmt"]) + "Z",
        "cancelledAt": raw["date_modified_gmt"] + "Z" if cancelled else None,
        "closed": status == "trash",
        "currencyCode": raw["currency"],
        "taxesIncluded": included,
        "displayFinancialStatus": _FINANCIAL.get(status, "PENDING"),
        "displayFulfillmentStatus": "FULFILLED" if status == "completed" else "UNFULFILLED",
        "paymentGatewayNames": [raw["payment_method"]] if raw.get("payment_method") else [],
        "total": raw["total"],
        "totalTax": raw["total_tax"],
        "discountCodes": [c["code"] for c in raw["coupon_lines"]],
        "customerId": raw["customer_id"] or None,
        "billingAddress": _address(raw["billing"]),
        "shippingAddress": _address(raw["shipping"]),
        "lineItems": lines,
        "shippingLines": shipping,
        "fulfillmentOrders": [
            {"id": next_id(), "holds": [], "status": "CLOSED" if status == "completed" else "OPEN"}
        ],
        "fulfillments": [],
        "metafields": {},
        "refunds": [],
    }


def seed_state() -> dict[str, Any]:
    """The whole initial state (JSON-ready), built from the WooCommerce demo shop."""
    woo = demo_shop()
    seq = [900_000]
    customers = {}
    for raw in woo.customers.values():
        customers[str(raw["id"])] = {
            "id": raw["id"],
            "email": raw["email"],
            "firstName": raw["first_name"] or None,
            "lastName": raw["last_name"] or None,
            "phone": (raw.get("billing") or {}).get("phone") or None,
            "note": None,
            "tags": [],
            "state": "ENABLED",
            "createdAt": raw["date_created_gmt"] + "Z",
            "updatedAt": raw["date_modified_gmt"] + "Z",
            "addresses": [a for a in [_address(raw.get("billing") or {})] if a],
            "metafields": {},
        }
    orders = {str(raw["id"]): _order(raw, woo.taxes, seq) for raw in woo.orders.values()}
    for order in orders.values():
        if order["customerId"] is not None and str(order["customerId"]) not in customers:
            order["customerId"] = None
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
        "shop": {"name": "Maison Passerelle", "currencyCode": "EUR"},
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
    checkout (``merchant.py``) reads it. One collection per WooCommerce demo class."""
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
