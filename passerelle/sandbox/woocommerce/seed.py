"""The demo shop's first state: settings, registered customers and past orders.

Why these records: the import-orders flow must meet every case a real
French shop produces — paid (processing, completed), awaiting payment
(pending, on-hold), cancelled, a guest checkout, a coupon (line subtotal ≠
total), a cart mixing the 20 %, 10 % and 5.5 % VAT rates, a SKU the
back-office does not know, free and paid shipping, several payment methods.
The catalogue itself starts empty (the connector exports it), so order
lines carry the SKUs of :data:`passerelle.demo_data.ITEMS` with
``product_id`` 0, priced excluding tax like a shop configured that way.
Every order goes through :meth:`OrderService.create`, i.e. the same totals
code as ``POST /orders``. The orders serving one order-import feature each
(compound taxes, refunds, trash, gift cards…) follow in ``seed_cases.py``,
placed after these so the ids here (703–713) never move.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from passerelle import demo_data

from .params import now_utc
from .resources.common import Shop, set_dates
from .resources.customers import CustomerService
from .resources.orders import OrderService
from .resources.refunds import RefundService
from .seed_cases import SEED_CASES, seed_cases
from .seed_checkout import TAX_CLASS_OF, SeedCheckout, address, line, shipping

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

UNKNOWN_SKU = "ZZZ-404"

TAX_CLASSES = [
    {"slug": "standard", "name": "Standard"},
    {"slug": "reduced-rate", "name": "Reduced rate"},
    {"slug": "zero-rate", "name": "Zero rate"},
    # Custom class the merchant added for the French 10 % rate (documented: any
    # class may be created with POST /taxes/classes).
    {"slug": "intermediate-rate", "name": "Intermediate rate"},
]

TAX_RATES = [
    # (country, rate, name, class, priority, compound) — ``_taxes.md``: one
    # matching rate per priority is used; a compound rate is "applied on top
    # of other tax rates".
    ("FR", "20.0000", "TVA 20 %", "standard", 1, False),
    ("FR", "10.0000", "TVA 10 %", "intermediate-rate", 1, False),
    ("FR", "5.5000", "TVA 5,5 %", "reduced-rate", 1, False),
    # Canada, for the compound-tax case: GST first, PST compounded on price + GST.
    ("CA", "5.0000", "GST", "standard", 1, False),
    ("CA", "8.0000", "PST", "standard", 2, True),
]

COUPONS = [
    {"code": "bienvenue10", "discount_type": "percent", "amount": "10.00"},
    {"code": "remise5", "discount_type": "fixed_cart", "amount": "5.00"},
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
    for index, demo in enumerate(c for c in demo_data.CUSTOMERS if c.email):
        record = customers.create(
            {
                "email": demo.email,
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "username": demo.email.split("@")[0],
                "billing": address(demo, with_contact=True),
                "shipping": {k: v for k, v in address(demo, with_contact=False).items()},
            }
        )
        set_dates(record, now - timedelta(days=90 - index * 3), created=True)
        registered[demo.code] = record

    checkout = SeedCheckout(orders, registered, now)
    place = checkout.place

    guest = {
        "first_name": "Sophie",
        "last_name": "Lambert",
        "company": "",
        "address_1": "5 rue Nationale",
        "address_2": "",
        "city": "Tours",
        "state": "",
        "postcode": "37000",
        "country": "FR",
        "email": "sophie.lambert@example.net",
        "phone": "07 98 76 54 32",
    }

    # 1. Paid by card, being prepared.
    place(
        "C0001",
        30,
        {
            "status": "pending",
            "set_paid": True,
            "payment_method": "stripe",
            "payment_method_title": "Carte bancaire",
            "line_items": [line("POT-001", 2), line("KNF-001", 1)],
            "shipping_lines": shipping("flat_rate", "5.90"),
        },
        transaction_id="ch_3PsandboxA0001",
    )
    # 2. Paid with PayPal then shipped: completed; mixes 20 %, 10 % and 5.5 %.
    place(
        "C0002",
        21,
        {
            "set_paid": True,
            "payment_method": "paypal",
            "payment_method_title": "PayPal",
            "line_items": [
                line("PAN-001", 1),
                line("OIL-001", 2),
                line("GRD-001", 3),
                line("TEA-001", 1),
                line("GRD-004", 2),
            ],
            "shipping_lines": shipping("flat_rate", "7.50"),
        },
        then=("completed", 19),
        transaction_id="8MC585209K746392H",
    )
    # 3. Bank transfer not received yet: pending payment.
    place(
        "C0003",
        2,
        {
            "status": "pending",
            "payment_method": "bacs",
            "payment_method_title": "Virement bancaire",
            "line_items": [line("PLT-001", 6), line("GLS-002", 6)],
            "shipping_lines": shipping("flat_rate", "9.90"),
        },
    )
    # 4. Cancelled (PayPal payment abandoned).
    place(
        "C0004",
        14,
        {
            "status": "pending",
            "payment_method": "paypal",
            "payment_method_title": "PayPal",
            "line_items": [line("BOK-001", 1), line("BOK-002", 1)],
            "shipping_lines": shipping("flat_rate", "4.90"),
        },
        then=("cancelled", 13),
    )
    # 5. Guest checkout, card, free shipping.
    place(
        None,
        9,
        {
            "set_paid": True,
            "payment_method": "stripe",
            "payment_method_title": "Carte bancaire",
            "line_items": [line("HNY-001", 2), line("JAM-001", 3), line("CHO-001", 4)],
            "shipping_lines": shipping("free_shipping", "0.00"),
        },
        guest=guest,
        transaction_id="ch_3PsandboxA0005",
    )
    # 6. Percent coupon: line subtotals differ from totals.
    place(
        "C0005",
        6,
        {
            "set_paid": True,
            "payment_method": "paypal",
            "payment_method_title": "PayPal",
            "line_items": [line("KNF-002", 1), line("APR-001", 2), line("TEA-002", 1)],
            "shipping_lines": shipping("flat_rate", "4.90"),
            "coupon_lines": [{"code": "bienvenue10"}],
        },
        transaction_id="5TY05013RG002845M",
    )
    # 7. A SKU the back-office does not know.
    place(
        "C0006",
        4,
        {
            "set_paid": True,
            "payment_method": "stripe",
            "payment_method_title": "Carte bancaire",
            "line_items": [
                line("CUP-002", 4),
                {
                    "sku": UNKNOWN_SKU,
                    "name": "Plateau en teck (ancien modèle)",
                    "quantity": 1,
                    "subtotal": "12.50",
                    "total": "12.50",
                },
            ],
            "shipping_lines": shipping("flat_rate", "5.90"),
        },
        transaction_id="ch_3PsandboxA0007",
    )
    # 8. Cash on delivery: processing as soon as placed, collected on delivery.
    place(
        "C0007",
        3,
        {
            "status": "processing",
            "payment_method": "cod",
            "payment_method_title": "Paiement à la livraison",
            "line_items": [line("GRD-005", 1), line("GRD-007", 1)],
            "shipping_lines": shipping("local_pickup", "0.00"),
        },
    )
    # 9. Company customer, fixed coupon, gift-wrap fee, paid by transfer, completed.
    place(
        "C0008",
        12,
        {
            "status": "on-hold",
            "payment_method": "bacs",
            "payment_method_title": "Virement bancaire",
            "line_items": [line("TBL-001", 1), line("NPK-001", 4)],
            "fee_lines": [
                {
                    "name": "Emballage cadeau",
                    "total": "3.00",
                    "tax_status": "taxable",
                    "tax_class": "",
                }
            ],
            "shipping_lines": shipping("flat_rate", "12.00"),
            "coupon_lines": [{"code": "remise5"}],
        },
        then=("completed", 8),
    )
    # 10. Bank transfer awaited: on hold.
    place(
        "C0010",
        1,
        {
            "status": "on-hold",
            "payment_method": "bacs",
            "payment_method_title": "Virement bancaire",
            "line_items": [line("COF-001", 2), line("COF-002", 3)],
            "shipping_lines": shipping("flat_rate", "6.90"),
        },
    )
    # 11. Recent card order with free shipping over the threshold.
    place(
        "C0001",
        0.2,
        {
            "set_paid": True,
            "payment_method": "stripe",
            "payment_method_title": "Carte bancaire",
            "line_items": [line("POT-003", 1), line("KIT-002", 1), line("SAL-001", 2)],
            "shipping_lines": shipping("free_shipping", "0.00"),
        },
        transaction_id="ch_3PsandboxA0011",
    )
    seed_cases(shop, customers, checkout, refunds)
