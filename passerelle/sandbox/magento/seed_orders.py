"""One demo order (:class:`passerelle.demo_orders.DemoOrder`) as Magento records it.

Why a translation of the neutral order: every sandbox serves the same demo shop
(order ids and numbers, buyers, lines by SKU, taxes, shipping, payments and
totals to the cent), so the conformance suite compares like with like. The
record follows ``sales-data-order-interface`` (admin-schema-2.4.9.yaml):

- ``entity_id`` and ``increment_id`` are the order's number; item ids follow
  the scheme the sandbox's checkout uses for new orders (order id × 100 + rank);
- ``state``/``status``: processing → processing, completed → complete,
  pending → new/pending, on hold → holded, cancelled → canceled. Magento has
  no trash: a trashed order is left out (deleted orders do not exist for the API);
- payment method codes are Magento's (``checkmo``, ``banktransfer``,
  ``cashondelivery``, ``paypal_express``, ``stripe_payments``,
  ``amazon_payment_v2``), the flat rate is ``flatrate_flatrate``;
- taxes per item and per shipping in ``extension_attributes.item_applied_taxes``
  and per order in ``applied_taxes``; a fee (gift wrap) becomes Adobe Commerce
  gift wrapping (``gw_price``/``gw_tax_amount``);
- a redeemed gift card becomes Adobe Commerce's gift card account
  (``magento/module-gift-card-account``): ``extension_attributes.gift_cards``
  (``gift-card-account-data-gift-card-interface``: ``id``, ``code``, ``amount``,
  ``base_amount``, all required) and ``gift_cards_amount``/``base_gift_cards_amount``
  (numbers) in ``sales-data-order-extension-interface`` (admin-schema-2.4.9.yaml);
  ``grand_total`` is after the gift cards (Adobe Commerce's order reports:
  subtotal + tax + shipping + discount − gift cards − store credit). The serialized
  ``sales_order.gift_cards`` column is not an order-interface field, so the REST
  answer carries only the extension attributes [verify on a live Adobe Commerce].

Several delivery addresses have no core Magento field: a multi-address order
ships to the billing address. Refunds and merchant notes are not seeded.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from passerelle.demo_orders import DemoAddress, DemoOrder, DemoTaxAmount

__all__ = ["PAYMENT_CODES", "SHIPPING_CODES", "STATES", "STORE_NAME", "order_record", "stamp"]

#: Neutral status -> Magento (state, status); trashed orders have none.
STATES = {
    "processing": ("processing", "processing"),
    "completed": ("complete", "complete"),
    "pending": ("new", "pending"),
    "on_hold": ("holded", "holded"),
    "cancelled": ("canceled", "canceled"),
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
_ZERO = Decimal(0)


def _n(value: Decimal) -> float:
    """Magento's JSON numbers (PHP floats), rounded as it stores them (4 places)."""
    return float(round(value, 4))


def stamp(moment: datetime) -> str:
    """Magento's UTC timestamps: ``2026-10-26 03:42:43``."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def address_record(
    address: DemoAddress, kind: str, parent_id: int, entity_id: int, email: str
) -> dict[str, Any]:
    """An order address (``sales-data-order-address-interface``)."""
    record: dict[str, Any] = {
        "address_type": kind,
        "city": address.city,
        "country_id": address.country,
        "email": email,
        "entity_id": entity_id,
        "firstname": address.first_name,
        "lastname": address.last_name,
        "parent_id": parent_id,
        "postcode": address.postcode,
        "street": [s for s in (address.street, address.street2) if s] or [""],
        "telephone": address.phone,
    }
    if address.company:
        record["company"] = address.company
    if address.state:
        record["region_code"] = record["region"] = address.state
    return record


def _applied(taxes: tuple[DemoTaxAmount, ...]) -> list[dict[str, Any]]:
    """One applied tax per rate (zero amounts kept: free shipping carries a 0.00 VAT)."""
    return [
        {
            "code": t.rate.code,
            "title": t.rate.name,
            "percent": float(t.rate.percent),
            "amount": _n(t.total),
            "base_amount": _n(t.total),
        }
        for t in taxes
    ]


def _items(order: DemoOrder, created: str, updated: str) -> list[dict[str, Any]]:
    items = []
    for rank, line in enumerate(order.lines, 1):
        item_id = order.number * 100 + rank
        qty, row, tax = Decimal(line.quantity), line.subtotal, line.total_tax
        items.append(
            {
                "item_id": item_id,
                "order_id": order.number,
                "quote_item_id": item_id,
                "sku": line.sku,
                "name": line.name,
                "product_type": "simple",
                "product_id": 0,  # the seeded catalogue is empty
                "qty_ordered": _n(qty),
                "qty_invoiced": _n(qty) if order.paid else 0,
                "price": _n(row / qty),
                "base_price": _n(row / qty),
                "original_price": _n(row / qty),
                "price_incl_tax": _n((row + tax) / qty),
                "row_total": _n(row),
                "base_row_total": _n(row),
                "row_total_incl_tax": _n(row + tax),
                "discount_amount": _n(line.discount),
                "base_discount_amount": _n(line.discount),
                "tax_amount": _n(tax),
                "base_tax_amount": _n(tax),
                "tax_percent": _n(sum((t.rate.percent for t in line.taxes), _ZERO)),
                "is_virtual": 0,
                "store_id": 1,
                "created_at": created,
                "updated_at": updated,
                "weight": 0,
            }
        )
    return items


def _extension(order: DemoOrder, items: list[dict[str, Any]], email: str) -> dict[str, Any]:
    """Shipping assignment, taxes per item and per order, gift wrapping."""
    item_taxes: list[dict[str, Any]] = [
        {"type": "product", "item_id": item["item_id"], "applied_taxes": _applied(line.taxes)}
        for item, line in zip(items, order.lines, strict=True)
    ]
    shipping_taxes = _applied(tuple(t for s in order.shipping_lines for t in s.taxes))
    if shipping_taxes:
        item_taxes.append({"type": "shipping", "applied_taxes": shipping_taxes})
    totals: dict[str, dict[str, Any]] = {}
    for tax in (t for group in item_taxes for t in group["applied_taxes"]):
        entry = totals.setdefault(tax["code"], {**tax, "amount": 0.0, "base_amount": 0.0})
        entry["amount"] = entry["base_amount"] = _n(
            Decimal(str(entry["amount"])) + Decimal(str(tax["amount"]))
        )
    method = order.shipping_lines[0].method if order.shipping_lines else ""
    delivery = order.shipping or order.billing
    extension: dict[str, Any] = {
        "shipping_assignments": [
            {
                "shipping": {
                    "address": address_record(
                        delivery, "shipping", order.number, order.number * 10 + 2, email
                    ),
                    "method": SHIPPING_CODES.get(method, method),
                    "total": {
                        "shipping_amount": _n(order.shipping_total),
                        "shipping_tax_amount": _n(order.shipping_tax),
                    },
                },
                "items": items,
            }
        ],
        "applied_taxes": list(totals.values()),
        "item_applied_taxes": item_taxes,
    }
    if order.fees:
        extension.update(
            {
                "gw_price": str(order.fee_total),
                "gw_base_price": str(order.fee_total),
                "gw_tax_amount": str(order.fee_tax),
                "gw_base_tax_amount": str(order.fee_tax),
            }
        )
    if order.gift_cards:
        extension.update(_gift_cards(order))
    return extension


def _gift_cards(order: DemoOrder) -> dict[str, Any]:
    """The gift card accounts redeemed, as ``GET /V1/orders/{id}`` shows them; the
    account id is the order's number × 10 + rank (the seeded shop has no accounts)."""
    cards = [
        {
            "id": order.number * 10 + rank,
            "code": card.code,
            "amount": _n(card.amount),
            "base_amount": _n(card.amount),
        }
        for rank, card in enumerate(order.gift_cards, 1)
    ]
    return {
        "gift_cards": cards,
        "gift_cards_amount": _n(order.gift_card_total),
        "base_gift_cards_amount": _n(order.gift_card_total),
    }


def _payment(order: DemoOrder) -> dict[str, Any]:
    return {
        "entity_id": order.number,
        "parent_id": order.number,
        "method": PAYMENT_CODES.get(order.payment_method, order.payment_method or "checkmo"),
        "amount_ordered": _n(order.total),
        "base_amount_ordered": _n(order.total),
        "additional_information": [order.payment_title],
        # required by sales-data-order-payment-interface, null for non-card methods
        "account_status": None,
        "cc_last4": None,
        "last_trans_id": order.transaction_id,
    }


def order_record(order: DemoOrder, now: datetime) -> dict[str, Any] | None:
    """The order as ``GET /V1/orders/{id}`` answers it; None for a trashed order."""
    if order.status not in STATES:
        return None  # the trash: Magento has none
    oid = order.number
    state, status = STATES[order.status]
    created, updated = stamp(order.created_at(now)), stamp(order.modified_at(now))
    email = order.billing.email
    items = _items(order, created, updated)
    item_tax = sum((line.total_tax for line in order.lines), _ZERO)
    total, buyer = order.total, order.customer
    record: dict[str, Any] = {
        "entity_id": oid,
        "increment_id": str(oid),
        "state": state,
        "status": status,
        "store_id": 1,
        "store_name": STORE_NAME,
        "created_at": created,
        "updated_at": updated,
        "order_currency_code": order.currency,
        "base_currency_code": order.currency,
        "global_currency_code": order.currency,
        "store_currency_code": order.currency,
        "base_to_order_rate": 1,
        "base_to_global_rate": 1,
        "customer_email": email,
        "customer_firstname": order.billing.first_name,
        "customer_lastname": order.billing.last_name,
        "customer_is_guest": 0 if buyer else 1,
        "customer_group_id": 1 if buyer else 0,
        "customer_note": order.customer_note,
        "customer_note_notify": 0,
        "grand_total": _n(total),
        "base_grand_total": _n(total),
        "subtotal": _n(order.subtotal),
        "base_subtotal": _n(order.subtotal),
        "subtotal_incl_tax": _n(order.subtotal + item_tax),
        "tax_amount": _n(order.total_tax),
        "base_tax_amount": _n(order.total_tax),
        "shipping_amount": _n(order.shipping_total),
        "base_shipping_amount": _n(order.shipping_total),
        "shipping_tax_amount": _n(order.shipping_tax),
        "base_shipping_tax_amount": _n(order.shipping_tax),
        "shipping_incl_tax": _n(order.shipping_total + order.shipping_tax),
        "shipping_description": order.shipping_lines[0].title if order.shipping_lines else "",
        "discount_amount": _n(-order.discount_total),
        "base_discount_amount": _n(-order.discount_total),
        "total_qty_ordered": _n(Decimal(sum(line.quantity for line in order.lines))),
        "total_item_count": len(items),
        "is_virtual": 0,
        "items": items,
        "billing_address_id": oid * 10 + 1,
        "billing_address": address_record(order.billing, "billing", oid, oid * 10 + 1, email),
        "payment": _payment(order),
        "status_histories": [],
        "extension_attributes": _extension(order, items, email),
    }
    if order.paid and state in ("processing", "complete"):
        record["payment"].update({"amount_paid": _n(total), "base_amount_paid": _n(total)})
        for key in ("total_paid", "base_total_paid", "total_invoiced", "base_total_invoiced"):
            record[key] = _n(total)
    if buyer:
        record["customer_id"] = buyer.id
    if order.coupons:
        record["coupon_code"] = record["discount_description"] = ", ".join(
            c.code for c in order.coupons
        )
    if order.vat_number:
        record["customer_taxvat"] = order.vat_number
    return record
