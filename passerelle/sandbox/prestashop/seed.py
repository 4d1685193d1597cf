"""The demo shop in PrestaShop's own records, translated from :mod:`passerelle.demo_orders`.

Why translate rather than write again: every platform's sandbox must hold the
same buyers and the same orders (ids, lines by SKU, taxes, shipping, payment,
totals to the cent), so the conformance suite checks every connector against
one truth, described in no platform's vocabulary. What PrestaShop models
differently:

- order states are records with flags (``order_states.md``); the defaults of
  a PrestaShop 8 install are seeded with their ids (2 Payment accepted, 5
  Delivered, 6 Canceled, 10 Awaiting bank wire payment, 13 Awaiting Cash On
  Delivery validation…), and the ``PS_OS_*`` configurations naming them;
- an order's lines are ``order_details`` priced before cart rules, the
  discount is the order's ``total_discounts_*`` with its ``order_cart_rules``
  (one cart rule per coupon code, numbered here);
- gift wrapping is the order's ``total_wrapping_*``, not a fee line;
- a guest checkout is a customer with ``is_guest`` = 1;
- payment is the module (``ps_wirepayment``, ``paypal``…) and its label;
- the buyer's checkout note is a public ``messages`` record of the cart that
  ``PaymentModule::validateOrder`` gave the order's id (the copy it also
  makes in a customer service thread is not seeded).

Orders PrestaShop cannot hold as the demo shop recorded them are left out and
listed in :data:`SKIPPED`: a compound tax (719), several delivery addresses
(724), a per-line eco-tax (725), the trash (729), and any whose totals its
order fields cannot add up to (a gift card paying part of it, 717).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from passerelle.demo_orders import (
    ACCOUNTS,
    COUPONS,
    ORDERS,
    DemoAddress,
    DemoOrder,
    DemoShipping,
)

from .engine import Engine

__all__ = ["MODULES", "SKIPPED", "STATES", "seed_shop"]

SKIPPED = {
    "719": "compound tax",
    "724": "several delivery addresses",
    "725": "eco-tax line meta",
    "729": "in the trash",
}

# id: (name, paid, shipped, delivery, logable, invoice, template): a PrestaShop 8
# install's states and flags (install-dev/data/xml/order_state.xml).
STATES: dict[int, tuple[str, bool, bool, bool, bool, bool, str]] = {
    1: ("Awaiting check payment", False, False, False, False, False, "cheque"),
    2: ("Payment accepted", True, False, False, True, True, "payment"),
    3: ("Processing in progress", True, False, True, True, True, "preparation"),
    4: ("Shipped", True, True, True, True, True, "shipped"),
    5: ("Delivered", True, True, True, True, True, ""),
    6: ("Canceled", False, False, False, False, False, "order_canceled"),
    7: ("Refunded", False, False, False, False, True, "refund"),
    8: ("Payment error", False, False, False, False, False, "payment_error"),
    9: ("On backorder (paid)", True, False, False, False, True, "outofstock"),
    10: ("Awaiting bank wire payment", False, False, False, False, False, "bankwire"),
    11: ("Remote payment accepted", True, False, False, True, True, "payment"),
    12: ("On backorder (not paid)", False, False, False, False, False, "outofstock"),
    13: (
        "Awaiting Cash On Delivery validation",
        False,
        False,
        False,
        False,
        False,
        "cashondelivery",
    ),
}
# The payment modules that install a state of their own (its module_name).
STATE_MODULES = {1: "ps_checkpayment", 10: "ps_wirepayment", 13: "ps_cashondelivery"}
CONFIG_STATES = {
    "PS_OS_CHEQUE": 1,
    "PS_OS_PAYMENT": 2,
    "PS_OS_PREPARATION": 3,
    "PS_OS_SHIPPING": 4,
    "PS_OS_DELIVERED": 5,
    "PS_OS_CANCELED": 6,
    "PS_OS_REFUND": 7,
    "PS_OS_ERROR": 8,
    "PS_OS_OUTOFSTOCK_PAID": 9,
    "PS_OS_BANKWIRE": 10,
    "PS_OS_WS_PAYMENT": 11,
    "PS_OS_OUTOFSTOCK_UNPAID": 12,
    "PS_OS_COD_VALIDATION": 13,
}
# The demo shop's gateway → PrestaShop payment module and the label buyers saw.
MODULES = {
    "stripe": ("stripe_official", "Carte bancaire"),
    "paypal": ("paypal", "PayPal"),
    "bacs": ("ps_wirepayment", "Virement bancaire"),
    "cheque": ("ps_checkpayment", "Chèque"),
    "cod": ("ps_cashondelivery", "Paiement à la livraison"),
    "amazon_payments_advanced": ("amazonpay", "Amazon Pay"),
}
TAX_GROUPS = [
    ("FR Taux standard (20%)", "20.000"),
    ("FR Taux intermédiaire (10%)", "10.000"),
    ("FR Taux réduit (5.5%)", "5.500"),
]
COUNTRIES = {
    "FR": "France",
    "BE": "Belgique",
    "DE": "Allemagne",
    "US": "États-Unis",
    "CA": "Canada",
    "CH": "Suisse",
    "ES": "Espagne",
    "IT": "Italie",
    "GB": "Royaume-Uni",
}


def _money(value: Decimal | int) -> str:
    return f"{Decimal(value):.6f}"


def _reference(order_id: int) -> str:
    digest = hashlib.sha256(f"order-{order_id}".encode()).digest()
    return "".join(chr(65 + b % 26) for b in digest[:9])


def _state_for(order: DemoOrder) -> int:
    status, method = order.status, order.payment_method
    if status == "completed":
        return 5
    if status == "cancelled":
        return 6
    if status == "processing":
        return 13 if method == "cod" else 2
    if status in ("pending", "on_hold"):
        return 10 if method == "bacs" else 1
    return 8


def seed_shop(engine: Engine, now: datetime | None = None) -> None:
    """Install the base records, the registered customers and the past orders;
    ``now`` (default: the current second, UTC) is the moment the demo's
    "days ago" count back from."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    _base(engine)
    customers = {a.id: _customer(engine, a.billing, guest=False) for a in ACCOUNTS}
    for order in sorted(ORDERS, key=lambda o: o.number):
        if str(order.number) in SKIPPED or order.shipping is None:
            continue
        _order(engine, order, order.shipping, customers, now)


def _base(engine: Engine) -> None:
    lang = "1"
    for state_id, (name, paid, shipped, delivery, logable, invoice, template) in STATES.items():
        engine.sequences["order_states"] = state_id - 1
        engine.insert(
            "order_states",
            {
                "name": {lang: name},
                "template": {lang: template},
                "paid": _b(paid),
                "shipped": _b(shipped),
                "delivery": _b(delivery),
                "logable": _b(logable),
                "invoice": _b(invoice),
                "unremovable": "1",
                "hidden": "0",
                "send_email": "0",
                "color": "#4169E1",
                "pdf_delivery": _b(delivery),
                "pdf_invoice": _b(invoice),
                "deleted": "0",
                "module_name": STATE_MODULES.get(state_id, ""),
            },
        )
    for name, value in CONFIG_STATES.items():
        engine.insert("configurations", {"name": name, "value": str(value)})
    engine.insert("configurations", {"name": "PS_LANG_DEFAULT", "value": lang})
    # Orders beyond the quantity offered are refused (a default install's setting).
    engine.insert("configurations", {"name": "PS_ORDER_OUT_OF_STOCK", "value": "0"})
    engine.insert("configurations", {"name": "PS_CURRENCY_DEFAULT", "value": "1"})
    engine.insert("configurations", {"name": "PS_SHOP_NAME", "value": "Maison Passerelle"})
    for name, iso, locale in (
        ("Français (French)", "fr", "fr-FR"),
        ("English (English)", "en", "en-US"),
    ):
        engine.insert(
            "languages",
            {
                "name": name,
                "iso_code": iso,
                "locale": locale,
                "language_code": locale.lower(),
                "active": "1",
                "is_rtl": "0",
                "date_format_lite": "d/m/Y",
                "date_format_full": "d/m/Y H:i:s",
            },
        )
    for iso in ("FR", *sorted(set(COUNTRIES) - {"FR"})):
        engine.insert(
            "countries",
            {
                "iso_code": iso,
                "name": {lang: COUNTRIES[iso]},
                "id_zone": "1",
                "active": "1",
                "need_zip_code": "1",
            },
        )
    for name, rate in TAX_GROUPS:
        tax = engine.insert(
            "taxes",
            {
                "rate": rate,
                "active": "1",
                "deleted": "0",
                "name": {lang: f"TVA FR {rate.rstrip('0').rstrip('.')}%"},
            },
        )
        group = engine.insert("tax_rule_groups", {"name": name, "active": "1", "deleted": "0"})
        engine.insert(
            "tax_rules",
            {
                "id_tax_rules_group": str(group["id"]),
                "id_country": "1",
                "id_tax": str(tax["id"]),
                "behavior": "0",
                "id_state": "0",
                "zipcode_from": "0",
                "zipcode_to": "0",
            },
        )
    for name in ("Visiteur", "Invité", "Client"):
        engine.insert(
            "groups",
            {
                "name": {lang: name},
                "price_display_method": "1",
                "reduction": "0.00",
                "show_prices": "1",
            },
        )
    for iso, symbol, rate in (
        ("EUR", "€", "1.000000"),
        ("USD", "$", "1.080000"),
        ("CAD", "$", "1.470000"),
        ("GBP", "£", "0.850000"),
        ("CHF", "CHF", "0.950000"),
    ):
        engine.insert(
            "currencies",
            {
                "iso_code": iso,
                "name": iso,
                "symbol": symbol,
                "conversion_rate": rate,
                "precision": "2",
                "active": "1",
                "deleted": "0",
            },
        )
    engine.insert(
        "categories",
        {
            "name": {lang: "Racine"},
            "link_rewrite": {lang: "racine"},
            "active": "1",
            "id_parent": "0",
            "is_root_category": "0",
            "level_depth": "0",
        },
    )
    engine.insert(
        "categories",
        {
            "name": {lang: "Accueil"},
            "link_rewrite": {lang: "accueil"},
            "active": "1",
            "id_parent": "1",
            "is_root_category": "1",
            "level_depth": "1",
        },
    )


def _b(value: bool) -> str:
    return "1" if value else "0"


def _country(engine: Engine, iso: str) -> str:
    for country in engine.data["countries"].values():
        if country["iso_code"] == (iso or "FR"):
            return str(country["id"])
    return "1"


def _customer(engine: Engine, buyer: DemoAddress, *, guest: bool) -> dict[str, Any]:
    """A customer account from the buyer's billing address (which holds the e-mail)."""
    email = buyer.email
    group = "2" if guest else "3"
    return engine.insert(
        "customers",
        {
            "email": email,
            "firstname": buyer.first_name,
            "lastname": buyer.last_name,
            "passwd": hashlib.sha256(email.encode()).hexdigest()[:60],
            "active": "1",
            "is_guest": _b(guest),
            "id_default_group": group,
            "id_lang": "1",
            "id_shop": "1",
            "id_shop_group": "1",
            "deleted": "0",
            "newsletter": "0",
            "optin": "0",
            "company": buyer.company,
            "note": "",
            "secure_key": hashlib.md5(email.encode()).hexdigest(),  # noqa: S324 - a token
            "associations": {"groups": [{"id": group}]},
        },
    )


def _delivered_to(order: DemoOrder, shipping: DemoAddress) -> DemoAddress:
    """The delivery address: the shipping address, the billing one filling its blanks
    (PrestaShop keeps one full address per delivery, phone included)."""
    billing = order.billing
    return DemoAddress(
        *(
            getattr(shipping, name) or getattr(billing, name)
            for name in (
                "first_name", "last_name", "street", "postcode", "city", "country",
                "company", "street2", "state", "phone",
            )
        )
    )  # fmt: skip


def _address(engine: Engine, customer_id: int, address: DemoAddress, vat: str = "") -> int:
    """The customer's address record with those values, created when none matches."""
    values = {
        "id_customer": str(customer_id),
        "id_country": _country(engine, address.country),
        "alias": "Mon adresse",
        "company": address.company,
        "lastname": address.last_name,
        "firstname": address.first_name,
        "address1": address.street,
        "address2": address.street2,
        "postcode": address.postcode,
        "city": address.city,
        "phone": address.phone,
        "vat_number": vat,
        "deleted": "0",
        "id_state": "0",
    }
    for record in engine.data["addresses"].values():
        if all(record.get(k) == v for k, v in values.items() if k != "alias"):
            return int(record["id"])
    return int(engine.insert("addresses", values)["id"])


def _carrier(engine: Engine, shipping: DemoShipping) -> int:
    """The carrier named as the shipping method's title, created on first use."""
    for carrier in engine.data["carriers"].values():
        if carrier["name"] == shipping.title:
            return int(carrier["id"])
    free = shipping.method in ("free_shipping", "local_pickup")
    return int(
        engine.insert(
            "carriers",
            {
                "name": shipping.title,
                "active": "1",
                "deleted": "0",
                "is_free": _b(free),
                "id_tax_rules_group": "1",
                "delay": {"1": "48 h"},
                "is_module": "0",
                "shipping_method": "2",
                "id_reference": str(len(engine.data["carriers"]) + 1),
            },
        )["id"]
    )


def _currency(engine: Engine, iso: str) -> dict[str, Any]:
    return next(c for c in engine.data["currencies"].values() if c["iso_code"] == iso)


def _cart_rule_id(code: str) -> int:
    """The shop's cart rule for a coupon code: one per code, in the demo's coupon order."""
    return list(COUPONS).index(code) + 1


def _details(order: DemoOrder) -> list[dict[str, Any]]:
    """The ``order_details`` values of the order's lines, priced before cart rules."""
    details = []
    for li in order.lines:
        qty = Decimal(li.quantity)
        sub, sub_tax = li.subtotal, li.subtotal_tax
        rate = li.taxes[0].rate if li.taxes else None
        details.append(
            {
                "product_id": "0",
                "product_attribute_id": "0",
                "product_name": li.name,
                "product_quantity": str(li.quantity),
                "product_reference": li.sku,
                "product_price": _money(sub / qty),
                "unit_price_tax_excl": _money(sub / qty),
                "unit_price_tax_incl": _money((sub + sub_tax) / qty),
                "total_price_tax_excl": _money(sub),
                "total_price_tax_incl": _money(sub + sub_tax),
                "tax_rate": f"{rate.percent if rate else Decimal(0):.3f}",
                "tax_name": rate.name if rate else "",
                "id_shop": "1",
                "reduction_percent": "0.00",
                "reduction_amount": "0.000000",
                "ecotax": "0.000000",
                "id_tax_rules_group": "0",
                "tax_computation_method": "0",
            }
        )
    return details


_ROW_FIELDS = (
    "product_id",
    "product_attribute_id",
    "product_name",
    "product_reference",
    "product_price",
    "unit_price_tax_incl",
    "unit_price_tax_excl",
)


def _order_rows(engine: Engine, order_id: int, details: list[dict[str, Any]]) -> list[Any]:
    """Insert the order's details; the ``order_rows`` association that lists them."""
    rows = []
    for detail in details:
        row = engine.insert("order_details", {**detail, "id_order": str(order_id)})
        rows.append(
            {k: detail.get(k, "") for k in _ROW_FIELDS}
            | {
                "id": str(row["id"]),
                "product_quantity": detail["product_quantity"],
                "id_customization": "0",
                "product_ean13": "",
                "product_isbn": "",
                "product_upc": "",
            }
        )
    return rows


def _order(
    engine: Engine,
    demo: DemoOrder,
    shipping: DemoAddress,
    customers: dict[int, dict[str, Any]],
    now: datetime,
) -> None:
    """The order as ``PaymentModule::validateOrder`` records it, unless its totals
    do not add up in PrestaShop's order fields (then listed in :data:`SKIPPED`)."""
    customer = customers.get(demo.customer.id) if demo.customer else None
    if customer is None:
        customer = _customer(engine, demo.billing, guest=True)
    vat = demo.vat_number
    invoice = _address(engine, customer["id"], demo.billing, vat)
    delivery = _address(engine, customer["id"], _delivered_to(demo, shipping), vat)
    ship = demo.shipping_lines[0]
    wrap = [f for f in demo.fees if f.name == "Emballage cadeau"]
    products = sum((li.subtotal for li in demo.lines), Decimal(0))
    products_wt = sum((li.subtotal + li.subtotal_tax for li in demo.lines), Decimal(0))
    discount = demo.discount_total
    discount_wt = discount + demo.discount_tax
    wrap_excl = sum((f.total for f in wrap), Decimal(0))
    wrap_incl = wrap_excl + sum((f.total_tax for f in wrap), Decimal(0))
    ship_excl, ship_incl = ship.total, ship.total + ship.total_tax
    total = demo.total
    if products_wt + ship_incl + wrap_incl - discount_wt != total or len(wrap) != len(demo.fees):
        SKIPPED[str(demo.number)] = "totals PrestaShop cannot hold"
        return
    total_excl = total - demo.total_tax
    ship_rate = ship.taxes[0].rate.percent if ship.taxes else Decimal(0)
    currency = _currency(engine, demo.currency)
    state = _state_for(demo)
    module, label = MODULES.get(demo.payment_method, (demo.payment_method, demo.payment_title))
    reference = _reference(demo.number)
    placed = demo.created_at(now).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    engine.sequences["orders"] = demo.number - 1
    order = engine.insert(
        "orders",
        {
            "id_address_delivery": str(delivery),
            "id_address_invoice": str(invoice),
            "id_cart": str(demo.number),
            "id_currency": str(currency["id"]),
            "id_lang": "1",
            "id_customer": str(customer["id"]),
            "id_carrier": str(_carrier(engine, ship)),
            "current_state": "0",
            "module": module,
            "payment": label,
            "valid": "0",
            "date_add": placed,
            "date_upd": placed,
            "note": "",
            "id_shop_group": "1",
            "id_shop": "1",
            "secure_key": customer["secure_key"],
            "recyclable": "0",
            "gift": _b(bool(wrap)),
            "gift_message": "",
            "mobile_theme": "0",
            "total_discounts": _money(discount_wt),
            "total_discounts_tax_incl": _money(discount_wt),
            "total_discounts_tax_excl": _money(discount),
            "total_paid": _money(total),
            "total_paid_tax_incl": _money(total),
            "total_paid_tax_excl": _money(total_excl),
            "total_paid_real": _money(total if STATES[state][1] else 0),
            "total_products": _money(products),
            "total_products_wt": _money(products_wt),
            "total_shipping": _money(ship_incl),
            "total_shipping_tax_incl": _money(ship_incl),
            "total_shipping_tax_excl": _money(ship_excl),
            "carrier_tax_rate": f"{ship_rate:.3f}",
            "total_wrapping": _money(wrap_incl),
            "total_wrapping_tax_incl": _money(wrap_incl),
            "total_wrapping_tax_excl": _money(wrap_excl),
            "round_mode": "2",
            "round_type": "1",
            "conversion_rate": currency["conversion_rate"],
            "reference": reference,
            "invoice_number": "0",
            "delivery_number": "0",
            "shipping_number": "",
        },
    )
    order["associations"]["order_rows"] = _order_rows(engine, order["id"], _details(demo))
    _after_checkout(engine, demo, order, customer, state, label)


def _after_checkout(
    engine: Engine,
    demo: DemoOrder,
    order: dict[str, Any],
    customer: dict[str, Any],
    state: int,
    label: str,
) -> None:
    """What ``PaymentModule::validateOrder`` and the later state changes recorded
    beside the order: cart rules, the buyer's note, the carrier, the state
    history, the payment."""
    order_id = str(order["id"])
    for coupon in demo.coupons:
        engine.insert(
            "order_cart_rules",
            {
                "id_order": order_id,
                "id_cart_rule": str(_cart_rule_id(coupon.code)),
                "name": coupon.code,
                "value": _money(coupon.discount + coupon.discount_tax),
                "value_tax_excl": _money(coupon.discount),
                "free_shipping": "0",
                "id_order_invoice": "0",
            },
        )
    if demo.customer_note:
        engine.insert(
            "messages",
            {
                "id_cart": order["id_cart"],
                "id_order": order_id,
                "id_customer": str(customer["id"]),
                "id_employee": "0",
                "message": demo.customer_note,
                "private": "0",
                "date_add": order["date_add"],
            },
        )
    engine.insert(
        "order_carriers",
        {
            "id_order": order_id,
            "id_carrier": order["id_carrier"],
            "weight": "0",
            "shipping_cost_tax_excl": order["total_shipping_tax_excl"],
            "shipping_cost_tax_incl": order["total_shipping_tax_incl"],
            "tracking_number": "",
            "id_order_invoice": "0",
            "date_add": order["date_add"],
        },
    )
    first = 10 if demo.payment_method == "bacs" and state in (2, 5) else state
    for step in dict.fromkeys([first, 2 if state == 5 else state, state]):
        engine.insert(
            "order_histories",
            {
                "id_order": order_id,
                "id_employee": "0",
                "id_order_state": str(step),
                "date_add": order["date_add"],
            },
        )
    if STATES[state][1]:
        engine.insert(
            "order_payments",
            {
                "order_reference": order["reference"],
                "id_currency": order["id_currency"],
                "amount": order["total_paid"],
                "payment_method": label,
                "conversion_rate": order["conversion_rate"],
                "transaction_id": demo.transaction_id,
                "date_add": order["date_add"],
            },
        )
