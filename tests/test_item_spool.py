"""The spool of a run's first pass: items found again by id, as they were added; a
disk that refuses it says so and leaves nothing behind."""

from __future__ import annotations

import itertools
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from passerelle.flows import item_spool
from passerelle.flows.item_spool import ItemSpool, SpoolRefused
from passerelle.model import Item, KitComponent, Tax

VAT = Tax(source_id="1", name="VAT 20%", rate=Decimal("0.2"))


def fill_the_disk(spool: ItemSpool) -> None:
    """The spool's file may not grow any more and its pages are full: the next block
    written meets SQLite's "database or disk is full", as on a full disk."""
    db = spool._db
    (pages,) = db.execute("PRAGMA page_count").fetchone()
    db.execute(f"PRAGMA max_page_count = {pages}")
    try:
        for n in itertools.count(1):  # one row a transaction: a full one is rolled back
            with db:
                db.execute("INSERT INTO block (no, items) VALUES (?, zeroblob(64))", (-n,))
    except sqlite3.OperationalError as exc:
        assert "full" in str(exc)


def _item(key: int, version: int = 0) -> Item:
    return Item(
        source_id=str(key),
        code=f"SKU-{key}",
        name=f"Item {key} v{version}",
        sale_price=Decimal(key) + Decimal("0.99"),
        taxes=(VAT,),
        attributes={"size": "M"} if key % 2 else {},
        kit=(KitComponent("SKU-1", Decimal(2)),) if key % 5 == 0 else (),
    )


@settings(max_examples=40, deadline=None)
@given(
    added=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 3)), max_size=60),
    asked=st.lists(st.integers(0, 45), max_size=50),
    block=st.integers(1, 7),
)
def test_items_come_back_by_id_in_the_order_asked_the_last_added_of_each(
    added: list[tuple[int, int]], asked: list[int], block: int
) -> None:
    """Whatever the block size, ids asked twice, ids never added: each asked id's last
    added item, in the order asked, an unknown id left out."""
    last: dict[str, Item] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(item_spool, "BLOCK", block)
        spool = ItemSpool()
        try:
            for key, version in added:
                item = _item(key, version)
                spool.add(item)
                last[item.source_id] = item
            ids = [str(key) for key in asked]
            assert spool.get(ids) == [last[key] for key in ids if key in last]
        finally:
            spool.close()


def test_items_added_after_a_read_are_found_too() -> None:
    spool = ItemSpool()
    try:
        spool.add(_item(1))
        assert spool.get(["1", "2"]) == [_item(1)]
        spool.add(_item(2))
        spool.add(_item(1, version=1))
        assert spool.get(["2", "1"]) == [_item(2), _item(1, version=1)]
    finally:
        spool.close()


def test_closing_removes_the_file_and_a_second_close_does_nothing() -> None:
    spool = ItemSpool()
    spool.add(_item(1))
    assert spool.get(["1"]) == [_item(1)]
    folder = Path(spool._folder.name)
    assert (folder / "items.sqlite").exists()
    spool.close()
    assert not folder.exists()
    spool.close()


def test_a_full_disk_refuses_the_spool_which_closes_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(item_spool, "BLOCK", 2)
    spool = ItemSpool()
    folder = Path(spool._folder.name)
    fill_the_disk(spool)
    spool.add(_item(1))
    with pytest.raises(SpoolRefused, match="full"):
        spool.add(_item(2))
    assert not folder.exists()


def test_a_folder_that_cannot_be_made_refuses_the_spool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TMPDIR pointing at a file: the spool cannot open, and says so."""
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setattr(item_spool.tempfile, "tempdir", str(not_a_folder))
    with pytest.raises(SpoolRefused):
        ItemSpool()
