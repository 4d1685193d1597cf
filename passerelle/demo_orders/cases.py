"""One demo order per order-import feature, after the first eleven (numbers 715 to 735).

Why: each feature of the order import must meet the order a real shop would
send for it — a percent coupon across three VAT rates, a refund, a trashed
order, a compound Canadian tax, a foreign currency, gift cards, several
delivery addresses, a VAT number, an invoice, an eco-tax… :data:`CASES` names
each order so tests find it by what it shows.
"""

from __future__ import annotations

from decimal import Decimal

from .model import (
    DemoAddress,
    DemoGiftCard,
    DemoNote,
    DemoOrder,
    DemoPackage,
    DemoRefund,
    DemoRefundLine,
)
from .shop import (
    AMAZON,
    CARD,
    GST,
    PAYPAL,
    PST,
    TRANSFER,
    VAT10,
    VAT20,
    VAT55,
    coupon,
    fee,
    line,
    order,
    ship,
    tax,
)

__all__ = ["CASES", "CASE_ORDERS"]

#: case name -> order number.
CASES: dict[str, int] = {
    "discount_across_vat": 715,
    "coupon_naming_item": 716,
    "gift_card_and_wrap": 717,
    "foreign_currency": 718,
    "compound_tax": 719,
    "export_outside_eu": 720,
    "eu_reverse_charge": 721,
    "match_by_number": 722,
    "marketplace": 723,
    "several_addresses": 724,
    "ecotax": 725,
    "substitutes": 726,
    "refunded": 727,
    "archived": 729,
    "other_store": 730,
    "grouped_guests": 731,
    "grouped_guests_2": 732,
    "messages": 733,
    "gross_prices": 734,
    "accents": 735,
}

CASE_ORDERS: tuple[DemoOrder, ...] = (
    # A percent coupon spread over lines at 20 %, 10 % and 5.5 % VAT.
    order(
        715,
        "processing",
        "C0006",
        CARD,
        18,
        (
            line("KNF-001", 2, "29.98", tax(VAT20, "5.39", "6.00"), total="26.97"),
            line("GRD-002", 3, "8.19", tax(VAT10, "0.74", "0.82"), total="7.38"),
            line("TEA-003", 2, "12.32", tax(VAT55, "0.61", "0.68"), total="11.09"),
        ),
        ship("flat_rate", "5.90", tax(VAT20, "1.18")),
        paid=18,
        transaction_id="ch_3PsandboxB0715",
        coupons=(coupon("bienvenue10", "5.05", "0.76"),),
    ),
    # The coupon's description "[DISC-FID]" names the discount item.
    order(
        716,
        "processing",
        "C0007",
        PAYPAL,
        17,
        (
            line("TBL-001", 1, "45.75", tax(VAT20, "8.09", "9.15"), total="40.44"),
            line("NPK-001", 2, "23.30", tax(VAT20, "4.12", "4.66"), total="20.61"),
        ),
        ship("flat_rate", "6.90", tax(VAT20, "1.38")),
        paid=17,
        transaction_id="7HK12034LM556201T",
        coupons=(coupon("fidelite", "8.00", "1.60"),),
    ),
    # A gift card redeemed and a gift-wrap fee.
    order(
        717,
        "processing",
        "C0005",
        PAYPAL,
        16,
        (
            line("APR-001", 1, "24.13", tax(VAT20, "4.83")),
            line("TEA-002", 2, "19.90", tax(VAT55, "1.09")),
        ),
        ship("flat_rate", "5.90", tax(VAT20, "1.18")),
        paid=16,
        transaction_id="3WV88417AB0921555",
        fees=(fee("Emballage cadeau", "3.00", tax(VAT20, "0.60")),),
        gift_cards=(DemoGiftCard("GC-7K2M-9QXA-4TBW", Decimal("20.00")),),
    ),
    # An order in US dollars, paid by card.
    order(
        718,
        "processing",
        "C0004",
        CARD,
        15,
        (
            line("POT-002", 1, "32.50", tax(VAT20, "6.50")),
            line("KNF-001", 1, "14.99", tax(VAT20, "3.00")),
        ),
        ship("flat_rate", "9.90", tax(VAT20, "1.98")),
        paid=15,
        currency="USD",
        transaction_id="ch_3PsandboxB0718",
    ),
    # Canadian address in CAD: GST 5 % then PST 8 % compounded on price + GST.
    order(
        719,
        "processing",
        DemoAddress(
            "Olivia",
            "Chen",
            "1055 West Georgia Street",
            "V6E 3P3",
            "Vancouver",
            country="CA",
            street2="Suite 2100",
            state="BC",
            phone="+1 604 555 0147",
            email="olivia.chen@example.ca",
        ),
        CARD,
        11,
        (
            line("KNF-002", 1, "49.00", tax(GST, "2.45"), tax(PST, "4.12")),
            line("CUP-002", 3, "24.90", tax(GST, "1.25"), tax(PST, "2.09")),
        ),
        ship("flat_rate", "19.90", tax(GST, "1.00"), tax(PST, "1.67")),
        paid=11,
        currency="CAD",
        transaction_id="ch_3PsandboxB0719",
    ),
    # Delivered to the United States: no tax on any line (export).
    order(
        720,
        "processing",
        DemoAddress(
            "Emily",
            "Johnson",
            "350 Fifth Avenue",
            "10118",
            "New York",
            country="US",
            state="NY",
            phone="+1 212 555 0199",
            email="emily.johnson@example.com",
        ),
        PAYPAL,
        10.5,
        (
            line("BOK-001", 1, "27.49"),
            line("GLS-002", 4, "23.40"),
        ),
        ship("flat_rate", "24.00"),
        paid=10.5,
        transaction_id="9LT55213CD4419086",
    ),
    # A Belgian company with a VAT number: reverse charge, no tax.
    order(
        721,
        "processing",
        DemoAddress(
            "Luc",
            "Peeters",
            "Rue de la Loi 16",
            "1000",
            "Bruxelles",
            country="BE",
            company="Brasserie Peeters SPRL",
            phone="+32 2 555 01 23",
            email="compta@brasserie-peeters.example.be",
        ),
        TRANSFER,
        10,
        (
            line("POT-003", 2, "158.00"),
            line("PAN-002", 2, "72.80"),
        ),
        ship("flat_rate", "15.00"),
        paid=10,
        vat_number="BE0477472701",
        vat_exempt=True,
    ),
    # An e-mail the back-office does not know, but the company's VAT number it does.
    order(
        722,
        "processing",
        DemoAddress(
            "Gabriel",
            "Durand",
            "41 rue du Faubourg",
            "67000",
            "Strasbourg",
            company="Durand SARL",
            phone="03 88 00 00 00",
            email="compta@durand-sarl.example.org",
        ),
        TRANSFER,
        7.5,
        (
            line("KIT-001", 2, "39.82", tax(VAT20, "7.96")),
            line("KIT-004", 1, "29.08", tax(VAT20, "5.82")),
        ),
        ship("flat_rate", "7.90", tax(VAT20, "1.58")),
        paid=7.5,
        vat_number="FR40303265045",
    ),
    # A marketplace order (Amazon), paid through Amazon Pay.
    order(
        723,
        "processing",
        DemoAddress(
            "Marie",
            "Lefebvre",
            "8 rue Victor Hugo",
            "69002",
            "Lyon",
            phone="06 00 00 00 00",
            email="0c9f2k7d1xq4m8w@marketplace.amazon.fr",
        ),
        AMAZON,
        7,
        (line("CUP-001", 6, "38.70", tax(VAT20, "7.74")),),
        ship("flat_rate", "4.90", tax(VAT20, "0.98")),
        paid=7,
        transaction_id="P01-1234567-1234567-C012345",
        channel="amazon",
    ),
    # Two lines delivered to two addresses.
    order(
        724,
        "processing",
        "C0003",
        CARD,
        5.5,
        (
            line("TWL-001", 2, "13.16", tax(VAT20, "2.63")),
            line("BOK-003", 1, "22.75", tax(VAT55, "1.25")),
        ),
        (
            ship("flat_rate", "5.90", tax(VAT20, "1.18")),
            ship("flat_rate", "5.90", tax(VAT20, "1.18")),
        ),
        paid=5.5,
        transaction_id="ch_3PsandboxB0724",
        packages=(
            DemoPackage(
                DemoAddress(
                    "Camille",
                    "Dubois",
                    "27 avenue Jean Jaurès",
                    "31000",
                    "Toulouse",
                    phone="06 12 34 56 78",
                ),
                (0,),
                0,
            ),
            DemoPackage(
                DemoAddress("Monique", "Dubois", "3 chemin des Crêts", "74000", "Annecy"), (1,), 1
            ),
        ),
    ),
    # A line whose price includes an eco-tax of 0.50 per unit.
    order(
        725,
        "processing",
        "C0002",
        PAYPAL,
        5,
        (
            line("KIT-002", 2, "53.26", tax(VAT20, "10.65"), ecotax="0.50"),
            line("SAL-001", 1, "5.21", tax(VAT55, "0.29")),
        ),
        ship("flat_rate", "6.90", tax(VAT20, "1.38")),
        paid=5,
        transaction_id="2RB40981EF7733340",
    ),
    # An item withdrawn from sale (OLD-001) and one out of stock (CHO-001).
    order(
        726,
        "processing",
        "C0010",
        CARD,
        4.5,
        (
            line("OLD-001", 1, "39.00", tax(VAT20, "7.80")),
            line("CHO-001", 3, "11.37", tax(VAT55, "0.63")),
        ),
        ship("flat_rate", "8.90", tax(VAT20, "1.78")),
        paid=4.5,
        transaction_id="ch_3PsandboxB0726",
    ),
    # Completed, invoiced, then one unit of one line refunded with a reason.
    order(
        727,
        "completed",
        "C0001",
        CARD,
        20,
        (
            line("PAN-002", 1, "36.40", tax(VAT20, "7.28")),
            line("KIT-005", 2, "33.16", tax(VAT20, "6.63")),
        ),
        ship("flat_rate", "5.90", tax(VAT20, "1.18")),
        paid=20,
        completed=18,
        transaction_id="ch_3PsandboxB0727",
        refunds=(
            DemoRefund(
                16,
                "Tire-bouchon reçu cassé",
                (DemoRefundLine("KIT-005", 1, Decimal("16.58"), (tax(VAT20, "3.32"),)),),
            ),
        ),
        invoice_number="F-2024-0727",
        invoice_days_ago=18,
    ),
    # Paid, then moved to the trash by the merchant.
    order(
        729,
        "trashed",
        DemoAddress(
            "Paul",
            "Girard",
            "17 avenue de la Gare",
            "21000",
            "Dijon",
            phone="06 00 00 00 00",
            email="paul.girard@example.net",
        ),
        CARD,
        8,
        (
            line("GRD-008", 1, "27.42", tax(VAT20, "5.48")),
            line("GRD-009", 2, "19.92", tax(VAT20, "3.98")),
        ),
        ship("flat_rate", "6.90", tax(VAT20, "1.38")),
        paid=8,
        modified=6,
        transaction_id="ch_3PsandboxB0729",
        trashed_from="processing",
    ),
    # A sale at the shop's counter (point of sale), completed at once.
    order(
        730,
        "completed",
        DemoAddress(
            "Antoine",
            "Mercier",
            "2 rue de Rivoli",
            "75004",
            "Paris",
            phone="06 00 00 00 00",
            email="antoine.mercier@example.net",
        ),
        CARD,
        3.5,
        (
            line("COF-001", 1, "23.70", tax(VAT55, "1.30")),
            line("CUP-001", 2, "12.90", tax(VAT20, "2.58")),
        ),
        ship("local_pickup", "0.00", tax(VAT20, "0.00")),
        paid=3.5,
        completed=3.5,
        transaction_id="ch_3PsandboxB0730",
        channel="pos",
    ),
    # Two guest orders the same day with the same lines (grouped on one sale).
    order(
        731,
        "processing",
        DemoAddress(
            "Inès",
            "Bernard",
            "9 quai de la Fosse",
            "44000",
            "Nantes",
            phone="06 00 00 00 00",
            email="ines.bernard@example.net",
        ),
        CARD,
        2,
        (line("TEA-001", 2, "22.74", tax(VAT55, "1.25")),),
        ship("flat_rate", "4.90", tax(VAT55, "0.27")),
        paid=2,
        transaction_id="ch_3PsandboxB0731",
    ),
    # The second of the two grouped guest orders.
    order(
        732,
        "processing",
        DemoAddress(
            "Thomas",
            "Roux",
            "30 rue Nationale",
            "59000",
            "Lille",
            phone="06 00 00 00 00",
            email="thomas.roux@example.net",
        ),
        CARD,
        1.99,
        (line("TEA-001", 2, "22.74", tax(VAT55, "1.25")),),
        ship("flat_rate", "4.90", tax(VAT55, "0.27")),
        paid=1.99,
        transaction_id="ch_3PsandboxB0732",
    ),
    # The buyer's checkout note, a note to the customer and a private note.
    order(
        733,
        "processing",
        "C0004",
        PAYPAL,
        1.5,
        (
            line("GRD-006", 1, "41.82", tax(VAT10, "4.18")),
            line("GRD-010", 2, "28.26", tax(VAT20, "5.65")),
        ),
        ship("flat_rate", "12.90", tax(VAT20, "2.58")),
        paid=1.5,
        transaction_id="4FD77190GH2268813",
        customer_note="Merci de livrer après 18 h, digicode 4512B.",
        notes=(
            DemoNote("Votre commande partira demain par Colissimo.", 1.4, to_customer=True),
            DemoNote("Client fidèle : glisser un échantillon de thé.", 1.4 - 5 / 1440),
        ),
    ),
    # Prices including tax; 3 × 9.99 at 20 % round per line (3 × 1.67, not 5.00).
    order(
        734,
        "processing",
        "C0002",
        CARD,
        1.2,
        (
            line("CUP-001", 1, "8.32", tax(VAT20, "1.67"), gross=("9.99", "9.99")),
            line("NPK-001", 1, "8.32", tax(VAT20, "1.67"), gross=("9.99", "9.99")),
            line("TWL-002", 1, "8.32", tax(VAT20, "1.67"), gross=("9.99", "9.99")),
            line("HNY-001", 1, "5.20", tax(VAT55, "0.29"), gross=("5.49", "5.49")),
        ),
        ship("flat_rate", "4.90", tax(VAT20, "0.98")),
        paid=1.2,
        prices_include_tax=True,
        transaction_id="ch_3PsandboxB0734",
    ),
    # A registered customer with accented name, street and city.
    order(
        735,
        "processing",
        "ELODIE",
        PAYPAL,
        0.5,
        (
            line("JAM-002", 2, "9.48", tax(VAT55, "0.52")),
            line("BOK-002", 1, "18.96", tax(VAT55, "1.04")),
        ),
        ship("flat_rate", "5.90", tax(VAT55, "0.32")),
        paid=0.5,
        transaction_id="6GJ20374KL8845129",
    ),
)
