"""Benchmark: passerelle's own CPU per record (map + hash + diff + store), no network.

The back-office makes each item from its index when asked (``LazyBackOffice``,
over the in-memory one of ``connectors/memory.py``: a stand-in for a back-office
in another process, which holds its catalogue in its own database) and the shop
is an instant one defined here, answering every write at once, so what is
measured is passerelle's local work (making the items included, about what
converting a database's rows costs): reading the catalogue, mapping each item to a draft,
hashing it, comparing it with its binding, writing the bindings, the sent
contents and the journal. Four runs per size, through the runner as the CLI
runs them, on the default SQLite state store:

1. ``export-products`` creating every product (nothing bound yet);
2. ``export-products`` again, nothing changed, every item read again and
   compared by hash (``--full-read``: the worst no-change case);
3. ``update-stock`` after every quantity changed (every level sent);
4. ``update-stock`` again, nothing changed.

For each run: CPU seconds of the process (``time.process_time``) and records
per second per core (items / CPU seconds), also without the CPU the back-office
spent making its items and levels (a large catalogue is read once, its first
pass spooled and read back a window at a time, see ``passerelle/flows/windows.py``:
the spool's CPU is passerelle's).
Each size runs in its own process, so the peak RSS printed
(``resource.getrusage``'s ``ru_maxrss``) is that size's: before any run, and
after each run (the peak so far).

    python benchmarks/local_overhead.py [--items 10000 100000] [--profile RUN]

``--items 1000000`` is the third size (minutes; the flows hold a window of items at a
time). ``--profile 2`` prints the cProfile top of run 2 (any of 1–4).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, overload

from bench_profile import bench_profile
from rich.console import Console

from passerelle.connectors import base
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import (
    Item,
    Order,
    ShopCategory,
    ShopCustomer,
    ShopProduct,
    StockKind,
    StockLevel,
    Tax,
)
from passerelle.profiles.schema import Profile
from passerelle.runner import Runner
from passerelle.store import Store

RUNS = (
    ("export-products", "create every product"),
    ("export-products", "no change"),
    ("update-stock", "every quantity changed"),
    ("update-stock", "no change"),
)


class InstantShop:
    """A shop answering every write at once, in memory: no network, no wire format.

    It keeps the SKU → shop id of what it created, so a look-up by SKU finds them.
    """

    holds_reservations = False
    identity = "instant:bench"

    def __init__(self) -> None:
        self.request_count = 0
        self.by_sku: dict[str, str] = {}

    def on_retry(self, listener: Callable[[str], None] | None) -> None:
        pass

    def test_connection(self) -> base.ConnectionReport:
        return base.ConnectionReport(True, "instant shop")

    def close(self) -> None:
        pass

    def batch_size(self, kind: str) -> int:
        return 100

    def list_categories(self) -> list[tuple[str, ShopCategory]]:
        return []

    def write_categories(self, writes: Sequence[base.CategoryWrite]) -> list[base.WriteOutcome]:
        return [
            base.WriteOutcome(w.key, shop_id=w.shop_id or f"c{w.key}", created=True) for w in writes
        ]

    def find_products_by_sku(self, skus: Iterable[str]) -> dict[str, str]:
        self.request_count += 1
        return {sku: self.by_sku[sku] for sku in skus if sku in self.by_sku}

    def write_products(self, writes: Sequence[base.ProductWrite]) -> list[base.WriteOutcome]:
        self.request_count += 1
        outcomes = []
        for write in writes:
            created = write.shop_id is None
            shop_id = write.shop_id or str(len(self.by_sku) + 1)
            self.by_sku.setdefault(write.draft.sku, shop_id)
            outcomes.append(base.WriteOutcome(write.key, shop_id=shop_id, created=created))
        return outcomes

    def write_variations(
        self, parent_shop_id: str, writes: Sequence[base.ProductWrite]
    ) -> list[base.WriteOutcome]:
        return self.write_products(writes)

    def iter_products(self) -> Iterator[ShopProduct]:
        return iter(())

    def find_customers_by_email(self, emails: Iterable[str]) -> dict[str, str]:
        return {}

    def write_customers(self, writes: Sequence[base.CustomerWrite]) -> list[base.WriteOutcome]:
        return [base.WriteOutcome(w.key, shop_id=w.key, created=True) for w in writes]

    def write_customer_groups(self, writes: Sequence[base.GroupWrite]) -> list[base.WriteOutcome]:
        return [base.WriteOutcome(w.key, shop_id=w.key, created=True) for w in writes]

    def iter_customers(self, *, created_after: datetime | None = None) -> Iterator[ShopCustomer]:
        return iter(())

    def iter_orders(self, **_: Any) -> Iterator[Order | ConnectorError]:
        return iter(())

    def get_order(self, order_id: str) -> Order:
        raise ConnectorError(f"the instant shop has no order {order_id}")

    def iter_open_orders(self) -> Iterator[Order | ConnectorError]:
        return iter(())

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        return set()

    def with_notes(self, order: Order) -> Order:
        return order

    def write_shipment(self, order_id: str, **_: Any) -> None:
        pass

    def write_order_result(self, order_id: str, **_: Any) -> None:
        pass


def profile() -> Profile:
    data = bench_profile().model_dump(mode="json", exclude_unset=True)
    data["catalogue"] = {"only_salable": True, "tax_classes": {"VAT 20%": "standard"}}
    return Profile.model_validate(data)


class LazyBackOffice(MemoryBackOffice):
    """``count`` items with a tax, a price and a stock level in one warehouse, each made
    from its index when asked for: a stand-in for a back-office in another process
    (Tryton), which holds its catalogue in its own database, not in passerelle's memory.

    It reads items by id (``list_items_where``) as Tryton does: a run over a large
    catalogue spools its first pass and reads its windows back from the spool (by id
    from here only if the disk refuses it); ``stock_offset`` moves every quantity.
    """

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.stock_offset = 0
        self.cpu = 0.0  # CPU seconds spent making items and levels: the back-office's work
        self.vat = Tax(source_id="1", name="VAT 20%", rate=Decimal("0.2"))
        self.taxes.append(self.vat)

    def item(self, n: int) -> Item:
        started = time.process_time()
        made = Item(
            source_id=str(n + 1),
            code=f"BENCH-{n:07d}",
            name=f"Bench item {n}",
            sale_price=Decimal(n % 997) + Decimal("0.90"),
            description=f"Item number {n} of the local overhead benchmark.",
            taxes=(self.vat,),
            weight=Decimal("0.250"),
        )
        self.cpu += time.process_time() - started
        return made

    def _index(self, item_id: str) -> int | None:
        n = int(item_id) - 1 if item_id.isdigit() else -1
        return n if 0 <= n < self.count else None

    def list_items(self, modified_since: datetime | None = None) -> Sequence[Item]:
        return _LazyItems(self)

    def list_items_where(
        self, *, ids: base.Keys = (), codes: base.Keys = (), templates: base.Keys = ()
    ) -> list[Item]:
        assert not templates, "the bench items have no templates"
        wanted = [self._index(i) for i in ids]
        wanted += [self._index(str(int(c[6:]) + 1)) for c in codes if c[6:].isdigit()]
        return [self.item(n) for n in dict.fromkeys(wanted) if n is not None]

    def stock_levels(
        self,
        warehouses: Sequence[str] | None = None,
        item_ids: Iterable[str] | None = None,
        kind: StockKind = StockKind.ON_HAND,
    ) -> list[StockLevel]:
        started = time.process_time()
        indexes = range(self.count) if item_ids is None else map(self._index, item_ids)
        levels = [
            StockLevel(str(n + 1), f"BENCH-{n:07d}", "WH", Decimal(n % 50 + self.stock_offset))
            for n in indexes
            if n is not None
        ]
        self.cpu += time.process_time() - started
        return levels


def backoffice(count: int) -> LazyBackOffice:
    """The bench back-office of ``count`` items."""
    return LazyBackOffice(count)


class _LazyItems(Sequence[Item]):
    """The bench catalogue as a sequence, each item made when it is reached."""

    def __init__(self, office: LazyBackOffice) -> None:
        self.office = office

    def __len__(self) -> int:
        return self.office.count

    @overload
    def __getitem__(self, index: int) -> Item: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Item]: ...
    def __getitem__(self, index: int | slice) -> Item | Sequence[Item]:
        if isinstance(index, slice):
            return [self.office.item(n) for n in range(self.office.count)[index]]
        return self.office.item(range(self.office.count)[index])

    def __iter__(self) -> Iterator[Item]:
        return map(self.office.item, range(self.office.count))


def child(count: int, profiled: int | None) -> dict[str, Any]:
    """One size, in this process: the four runs' CPU seconds and the peak RSS."""
    office = LazyBackOffice(count)
    seeded = _peak_mib()  # before any run (the back-office makes its items when asked)
    shop = InstantShop()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store = Store.open_data_dir(root)
        runner = Runner(root, store=store, console=Console(quiet=True))
        bench = profile()
        for number, (flow, label) in enumerate(RUNS, start=1):
            if number == 3:
                office.stock_offset = 100
            profiler = cProfile.Profile() if profiled == number else None
            office_cpu = office.cpu
            started = time.process_time()
            if profiler is not None:
                profiler.enable()
            # Every item read and compared again ("--full-read"): the bench items carry no
            # date, so a delta read would be all of them, held at once as a delta is.
            options = {"full_read": True} if number == 2 else None
            summary = runner.run(bench, flow, backoffice=office, shop=shop, options=options)
            if profiler is not None:
                profiler.disable()
            cpu = time.process_time() - started
            results.append(
                {
                    "run": number,
                    "flow": flow,
                    "label": label,
                    "cpu": cpu,
                    "backoffice_cpu": office.cpu - office_cpu,
                    "status": str(summary.status),
                    "counts": {k: v for k, v in summary.counts.items() if v},
                    "peak_mib": _peak_mib(),
                }
            )
            if profiler is not None:
                stats = pstats.Stats(profiler, stream=sys.stderr)
                stats.sort_stats("cumulative").print_stats(40)
                stats.sort_stats("tottime").print_stats(25)
        store.close()
    return {"items": count, "runs": results, "peak_rss_mib": _peak_mib(), "seeded_mib": seeded}


def _peak_mib() -> float:
    """The process's peak resident set so far (Linux gives KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--profile", type=int, choices=range(1, 5), help="cProfile this run")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.items[0], args.profile)))
        return 0
    for count in args.items:
        command = [sys.executable, __file__, "--child", "--items", str(count)]
        if args.profile:
            command += ["--profile", str(args.profile)]
        done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{count:,} items, peak RSS {result['peak_rss_mib']:,.0f} MiB "
            f"({result['seeded_mib']:,.0f} MiB before any run)"
        )
        for run in result["runs"]:
            rate = count / run["cpu"] if run["cpu"] else float("inf")
            own = run["cpu"] - run["backoffice_cpu"]
            print(
                f"  run {run['run']} {run['flow']:<16} {run['label']:<24} "
                f"{run['cpu']:7.2f} s CPU  {rate:10,.0f} records/s/core  "
                f"({count / own if own > 0 else float('inf'):,.0f} without the back-office's "
                f"{run['backoffice_cpu']:.2f} s)  "
                f"peak {run['peak_mib']:6,.0f} MiB  {run['status']} {run['counts']}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
