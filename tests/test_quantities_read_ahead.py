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


@settings(max_examples=150, deadline=None)
@given(
    stock=_levels,
    ahead=_ids,
    windows=st.lists(_ids, min_size=1, max_size=4),
    negative_as_zero=st.booleans(),
)
def test_each_window_gets_what_its_own_read_gives(
    stock: dict[tuple[str, str], Decimal],
    ahead: list[str],
    windows: list[list[str]],
    negative_as_zero: bool,
) -> None:
    office = _Asked()
    for n in _IDS:
        office.items[n] = Item(source_id=n, code=f"C-{n}", name=n, sale_price=Decimal(1))
    for (item_id, warehouse), quantity in stock.items():
        office.set_stock(item_id, warehouse, quantity)
    ctx = _context(office, negative_as_zero)
    read_ahead = Quantities(ctx)
    read_ahead.read_ahead(ahead)
    for window in windows:
        before = len(office.asked)
        got = read_ahead(window)
        asked_now = office.asked[before:]
        alone = Quantities(ctx)(window)
        assert got == alone
        # Asked again only for what was not read ahead, and not at all when all was.
        later = set(window) - set(ahead) if ahead else set(window)
        assert asked_now == ([later] if later else [] if ahead else [set(window)])


def test_more_items_than_read_ahead_holds_are_read_by_each_window(
    monkeypatch: Any,
) -> None:
    office = _Asked()
    for n in _IDS:
        office.items[n] = Item(source_id=n, code=f"C-{n}", name=n, sale_price=Decimal(1))
        office.set_stock(n, "WH", Decimal(n))
    monkeypatch.setattr(quantities, "READ_AHEAD", 3)
    counted = Quantities(_context(office, True))
    counted.read_ahead(_IDS[:4])  # more than READ_AHEAD: nothing read now
    assert office.asked == []
    assert counted(_IDS[:2]) == {"1": 1, "2": 2}
    assert office.asked == [{"1", "2"}]
    counted.read_ahead(_IDS[:3])  # up to READ_AHEAD: read now, in one call
    assert counted(_IDS[:3]) == {"1": 1, "2": 2, "3": 3}
    assert office.asked == [{"1", "2"}, {"1", "2", "3"}]
