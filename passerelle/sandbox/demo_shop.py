"""The demo shop's registered customers, past orders and tax rates, for every
sandbox that starts seeded.

Why one place: each platform's sandbox starts with the same customers and orders as
the others, in its own format, so the conformance suite compares like with like. The
merchant, customers, SKUs, prices and tax rates are :mod:`passerelle.demo_data`'s;
the orders' totals are computed once by an order engine, the WooCommerce sandbox's
run in memory (no server started, no file written), and each platform's seed
translates these records. Platforms read them here, never by starting another
platform's sandbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from passerelle.sandbox.woocommerce.state import Data

__all__ = ["demo_shop"]


def demo_shop() -> Data:
    """A fresh copy of the demo shop's records (customers, orders, taxes…)."""
    from passerelle.sandbox.woocommerce.server import WooSandbox

    return WooSandbox(None).data
