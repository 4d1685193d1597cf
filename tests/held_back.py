"""What the seeded WooCommerce sandbox's sold orders hold, read from its raw state.

Since the stock sent is what the back-office can still sell, tests that
compare a shop quantity with the demo's stock subtract the units of the
seeded orders WooCommerce counts as sold (``processing``, ``on-hold`` and
``completed``): none of them is shipped from the Tryton warehouse in these
tests, imported or not. Read from the sandbox's own records, not through the
connector, so the expectation does not come from the code under test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from passerelle.demo_data import DemoItem

__all__ = ["held_by_open_orders", "offered"]

_SOLD = ("processing", "on-hold", "completed")


def held_by_open_orders(orders: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """Units per SKU of the WooCommerce orders sold and not shipped from the warehouse."""
    held: Counter[str] = Counter()
    for order in orders:
        if order.get("status") in _SOLD:
            for line in order.get("line_items", []):
                # The sandbox keeps a line's SKU as of the sale in "_sku" and shows the
                # linked product's current SKU in "sku" (None when no product is linked).
                sku = line.get("sku") or line.get("_sku")
                if sku:
                    held[sku] += int(line["quantity"])
    return held


def offered(item: DemoItem, held: Mapping[str, int]) -> int:
    """What the demo profile offers of ``item``: both warehouses summed, less the units
    sold orders hold, negatives as 0."""
    return max(int(sum(item.stock)) - held.get(item.code, 0), 0)
