"""One seed order per order-import feature, after the demo shop's first eleven orders.

Why: each feature of the order import (O2–O28) must meet, in the sandbox, the
order a real shop would send for it — a percent coupon across three VAT
rates, a refund, a trashed order, a compound Canadian tax, a foreign
currency, extension data (gift cards, several delivery addresses, VAT
number, invoice date, eco-tax)… Tests find each order by case name in
:data:`SEED_CASES`; :func:`seed_cases` checks every order lands on its
number, so the table cannot drift from the seed.

Every order is placed through :class:`SeedCheckout` (``POST /orders``'s
totals); refunds through ``POST /orders/<id>/refunds``'s service and notes
through ``POST /orders/<id>/notes``'s. Meta conventions and extension
shapes are described in ``resources/extensions.py``.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from passerelle.demo_orders import ACCENTED_CUSTOMER

from .resources.common import Shop, apply_meta_data, set_dates
from .resources.customers import CustomerService
from .resources.extensions import (
    ECOTAX_META,
    INVOICE_DATE_META,
    INVOICE_NUMBER_META,
    VAT_NUMBER_META,
    WCMS_ITEM_IDS_META,
    WCMS_PACKAGES_META,
    WCMS_SHIPPING_IDS_META,
)
from .resources.refunds import RefundService
from .seed_checkout import SeedCheckout, address, line, shipping

__all__ = ["LOYALTY_COUPON", "SEED_CASES", "seed_cases"]

#: case name -> order number (the order's id) in a freshly seeded sandbox.
SEED_CASES: dict[str, str] = {
    "discount_across_vat": "715",
    "coupon_naming_item": "716",
    "gift_card_and_wrap": "717",
    "foreign_currency": "718",
    "compound_tax": "719",
    "export_outside_eu": "720",
    "eu_reverse_charge": "721",
    "match_by_number": "722",
    "marketplace": "723",
    "several_addresses": "724",
    "ecotax": "725",
    "substitutes": "726",
    "refunded": "727",  # its refund is post 728
    "archived": "729",
    "other_store": "730",
    "grouped_guests": "731",
    "grouped_guests_2": "732",
    "messages": "733",
    "gross_prices": "734",
    "accents": "735",
}

#: O14: a coupon whose description names the back-office item of its discount lines.
LOYALTY_COUPON = {
    "code": "fidelite",
    "discount_type": "fixed_cart",
    "amount": "8.00",
    "description": "Remise fidélité [DISC-FID]",
}


def _guest(
    first: str,
    last: str,
    street: str,
    postcode: str,
    city: str,
    country: str,
    email: str,
    *,
    company: str = "",
    state: str = "",
    street2: str = "",
    phone: str = "06 00 00 00 00",
) -> dict[str, str]:
    return {
        "first_name": first,
        "last_name": last,
        "company": company,
        "address_1": street,
        "address_2": street2,
        "city": city,
        "state": state,
        "postcode": postcode,
        "country": country,
        "email": email,
        "phone": phone,
    }


def _paid(method: str, title: str, **extra: Any) -> dict[str, Any]:
    return {"set_paid": True, "payment_method": method, "payment_method_title": title, **extra}


CARD = ("stripe", "Carte bancaire")
PAYPAL = ("paypal", "PayPal")
TRANSFER = ("bacs", "Virement bancaire")


def seed_cases(
    shop: Shop, customers: CustomerService, checkout: SeedCheckout, refunds: RefundService
) -> None:
    """Add the feature cases to a shop already holding the eleven demo orders."""
    store = shop.store
    coupon_id = store.next_id("post")
    shop.data.coupons[coupon_id] = {"id": coupon_id, **LOYALTY_COUPON, "free_shipping": False}
    record = customers.create(
        {
            "email": ACCENTED_CUSTOMER.email,
            "first_name": ACCENTED_CUSTOMER.first_name,
            "last_name": ACCENTED_CUSTOMER.last_name,
            "username": "elodie.gerard",
            "billing": address(ACCENTED_CUSTOMER, with_contact=True),
            "shipping": address(ACCENTED_CUSTOMER, with_contact=False),
        }
    )
    set_dates(record, checkout.now - timedelta(days=40), created=True)
    checkout.registered[ACCENTED_CUSTOMER.code] = record
    checkout.customers[ACCENTED_CUSTOMER.code] = ACCENTED_CUSTOMER

    def case(
        name: str, code: str | None, days_ago: float, body: dict[str, Any], **options: Any
    ) -> dict[str, Any]:
        order = checkout.place(code, days_ago, body, **options)
        if str(order["id"]) != SEED_CASES[name]:
            raise RuntimeError(
                f"seed case {name} became order {order['id']}, not "
                f"{SEED_CASES[name]}: keep seed_cases.py and SEED_CASES in step"
            )
        return order

    # O14/O9: a percent coupon spread over lines at 20 %, 10 % and 5.5 % VAT.
    case(
        "discount_across_vat",
        "C0006",
        18,
        {
            **_paid(*CARD),
            "line_items": [line("KNF-001", 2), line("GRD-002", 3), line("TEA-003", 2)],
            "shipping_lines": shipping("flat_rate", "5.90"),
            "coupon_lines": [{"code": "bienvenue10"}],
        },
        transaction_id="ch_3PsandboxB0715",
    )
    # O14: the coupon's description "[DISC-FID]" names the discount item.
    case(
        "coupon_naming_item",
        "C0007",
        17,
        {
            **_paid(*PAYPAL),
            "line_items": [line("TBL-001", 1), line("NPK-001", 2)],
            "shipping_lines": shipping("flat_rate", "6.90"),
            "coupon_lines": [{"code": LOYALTY_COUPON["code"]}],
        },
        transaction_id="7HK12034LM556201T",
    )
    # O25: a gift card redeemed (WooCommerce Gift Cards) and a gift-wrap fee.
    case(
        "gift_card_and_wrap",
        "C0005",
        16,
        {
            **_paid(*PAYPAL),
            "line_items": [line("APR-001", 1), line("TEA-002", 2)],
            "fee_lines": [
                {
                    "name": "Emballage cadeau",
                    "total": "3.00",
                    "tax_status": "taxable",
                    "tax_class": "",
                }
            ],
            "shipping_lines": shipping("flat_rate", "5.90"),
        },
        gift_cards=[{"code": "GC-7K2M-9QXA-4TBW", "amount": "20.00"}],
        transaction_id="3WV88417AB0921555",
    )
    # O12: an order in US dollars, paid by card.
    case(
        "foreign_currency",
        "C0004",
        15,
        {
            **_paid(*CARD),
            "currency": "USD",
            "line_items": [line("POT-002", 1), line("KNF-001", 1)],
            "shipping_lines": shipping("flat_rate", "9.90"),
        },
        transaction_id="ch_3PsandboxB0718",
    )
    # O24: Canadian address in CAD: GST 5 % then PST 8 % compounded on price + GST.
    case(
        "compound_tax",
        None,
        11,
        {
            **_paid(*CARD),
            "currency": "CAD",
            "line_items": [line("KNF-002", 1), line("CUP-002", 3)],
            "shipping_lines": shipping("flat_rate", "19.90"),
        },
        guest=_guest(
            "Olivia",
            "Chen",
            "1055 West Georgia Street",
            "V6E 3P3",
            "Vancouver",
            "CA",
            "olivia.chen@example.ca",
            state="BC",
            street2="Suite 2100",
            phone="+1 604 555 0147",
        ),
        transaction_id="ch_3PsandboxB0719",
    )
    # O9: delivered to the United States: no tax on any line (export).
    case(
        "export_outside_eu",
        None,
        10.5,
        {
            **_paid(*PAYPAL),
            "line_items": [line("BOK-001", 1), line("GLS-002", 4)],
            "shipping_lines": shipping("flat_rate", "24.00"),
        },
        guest=_guest(
            "Emily",
            "Johnson",
            "350 Fifth Avenue",
            "10118",
            "New York",
            "US",
            "emily.johnson@example.com",
            state="NY",
            phone="+1 212 555 0199",
        ),
        transaction_id="9LT55213CD4419086",
    )
    # O9/K7: a Belgian company with a VAT number (EU VAT Number): reverse charge, no tax.
    case(
        "eu_reverse_charge",
        None,
        10,
        {
            **_paid(*TRANSFER),
            "line_items": [line("POT-003", 2), line("PAN-002", 2)],
            "shipping_lines": shipping("flat_rate", "15.00"),
            "meta_data": [
                {"key": VAT_NUMBER_META, "value": "BE0477472701"},
                {"key": "is_vat_exempt", "value": "yes"},
            ],
        },
        guest=_guest(
            "Luc",
            "Peeters",
            "Rue de la Loi 16",
            "1000",
            "Bruxelles",
            "BE",
            "compta@brasserie-peeters.example.be",
            company="Brasserie Peeters SPRL",
            phone="+32 2 555 01 23",
        ),
    )
    # K7: an e-mail the back-office does not know, but the company's VAT number it does.
    case(
        "match_by_number",
        None,
        7.5,
        {
            **_paid(*TRANSFER),
            "line_items": [line("KIT-001", 2), line("KIT-004", 1)],
            "shipping_lines": shipping("flat_rate", "7.90"),
            "meta_data": [{"key": VAT_NUMBER_META, "value": "FR40303265045"}],
        },
        guest=_guest(
            "Gabriel",
            "Durand",
            "41 rue du Faubourg",
            "67000",
            "Strasbourg",
            "FR",
            "compta@durand-sarl.example.org",
            company="Durand SARL",
            phone="03 88 00 00 00",
        ),
    )
    # O3/O15: a marketplace order (Amazon), paid through Amazon Pay.
    case(
        "marketplace",
        None,
        7,
        {
            **_paid("amazon_payments_advanced", "Amazon Pay"),
            "line_items": [line("CUP-001", 6)],
            "shipping_lines": shipping("flat_rate", "4.90"),
        },
        guest=_guest(
            "Marie",
            "Lefebvre",
            "8 rue Victor Hugo",
            "69002",
            "Lyon",
            "FR",
            "0c9f2k7d1xq4m8w@marketplace.amazon.fr",
        ),
        created_via="amazon",
        transaction_id="P01-1234567-1234567-C012345",
    )
    # O23: two lines delivered to two addresses (WooCommerce Ship to Multiple Addresses).
    several = case(
        "several_addresses",
        "C0003",
        5.5,
        {
            **_paid(*CARD),
            "line_items": [line("TWL-001", 2), line("BOK-003", 1)],
            "shipping_lines": shipping("flat_rate", "5.90") + shipping("flat_rate", "5.90"),
        },
        transaction_id="ch_3PsandboxB0724",
    )
    mother = {
        "first_name": "Monique",
        "last_name": "Dubois",
        "company": "",
        "address_1": "3 chemin des Crêts",
        "address_2": "",
        "city": "Annecy",
        "state": "",
        "postcode": "74000",
        "country": "FR",
    }
    _ship_to_several(
        shop, several, [address(checkout.customers["C0003"], with_contact=False), mother]
    )
    # O16: a line whose price includes an eco-tax of 0.50 per unit.
    case(
        "ecotax",
        "C0002",
        5,
        {
            **_paid(*PAYPAL),
            "line_items": [
                line("KIT-002", 2, meta_data=[{"key": ECOTAX_META, "value": "0.50"}]),
                line("SAL-001", 1),
            ],
            "shipping_lines": shipping("flat_rate", "6.90"),
        },
        transaction_id="2RB40981EF7733340",
    )
    # O8: an item withdrawn from sale (OLD-001) and one out of stock (CHO-001).
    case(
        "substitutes",
        "C0010",
        4.5,
        {
            **_paid(*CARD),
            "line_items": [line("OLD-001", 1), line("CHO-001", 3)],
            "shipping_lines": shipping("flat_rate", "8.90"),
        },
        transaction_id="ch_3PsandboxB0726",
    )
    # O28 (and O7): completed, invoiced (PDF Invoices & Packing Slips), then one
    # unit of one line refunded with a reason.
    refunded = case(
        "refunded",
        "C0001",
        20,
        {
            **_paid(*CARD),
            "line_items": [line("PAN-002", 1), line("KIT-005", 2)],
            "shipping_lines": shipping("flat_rate", "5.90"),
        },
        then=("completed", 18),
        transaction_id="ch_3PsandboxB0727",
    )
    invoiced = checkout.now - timedelta(days=18)
    refunded["meta_data"] = apply_meta_data(
        store,
        refunded["meta_data"],
        [
            {"key": INVOICE_NUMBER_META, "value": "F-2024-0727"},
            {"key": INVOICE_DATE_META, "value": str(int(invoiced.timestamp()))},
        ],
    )
    _refund_one_unit(
        refunds, refunded, "KIT-005", "Tire-bouchon reçu cassé", checkout.now - timedelta(days=16)
    )
    # O27: paid, then moved to the trash by the merchant.
    archived = case(
        "archived",
        None,
        8,
        {
            **_paid(*CARD),
            "line_items": [line("GRD-008", 1), line("GRD-009", 2)],
            "shipping_lines": shipping("flat_rate", "6.90"),
        },
        guest=_guest(
            "Paul",
            "Girard",
            "17 avenue de la Gare",
            "21000",
            "Dijon",
            "FR",
            "paul.girard@example.net",
        ),
        transaction_id="ch_3PsandboxB0729",
    )
    checkout.move(archived, "trash", 6)
    # O3: a sale at the shop's counter (point of sale), completed at once.
    case(
        "other_store",
        None,
        3.5,
        {
            **_paid(*CARD),
            "line_items": [line("COF-001", 1), line("CUP-001", 2)],
            "shipping_lines": shipping("local_pickup", "0.00"),
        },
        guest=_guest(
            "Antoine",
            "Mercier",
            "2 rue de Rivoli",
            "75004",
            "Paris",
            "FR",
            "antoine.mercier@example.net",
        ),
        created_via="pos",
        then=("completed", 3.5),
        transaction_id="ch_3PsandboxB0730",
    )
    # O10: two guest orders the same day with the same lines (grouped on one sale).
    for name, guest, days, reference in (
        (
            "grouped_guests",
            _guest(
                "Inès",
                "Bernard",
                "9 quai de la Fosse",
                "44000",
                "Nantes",
                "FR",
                "ines.bernard@example.net",
            ),
            2.0,
            "B0731",
        ),
        (
            "grouped_guests_2",
            _guest(
                "Thomas",
                "Roux",
                "30 rue Nationale",
                "59000",
                "Lille",
                "FR",
                "thomas.roux@example.net",
            ),
            1.99,
            "B0732",
        ),
    ):
        case(
            name,
            None,
            days,
            {
                **_paid(*CARD),
                "line_items": [line("TEA-001", 2)],
                "shipping_lines": shipping("flat_rate", "4.90"),
            },
            guest=guest,
            transaction_id=f"ch_3Psandbox{reference}",
        )
    # O13: the buyer's checkout note, a note to the customer and a private note.
    messages = case(
        "messages",
        "C0004",
        1.5,
        {
            **_paid(*PAYPAL),
            "customer_note": "Merci de livrer après 18 h, digicode 4512B.",
            "line_items": [line("GRD-006", 1), line("GRD-010", 2)],
            "shipping_lines": shipping("flat_rate", "12.90"),
        },
        transaction_id="4FD77190GH2268813",
    )
    noted = checkout.now - timedelta(days=1.4)
    refunds.orders.add_note(
        messages,
        "Votre commande partira demain par Colissimo.",
        customer_note=True,
        added_by_user=True,
        moment=noted,
    )
    refunds.orders.add_note(
        messages,
        "Client fidèle : glisser un échantillon de thé.",
        added_by_user=True,
        moment=noted + timedelta(minutes=5),
    )
    # O8: prices including tax; 3 × 9.99 at 20 % round per line (3 × 1.67, not 5.00).
    case(
        "gross_prices",
        "C0002",
        1.2,
        {
            **_paid(*CARD),
            "line_items": [
                line("CUP-001", 1, unit_price="9.99"),
                line("NPK-001", 1, unit_price="9.99"),
                line("TWL-002", 1, unit_price="9.99"),
                line("HNY-001", 1, unit_price="5.49"),
            ],
            "shipping_lines": shipping("flat_rate", "4.90"),
        },
        prices_include_tax=True,
        transaction_id="ch_3PsandboxB0734",
    )
    # K-accents: a registered customer with accented name, street and city.
    case(
        "accents",
        ACCENTED_CUSTOMER.code,
        0.5,
        {
            **_paid(*PAYPAL),
            "line_items": [line("JAM-002", 2), line("BOK-002", 1)],
            "shipping_lines": shipping("flat_rate", "5.90"),
        },
        transaction_id="6GJ20374KL8845129",
    )


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


def _refund_one_unit(
    refunds: RefundService, order: dict[str, Any], sku: str, reason: str, moment: Any
) -> None:
    """Refund one unit of the line of ``sku`` through ``POST /orders/<id>/refunds``."""
    item = next(li for li in order["line_items"] if li.get("_sku") == sku)
    quantity = Decimal(item["quantity"])
    cent = Decimal("0.01")
    unit_total = (Decimal(item["total"]) / quantity).quantize(cent, ROUND_HALF_UP)
    refund_tax = [
        {"id": tax["id"], "refund_total": f"{unit_tax:f}"}
        for tax in item["taxes"]
        for unit_tax in [(Decimal(tax["total"]) / quantity).quantize(cent, ROUND_HALF_UP)]
    ]
    refunds.create(
        order["id"],
        {
            "reason": reason,
            "api_refund": True,
            "line_items": [
                {
                    "id": item["id"],
                    "quantity": 1,
                    "refund_total": f"{unit_total:f}",
                    "refund_tax": refund_tax,
                }
            ],
        },
        moment=moment,
    )
