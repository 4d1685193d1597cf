"""The demo shop in Magento's own shapes, translated from :mod:`passerelle.demo_orders`.

Why translate: every sandbox serves the same demo shop (the same customer ids,
names, e-mails and addresses, the same orders), so the conformance suite
compares like with like. Customers follow ``customer-data-customer-interface``
(admin-schema-2.4.9.yaml), their one address being the default billing and
shipping address; orders are translated by :mod:`.seed_orders`. Besides them,
the seed holds what a fresh Magento has: the root categories, the customer
groups and the tax classes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from passerelle.demo_orders import DemoAccount, at
from passerelle.sandbox.demo_shop import demo_customers, demo_orders

from .inventory import seed_reservations
from .seed_orders import PAYMENT_CODES, STATES, STORE_NAME, order_record, stamp

__all__ = ["PAYMENT_CODES", "STATES", "STORE_NAME", "customer_record", "seed_data"]


def customer_record(account: DemoAccount, now: datetime) -> dict[str, Any]:
    """A registered customer as ``GET /V1/customers/{id}`` answers it."""
    cid = account.id
    signed_up = stamp(at(now, account.created_days_ago))
    home = account.billing
    address: dict[str, Any] = {
        "id": cid * 10,
        "customer_id": cid,
        "region": {"region_code": home.state or None, "region": home.state or None, "region_id": 0},
        "region_id": 0,
        "country_id": home.country,
        "street": [s for s in (home.street, home.street2) if s] or [""],
        "telephone": home.phone,
        "postcode": home.postcode,
        "city": home.city,
        "firstname": home.first_name,
        "lastname": home.last_name,
        "default_billing": True,
        "default_shipping": True,
    }
    if home.company:
        address["company"] = home.company
    return {
        "id": cid,
        "group_id": 1,
        "created_at": signed_up,
        "updated_at": signed_up,  # the account has not changed since
        "created_in": "Default Store View",
        "email": account.email,
        "firstname": account.first_name,
        "lastname": account.last_name,
        "store_id": 1,
        "website_id": 1,
        "addresses": [address],
        "disable_auto_group_change": 0,
        "extension_attributes": {"is_subscribed": False},
        "custom_attributes": [],
        "default_billing": str(cid * 10),
        "default_shipping": str(cid * 10),
    }


def seed_data(now: datetime | None = None) -> dict[str, Any]:
    """The demo shop's customers and orders, plus Magento's root categories and groups.

    ``now`` is the seeding moment the demo's dates count back from (default: the
    current second, UTC)."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    customers = {a.id: customer_record(a, now) for a in demo_customers()}
    orders = {}
    for demo in sorted(demo_orders(), key=lambda o: o.number):
        record = order_record(demo, now)
        if record is not None:
            orders[str(record["entity_id"])] = record
    installed = "2026-01-01 00:00:00"  # when the store was installed
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
            "created_at": installed,
            "updated_at": installed,
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
            "created_at": installed,
            "updated_at": installed,
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
