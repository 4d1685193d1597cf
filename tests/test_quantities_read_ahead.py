"""A run's stock read ahead (flows/quantities.py) gives each window what its own read gives.

The property: whatever the items read ahead (some, all, more than asked, none) and
whatever the windows asked afterwards, each window's quantities are those a read of
that window alone gives, and the back-office is asked again only for items not read
ahead.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.connectors.memory import MemoryBackOffice
from passerelle.flows import quantities
from passerelle.flows.quantities import Quantities
from passerelle.model import Item, StockLevel
from passerelle.profiles.schema import Profile

_IDS = [str(n) for n in range(1, 13)]


class _Asked(MemoryBackOffice):
    """The memory back-office, noting the ids each stock read names."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[set[str] | None] = []
        read = self.stock_levels

        def noted(*args: Any) -> list[StockLevel]:
            warehouses, item_ids, kind = args
            wanted = None if item_ids is None else set(item_ids)
            self.asked.append(wanted)
            return read(warehouses, wanted, kind)

        self.stock_levels = noted  # type: ignore[method-assign]


def _context(office: MemoryBackOffice, negative_as_zero: bool) -> Any:
    profile = Profile.model_validate(
        {
            "name": "q",
            "backoffice": {"database": "unused"},
            "shop": {
                "url": "https://127.0.0.1",
                "consumer_key": "env:K",
                "consumer_secret": "env:S",
            },
            "catalogue": {
                "stock": {"hold_back_orders": False, "negative_as_zero": negative_as_zero}
            },
            "orders": {
                "shipping_item": "S",
                "misc_item": "M",
                "gift_wrap_item": "G",
                "gap_item": "P",
            },
        }
    )
    return SimpleNamespace(profile=profile, backoffice=office)


_levels = st.dictionaries(
    st.tuples(st.sampled_from(_IDS), st.sampled_from(["WH", "B"])),
    st.decimals(min_value=-50, max_value=500, places=2, allow_nan=False, allow_infinity=False),
)
_ids = st.lists(st.sampled_from(_IDS), unique=True)


def _office(stock: dict[tuple[str, str], Decimal]) -> _Asked:
    office = _Asked()
    for n in _IDS:
        office.items[n] = Item(source_id=n, code=f"C-{n}", name=n, sale_price=Decimal(1))
    for (item_id, warehouse), quantity in stock.items():
        office.set_stock(item_id, warehouse, quantity)
    return office


def _read_ahead(
    stock: dict[tuple[str, str], Decimal],
    ahead: list[str],
    windows: list[list[str]],
    block: int,
    negative_as_zero: bool,
) -> tuple[_Asked, list[dict[str, int]]]:
    """``ahead`` read ahead in blocks of ``block``, then each window's quantities."""
    office = _office(stock)
    read_ahead = Quantities(_context(office, negative_as_zero))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(quantities, "READ_AHEAD", block)
        read_ahead.read_ahead(ahead)
        return office, [read_ahead(window) for window in windows]


@settings(max_examples=200, deadline=None)
@given(
    stock=_levels,
    ahead=_ids,
    windows=st.lists(_ids, min_size=1, max_size=5),
    block=st.integers(min_value=1, max_value=6),
    negative_as_zero=st.booleans(),
)
def test_each_window_gets_what_its_own_read_gives(
    stock: dict[tuple[str, str], Decimal],
    ahead: list[str],
    windows: list[list[str]],
    block: int,
    negative_as_zero: bool,
) -> None:
    """Whatever the items read ahead, the block size and the windows asked afterwards
    (in the run's order or not, foreseen or not)."""
    office, got = _read_ahead(stock, ahead, windows, block, negative_as_zero)
    for window, quantities_got in zip(windows, got, strict=True):
        alone = Quantities(_context(_office(stock), negative_as_zero))(window)
        assert quantities_got == alone
    # An item foreseen is read in its block, and again only by a window asking it out
    # of order.
    reads = [i for asked in office.asked if asked for i in asked]
    assert len(reads) <= len(ahead) + sum(len(w) for w in windows)


@settings(max_examples=100, deadline=None)
@given(
    stock=_levels,
    ahead=_ids,
    window=st.integers(min_value=1, max_value=4),
    block=st.integers(min_value=1, max_value=6),
)
def test_windows_in_the_runs_order_read_one_block_at_a_time(
    stock: dict[tuple[str, str], Decimal], ahead: list[str], window: int, block: int
) -> None:
    """Windows asking for the items read ahead, in order: one read per block, each
    naming its block, and nothing else asked."""
    windows = [ahead[start : start + window] for start in range(0, len(ahead), window)]
    office, _got = _read_ahead(stock, ahead, windows, block, True)
    blocks = [set(ahead[s : s + block]) for s in range(0, len(ahead), block)]
    assert office.asked == blocks
