"""The feature cases among the demo orders, and the extension data they carry.

Why: each feature of the order import must meet, in the sandbox, the order a
real shop would send for it — a refund, a trashed order, several delivery
addresses, an invoice, merchant notes… The orders themselves are described by
:mod:`passerelle.demo_orders` (``CASES`` names them); this module places them
through :class:`SeedCheckout` and stores what WooCommerce extensions store:
refunds through ``POST /orders/<id>/refunds``'s service, notes through
``POST /orders/<id>/notes``'s, metas as described in ``resources/extensions.py``.
Tests find each order by case name in :data:`SEED_CASES`.
"""

from __future__ import annotations

import hashlib
from typing import Any

from passerelle import demo_orders
from passerelle.demo_orders import DemoOrder, at

from .resources.common import Shop, apply_meta_data
from .resources.extensions import (
    INVOICE_DATE_META,
    INVOICE_NUMBER_META,
    WCMS_ITEM_IDS_META,
    WCMS_PACKAGES_META,
    WCMS_SHIPPING_IDS_META,
)
from .resources.refunds import RefundService
from .seed_checkout import SeedCheckout, woo_address

__all__ = ["LOYALTY_COUPON", "SEED_CASES", "place_demo_order", "seed_cases"]

#: case name -> order number (the order's id) in a freshly seeded sandbox.
SEED_CASES: dict[str, str] = {name: str(number) for name, number in demo_orders.CASES.items()}


def _coupon(code: str) -> dict[str, str]:
    kind, amount, description = demo_orders.COUPONS[code]
    out = {"code": code, "discount_type": kind, "amount": amount}
    if description:
        out["description"] = description
    return out


#: A coupon whose description names the back-office item of its discount lines.
LOYALTY_COUPON = _coupon("fidelite")


def seed_cases(shop: Shop, checkout: SeedCheckout, refunds: RefundService) -> None:
    """Add the feature cases to a shop already holding the eleven demo orders."""
    coupon_id = shop.store.next_id("post")
    shop.data.coupons[coupon_id] = {"id": coupon_id, **LOYALTY_COUPON, "free_shipping": False}
    for demo in demo_orders.CASE_ORDERS:
        place_demo_order(shop, checkout, refunds, demo)


def place_demo_order(
    shop: Shop, checkout: SeedCheckout, refunds: RefundService, demo: DemoOrder
) -> dict[str, Any]:
    """Place one demo order, then store its extension data as the extensions would."""
    order = checkout.place(demo)
    metas = []
    if demo.invoice_number and demo.invoice_days_ago is not None:
        invoiced = at(checkout.now, demo.invoice_days_ago)
        metas = [
            {"key": INVOICE_NUMBER_META, "value": demo.invoice_number},
            {"key": INVOICE_DATE_META, "value": str(int(invoiced.timestamp()))},
        ]
        order["meta_data"] = apply_meta_data(shop.store, order["meta_data"], metas)
    if demo.packages:
        _ship_to_several(
            shop,
            order,
            [_destination(p.address) for p in demo.packages],
        )
    for refund in demo.refunds:
        for line in refund.lines:
            _refund_units(refunds, order, line, refund.reason, at(checkout.now, refund.days_ago))
    for note in demo.notes:
        refunds.orders.add_note(
            order,
            note.text,
            customer_note=note.to_customer,
            added_by_user=True,
            moment=at(checkout.now, note.days_ago),
        )
    return order


def _destination(address: Any) -> dict[str, str]:
    """A package's address as the extension keeps it (no phone key when none was given)."""
    out = woo_address(address, with_email=False)
    if not out["phone"]:
        del out["phone"]
    return out


def _cart_key(order_id: int, sku: str) -> str:
    """A cart item key (WooCommerce: an md5 of the product and its options)."""
    return hashlib.md5(f"{order_id}-{sku}".encode()).hexdigest()  # noqa: S324 - not security


def _ship_to_several(shop: Shop, order: dict[str, Any], destinations: list[dict[str, str]]) -> None:
    """Store what Ship to Multiple Addresses stores: one package per line and address."""
    packages, item_ids, shipping_ids = [], {}, {}
    for index, (item, destination) in enumerate(
        zip(order["line_items"], destinations, strict=True)
    ):
        key = _cart_key(order["id"], str(item.get("_sku")))
        tax = float(item["total_tax"])
        content = {
            "key": key,
            "product_id": item["product_id"],
            "variation_id": item["variation_id"],
            "variation": [],
            "quantity": item["quantity"],
            "data": {},
            "line_subtotal": float(item["subtotal"]),
            "line_subtotal_tax": float(item["subtotal_tax"]),
            "line_total": float(item["total"]),
            "line_tax": tax,
        }
        packages.append(
            {
                "contents": {key: content},
                "contents_cost": float(item["total"]),
                "applied_coupons": [],
                "user": {"ID": order["customer_id"]},
                "destination": {
                    "country": destination["country"],
                    "state": destination["state"],
                    "postcode": destination["postcode"],
                    "city": destination["city"],
                    "address": destination["address_1"],
                    "address_1": destination["address_1"],
                    "address_2": destination["address_2"],
                    "first_name": destination["first_name"],
                    "last_name": destination["last_name"],
                    "company": destination["company"],
                },
                "full_address": dict(destination),
            }
        )
        item_ids[key] = item["id"]
        shipping_ids[str(index)] = order["shipping_lines"][index]["id"]
    order["meta_data"] = apply_meta_data(
        shop.store,
        order["meta_data"],
        [
            {"key": "_multiple_shipping", "value": "yes"},
            {"key": WCMS_PACKAGES_META, "value": packages},
            {"key": WCMS_ITEM_IDS_META, "value": item_ids},
            {"key": WCMS_SHIPPING_IDS_META, "value": shipping_ids},
        ],
    )
    order["shipping"] = {k: "" for k in order["shipping"]}  # the extension blanks it


def _refund_units(
    refunds: RefundService, order: dict[str, Any], line: Any, reason: str, moment: Any
) -> None:
    """Refund units of one line through ``POST /orders/<id>/refunds``."""
    item = next(li for li in order["line_items"] if li.get("_sku") == line.sku)
    refunds.create(
        order["id"],
        {
            "reason": reason,
            "api_refund": True,
            "line_items": [
                {
                    "id": item["id"],
                    "quantity": line.quantity,
                    "refund_total": f"{line.total:f}",
                    "refund_tax": [
                        {"id": tax.rate.id, "refund_total": f"{tax.total:f}"} for tax in line.taxes
                    ],
                }
            ],
        },
        moment=moment,
    )
