"""Benchmark: export-products and update-stock from a Tryton database of N items (issue 18).

Builds once (then caches) a Tryton database holding the demo merchant plus
N variants: most templates with one variant, one in five with three (sizes
S/M/L), in the demo's two warehouses (a done supplier move into each), under
the demo's price lists. Then, against the WooCommerce sandbox with a
latency per request, runs ``export-products`` and ``update-stock`` three times
each (full, nothing changed, 1 % changed) and prints for each run:

- requests sent against the floor (the batch writes the change needs, 100 a
  request, one variations batch per variable product touched);
- wall time against the network bound (floor × latency);
- the back-office read time inside the run (``list_items`` /
  ``stock_levels``) against a raw-SQL read of the same data, measured in the
  same run on the same SQLite file.

    python benchmarks/catalogue_tryton.py [--items 100000] [--latency 0.02]
        [--cache DIR]  (or $PASSERELLE_BENCH_CACHE; default ~/.cache/passerelle-bench)
        [--flows export-products,update-stock]

The cached database is keyed by N, the demo's stamp and this builder's
version; each run works on a copy of it, so the cache stays as built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.connectors.tryton.demo import (
    _remove_sqlite,
    _sqlite_backup,
    demo_stamp,
    ensure_demo_template,
)
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.demo import DEMO_KEY, DEMO_SECRET, KEY_ENV, SECRET_ENV, demo_profile
from passerelle.runner import Runner
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.sandbox.woocommerce.seed import TAX_CLASSES
from passerelle.store import Store

CACHE_ENV = "PASSERELLE_BENCH_CACHE"
BUILDER_VERSION = "1"  # bump when the database this file builds changes
BATCH = 100  # WooCommerce's batch endpoints take 100 records a request
SIZES = ("S", "M", "L")
PREFIX = "BT"


# --------------------------------------------------------------------------
# The cached database
# --------------------------------------------------------------------------


def _code(template: int) -> str:
    return f"{PREFIX}{template:06d}"


def _variant_counts(items: int) -> list[int]:
    """Variants per template: one template in five has three, until ``items`` are made."""
    counts: list[int] = []
    made = 0
    while made < items:
        count = min(3 if len(counts) % 5 == 4 else 1, items - made)
        counts.append(count)
        made += count
    return counts


def _populate(items: int) -> None:
    """Create the bench templates, variants and stock moves (inside a trytond session)."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Template = pool.get("product.template")
    Product = pool.get("product.product")
    Category = pool.get("product.category")
    AttributeSet = pool.get("product.attribute.set")
    Location = pool.get("stock.location")
    Move = pool.get("stock.move")
    Company = pool.get("company.company")
    ModelData = pool.get("ir.model.data")
    unit = ModelData.get_id("product", "uom_unit")
    kilogram = ModelData.get_id("product", "uom_kilogram")
    (company,) = Company.search([], limit=1)
    shelves = Category.search([("accounting", "=", False)], order=[("id", "ASC")])
    accounting = Category.search([("accounting", "=", True)], order=[("id", "ASC")])
    (web,) = AttributeSet.search([], limit=1)
    values = []
    for index, count in enumerate(_variant_counts(items)):
        variants = [
            {
                "suffix_code": f"-{SIZES[n]}" if count > 1 else None,
                "description": f"<p>Article {index} {n}</p>",
                "attributes": {"size": SIZES[n]} if count > 1 else {},
            }
            for n in range(count)
        ]
        values.append(
            {
                "name": f"Bench article {index}",
                "code": _code(index),
                "type": "goods",
                "default_uom": unit,
                "sale_uom": unit,
                "salable": True,
                "list_price": Decimal(10 + index % 90) + Decimal("0.90"),
                "account_category": accounting[index % len(accounting)].id,
                "categories": [("add", [shelves[index % len(shelves)].id])],
                "attribute_set": web.id,
                "weight": round(0.1 + (index % 20) / 10, 1),
                "weight_uom": kilogram,
                "products": [("create", variants)],
            }
        )
    for start in range(0, len(values), 50):  # more nest its unique check too deep
        Template.create(values[start : start + 50])
    (supplier,) = Location.search([("type", "=", "supplier")], limit=1)
    warehouses = Location.search([("type", "=", "warehouse")], order=[("id", "ASC")])
    with Transaction().set_context(active_test=False):
        products = Product.search([("code", "like", f"{PREFIX}%")], order=[("id", "ASC")])
    today = dt.date.today()
    moves = [
        {
            "product": product.id,
            "unit": unit,
            "quantity": float((n * 7 + w * 3) % 40),
            "from_location": supplier.id,
            "to_location": warehouse.storage_location.id,
            "effective_date": today,
            "planned_date": today,
            "company": company.id,
            "unit_price": Decimal("4.0000"),
            "currency": company.currency.id,
        }
        for n, product in enumerate(products)
        for w, warehouse in enumerate(warehouses[:2])
        if (n * 7 + w * 3) % 40
    ]
    for start in range(0, len(moves), 200):
        Move.do(Move.create(moves[start : start + 200]))


def _fold(source: Path, target: Path) -> None:
    """Copy ``source`` (with its WAL) to ``target`` as one file, then drop ``source``."""
    _sqlite_backup(source, target)  # the demo template's own way
    _remove_sqlite(source)


def ensure_bench_database(cache: Path, items: int) -> Path:
    """The cached SQLite file of the bench database with ``items`` variants."""
    cache.mkdir(parents=True, exist_ok=True)
    stamp = hashlib.sha256(f"{demo_stamp()}:{BUILDER_VERSION}:{items}".encode()).hexdigest()[:12]
    built = cache / f"bench_{items}_{stamp}.sqlite"
    if built.is_file():
        return built
    template = ensure_demo_template(cache / "demo")
    name = f"bench_building_{os.getpid()}"
    shutil.copyfile(template, cache / f"{name}.sqlite")
    started = time.perf_counter()
    from trytond.transaction import Transaction

    with (
        session(TrytonTarget(name, "sqlite://", cache)),
        Transaction().set_context(_skip_warnings=True),
    ):
        _populate(items)
    _fold(cache / f"{name}.sqlite", built)
    print(f"built {built.name} in {time.perf_counter() - started:.0f} s")
    return built


# --------------------------------------------------------------------------
# Raw-SQL reads of the same data (the yardstick)
# --------------------------------------------------------------------------

_ITEMS_SQL = """
SELECT p.id, p.code, p.description, p.active, p.attributes,
       t.id, t.name, t.weight, t.type, t.salable, t.active,
       (SELECT lp.list_price FROM product_list_price lp WHERE lp.product = p.id),
       (SELECT lp.list_price FROM product_list_price lp
        WHERE lp.template = t.id AND lp.product IS NULL),
       c.categories,
       (SELECT group_concat(i.code) FROM product_identifier i WHERE i.product = p.id),
       (SELECT group_concat(tx.tax) FROM "product_category-customer-account_tax" tx
        WHERE tx.category = t.account_category),
       (SELECT cp.cost_price FROM product_cost_price cp WHERE cp.product = p.id)
FROM product_product p JOIN product_template t ON t.id = p.template
LEFT JOIN (SELECT template, group_concat(category) AS categories
           FROM "product_template-product_category" GROUP BY template) c
       ON c.template = t.id
ORDER BY p.code, p.id
"""
_PRICE_LINES_SQL = """
SELECT l.price_list, l.category, l.product, l.quantity, l.formula
FROM product_price_list_line l ORDER BY l.price_list, l.sequence, l.id
"""
_STOCK_SQL = """
SELECT w.id, m.product,
       SUM(CASE WHEN t."left" >= w."left" AND t."right" <= w."right"
                THEN m.internal_quantity ELSE 0 END)
     - SUM(CASE WHEN f."left" >= w."left" AND f."right" <= w."right"
                THEN m.internal_quantity ELSE 0 END)
FROM stock_move m
JOIN stock_location t ON t.id = m.to_location
JOIN stock_location f ON f.id = m.from_location
CROSS JOIN (SELECT id, "left", "right" FROM stock_location WHERE type = 'warehouse') w
WHERE m.state = 'done' AND m.effective_date <= ?
GROUP BY w.id, m.product
"""


def raw_items(file: Path) -> float:
    """Seconds to read the items, their taxes, categories, barcodes, cost and price lines."""
    started = time.perf_counter()
    with sqlite3.connect(file) as conn:
        rows = conn.execute(_ITEMS_SQL).fetchall()
        lines = conn.execute(_PRICE_LINES_SQL).fetchall()
    conn.close()
    assert rows and lines is not None
    return time.perf_counter() - started


def raw_stock(file: Path) -> float:
    """Seconds to read the on-hand quantity of every product in every warehouse."""
    started = time.perf_counter()
    with sqlite3.connect(file) as conn:
        rows = conn.execute(_STOCK_SQL, (dt.date.today().isoformat(),)).fetchall()
    conn.close()
    assert rows
    return time.perf_counter() - started


# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------


@dataclass
class TimedBackOffice:
    """The Tryton back-office, timing its catalogue and stock reads (duck-typed proxy)."""

    inner: TrytonBackOffice
    seconds: Counter[str] = field(default_factory=Counter)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        if name not in ("list_items", "stock_levels"):
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed


# The raw-SQL read of what each timed back-office read returns.
RAW: dict[str, Callable[[Path], float]] = {"list_items": raw_items, "stock_levels": raw_stock}


def floor_writes(codes: list[str]) -> int:
    """Batch writes for ``codes``: simple products 100 a request, variations per parent."""
    simple = [c for c in codes if not c.endswith(tuple(f"-{s}" for s in SIZES))]
    parents = Counter(c.rsplit("-", 1)[0] for c in codes if c not in simple)
    return math.ceil(len(simple) / BATCH) + sum(math.ceil(n / BATCH) for n in parents.values())


def bench_codes(target: TrytonTarget) -> list[str]:
    """Codes of the bench variants (the demo's own items are left out of the floor)."""
    with sqlite3.connect(target.sqlite_file or "") as conn:
        rows = conn.execute(
            "SELECT t.code || coalesce(p.suffix_code, '') FROM product_product p "
            "JOIN product_template t ON t.id = p.template WHERE t.code LIKE ?",
            (f"{PREFIX}%",),
        ).fetchall()
    conn.close()
    return sorted(r[0] for r in rows)


def change_one_percent(target: TrytonTarget, codes: list[str], what: str) -> list[str]:
    """Change 1 % of the variants: their description (catalogue) or a stock move (stock)."""
    chosen = codes[::100][: max(1, len(codes) // 100)]
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with session(target), Transaction().set_context(_skip_warnings=True):
        pool = Pool()
        Product = pool.get("product.product")
        products = Product.search([("code", "in", chosen)])
        if what == "catalogue":
            for start in range(0, len(products), 50):  # more nest its unique check too deep
                Product.write(products[start : start + 50], {"description": "<p>Changed.</p>"})
        else:
            Location = pool.get("stock.location")
            Move = pool.get("stock.move")
            (supplier,) = Location.search([("type", "=", "supplier")], limit=1)
            (warehouse,) = Location.search([("type", "=", "warehouse")], limit=1)
            (company,) = pool.get("company.company").search([], limit=1)
            today = dt.date.today()
            moves = Move.create(
                [
                    {
                        "product": p.id,
                        "unit": p.default_uom.id,
                        "quantity": 5.0,
                        "from_location": supplier.id,
                        "to_location": warehouse.storage_location.id,
                        "effective_date": today,
                        "planned_date": today,
                        "unit_price": Decimal("4.0000"),
                        "company": company.id,
                        "currency": company.currency.id,
                    }
                    for p in products
                ]
            )
            Move.do(moves)
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--flows", default="export-products,update-stock")
    args = parser.parse_args()
    cache = args.cache or Path(
        os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "passerelle-bench"
    )
    built = ensure_bench_database(cache, args.items)
    os.environ[KEY_ENV] = DEMO_KEY
    os.environ[SECRET_ENV] = DEMO_SECRET
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tryton_dir = root / "tryton"
        tryton_dir.mkdir()
        name = f"bench_run_{os.getpid()}"
        shutil.copyfile(built, tryton_dir / f"{name}.sqlite")
        target = TrytonTarget(name, "sqlite://", tryton_dir)
        codes = bench_codes(target)
        print(f"{len(codes)} bench variants (+ the demo's items), latency {args.latency:.3f} s")
        sandbox = WooSandbox(
            root / "shop.json",
            consumer_key=DEMO_KEY,
            consumer_secret=DEMO_SECRET,
            seed=False,
            cert_dir=root / "tls",
        )
        sandbox.start()
        sandbox.data.tax_classes = [dict(c) for c in TAX_CLASSES]  # the demo's VAT rates
        try:
            _runs(args, root, target, codes, sandbox)
        finally:
            sandbox.stop()
    return 0


def _runs(
    args: argparse.Namespace,
    root: Path,
    target: TrytonTarget,
    codes: list[str],
    sandbox: WooSandbox,
) -> None:
    profile = demo_profile(sandbox.url, sandbox.ca_bundle, target.path or root, target.database)
    backoffice = TimedBackOffice(TrytonBackOffice.from_target(target))
    shop = WooCommerceShop(
        sandbox.url, DEMO_KEY, DEMO_SECRET, options=HttpOptions(verify=sandbox.ca_bundle)
    )
    store = Store.open_data_dir(root)
    runner = Runner(root, store=store, console=Console(quiet=True))
    file = target.sqlite_file
    assert file is not None
    flows = [f.strip() for f in args.flows.split(",") if f.strip()]
    sandbox.latency = args.latency
    try:
        for flow in flows:
            kind = "catalogue" if flow == "export-products" else "stock"
            for label, changed in (("full", codes), ("no change", []), ("1 % changed", None)):
                if changed is None:
                    changed = change_one_percent(target, codes, kind)
                elif label == "full" and flow != "export-products" and "export-products" in flows:
                    changed = []  # the export sent every stock level already
                    label = "first (after export-products)"
                backoffice.seconds.clear()
                sandbox.reset_requests()
                before = shop.request_count
                started = time.perf_counter()
                summary = runner.run(profile, flow, backoffice=backoffice, shop=shop)  # type: ignore[arg-type]
                wall = time.perf_counter() - started
                sent = shop.request_count - before
                writes = sum(1 for method, _path in sandbox.requests if method != "GET")
                floor = floor_writes(changed)
                reads = dict(backoffice.seconds)
                sql = sum(RAW[name](file) for name in reads)
                bo = sum(reads.values())
                bound = floor * args.latency
                print(f"{flow} — {label}: status {summary.status}, counts {dict(summary.counts)}")
                print(
                    f"  requests {sent} ({writes} writes) vs floor {floor} writes"
                    f"{f' → {writes / floor:.2f}×' if floor else ''}"
                )
                print(
                    f"  wall {wall:.2f} s vs network bound {bound:.2f} s; "
                    f"wall / (bound + raw SQL) = {wall / (bound + sql):.1f}"
                )
                print(
                    "  back-office reads "
                    + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in reads.items())
                    + f" = {bo:.2f} s vs raw SQL {sql:.3f} s → {bo / sql:.1f}×"
                )
                problems = Counter(
                    line.message.split(": ", 1)[-1][:120]
                    for line in store.journal(summary.run_id)
                    if str(line.level) in ("error", "JournalLevel.ERROR")
                )
                for message, count in problems.most_common(3):
                    print(f"  failed ×{count}: {message}")
                by_endpoint = Counter(sandbox.requests)
                print("  " + ", ".join(f"{m} {p} ×{n}" for (m, p), n in by_endpoint.items()))
    finally:
        shop.close()
        store.close()


if __name__ == "__main__":
    sys.exit(main())
