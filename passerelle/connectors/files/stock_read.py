"""Stock files → one stock level per item and warehouse.

Why keyed by code and warehouse: a stock export lists each item once per
warehouse (a column), or a file per warehouse (a fixed value in the mapping);
the same pair twice is a problem naming both lines, since adding them up or
keeping either would be a guess. A quantity is required: an empty cell is not
zero stock, it is a line the merchant must look at. Stock for a code that is
no item's is a problem too (an item deleted from the catalogue, a typing error).
"""

from __future__ import annotations

from collections.abc import Sequence

from passerelle.connectors.files.columns import ColumnMap, Columns
from passerelle.connectors.files.records import Read, read_lines, unknown_code
from passerelle.connectors.files.tables import Row, Table
from passerelle.i18n.messages import M_, Message
from passerelle.model import Item, StockLevel

__all__ = ["read_stock"]


def read_stock(
    tables: Sequence[Table], mapping: ColumnMap, items: Sequence[Item]
) -> Read[StockLevel]:
    """Fields: ``code``, ``quantity`` and ``warehouse`` (a column, or ``Column(fixed=…)``;
    unmapped: the empty name, the back-office's only stock)."""
    if "quantity" not in mapping:
        raise ValueError("the stock mapping has no quantity")  # internal: the settings require one
    known = {item.code: item for item in items}
    read: Read[StockLevel] = Read()

    def key(columns: Columns, row: Row, code: str) -> tuple[str, Message]:
        warehouse = columns.text(row, "warehouse")
        said = M_("the code %(code)s in warehouse %(warehouse)s", code=code, warehouse=warehouse)
        return f"{code}\x00{warehouse}", said

    def build(columns: Columns, row: Row, code: str) -> StockLevel:
        item = known.get(code)
        if item is None:
            raise unknown_code(columns, row, code)
        quantity = columns.decimal(row, "quantity")
        if quantity is None:
            raise columns.required(row, "quantity")
        return StockLevel(item.source_id, code, columns.text(row, "warehouse"), quantity)

    read.records = [
        level for _line, level in read_lines(tables, mapping, build, read.problems, key=key)
    ]
    return read
