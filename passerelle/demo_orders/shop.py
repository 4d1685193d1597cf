"""The demo shop's tax rates, registered customers, and the builders its orders are written with.

Why builders: the 31 orders (``orders.py``, ``cases.py``) read as a shop's
order list — a buyer, a payment, lines by SKU with their amounts — rather
than as walls of records; names, tax classes and addresses come from
:mod:`passerelle.demo_data`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, cast

from passerelle import demo_data

from .model import (
    DemoAccount,
    DemoAddress,
    DemoCoupon,
    DemoFee,
    DemoOrder,
    DemoOrderLine,
    DemoPackage,
    DemoRate,
    DemoShipping,
    DemoTaxAmount,
)

__all__ = [
    "ACCENTED_CUSTOMER",
    "ACCOUNTS",
    "AMAZON",
    "CARD",
    "COD",
    "PAYPAL",
    "SHIPPING_TITLES",
    "TAX_RATES",
    "TRANSFER",
    "UNKNOWN_SKU",
    "USER_AGENT",
    "COUPONS",
    "account",
    "coupon",
    "fee",
    "line",
    "order",
    "ship",
    "tax",
]

TAX_RATES: tuple[DemoRate, ...] = (
    DemoRate(1, "FR", Decimal("20.0000"), "TVA 20 %", "standard"),
    DemoRate(2, "FR", Decimal("10.0000"), "TVA 10 %", "intermediate-rate"),
    DemoRate(3, "FR", Decimal("5.5000"), "TVA 5,5 %", "reduced-rate"),
    # Canada, for the compound-tax case: GST first, PST compounded on price + GST.
    DemoRate(4, "CA", Decimal("5.0000"), "GST", "standard"),
    DemoRate(5, "CA", Decimal("8.0000"), "PST", "standard", priority=2, compound=True),
)
VAT20, VAT10, VAT55, GST, PST = TAX_RATES

#: A SKU the back-office does not know (an old product still sold by the shop).
UNKNOWN_SKU = "ZZZ-404"
_UNKNOWN_NAME = "Plateau en teck (ancien modèle)"

#: A registered customer whose name, street and city carry accents.
ACCENTED_CUSTOMER = demo_data.DemoCustomer(
    "ELODIE",
    "Élodie",
    "Gérard",
    "elodie.gerard@example.org",
    "12 rue de l'Église",
    "45000",
    "Orléans",
)

#: The registered customers, in the order they signed up (90, 87… days ago).
ACCOUNTS: tuple[DemoAccount, ...] = (
    *(
        DemoAccount(530 + index, c, c.email.split("@")[0], 90 - index * 3)
        for index, c in enumerate(c for c in demo_data.CUSTOMERS if c.email)
    ),
    DemoAccount(539, ACCENTED_CUSTOMER, "elodie.gerard", 40),
)
_ACCOUNTS = {a.code: a for a in ACCOUNTS}

SHIPPING_TITLES = {
    "flat_rate": "Colissimo",
    "free_shipping": "Livraison gratuite",
    "local_pickup": "Retrait en boutique",
}
# (gateway id, title the buyer saw)
CARD = ("stripe", "Carte bancaire")
PAYPAL = ("paypal", "PayPal")
TRANSFER = ("bacs", "Virement bancaire")
COD = ("cod", "Paiement à la livraison")
AMAZON = ("amazon_payments_advanced", "Amazon Pay")
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

_ITEMS = {i.code: i for i in (*demo_data.ITEMS, demo_data.RETIRED_ITEM)}


#: The shop's coupons: code -> (kind, nominal amount, description).
COUPONS: dict[str, tuple[str, str, str]] = {
    "bienvenue10": ("percent", "10.00", ""),
    "remise5": ("fixed_cart", "5.00", ""),
    # Its description names the back-office item its discount lines go to.
    "fidelite": ("fixed_cart", "8.00", "Remise fidélité [DISC-FID]"),
}


def coupon(code: str, discount: str, discount_tax: str) -> DemoCoupon:
    """One of the shop's coupons and what it took off the order (excluding tax, its tax)."""
    kind, amount, description = COUPONS[code]
    return DemoCoupon(
        code, kind, Decimal(amount), Decimal(discount), Decimal(discount_tax), description
    )


def account(code: str) -> DemoAccount:
    """The registered customer of a demo customer code."""
    return _ACCOUNTS[code]


def tax(rate: DemoRate, total: str, subtotal: str | None = None) -> DemoTaxAmount:
    """One rate's tax (``subtotal``: before discounts, when a coupon applied)."""
    return DemoTaxAmount(rate, Decimal(total), None if subtotal is None else Decimal(subtotal))


def line(
    sku: str,
    quantity: int,
    subtotal: str,
    *taxes: DemoTaxAmount,
    total: str | None = None,
    gross: tuple[str, str] | None = None,
    ecotax: str | None = None,
) -> DemoOrderLine:
    """A line of a demo item (name and tax from the catalogue); ``total`` after discounts."""
    item = _ITEMS.get(sku)
    return DemoOrderLine(
        sku=sku,
        name=item.name if item else _UNKNOWN_NAME,
        quantity=quantity,
        tax=item.tax if item else "VAT20",
        subtotal=Decimal(subtotal),
        total=Decimal(subtotal if total is None else total),
        taxes=taxes,
        gross_subtotal=None if gross is None else Decimal(gross[0]),
        gross_total=None if gross is None else Decimal(gross[1]),
        ecotax=None if ecotax is None else Decimal(ecotax),
    )


def ship(method: str, total: str, *taxes: DemoTaxAmount) -> DemoShipping:
    """A shipping line of one of the shop's methods."""
    return DemoShipping(method, SHIPPING_TITLES[method], Decimal(total), taxes)


def fee(name: str, total: str, *taxes: DemoTaxAmount) -> DemoFee:
    return DemoFee(name, Decimal(total), taxes)


def order(
    number: int,
    status: str,
    buyer: str | DemoAddress,
    payment: tuple[str, str],
    created: float,
    lines: tuple[DemoOrderLine, ...],
    shipping: DemoShipping | tuple[DemoShipping, ...],
    *,
    paid: float | None = None,
    completed: float | None = None,
    modified: float | None = None,
    packages: tuple[DemoPackage, ...] = (),
    **extra: Any,
) -> DemoOrder:
    """An order of a registered customer (by code) or a guest (billing address).

    Moments are days before seeding; ``modified`` defaults to the last of them.
    An order shipped to several ``packages`` has no single shipping address.
    """
    customer = account(buyer) if isinstance(buyer, str) else None
    billing = customer.billing if customer else cast(DemoAddress, buyer)
    delivery: DemoAddress | None = replace(billing, email="")
    if packages:
        delivery = None
    if modified is None:
        modified = min(d for d in (created, paid, completed) if d is not None)
    return DemoOrder(
        number=number,
        status=status,
        customer=customer,
        billing=billing,
        shipping=delivery,
        payment_method=payment[0],
        payment_title=payment[1],
        lines=lines,
        shipping_lines=shipping if isinstance(shipping, tuple) else (shipping,),
        created_days_ago=created,
        modified_days_ago=modified,
        paid_days_ago=paid,
        completed_days_ago=completed,
        client_ip=f"192.0.2.{number % 250}",
        user_agent=USER_AGENT,
        packages=packages,
        **extra,
    )
