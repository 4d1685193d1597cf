"""The demo shop's first eleven orders: what a small French shop sees every week.

Why these: the import-orders flow must meet paid (processing, completed),
awaiting payment (pending, on hold), cancelled, a guest checkout, coupons
(line subtotal different from total), a cart mixing the 20 %, 10 % and 5.5 %
VAT rates, a SKU the back-office does not know, free and paid shipping, several
payment methods. Amounts are the shop's, per line and per rate (excluding tax).
"""

from __future__ import annotations

from .model import (
    DemoAddress,
    DemoOrder,
)
from .shop import (
    CARD,
    COD,
    PAYPAL,
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

__all__ = ["ORDERS"]

ORDERS: tuple[DemoOrder, ...] = (
    # Paid by card, being prepared.
    order(
        703,
        "processing",
        "C0001",
        CARD,
        30,
        (
            line("POT-001", 2, "49.80", tax(VAT20, "9.96")),
            line("KNF-001", 1, "14.99", tax(VAT20, "3.00")),
        ),
        ship("flat_rate", "5.90", tax(VAT20, "1.18")),
        paid=30,
        transaction_id="ch_3PsandboxA0001",
    ),
    # Paid with PayPal then shipped; mixes 20 %, 10 % and 5.5 % VAT.
    order(
        704,
        "completed",
        "C0002",
        PAYPAL,
        21,
        (
            line("PAN-001", 1, "29.95", tax(VAT20, "5.99")),
            line("OIL-001", 2, "25.60", tax(VAT55, "1.41")),
            line("GRD-001", 3, "24.75", tax(VAT10, "2.48")),
            line("TEA-001", 1, "11.37", tax(VAT55, "0.63")),
            line("GRD-004", 2, "14.36", tax(VAT10, "1.44")),
        ),
        ship("flat_rate", "7.50", tax(VAT20, "1.50")),
        paid=21,
        completed=19,
        transaction_id="8MC585209K746392H",
    ),
    # Bank transfer not received yet.
    order(
        705,
        "pending",
        "C0003",
        TRANSFER,
        2,
        (
            line("PLT-001", 6, "59.40", tax(VAT20, "11.88")),
            line("GLS-002", 6, "35.10", tax(VAT20, "7.02")),
        ),
        ship("flat_rate", "9.90", tax(VAT20, "1.98")),
    ),
    # Cancelled (PayPal payment abandoned).
    order(
        706,
        "cancelled",
        "C0004",
        PAYPAL,
        14,
        (
            line("BOK-001", 1, "27.49", tax(VAT55, "1.51")),
            line("BOK-002", 1, "18.96", tax(VAT55, "1.04")),
        ),
        ship("flat_rate", "4.90", tax(VAT55, "0.27")),
        modified=13,
    ),
    # Guest checkout, card, free shipping.
    order(
        707,
        "processing",
        DemoAddress(
            "Sophie",
            "Lambert",
            "5 rue Nationale",
            "37000",
            "Tours",
            phone="07 98 76 54 32",
            email="sophie.lambert@example.net",
        ),
        CARD,
        9,
        (
            line("HNY-001", 2, "17.82", tax(VAT55, "0.98")),
            line("JAM-001", 3, "14.22", tax(VAT55, "0.78")),
            line("CHO-001", 4, "15.16", tax(VAT55, "0.83")),
        ),
        ship("free_shipping", "0.00", tax(VAT55, "0.00")),
        paid=9,
        transaction_id="ch_3PsandboxA0005",
    ),
    # Percent coupon: line subtotals differ from totals.
    order(
        708,
        "processing",
        "C0005",
        PAYPAL,
        6,
        (
            line("KNF-002", 1, "49.00", tax(VAT20, "8.82", "9.80"), total="44.09"),
            line("APR-001", 2, "48.26", tax(VAT20, "8.69", "9.65"), total="43.44"),
            line("TEA-002", 1, "9.95", tax(VAT55, "0.49", "0.55"), total="8.96"),
        ),
        ship("flat_rate", "4.90", tax(VAT20, "0.98")),
        paid=6,
        transaction_id="5TY05013RG002845M",
        coupons=(coupon("bienvenue10", "10.72", "2.00"),),
    ),
    # A SKU the back-office does not know.
    order(
        709,
        "processing",
        "C0006",
        CARD,
        4,
        (
            line("CUP-002", 4, "33.20", tax(VAT20, "6.64")),
            line("ZZZ-404", 1, "12.50", tax(VAT20, "2.50")),
        ),
        ship("flat_rate", "5.90", tax(VAT20, "1.18")),
        paid=4,
        transaction_id="ch_3PsandboxA0007",
    ),
    # Cash on delivery: processing as soon as placed, collected on delivery.
    order(
        710,
        "processing",
        "C0007",
        COD,
        3,
        (
            line("GRD-005", 1, "19.09", tax(VAT10, "1.91")),
            line("GRD-007", 1, "21.58", tax(VAT20, "4.32")),
        ),
        ship("local_pickup", "0.00", tax(VAT20, "0.00")),
        paid=3,
    ),
    # Company customer, fixed coupon, gift-wrap fee, paid by transfer, completed.
    order(
        711,
        "completed",
        "C0008",
        TRANSFER,
        12,
        (
            line("TBL-001", 1, "45.75", tax(VAT20, "8.66", "9.15"), total="43.28"),
            line("NPK-001", 4, "46.60", tax(VAT20, "8.81", "9.32"), total="44.07"),
        ),
        ship("flat_rate", "12.00", tax(VAT20, "2.40")),
        paid=8,
        completed=8,
        fees=(fee("Emballage cadeau", "3.00", tax(VAT20, "0.60")),),
        coupons=(coupon("remise5", "5.00", "1.00"),),
    ),
    # Bank transfer awaited: on hold.
    order(
        712,
        "on_hold",
        "C0010",
        TRANSFER,
        1,
        (
            line("COF-001", 2, "47.40", tax(VAT55, "2.61")),
            line("COF-002", 3, "19.92", tax(VAT55, "1.10")),
        ),
        ship("flat_rate", "6.90", tax(VAT55, "0.38")),
    ),
    # Recent card order with free shipping over the threshold.
    order(
        713,
        "processing",
        "C0001",
        CARD,
        0.2,
        (
            line("POT-003", 1, "79.00", tax(VAT20, "15.80")),
            line("KIT-002", 1, "26.63", tax(VAT20, "5.33")),
            line("SAL-001", 2, "10.42", tax(VAT55, "0.57")),
        ),
        ship("free_shipping", "0.00", tax(VAT20, "0.00")),
        paid=0.2,
        transaction_id="ch_3PsandboxA0011",
    ),
)
