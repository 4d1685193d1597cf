"""The demo shop's registered customers, past orders and tax rates, for every
sandbox that starts seeded.

Why one place: each platform's sandbox starts with the same customers and orders as
the others, in its own format, so the conformance suite compares like with like.
Customers, SKUs and prices come from :mod:`passerelle.demo_data`; the orders and
their totals are computed by one order engine, today the WooCommerce sandbox's run
in memory (no server started, no file written), and each platform's seed translates
these records. Platforms read them here, never by starting another platform's
sandbox; giving the orders a platform-neutral form is the next step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passerelle.sandbox.woocommerce.state import Data

__all__ = ["demo_shop", "demo_tax_rates"]


def demo_shop() -> Data:
    """A fresh copy of the demo shop's records (customers, orders, taxes…)."""
    from passerelle.sandbox.woocommerce.server import WooSandbox

    return WooSandbox(None).data


def demo_tax_rates() -> list[tuple[str, str, str, str, int, bool]]:
    """The shop's tax rates: (country, rate %, name, tax class, priority, compound)."""
    from passerelle.sandbox.woocommerce.seed import TAX_RATES

    return list(TAX_RATES)
