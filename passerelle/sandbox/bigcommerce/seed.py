"""The demo store: the demo shop's customers and orders (``demo_shop.py``) as BigCommerce's.

Why translate instead of writing a second seed: the conformance suite checks
every platform against the same demo database, so the orders must be the
same (ids, buyers, lines by SKU, taxes, shipping, payments, totals). The
WooCommerce sandbox is built in memory, never started, and read.

Mapping: WooCommerce statuses → BigCommerce status ids (processing →
11 Awaiting Fulfillment, completed → 10 Completed, pending → 7 Awaiting
Payment, on-hold → 12 Manual Verification Required, cancelled → 5
Cancelled; the trash → ``is_deleted``); gateways → the payment method names
BigCommerce shows; one shipping address per WooCommerce package (several for
the multi-address order, each line on its ``order_address_id``); one tax row
per rate and line, compound rates at priority 2 (O24); the gift-wrap fee →
the order's ``wrapping_cost_*``; gift cards → ``gift_certificate_amount``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from passerelle.sandbox.demo_shop import demo_shop

from .customers import Customers
from .state import State, rfc2822

__all__ = ["PAYMENT_METHODS", "SHIPPING_METHODS", "seed_store"]

STATUS_IDS = {
    "processing": 11,
    "completed": 10,
    "pending": 7,
    "on-hold": 12,
    "cancelled": 5,
    "refunded": 4,
    "failed": 6,
}
PAYMENT_METHODS = {
    "stripe": "Stripe",
    "paypal": "PayPal",
    "bacs": "Bank Deposit",
    "cheque": "Check",
    "cod": "Cash on Delivery",
    "amazon_payments_advanced": "Amazon Pay",
}
SHIPPING_METHODS = {
    "flat_rate": "Flat Rate",
    "free_shipping": "Free Shipping",
    "local_pickup": "Pickup In Store",
}
_COUNTRIES = {
    "FR": "France",
    "BE": "Belgium",
    "US": "United States",
    "CA": "Canada",
    "DE": "Germany",
    "ES": "Spain",
    "IT": "Italy",
    "CH": "Switzerland",
}


def _money(value: Any) -> str:
    return f"{Decimal(str(value or 0)):.4f}"


def _gmt(text: str) -> str:
    return rfc2822(datetime.fromisoformat(text + "+00:00"))


def _address(raw: dict[str, Any]) -> dict[str, Any]:
    country = raw.get("country", "")
    return {
        "first_name": raw.get("first_name", ""),
        "last_name": raw.get("last_name", ""),
        "company": raw.get("company", ""),
        "street_1": raw.get("address_1", ""),
        "street_2": raw.get("address_2", ""),
        "city": raw.get("city", ""),
        "state": raw.get("state", ""),
        "zip": raw.get("postcode", ""),
        "country": _COUNTRIES.get(country, country),
        "country_iso2": country,
        "phone": raw.get("phone", ""),
        "email": raw.get("email", ""),
    }


def seed_store(state: State, customers: Customers) -> None:
    woo = demo_shop()
    state.data["trees"]["1"] = {"id": 1, "name": "Default", "channels": [1]}
    for raw in woo.customers.values():
        billing = raw.get("billing") or {}
        address = {
            "first_name": billing.get("first_name", ""),
            "last_name": billing.get("last_name", ""),
            "company": billing.get("company", ""),
            "address1": billing.get("address_1", ""),
            "address2": billing.get("address_2", ""),
            "city": billing.get("city", ""),
            "state_or_province": billing.get("state", ""),
            "postal_code": billing.get("postcode", ""),
            "country_code": billing.get("country", ""),
            "phone": billing.get("phone", ""),
            "address_type": "residential",
        }
        customers.insert(
            {
                "email": raw["email"],
                "first_name": raw["first_name"],
                "last_name": raw["last_name"],
                "company": billing.get("company", ""),
                "phone": billing.get("phone", ""),
                "addresses": [address],
            },
            cid=int(raw["id"]),
            when=raw["date_created_gmt"] + "+00:00",
        )
    for order in sorted(woo.orders.values(), key=lambda o: o["id"]):
        _seed_order(state, order)


def _meta(order: dict[str, Any], key: str) -> Any:
    return next((m["value"] for m in order.get("meta_data", []) if m["key"] == key), None)


def _seed_order(state: State, wo: dict[str, Any]) -> None:
    oid = int(wo["id"])
    rates = {t["rate_id"]: t for t in wo["tax_lines"]}
    packages = _meta(wo, "_wcms_packages") or []
    item_package = {}
    if packages:
        line_ids = _meta(wo, "_packages_item_ids") or {}
        for index, package in enumerate(packages):
            for key in package["contents"]:
                item_package[line_ids.get(key)] = index
        destinations = [p.get("full_address") or p["destination"] for p in packages]
    else:
        destinations = [wo["shipping"] if wo["shipping"].get("address_1") else wo["billing"]]
    shipping_lines = wo["shipping_lines"] or [{"method_id": "", "total": "0", "taxes": []}]
    address_ids = []
    addresses = []
    for index, destination in enumerate(destinations):
        aid = state.next_id("order_address")
        address_ids.append(aid)
        ship = shipping_lines[min(index, len(shipping_lines) - 1)]
        cost = Decimal(ship["total"] or 0) if index < len(shipping_lines) else Decimal(0)
        tax = (
            sum((Decimal(str(t["total"] or 0)) for t in ship["taxes"]), Decimal(0))
            if index < len(shipping_lines)
            else Decimal(0)
        )
        addresses.append(
            {
                "id": aid,
                "order_id": oid,
                **_address(destination),
                "email": wo["billing"].get("email", ""),
                "items_total": 0,
                "items_shipped": 0,
                "shipping_method": SHIPPING_METHODS.get(ship["method_id"], ship["method_id"]),
                "base_cost": _money(cost),
                "cost_ex_tax": _money(cost),
                "cost_inc_tax": _money(cost + tax),
                "cost_tax": _money(tax),
                "cost_tax_class_id": 2,
                "base_handling_cost": _money(0),
                "handling_cost_ex_tax": _money(0),
                "handling_cost_inc_tax": _money(0),
                "handling_cost_tax": _money(0),
                "handling_cost_tax_class_id": 2,
                "shipping_zone_id": 1,
                "shipping_zone_name": "France"
                if destination.get("country") == "FR"
                else "International",
                "shipping_quotes": {
                    "url": f"/v2/orders/{oid}/shipping_addresses/{aid}/shipping_quotes",
                    "resource": f"/orders/{oid}/shipping_addresses/{aid}/shipping_quotes",
                },
                "form_fields": [],
            }
        )
    products = []
    taxes = []

    def tax_rows(
        amounts: list[dict[str, Any]], kind: str, address_id: int, product_id: int | None
    ) -> None:
        for tax in amounts:
            rate = rates.get(tax["id"])
            if rate is None or Decimal(str(tax["total"] or 0)) == 0:
                continue
            amount = _money(tax["total"])
            taxes.append(
                {
                    "id": state.next_id("order_tax"),
                    "order_id": oid,
                    "order_address_id": address_id,
                    "tax_rate_id": rate["rate_id"],
                    "tax_class_id": 0,
                    "name": rate["label"],
                    "class": "Default Tax Class",
                    "rate": _money(rate["rate_percent"]),
                    "priority": 2 if rate["compound"] else 1,
                    "priority_amount": amount,
                    "line_amount": amount,
                    # orderTaxes_Base.order_product_id is a string (null for shipping)
                    "order_product_id": None if product_id is None else str(product_id),
                    "line_item_type": kind,
                }
            )

    coupon_total = Decimal(0)
    for line in wo["line_items"]:
        index = item_package.get(line["id"], 0)
        quantity = int(line["quantity"])
        subtotal, total = Decimal(line["subtotal"]), Decimal(line["total"])
        unit_tax = Decimal(line["subtotal_tax"]) / quantity
        discount = subtotal - total
        coupon_total += discount
        unit = subtotal / quantity
        addresses[index]["items_total"] += quantity
        products.append(
            {
                "id": line["id"],
                "order_id": oid,
                "product_id": line["product_id"],
                "variant_id": line["variation_id"],
                "order_address_id": address_ids[index],
                "name": line["name"],
                "sku": line["_sku"],
                "type": "physical",
                "base_price": _money(unit),
                "price_ex_tax": _money(unit),
                "price_inc_tax": _money(unit + unit_tax),
                "price_tax": _money(unit_tax),
                "base_total": _money(subtotal),
                "total_ex_tax": _money(subtotal),
                "total_inc_tax": _money(subtotal + Decimal(line["subtotal_tax"])),
                "total_tax": _money(line["subtotal_tax"]),
                "quantity": quantity,
                "is_refunded": False,
                "quantity_refunded": 0,
                "refund_amount": _money(0),
                "quantity_shipped": 0,
                "product_options": [],
                "applied_discounts": [
                    {
                        "id": "coupon",
                        "amount": _money(discount),
                        "name": "Coupon",
                        "code": wo["coupon_lines"][0]["code"] if wo["coupon_lines"] else None,
                        "target": "product",
                    }
                ]
                if discount
                else [],
            }
        )
        tax_rows(line["taxes"], "item", address_ids[index], line["id"])
    for index, ship in enumerate(wo["shipping_lines"][: len(address_ids)]):
        tax_rows(ship["taxes"], "shipping", address_ids[index], None)
    wrap = sum((Decimal(f["total"]) for f in wo["fee_lines"]), Decimal(0))
    wrap_tax = sum((Decimal(f["total_tax"]) for f in wo["fee_lines"]), Decimal(0))
    for fee in wo["fee_lines"]:
        tax_rows(fee["taxes"], "gift-wrapping", address_ids[0], None)
    coupons = [
        {
            "id": state.next_id("order_coupon"),
            "coupon_id": c["id"],
            "order_id": oid,
            "code": c["code"],
            "amount": _money(c.get("nominal_amount") or c["discount"]),
            "type": 1 if c.get("discount_type") == "percent" else 2,
            # orderCoupons_Base.discount is a number (amount may be a string).
            "discount": float(c["discount"]),
        }
        for c in wo["coupon_lines"]
    ]
    # A gift certificate pays part of the order: BigCommerce's total keeps it.
    gift = sum((Decimal(g["amount"]) for g in wo.get("gift_cards") or []), Decimal(0))
    total, total_tax = Decimal(wo["total"]) + gift, Decimal(wo["total_tax"])
    sub_ex = sum((Decimal(p["total_ex_tax"]) for p in products), Decimal(0))
    sub_tax = sum((Decimal(p["total_tax"]) for p in products), Decimal(0))
    shipping, shipping_tax = Decimal(wo["shipping_total"]), Decimal(wo["shipping_tax"])
    paid = wo["status"] in ("processing", "completed") or (
        wo["status"] == "trash" and wo.get("date_paid_gmt")
    )
    status = (
        wo["status"]
        if wo["status"] != "trash"
        else (_meta(wo, "_wp_trash_meta_status") or "processing")
    )
    state.data["orders"][str(oid)] = {
        "id": oid,
        "customer_id": int(wo["customer_id"] or 0),
        "date_created": _gmt(wo["date_created_gmt"]),
        "date_modified": _gmt(wo["date_modified_gmt"]),
        "date_shipped": "",
        "status_id": STATUS_IDS.get(status, 11),
        "subtotal_ex_tax": _money(sub_ex),
        "subtotal_inc_tax": _money(sub_ex + sub_tax),
        "subtotal_tax": _money(sub_tax),
        "base_shipping_cost": _money(shipping),
        "shipping_cost_ex_tax": _money(shipping),
        "shipping_cost_inc_tax": _money(shipping + shipping_tax),
        "shipping_cost_tax": _money(shipping_tax),
        "shipping_cost_tax_class_id": 2,
        "base_handling_cost": _money(0),
        "handling_cost_ex_tax": _money(0),
        "handling_cost_inc_tax": _money(0),
        "handling_cost_tax": _money(0),
        "handling_cost_tax_class_id": 2,
        "base_wrapping_cost": _money(wrap),
        "wrapping_cost_ex_tax": _money(wrap),
        "wrapping_cost_inc_tax": _money(wrap + wrap_tax),
        "wrapping_cost_tax": _money(wrap_tax),
        "wrapping_cost_tax_class_id": 3,
        "total_ex_tax": _money(total - total_tax),
        "total_inc_tax": _money(total),
        "total_tax": _money(total_tax),
        "items_total": sum(p["quantity"] for p in products),
        "items_shipped": 0,
        "payment_method": PAYMENT_METHODS.get(wo["payment_method"], wo["payment_method"]),
        # order_Shared.payment_provider_id: string or number, never null ('' when none).
        "payment_provider_id": wo.get("transaction_id") or "",
        "payment_status": "captured" if paid else "",
        "refunded_amount": _money(0),
        "order_is_digital": False,
        "store_credit_amount": _money(0),
        "gift_certificate_amount": _money(gift),
        "ip_address": wo.get("customer_ip_address", ""),
        "geoip_country": "",
        "geoip_country_iso2": "",
        "currency_id": 1,
        "currency_code": wo["currency"],
        "currency_exchange_rate": "1.0000000000",
        "default_currency_id": 1,
        "default_currency_code": wo["currency"],
        "staff_notes": "",
        "customer_message": wo.get("customer_note", ""),
        "discount_amount": _money(0),
        "coupon_discount": _money(coupon_total),
        "shipping_address_count": len(addresses),
        "is_deleted": wo["status"] == "trash",
        "ebay_order_id": "0",
        "cart_id": "",
        "billing_address": {**_address(wo["billing"]), "form_fields": []},
        "is_email_opt_in": False,
        "credit_card_type": None,
        "order_source": "www",
        "channel_id": 1,
        "external_source": None,
        "external_id": None,
        "external_merchant_id": None,
        "tax_provider_id": "BasicTaxProvider",
        "customer_locale": "fr",
        "store_default_currency_code": "EUR",
        "store_default_to_transactional_exchange_rate": "1.0000000000",
        "custom_status": "",
    }
    state.data["order_products"][str(oid)] = products
    state.data["shipping_addresses"][str(oid)] = addresses
    state.data["order_coupons"][str(oid)] = coupons
    state.data["order_taxes"][str(oid)] = taxes
