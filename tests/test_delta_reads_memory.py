"""The in-memory back-office's delta reads, and what a back-office without them gets.

What the flows rely on (``ReadsChanges``): a changed item comes with the other
variants of its template and with the items sharing its code, case ignored;
an item without a date may have changed, so it is in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from passerelle.connectors.base import ReadsChanges
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Item

BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
LATER = BEFORE + timedelta(days=1)


def item(source_id: str, code: str, template: str = "", at: datetime | None = BEFORE) -> Item:
    return Item(
        source_id=source_id,
        code=code,
        name=code,
        sale_price=Decimal(1),
        template_id=template,
        modified_at=at,
    )


def backoffice() -> MemoryBackOffice:
    items = [
        item("1", "TSH-S", "T"),
        item("2", "TSH-M", "T", LATER),  # changed: its sibling comes along
        item("3", "MUG-1"),
        item("4", "mug-1", at=LATER),  # changed: the item of the same code comes along
        item("5", "PAN-1"),  # unchanged, alone
        item("6", "BOWL", at=None),  # no date: may have changed
    ]
    return MemoryBackOffice(items={i.source_id: i for i in items})


def test_a_changed_item_comes_with_its_family_its_namesakes_and_undated_items() -> None:
    memory = backoffice()
    assert isinstance(memory, ReadsChanges)
    read = memory.list_items(modified_since=BEFORE + timedelta(hours=1))
    assert sorted(i.source_id for i in read) == ["1", "2", "3", "4", "6"]
    assert len(memory.list_items()) == 6


def test_items_are_read_by_id_code_or_template() -> None:
    memory = backoffice()
    assert [i.source_id for i in memory.list_items_where(ids=["5"])] == ["5"]
    assert sorted(i.source_id for i in memory.list_items_where(codes=["MUG-1"])) == ["3", "4"]
    assert sorted(i.source_id for i in memory.list_items_where(templates=["T"])) == ["1", "2"]
    assert memory.list_items_where(ids=["99"], codes=["NONE"], templates=[""]) == []
    assert memory.items_with_stock_changes_since(BEFORE) is None  # stock is set, not moved
