"""The demo shop in Magento's own shapes, translated from ``sandbox/demo_shop.py``.

Why translate: every sandbox serves the same demo shop (the same order ids
and numbers, buyers, lines by SKU, taxes, shipping, payments and totals),
so the conformance suite compares like with like. The WooCommerce seed is
built without starting its server and each record rewritten as
``sales-data-order-interface`` / ``customer-data-customer-interface``
(admin-schema-2.4.9.yaml) describe it:

- ``entity_id`` is the WooCommerce id, ``increment_id`` its number;
- ``state``/``status``: processing → processing/processing, completed →
  complete/complete, pending → new/pending, on-hold → holded/holded,
  cancelled → canceled/canceled. Magento has no trash: a trashed WooCommerce
  order is left out (deleted orders do not exist for the API);
- payment method codes are Magento's (``checkmo``, ``banktransfer``,
  ``cashondelivery``, ``paypal_express``, ``stripe_payments``,
  ``amazon_payment_v2``), the flat rate is ``flatrate_flatrate``;
- taxes per item and per shipping in ``extension_attributes.item_applied_taxes``
  and per order in ``applied_taxes``; a WooCommerce fee (gift wrap) becomes
  Adobe Commerce gift wrapping (``gw_price``/``gw_tax_amount``).
Extension data WooCommerce keeps in metas (gift cards, several delivery
addresses) has no core Magento field and is not carried over.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from passerelle.sandbox.demo_shop import demo_shop

from .inventory import seed_reservations

__all__ = ["PAYMENT_CODES", "STATES", "seed_data"]

STATES = {
    "processing": ("processing", "processing"),
    "completed": ("complete", "complete"),
    "pending": ("new", "pending"),
    "on-hold": ("holded", "holded"),
    "cancelled": ("canceled", "canceled"),
    "failed": ("canceled", "canceled"),
    "refunded": ("closed", "closed"),
}
PAYMENT_CODES = {
    "bacs": "banktransfer",
    "cheque": "checkmo",
    "cod": "cashondelivery",
    "paypal": "paypal_express",
    "stripe": "stripe_payments",
    "amazon_payments_advanced": "amazon_payment_v2",
}
SHIPPING_CODES = {
    "flat_rate": "flatrate_flatrate",
    "free_shipping": "freeshipping_freeshipping",
    "local_pickup": "instore_pickup",
}
STORE_NAME = "Main Website\nMain Website Store\nDefault Store View"


def _d(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _n(value: Decimal) -> float:
    """Magento's JSON numbers (PHP floats), rounded as it stores them (4 places)."""
    return float(round(value, 4))


def stamp(wc_date: str | None) -> str | None:
    """WooCommerce ``2026-10-26T03:42:43`` (GMT) → Magento ``2026-10-26 03:42:43`` (UTC)."""
    return wc_date.replace("T", " ") if wc_date else None


def _address(
    wc: dict[str, Any], kind: str, parent_id: int, entity_id: int, email: str
) -> dict[str, Any]:
    street = [s for s in (wc.get("address_1"), wc.get("address_2")) if s]
    address = {
        "address_type": kind,
        "city": wc.get("city") or "",
        "country_id": wc.get("country") or "",
        "email": email,
        "entity_id": entity_id,
        "firstname": wc.get("first_name") or "",
        "lastname": wc.get("last_name") or "",
        "parent_id": parent_id,
        "postcode": wc.get("postcode") or "",
        "street": street or [""],
        "telephone": wc.get("phone") or "",
    }
    if wc.get("company"):
        address["company"] = wc["company"]
    if wc.get("state"):
        address["region_code"] = address["region"] = wc["state"]
    return address


def _taxes(
    wc_taxes: list[dict[str, Any]], rates: dict[int, dict[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for tax in wc_taxes or []:
        amount = _d(tax.get("total"))
        rate = rates.get(int(tax.get("id") or 0), {})
        if amount == 0 and tax.get("total") in ("", None):
            continue
        out.append(
            {
                "code": rate.get("rate_code") or str(tax.get("id")),
                "title": rate.get("label") or "",
                "percent": float(rate.get("rate_percent") or 0),
                "amount": _n(amount),
                "base_amount": _n(amount),
            }
        )
    return out


def customer(wc: dict[str, Any]) -> dict[str, Any]:
    cid = int(wc["id"])
    billing = wc.get("billing") or {}
    record: dict[str, Any] = {
        "id": cid,
        "group_id": 1,
        "created_at": stamp(wc.get("date_created_gmt")),
        "updated_at": stamp(wc.get("date_modified_gmt")),
        "created_in": "Default Store View",
        "email": wc["email"],
        "firstname": wc.get("first_name") or "",
        "lastname": wc.get("last_name") or "",
        "store_id": 1,
        "website_id": 1,
        "addresses": [],
        "disable_auto_group_change": 0,
        "extension_attributes": {"is_subscribed": False},
        "custom_attributes": [],
    }
    if billing.get("address_1"):
        address = _address(billing, "billing", cid, cid * 10, wc["email"])
        address = {
            "id": cid * 10,
            "customer_id": cid,
            "region": {
                "region_code": address.get("region_code"),
                "region": address.get("region"),
                "region_id": 0,
            },
            "region_id": 0,
            "country_id": address["country_id"],
            "street": address["street"],
            "telephone": address["telephone"],
            "postcode": address["postcode"],
            "city": address["city"],
            "firstname": address["firstname"],
            "lastname": address["lastname"],
            "default_billing": True,
            "default_shipping": True,
        }
        if billing.get("company"):
            address["company"] = billing["company"]
        record["addresses"] = [address]
        record["default_billing"] = record["default_shipping"] = str(cid * 10)
    return record


def order(wc: dict[str, Any], customers: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    if wc["status"] not in STATES:
        return None  # the trash: Magento has none
    oid = int(wc["id"])
    state, status = STATES[wc["status"]]
    rates = {int(t["rate_id"]): t for t in wc.get("tax_lines") or []}
    created = stamp(wc.get("date_created_gmt"))
    updated = stamp(wc.get("date_modified_gmt")) or created
    billing = wc.get("billing") or {}
    email = billing.get("email") or ""
    items: list[dict[str, Any]] = []
    item_taxes: list[dict[str, Any]] = []
    qty_total = Decimal(0)
    for line in wc.get("line_items") or []:
        qty = _d(line["quantity"])
        qty_total += qty
        row, total, tax = _d(line["subtotal"]), _d(line["total"]), _d(line["total_tax"])
        applied = _taxes(line.get("taxes"), rates)
        percent = sum((Decimal(str(t["percent"])) for t in applied), Decimal(0))
        sku = line.get("_sku") or line.get("sku") or ""
        items.append(
            {
                "item_id": int(line["id"]),
                "order_id": oid,
                "quote_item_id": int(line["id"]),
                "sku": sku,
                "name": line["name"],
                "product_type": "simple",
                "product_id": int(line.get("variation_id") or line.get("product_id") or 0),
                "qty_ordered": _n(qty),
                "qty_invoiced": _n(qty) if wc.get("date_paid_gmt") else 0,
                "price": _n(row / qty),
                "base_price": _n(row / qty),
                "original_price": _n(row / qty),
                "price_incl_tax": _n((row + tax) / qty),
                "row_total": _n(row),
                "base_row_total": _n(row),
                "row_total_incl_tax": _n(row + tax),
                "discount_amount": _n(row - total),
                "base_discount_amount": _n(row - total),
                "tax_amount": _n(tax),
                "base_tax_amount": _n(tax),
                "tax_percent": _n(percent),
                "is_virtual": 0,
                "store_id": 1,
                "created_at": created,
                "updated_at": updated,
                "weight": 0,
            }
        )
        item_taxes.append({"type": "product", "item_id": int(line["id"]), "applied_taxes": applied})
    shipping_amount = sum((_d(s["total"]) for s in wc.get("shipping_lines") or []), Decimal(0))
    shipping_tax = sum((_d(s["total_tax"]) for s in wc.get("shipping_lines") or []), Decimal(0))
    shipping_taxes = [
        t for s in wc.get("shipping_lines") or [] for t in _taxes(s.get("taxes"), rates)
    ]
    if shipping_taxes:
        item_taxes.append({"type": "shipping", "applied_taxes": shipping_taxes})
    method_id = next((s.get("method_id") for s in wc.get("shipping_lines") or []), "")
    subtotal = sum((_d(i["row_total"]) for i in items), Decimal(0))
    discount = _d(wc.get("discount_total"))
    total, total_tax = _d(wc["total"]), _d(wc["total_tax"])
    paid = bool(wc.get("date_paid_gmt")) and state in ("processing", "complete")
    cid = int(wc.get("customer_id") or 0)
    buyer = customers.get(cid)
    ship = wc.get("shipping") or {}
    shipping_address = _address(
        ship if ship.get("address_1") else billing, "shipping", oid, oid * 10 + 2, email
    )
    applied_totals: dict[str, dict[str, Any]] = {}
    for tax in [t for group in item_taxes for t in group["applied_taxes"]]:
        entry = applied_totals.setdefault(tax["code"], {**tax, "amount": 0.0, "base_amount": 0.0})
        entry["amount"] = _n(_d(entry["amount"]) + _d(tax["amount"]))
        entry["base_amount"] = entry["amount"]
    extension: dict[str, Any] = {
        "shipping_assignments": [
            {
                "shipping": {
                    "address": shipping_address,
                    "method": SHIPPING_CODES.get(method_id, method_id),
                    "total": {
                        "shipping_amount": _n(shipping_amount),
                        "shipping_tax_amount": _n(shipping_tax),
                    },
                },
                "items": items,
            }
        ],
        "applied_taxes": list(applied_totals.values()),
        "item_applied_taxes": item_taxes,
    }
    fees = wc.get("fee_lines") or []
    if fees:
        gw = sum((_d(f["total"]) for f in fees), Decimal(0))
        gw_tax = sum((_d(f["total_tax"]) for f in fees), Decimal(0))
        extension.update(
            {
                "gw_price": str(gw),
                "gw_base_price": str(gw),
                "gw_tax_amount": str(gw_tax),
                "gw_base_tax_amount": str(gw_tax),
            }
        )
    coupon = ", ".join(c["code"] for c in wc.get("coupon_lines") or [])
    vat = next(
        (str(m["value"]) for m in wc.get("meta_data") or [] if m["key"] == "_billing_vat_number"),
        "",
    )
    record: dict[str, Any] = {
        "entity_id": oid,
        "increment_id": str(wc["number"]),
        "state": state,
        "status": status,
        "store_id": 1,
        "store_name": STORE_NAME,
        "created_at": created,
        "updated_at": updated,
        "order_currency_code": wc["currency"],
        "base_currency_code": wc["currency"],
        "global_currency_code": wc["currency"],
        "store_currency_code": wc["currency"],
        "base_to_order_rate": 1,
        "base_to_global_rate": 1,
        "customer_email": email,
        "customer_firstname": billing.get("first_name") or "",
        "customer_lastname": billing.get("last_name") or "",
        "customer_is_guest": 0 if buyer else 1,
        "customer_group_id": 1 if buyer else 0,
        "customer_note": wc.get("customer_note") or "",
        "customer_note_notify": 0,
        "grand_total": _n(total),
        "base_grand_total": _n(total),
        "subtotal": _n(subtotal),
        "base_subtotal": _n(subtotal),
        "subtotal_incl_tax": _n(subtotal + sum((_d(i["tax_amount"]) for i in items), Decimal(0))),
        "tax_amount": _n(total_tax),
        "base_tax_amount": _n(total_tax),
        "shipping_amount": _n(shipping_amount),
        "base_shipping_amount": _n(shipping_amount),
        "shipping_tax_amount": _n(shipping_tax),
        "base_shipping_tax_amount": _n(shipping_tax),
        "shipping_incl_tax": _n(shipping_amount + shipping_tax),
        "shipping_description": next(
            (s.get("method_title") for s in wc.get("shipping_lines") or []), ""
        ),
        "discount_amount": _n(-discount),
        "base_discount_amount": _n(-discount),
        "total_qty_ordered": _n(qty_total),
        "total_item_count": len(items),
        "is_virtual": 0,
        "items": items,
        "billing_address_id": oid * 10 + 1,
        "billing_address": _address(billing, "billing", oid, oid * 10 + 1, email),
        "payment": {
            "entity_id": oid,
            "parent_id": oid,
            "method": PAYMENT_CODES.get(
                wc.get("payment_method") or "", wc.get("payment_method") or "checkmo"
            ),
            "amount_ordered": _n(total),
            "base_amount_ordered": _n(total),
            "additional_information": [wc.get("payment_method_title") or ""],
            # required by sales-data-order-payment-interface, null for non-card methods
            "account_status": None,
            "cc_last4": None,
            "last_trans_id": wc.get("transaction_id") or "",
        },
        "status_histories": [],
        "extension_attributes": extension,
    }
    if paid:
        record["payment"].update({"amount_paid": _n(total), "base_amount_paid": _n(total)})
        record.update(
            {
                "total_paid": _n(total),
                "base_total_paid": _n(total),
                "total_invoiced": _n(total),
                "base_total_invoiced": _n(total),
            }
        )
    if buyer:
        record["customer_id"] = cid
    if coupon:
        record["coupon_code"] = coupon
        record["discount_description"] = coupon
    if vat:
        record["customer_taxvat"] = vat
    return record


def seed_data() -> dict[str, Any]:
    """The demo shop's customers and orders, plus Magento's root categories and groups."""
    woo = demo_shop()
    customers = {int(c["id"]): customer(c) for c in woo.customers.values()}
    orders = {}
    for wc in sorted(woo.orders.values(), key=lambda o: int(o["id"])):
        record = order(wc, customers)
        if record is not None:
            orders[str(record["entity_id"])] = record
    now = "2026-01-01 00:00:00"
    categories = {
        "1": {
            "id": 1,
            "parent_id": 0,
            "name": "Root Catalog",
            "is_active": True,
            "position": 0,
            "level": 0,
            "path": "1",
            "include_in_menu": True,
            "created_at": now,
            "updated_at": now,
        },
        "2": {
            "id": 2,
            "parent_id": 1,
            "name": "Default Category",
            "is_active": True,
            "position": 1,
            "level": 1,
            "path": "1/2",
            "include_in_menu": True,
            "created_at": now,
            "updated_at": now,
        },
    }
    groups = {
        str(i): {"id": i, "code": code, "tax_class_id": 3, "tax_class_name": "Retail Customer"}
        for i, code in ((0, "NOT LOGGED IN"), (1, "General"), (2, "Wholesale"), (3, "Retailer"))
    }
    # Magento's two default classes, and the demo merchant's reduced VAT rates (named
    # as the demo shop names them on every platform).
    tax_classes = {
        str(i): {"class_id": i, "class_name": name, "class_type": kind}
        for i, name, kind in (
            (2, "Taxable Goods", "PRODUCT"),
            (3, "Retail Customer", "CUSTOMER"),
            (4, "intermediate-rate", "PRODUCT"),
            (5, "reduced-rate", "PRODUCT"),
        )
    }
    return {
        "categories": categories,
        "products": {},
        "children": {},
        "source_items": {},
        "customers": {str(k): v for k, v in customers.items()},
        "groups": groups,
        "orders": orders,
        "shipments": {},
        "bulks": {},
        "tax_classes": tax_classes,
        "reservations": seed_reservations(orders.values()),
        "next": {
            "category": 3,
            "product": 1,
            "customer": max(customers) + 1,
            "group": 4,
            "history": 1,
            "shipment": 1,
            "address": 10_000,
        },
    }
