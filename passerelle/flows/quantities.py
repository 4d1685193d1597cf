"""C9: the quantity a shop shows of each item, and a run's stock read.

What the back-office holds, of the profile's kind and warehouses, less what orders it
does not count yet hold back (:mod:`.sellable`), in whole units.

A run of several windows reads the stock of its items in blocks of
:data:`READ_AHEAD` items, the first before its first window
(:meth:`Quantities.read_ahead`), as it asks the shop for its SKUs once
(:mod:`.sku_lookup`). Why: each back-office read has a cost of its own besides its
rows. Tryton's stock query walks the moves of the warehouses once per call: ten
windows of 1,000 items cost several times one read of 10,000, and at 100,000
items a window's read cost 0.4 s, 40 s for the run. A block is read when a window
asks for an item past the one held, and replaces it, so the memory a run holds
stays bounded. The levels are read after the run's bookmark time was taken, as
each window's were: a move made while the run sends is read again by the next
run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from passerelle.flows.base import FlowContext
from passerelle.flows.sellable import HeldBack, ShopOrders, held_back

__all__ = ["READ_AHEAD", "Quantities", "shop_quantities"]

#: The items whose stock a run of several windows reads in one call. Each call costs
#: Tryton a walk of the moves; a block held costs about 1 KiB an item (measured: a
#: 1,000,000-item run's peak went from 797 to 900 MiB).
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
        # Read ahead (see read_ahead): the ids the run will ask for, in order, and how
        # many of them were read; the block read last: its ids, and per item found its
        # rank in the run's order of reads, its total over the warehouses and its code.
        self._queue: Sequence[str] = ()
        self._next = 0
        self._upcoming_ids: set[str] | None = None
        self._ahead_ids: set[str] = set()
        self._ahead: dict[str, tuple[int, Decimal, str]] = {}

    def _held_back(self) -> HeldBack | None:
        if not self._held_read:
            self._held = held_back(self._ctx, self._orders)
            self._held_read = True
        return self._held

    def read_ahead(self, item_ids: Sequence[str]) -> None:
        """The windows will ask for the levels of ``item_ids``, in this order: read the
        first :data:`READ_AHEAD` of them now, in one call, the next ones when a window
        asks for one of them."""
        self._queue, self._next, self._upcoming_ids = item_ids, 0, None
        self._read_block()

    def _read_block(self) -> None:
        """The next :data:`READ_AHEAD` items of the queue, in one call (replacing the
        block read before)."""
        block = self._queue[self._next : self._next + READ_AHEAD]
        if not block:
            return
        first, self._next = self._next, self._next + len(block)
        self._upcoming_ids = None
        self._ahead_ids, self._ahead = set(), {}  # let go before the next is read
        totals, codes = self._read(block)
        self._ahead_ids = set(block)
        self._ahead = {
            item_id: (first + rank, total, codes[item_id])
            for rank, (item_id, total) in enumerate(totals.items())
        }

    def _upcoming(self) -> set[str]:
        """The ids of the next block (made once per block): a window asking for an
        item of an earlier block, or for one the run did not foresee, reads it alone."""
        if self._upcoming_ids is None:
            self._upcoming_ids = set(self._queue[self._next : self._next + READ_AHEAD])
        return self._upcoming_ids

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
        """:meth:`_read`, from the blocks read ahead where they hold the items asked."""
        if item_ids is None or not self._queue:
            return self._read(item_ids)
        asked = list(item_ids)
        found = {i: k for i in asked if (k := self._ahead.get(i)) is not None}
        later = [i for i in asked if i not in self._ahead_ids]
        while later and not self._upcoming().isdisjoint(later):  # the windows reached it
            self._read_block()
            found.update((i, k) for i in later if (k := self._ahead.get(i)) is not None)
            later = [i for i in later if i not in self._ahead_ids]
        known_ids = sorted(found, key=lambda i: found[i][0])  # in the reads' order
        totals = {i: found[i][1] for i in known_ids}
        codes = {i: found[i][2] for i in known_ids}
        if later:  # not foreseen by the run, or asked out of order
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
