"""The demo shop's past orders, customers and tax rates, in no platform's vocabulary.

Every shop sandbox starts seeded with these (each seed translates them into its
platform's records); :mod:`passerelle.demo_data` describes the catalogue and the
customers they refer to. ``tests/sandbox/test_demo_orders.py`` checks that the
WooCommerce sandbox's order engine, placing the same orders, finds the same
amounts to the cent.
"""

from __future__ import annotations

from .cases import CASE_ORDERS, CASES
from .model import (
    ORDER_STATUSES,
    DemoAccount,
    DemoAddress,
    DemoCoupon,
    DemoFee,
    DemoGiftCard,
    DemoNote,
    DemoOrder,
    DemoOrderLine,
    DemoPackage,
    DemoRate,
    DemoRefund,
    DemoRefundLine,
    DemoShipping,
    DemoTaxAmount,
    at,
)
from .orders import ORDERS as FIRST_ORDERS
from .shop import (
    ACCENTED_CUSTOMER,
    ACCOUNTS,
    COUPONS,
    SHIPPING_TITLES,
    TAX_RATES,
    UNKNOWN_SKU,
    account,
)

__all__ = [
    "ACCENTED_CUSTOMER",
    "ACCOUNTS",
    "CASES",
    "CASE_ORDERS",
    "COUPONS",
    "FIRST_ORDERS",
    "ORDERS",
    "ORDER_STATUSES",
    "SHIPPING_TITLES",
    "TAX_RATES",
    "UNKNOWN_SKU",
    "DemoAccount",
    "DemoAddress",
    "DemoCoupon",
    "DemoFee",
    "DemoGiftCard",
    "DemoNote",
    "DemoOrder",
    "DemoOrderLine",
    "DemoPackage",
    "DemoRate",
    "DemoRefund",
    "DemoRefundLine",
    "DemoShipping",
    "DemoTaxAmount",
    "account",
    "at",
    "order_by_number",
]

#: All 31 past orders, by number: the first eleven (703–713, FIRST_ORDERS), then the
#: feature cases (715–735, CASE_ORDERS).
ORDERS: tuple[DemoOrder, ...] = (*FIRST_ORDERS, *CASE_ORDERS)
_BY_NUMBER = {o.number: o for o in ORDERS}


def order_by_number(number: int) -> DemoOrder:
    """The demo order of that number."""
    return _BY_NUMBER[number]
