"""The demo shop's first state: settings, registered customers and past orders.

Why these records: the shop's settings (tax classes and rates, payment
gateways, coupons) are WooCommerce's own; the customers and the 31 past
orders are the demo shop's, described in no platform's vocabulary by
:mod:`passerelle.demo_orders` (SKUs of :data:`passerelle.demo_data.ITEMS`
with ``product_id`` 0: the catalogue starts empty, the connector exports it).
Every order goes through :class:`SeedCheckout`, i.e. the same totals code as
``POST /orders``, so this sandbox's own engine recomputes the amounts the
neutral description states. The first eleven orders (703–713) come first;
the feature cases follow in ``seed_cases.py`` so the ids never move.
"""

from __future__ import annotations

from typing import Any

from passerelle import demo_orders
from passerelle.demo_orders import FIRST_ORDERS, at

from .params import now_utc
from .resources.common import Shop, set_dates
from .resources.customers import CustomerService
from .resources.orders import OrderService
from .resources.refunds import RefundService
from .seed_cases import SEED_CASES, place_demo_order, seed_cases
from .seed_checkout import TAX_CLASS_OF, SeedCheckout, woo_address

__all__ = [
    "COUPONS",
    "PAYMENT_GATEWAYS",
    "SEED_CASES",
    "TAX_CLASSES",
    "TAX_CLASS_OF",
    "TAX_RATES",
    "UNKNOWN_SKU",
    "seed_shop",
]

UNKNOWN_SKU = demo_orders.UNKNOWN_SKU

TAX_CLASSES = [
    {"slug": "standard", "name": "Standard"},
    {"slug": "reduced-rate", "name": "Reduced rate"},
    {"slug": "zero-rate", "name": "Zero rate"},
    # Custom class the merchant added for the French 10 % rate (documented: any
    # class may be created with POST /taxes/classes).
    {"slug": "intermediate-rate", "name": "Intermediate rate"},
]

#: (country, rate, name, class, priority, compound) — ``_taxes.md``: one matching
#: rate per priority is used; a compound rate is "applied on top of other tax rates".
TAX_RATES = [
    (r.country, f"{r.percent:f}", r.name, r.tax_class, r.priority, r.compound)
    for r in demo_orders.TAX_RATES
]

COUPONS = [
    {"code": code, "discount_type": kind, "amount": amount}
    for code, (kind, amount, _description) in demo_orders.COUPONS.items()
    if code in ("bienvenue10", "remise5")
]

PAYMENT_GATEWAYS: list[dict[str, Any]] = [
    {
        "id": "bacs",
        "title": "Virement bancaire",
        "method_title": "Direct bank transfer",
        "description": "Effectuez le paiement directement depuis votre compte bancaire.",
        "method_description": "Take payments in person via BACS. More commonly known as direct "
        "bank/wire transfer.",
        "method_supports": ["products"],
    },
    {
        "id": "cheque",
        "title": "Chèque",
        "method_title": "Check payments",
        "description": "Envoyez votre chèque à Maison Passerelle.",
        "method_description": "Take payments in person via checks.",
        "method_supports": ["products"],
    },
    {
        "id": "cod",
        "title": "Paiement à la livraison",
        "method_title": "Cash on delivery",
        "description": "Payez en espèces à la livraison.",
        "method_description": "Have your customers pay with cash (or by other means) upon "
        "delivery.",
        "method_supports": ["products"],
    },
    {
        "id": "paypal",
        "title": "PayPal",
        "method_title": "PayPal Standard",
        "description": "Payez avec PayPal ; vous pouvez payer par carte si vous n'avez pas de "
        "compte PayPal.",
        "method_description": "PayPal Standard redirects "
        "customers to PayPal to enter their payment information.",
        "method_supports": ["products", "refunds"],
    },
    {
        "id": "stripe",
        "title": "Carte bancaire",
        "method_title": "Stripe",
        "description": "Payez par carte bancaire.",
        "method_description": "Stripe works by adding payment fields on the checkout.",
        "method_supports": ["products", "refunds", "tokenization"],
    },
    # The marketplace's gateway (WooCommerce Amazon Pay): orders paid on Amazon.
    {
        "id": "amazon_payments_advanced",
        "title": "Amazon Pay",
        "method_title": "Amazon Pay",
        "description": "Payez avec votre compte Amazon.",
        "method_description": "Amazon Pay is embedded directly into your existing web site.",
        "method_supports": ["products", "refunds"],
    },
]


def _gateway_settings(gateway: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": {
            "id": "title",
            "label": "Title",
            "description": "",
            "type": "text",
            "value": gateway["title"],
            "default": gateway["method_title"],
            "tip": "",
            "placeholder": "",
        }
    }


def seed_shop(
    shop: Shop, customers: CustomerService, orders: OrderService, refunds: RefundService
) -> None:
    """Fill an empty store (caller holds the lock)."""
    data = shop.data
    now = now_utc()
    data.tax_classes = [dict(c) for c in TAX_CLASSES]
    for order_index, (country, rate, name, tax_class, priority, compound) in enumerate(TAX_RATES):
        rate_id = shop.store.next_id("tax_rate")
        data.taxes[rate_id] = {
            "id": rate_id,
            "country": country,
            "state": "",
            "postcode": "",
            "city": "",
            "postcodes": [],
            "cities": [],
            "rate": rate,
            "name": name,
            "priority": priority,
            "compound": compound,
            "shipping": True,
            "order": order_index,
            "class": tax_class,
        }
    data.payment_gateways = [
        {
            **g,
            "order": i,
            "enabled": g["id"] != "cheque",
            "settings": _gateway_settings(g),
            "needs_setup": False,
            "post_install_scripts": [],
            "settings_url": "",
            "connection_url": None,
            "setup_help_text": None,
            "required_settings_keys": [],
        }
        for i, g in enumerate(PAYMENT_GATEWAYS)
    ]
    for coupon in COUPONS:
        coupon_id = shop.store.next_id("post")
        data.coupons[coupon_id] = {"id": coupon_id, **coupon, "free_shipping": False}
    # WordPress always has the default product category.
    data.categories[15] = {
        "id": 15,
        "name": "Uncategorized",
        "slug": "uncategorized",
        "parent": 0,
        "description": "",
        "display": "default",
        "image": None,
        "menu_order": 0,
    }
    data.sequences["term"] = max(data.sequences["term"], 15)

    registered: dict[str, dict[str, Any]] = {}
    for account in demo_orders.ACCOUNTS:
        record = customers.create(
            {
                "email": account.email,
                "first_name": account.first_name,
                "last_name": account.last_name,
                "username": account.username,
                "billing": woo_address(account.billing, with_email=True),
                "shipping": woo_address(account.shipping, with_email=False),
            }
        )
        set_dates(record, at(now, account.created_days_ago), created=True)
        registered[account.code] = record

    checkout = SeedCheckout(orders, registered, now)
    for demo in FIRST_ORDERS:
        place_demo_order(shop, checkout, refunds, demo)
    seed_cases(shop, checkout, refunds)
