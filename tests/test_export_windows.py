"""The product export and the stock update take the catalogue a window at a time.

Whatever the window, the shop ends up holding the same products, passerelle the
same bindings, and the journal the same counts: families stay whole (a variable
product is built from all its variants), a duplicate reference is caught over
the whole catalogue, a pack naming a product created later in the run is sent
again once it exists, a parked item stays parked. And the back-office is never
asked for more than a window of items at once, so streaming cannot silently go.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from passerelle.connectors import base
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.flows import item_spool, quantities, windows
from passerelle.model import Category, Item, KitComponent, StockKind, StockLevel, Tax
from passerelle.profiles.schema import Profile
from passerelle.runner import Runner
from passerelle.store import Store
from tests.test_item_spool import fill_the_disk


def bench_module() -> Any:
    """benchmarks/local_overhead.py: its instant shop and bench profile."""
    folder = str(Path(__file__).parents[1] / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module("local_overhead")


VAT = Tax(source_id="1", name="VAT 20%", rate=Decimal("0.2"))
OTHER_TAX = Tax(source_id="2", name="Unmapped", rate=Decimal("0.1"))


def _item(n: int, code: str, **extra: Any) -> Item:
    values: dict[str, Any] = {
        "source_id": str(n),
        "code": code,
        "name": f"Item {code}",
        "sale_price": Decimal(n) + Decimal("0.50"),
        "taxes": (VAT,),
        "category_ids": ("c1",) if n % 2 else ("c2",),
    }
    values.update(extra)
    return Item(**values)


def catalogue() -> MemoryBackOffice:
    """Singles, a pack before its component, a three-variant family split by singles
    in the catalogue's order, a duplicate reference, an item with an unmapped tax."""
    items = [
        _item(1, "SINGLE-1"),
        _item(2, "PACK-1", kit=(KitComponent("SINGLE-9", Decimal(2)),)),
        _item(3, "TEE-S", template_id="T", variant_count=3, attributes={"size": "S"}),
        _item(4, "SINGLE-4"),
        _item(5, "DUP-1"),
        _item(6, "TEE-M", template_id="T", variant_count=3, attributes={"size": "M"}),
        _item(7, "SINGLE-7", taxes=(OTHER_TAX,)),  # no tax class: parked
        _item(8, "dup-1"),  # the same reference as item 5, case ignored: both rejected
        _item(9, "SINGLE-9"),
        _item(10, "TEE-L", template_id="T", variant_count=3, attributes={"size": "L"}),
        _item(11, "SINGLE-11", active=False),  # dormant, never sent: left out
        _item(12, "SINGLE-12"),
    ]
    office = MemoryBackOffice(
        taxes=[VAT, OTHER_TAX],
        categories=[Category("c1", "Tees"), Category("c2", "Mugs")],
        items={i.source_id: i for i in items},
    )
    for item in items:
        office.set_stock(item.source_id, "WH", Decimal(int(item.source_id) % 4))
    return office


class RecordingShop(bench_module().InstantShop):  # type: ignore[misc]
    """The instant shop, keeping what each product holds by the shop's own id (from its
    SKU, so two runs in different orders give the same ids): the shop side to compare."""

    def __init__(self) -> None:
        super().__init__()
        self.products: dict[str, dict[str, Any]] = {}

    def batch_size(self, kind: str) -> int:
        return 1  # a window is whole batches of the shop's: here, any number of records

    def write_products(self, writes: Sequence[base.ProductWrite]) -> list[base.WriteOutcome]:
        outcomes = []
        for write in writes:
            shop_id = write.shop_id or f"p-{write.draft.sku}"
            self.by_sku.setdefault(write.draft.sku, shop_id)
            fields = asdict(write.draft)
            held = self.products.setdefault(shop_id, {})
            held.update(
                {k: v for k, v in fields.items() if write.fields is None or k in write.fields}
            )
            if write.parent_shop_id:
                held["parent"] = write.parent_shop_id
            outcomes.append(
                base.WriteOutcome(write.key, shop_id=shop_id, created=write.shop_id is None)
            )
        return outcomes

    def write_categories(self, writes: Sequence[base.CategoryWrite]) -> list[base.WriteOutcome]:
        return [base.WriteOutcome(w.key, shop_id=f"c-{w.key}", created=True) for w in writes]


class CountingBackOffice(MemoryBackOffice):
    """The memory back-office, noting how many items each read hands over at once."""

    def __init__(self, office: MemoryBackOffice) -> None:
        super().__init__(
            taxes=office.taxes, categories=office.categories, items=office.items, stock=office.stock
        )
        self.handed: list[int] = []
        self.by_id: list[int] = []  # the items each read by id handed over
        self.stock_asked: list[int | None] = []  # the ids each stock read named (None: all)

    def list_items(self, modified_since: Any = None) -> Sequence[Item]:
        read = super().list_items(modified_since)
        return read if modified_since is not None else _OneAtATime(read)  # a delta: a few

    def list_items_where(
        self, *, ids: base.Keys = (), codes: base.Keys = (), templates: base.Keys = ()
    ) -> list[Item]:
        found = super().list_items_where(ids=ids, codes=codes, templates=templates)
        self.handed.append(len(found))
        self.by_id.append(len(found))
        return found

    def stock_levels(
        self,
        warehouses: Sequence[str] | None = None,
        item_ids: Iterable[str] | None = None,
        kind: StockKind = StockKind.ON_HAND,
    ) -> list[StockLevel]:
        asked = None if item_ids is None else list(item_ids)
        self.stock_asked.append(None if asked is None else len(asked))
        levels = super().stock_levels(warehouses, asked, kind)
        self.handed.append(len(levels))
        return levels


class _OneAtATime(Sequence[Item]):
    """A whole read handed over an item at a time: gone over once, never held whole."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._items = items
        self.iterated = 0

    def __len__(self) -> int:
        raise AssertionError("a whole read is gone over once, not counted")

    def __getitem__(self, index: Any) -> Any:
        raise AssertionError("a whole read is gone over once, not indexed")

    def __iter__(self) -> Iterator[Item]:
        self.iterated += 1
        assert self.iterated == 1, "a whole read is gone over once"
        return iter(self._items)


def profile() -> Profile:
    data = bench_module().bench_profile().model_dump(mode="json", exclude_unset=True)
    data["catalogue"] = {
        "only_salable": True,
        "tax_classes": {"VAT 20%": "standard"},
        "variants": {"attributes": [{"name": "Size", "field": "attr:size"}]},
    }
    return Profile.model_validate(data)


def _runs(tmp_path: Path, office: MemoryBackOffice) -> dict[str, Any]:
    """Export, export again, stock changed and sent: what the shop, the bindings, the
    parked records and the journal counts say after each."""
    shop = RecordingShop()
    seen: dict[str, Any] = {"counts": []}
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))
        bench = profile()
        for flow in ("export-products", "export-products", "update-stock"):
            if flow == "update-stock":
                for key in list(office.stock):
                    office.stock[key] += 10
            summary = runner.run(bench, flow, backoffice=office, shop=shop)
            seen["counts"].append((flow, {k: v for k, v in summary.counts.items() if v}))
        seen["bindings"] = {
            kind: {
                key: (b.remote_id, b.content_hash)
                for key, b in store.bindings(bench.name, kind).items()
            }
            for kind in ("product", "product_state", "stock", "price")
        }
        seen["parked"] = sorted(p.record_key for p in store.parked(bench.name, "export-products"))
    seen["shop"] = shop.products
    return seen


@pytest.mark.parametrize("disk", ["takes the spool", "refuses the spool"])
def test_any_window_gives_the_shop_the_bindings_and_the_counts_of_one_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: str
) -> None:
    """Above KEEP items, the windows come from the first pass's spool; when the disk
    refuses it (full), from the back-office again, by id: the same runs either way."""
    whole = _runs(tmp_path / "whole", catalogue())
    monkeypatch.setattr(windows, "WINDOW", 2)
    monkeypatch.setattr(windows, "KEEP", 0)  # spooled, read back a window at a time
    monkeypatch.setattr(quantities, "READ_AHEAD", 0)  # the stock too
    monkeypatch.setattr(item_spool, "BLOCK", 2)  # several blocks
    if disk == "refuses the spool":
        monkeypatch.setattr(item_spool.ItemSpool, "__init__", _full_disk_spool)
    office = CountingBackOffice(catalogue())
    windowed = _runs(tmp_path / "windowed", office)
    assert windowed == whole
    if disk == "takes the spool":
        assert office.by_id == []  # the back-office read once a run
    else:
        assert office.by_id and max(office.by_id) <= 2 - 1 + 3  # a window, by id
    # What the runs did, so the comparison compares something.
    first, again, stock = (counts for _flow, counts in whole["counts"])
    assert first == {"created": 11, "updated": 1, "parked": 3}  # the pack sent again
    assert again == {"unchanged": 11, "parked": 3}
    assert stock == {"updated": 8, "skipped": 1}  # the parked item is not in the shop
    assert sorted(whole["shop"]) == [
        "p-PACK-1",
        "p-SINGLE-1",
        "p-SINGLE-12",
        "p-SINGLE-4",
        "p-SINGLE-9",
        "p-TEE",
        "p-TEE-L",
        "p-TEE-M",
        "p-TEE-S",
    ]
    shop = whole["shop"]
    assert {p["sku"] for p in shop.values() if p.get("parent") == "p-TEE"} == {
        "TEE-S",
        "TEE-M",
        "TEE-L",
    }
    assert shop["p-PACK-1"]["stock_quantity"] is not None
    assert {"5", "7", "8"} <= set(whole["parked"])
    assert max(office.handed) <= 2 - 1 + 3  # a window: under 2 items, then a family of 3


_spool_init = item_spool.ItemSpool.__init__


def _full_disk_spool(spool: item_spool.ItemSpool) -> None:
    """A spool on a full disk: SQLite's own "database or disk is full" at the first
    block written (see tests/test_item_spool.py)."""
    _spool_init(spool)
    fill_the_disk(spool)


def test_a_window_of_items_at_a_time_is_all_the_back_office_hands_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(windows, "WINDOW", 3)
    monkeypatch.setattr(windows, "KEEP", 3)
    monkeypatch.setattr(quantities, "READ_AHEAD", 3)
    office = CountingBackOffice(catalogue())
    for n in range(13, 60):  # a larger catalogue than KEEP: read again by window
        office.items[str(n)] = _item(n, f"MORE-{n}")
        office.set_stock(str(n), "WH", Decimal(1))
    _runs(tmp_path, office)
    # A window: under 3 items, then a whole family (of 3); the back-office's stock too.
    assert office.handed and max(office.handed) <= 3 - 1 + 3
    assert len(office.handed) > 59 // 5


def test_a_run_of_many_windows_reads_its_stock_once_and_sends_what_one_window_sends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to READ_AHEAD items, a run of several windows reads the stock of all its items
    in one call before its first window; the shop, the bindings and the counts are
    those of one window. The run that has a single window asks as before."""
    whole = _runs(tmp_path / "whole", catalogue())
    monkeypatch.setattr(windows, "WINDOW", 2)
    monkeypatch.setattr(windows, "KEEP", 0)
    office = CountingBackOffice(catalogue())
    assert _runs(tmp_path / "windowed", office) == whole
    # One stock read per run, before its first window, naming the run's items: the
    # 9 items for the shop (3 are parked), then on the export run again only the item
    # still unbound (a parked one: a window asks the stock of the products to create),
    # then the 9 again for the stock run. Each window asked on its own before.
    assert office.stock_asked == [9, 1, 9]
    monkeypatch.setattr(quantities, "READ_AHEAD", 0)
    per_window = CountingBackOffice(catalogue())
    assert _runs(tmp_path / "per-window", per_window) == whole
    assert len(per_window.stock_asked) > 3 + 3


def test_a_window_is_whole_batches_of_the_shop() -> None:
    """A window never splits what the shop takes in one request (2,000 BigCommerce
    stock levels, 250 Shopify ones): the requests are those of one window."""
    assert windows.window_size(100) == windows.WINDOW == 1000
    assert windows.window_size(250) == 1000
    assert windows.window_size(300) == 1200
    assert windows.window_size(2000) == 2000
    assert windows.window_size(0) == 1000


class LookingUpShop(RecordingShop):
    """The recording shop holding products made by hand, noting each look-up by SKU."""

    def __init__(self, held: dict[str, str]) -> None:
        super().__init__()
        self.by_sku.update(held)
        self.asked: list[set[str]] = []

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        wanted = set(skus)
        self.asked.append(wanted)
        return {sku: self.by_sku[sku] for sku in wanted if sku in self.by_sku}


def _export(tmp_path: Path, shop: LookingUpShop) -> dict[str, tuple[str, str | None]]:
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))
        summary = runner.run(profile(), "export-products", backoffice=catalogue(), shop=shop)
        assert summary.counts["created"] == 8 and summary.counts["updated"] == 4
        return {
            key: (b.remote_id, b.content_hash)
            for key, b in store.bindings(profile().name, "product").items()
        }


def test_a_run_of_many_windows_looks_skus_up_once_and_adopts_as_one_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Products made by hand (a single, a variation, the variable product itself) are
    adopted alike whatever the window; a run of several windows asks the shop once,
    before its first window, for every SKU it foresees, the variable product's too."""
    held = {"SINGLE-12": "hand-1", "TEE-M": "hand-2", "TEE": "hand-3"}
    one = LookingUpShop(held)
    whole = _export(tmp_path / "whole", one)
    monkeypatch.setattr(windows, "WINDOW", 2)
    monkeypatch.setattr(windows, "KEEP", 0)
    many = LookingUpShop(held)
    windowed = _export(tmp_path / "windowed", many)
    assert windowed == whole
    assert {key: remote for key, (remote, _hash) in whole.items() if remote.startswith("hand")} == {
        "12": "hand-1",
        "6": "hand-2",
        "template:T": "hand-3",
    }
    assert many.products == one.products
    first, *later = many.asked
    assert {"SINGLE-1", "SINGLE-12", "TEE", "TEE-S", "TEE-M", "TEE-L"} <= first
    assert not any(later)  # nothing left to ask: every SKU was foreseen
    assert len(one.asked) == 2  # one window: as before, singles and parents, then variations


def test_a_dormant_item_in_the_shop_stays_in_the_selection_to_be_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The selection asks which items the shop holds only for a window with an item it
    would otherwise leave out: one already sent stays (switched off there), one never
    sent stays out, whatever the window."""
    monkeypatch.setattr(windows, "WINDOW", 2)
    office = catalogue()
    shop = RecordingShop()
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))
        bench = profile()
        runner.run(bench, "export-products", backoffice=office, shop=shop)
        assert shop.products["p-SINGLE-4"]["active"] is True
        office.items["4"] = _item(4, "SINGLE-4", active=False)  # dormant now, in the shop
        again = runner.run(bench, "export-products", backoffice=office, shop=shop)
        assert again.counts["updated"] == 1  # switched off, not left out
        assert shop.products["p-SINGLE-4"]["active"] is False
        assert "p-SINGLE-11" not in shop.products  # dormant, never sent: still left out
        stock = runner.run(bench, "update-stock", backoffice=office, shop=shop)
        assert stock.counts["skipped"] == 1  # the parked item; the dormant one is in the shop
