"""C9: the quantity a shop shows of each item, and a run's stock read.

What the back-office holds, of the profile's kind and warehouses, less what orders it
does not count yet hold back (:mod:`.sellable`), in whole units.

A run of several windows reads the stock of all its items in one call before its
first window (:meth:`Quantities.read_ahead`), as it asks the shop for its SKUs
once (:mod:`.sku_lookup`). Why: each back-office read has a cost of its own
besides its rows. Tryton's stock query walks the moves of the warehouses once per
call, so ten windows of 1,000 items cost several times one read of 10,000. The
levels are read after the run's bookmark time was taken, as each window's were:
a move made while the run sends is read again by the next run. Above
:data:`READ_AHEAD` items, each window reads its own, so that the memory a run
holds stays bounded.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal

from passerelle.flows.base import FlowContext
from passerelle.flows.sellable import HeldBack, ShopOrders, held_back

__all__ = ["READ_AHEAD", "Quantities", "shop_quantities"]

#: Up to this many items, a run of several windows reads their stock in one call.
READ_AHEAD = 100_000


def shop_quantities(
    ctx: FlowContext, item_ids: Iterable[str] | None = None, orders: ShopOrders | None = None
) -> dict[str, int]:
    """C9: quantity per item id, of the chosen kind, summed over the chosen warehouses,
    less what orders the back-office does not count yet hold (see :mod:`.sellable`).

    Shops hold whole units; a negative total becomes 0 when the profile says so.
    """
    return Quantities(ctx, orders)(item_ids)


class Quantities:
    """:func:`shop_quantities` a window of items at a time: what orders hold back is
    read once per run (the shop's orders, the back-office's open sales), when a first
    window has stock."""

    def __init__(self, ctx: FlowContext, orders: ShopOrders | None = None) -> None:
        self._ctx = ctx
        self._orders = orders
        self._held: HeldBack | None = None
        self._held_read = False
        # Read ahead (see read_ahead): the ids asked, and per item found its rank in the
        # back-office's answer, its total over the warehouses and its code.
        self._ahead_ids: set[str] = set()
        self._ahead: dict[str, tuple[int, Decimal, str]] = {}

    def _held_back(self) -> HeldBack | None:
        if not self._held_read:
            self._held = held_back(self._ctx, self._orders)
            self._held_read = True
        return self._held

    def read_ahead(self, item_ids: Collection[str]) -> None:
        """Read the levels of ``item_ids`` now, in one call, for the windows that will ask
        for them (up to :data:`READ_AHEAD` items; beyond, each window reads its own)."""
        if not item_ids or len(item_ids) > READ_AHEAD:
            return
        totals, codes = self._read(item_ids)
        self._ahead_ids = set(item_ids)
        self._ahead = {
            item_id: (rank, total, codes[item_id])
            for rank, (item_id, total) in enumerate(totals.items())
        }

    def _read(self, item_ids: Iterable[str] | None) -> tuple[dict[str, Decimal], dict[str, str]]:
        """The total over the profile's warehouses and the code of each item found."""
        options = self._ctx.profile.catalogue.stock
        levels = self._ctx.backoffice.stock_levels(
            options.warehouses or None, item_ids, options.kind
        )
        totals: dict[str, Decimal] = {}
        codes: dict[str, str] = {}
        for level in levels:
            totals[level.item_id] = totals.get(level.item_id, Decimal(0)) + level.quantity
            codes[level.item_id] = level.item_code
        return totals, codes

    def _levels(self, item_ids: Iterable[str] | None) -> tuple[dict[str, Decimal], dict[str, str]]:
        """:meth:`_read`, from what was read ahead where it holds the items asked."""
        if item_ids is None or not self._ahead_ids:
            return self._read(item_ids)
        asked = list(item_ids)
        later = [i for i in asked if i not in self._ahead_ids]
        found = {i: k for i in asked if (k := self._ahead.get(i)) is not None}
        known_ids = sorted(found, key=lambda i: found[i][0])  # in the read's order
        totals = {i: found[i][1] for i in known_ids}
        codes = {i: found[i][2] for i in known_ids}
        if later:
            more_totals, more_codes = self._read(later)
            totals.update(more_totals)
            codes.update(more_codes)
        return totals, codes

    def __call__(self, item_ids: Iterable[str] | None = None) -> dict[str, int]:
        """The quantities of ``item_ids`` (every stocked item when None)."""
        ctx = self._ctx
        options = ctx.profile.catalogue.stock
        totals, codes = self._levels(item_ids)
        held = self._held_back() if totals else None
        adds_back = held is not None and ctx.shop.holds_reservations
        result = {}
        for item_id, quantity in totals.items():
            code = codes[item_id]
            if held is not None:
                quantity -= held.units(code, options.kind)
            whole = int(quantity.to_integral_value(rounding="ROUND_FLOOR"))
            whole = max(whole, 0) if options.negative_as_zero else whole
            if adds_back and held is not None:  # the shop subtracts its open orders itself
                whole += int(held.in_shop_orders.get(code.casefold(), Decimal(0)))
            result[item_id] = whole
        return result
