"""Prices read from an export: the sale price, one price per price list, a dated promotion.

Why a module of its own: the same price columns are read from the items file
(one export with everything) or from a separate prices file (Sage and EBP
export price lists apart), which is merged by item code. A price list is a
column named in the mapping as ``price:<list name>`` and becomes one of the
item's group prices (the customer group of that name pays it). A promotion
(``promotion_price``, with optional ``promotion_start`` / ``promotion_end``
dates, both days included) is applied, as the group price of the configured
promotion list, only on the days it runs: a promotion that ended must not keep
selling at its price, and one announced for next week must not start today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from passerelle.connectors.files.columns import ColumnMap, Columns
from passerelle.connectors.files.records import Read, read_lines, unknown_code
from passerelle.connectors.files.tables import Row, Table
from passerelle.model import Item

__all__ = ["PRICE_PREFIX", "PROMOTION_LIST", "Prices", "apply_prices", "read_prices", "row_prices"]

#: A mapped field ``price:<name>`` is the price of the price list ``<name>``.
PRICE_PREFIX = "price:"
#: The price list a running promotion's price is given under, unless configured.
PROMOTION_LIST = "promotion"


@dataclass(frozen=True, slots=True)
class Prices:
    """One line's prices. ``lists`` are the price lists the file speaks for: an item's
    earlier price in one of them is replaced (or dropped, when this line has none)."""

    sale_price: Decimal | None = None
    group_prices: tuple[tuple[str, Decimal], ...] = ()
    lists: frozenset[str] = frozenset()


def row_prices(columns: Columns, row: Row, *, today: date, promotion_list: str) -> Prices:
    """The prices of one line (an empty price cell: no price in that list)."""
    found: list[tuple[str, Decimal]] = []
    lists: set[str] = set()
    for field in columns.fields():
        if field.startswith(PRICE_PREFIX):
            name = field[len(PRICE_PREFIX) :]
            lists.add(name)
            price = columns.decimal(row, field)
            if price is not None:
                found.append((name, price))
    if columns.has("promotion_price"):
        lists.add(promotion_list)
        promotion = columns.decimal(row, "promotion_price")
        start = columns.date(row, "promotion_start")
        end = columns.date(row, "promotion_end")
        running = (start is None or start <= today) and (end is None or today <= end)
        if promotion is not None and running:
            found.append((promotion_list, promotion))
    return Prices(columns.decimal(row, "sale_price"), tuple(found), frozenset(lists))


def apply_prices(item: Item, prices: Prices) -> Item:
    """``item`` with this line's prices in place of what it had for the same lists."""
    kept = tuple((name, p) for name, p in item.group_prices if name not in prices.lists)
    sale_price = item.sale_price if prices.sale_price is None else prices.sale_price
    return replace(item, sale_price=sale_price, group_prices=kept + prices.group_prices)


def read_prices(
    tables: Sequence[Table],
    mapping: ColumnMap,
    items: Sequence[Item],
    *,
    today: date,
    promotion_list: str = PROMOTION_LIST,
) -> Read[Item]:
    """``items`` (all of them, in their order) with the prices of a separate prices
    file merged by code; a line whose code is no item's is a problem."""
    known = {item.code: item for item in items}
    read: Read[Item] = Read()

    def build(columns: Columns, row: Row, code: str) -> Prices:
        if code not in known:
            raise unknown_code(columns, row, code)
        return row_prices(columns, row, today=today, promotion_list=promotion_list)

    priced = {line.code: p for line, p in read_lines(tables, mapping, build, read.problems)}
    read.records = [
        apply_prices(item, priced[item.code]) if item.code in priced else item for item in items
    ]
    return read
