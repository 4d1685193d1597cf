"""The demo shop's registered customers, past orders and tax rates, for every
sandbox that starts seeded.

Why one place: each platform's sandbox starts with the same customers and orders as
the others, in its own format, so the conformance suite compares like with like.
They are described once, in no platform's vocabulary, by :mod:`passerelle.demo_orders`
(customers, SKUs and prices from :mod:`passerelle.demo_data`); each platform's seed
translates them.
"""

from __future__ import annotations

from passerelle.demo_orders import ACCOUNTS, ORDERS, TAX_RATES, DemoAccount, DemoOrder, DemoRate

__all__ = ["demo_customers", "demo_orders", "demo_tax_rates"]


def demo_customers() -> tuple[DemoAccount, ...]:
    """The registered customers, in the order they signed up."""
    return ACCOUNTS


def demo_orders() -> tuple[DemoOrder, ...]:
    """The 31 past orders, by number."""
    return ORDERS


def demo_tax_rates() -> tuple[DemoRate, ...]:
    """The shop's tax rates, by id."""
    return TAX_RATES
