"""Benchmark: export-products and update-stock from a Tryton database of N items.

Builds once (then caches) a Tryton database holding the demo merchant plus
N variants: most templates with one variant, one in five with three (sizes
S/M/L), in the demo's two warehouses (a done supplier move into each), under
the demo's price lists. Then, against the WooCommerce sandbox with a
latency per request, runs ``export-products`` and ``update-stock`` three times
each (full, nothing changed, 1 % changed; after the export, update-stock's
full run forgets the stock levels sent and reads everything, so it sends
every level again, as a first stock sync would) and prints for each run:

- requests sent against the floor (the batch writes the change needs, 100 a
  request, one variations batch per variable product touched);
- wall time (and the process's CPU time) against the network bound (floor × latency);
- the shop's own handling: the sandbox's time from the end of each request's
  latency to its answer. The sandbox runs in this process, on the same cores and
  interpreter lock as passerelle, so that time is in the wall too; it is shown,
  not added to the bound (a real shop's own time per request is its own);
- the back-office read time inside the run (``list_items``, ``stock_levels``
  and ``list_items_where``: items read again by id, a delta's picks or a run's
  windows if its spool was refused) against a raw-SQL read of the same data,
  measured in the same run on the same SQLite file. A read by id has no raw
  counterpart of its own: its whole time counts against the others' raw reads.

    python benchmarks/catalogue_tryton.py [--items 100000] [--latency 0.02]
        [--cache DIR]  (or $PASSERELLE_BENCH_CACHE; default ~/.cache/passerelle-bench)
        [--flows export-products,update-stock] [--reads-only]

``--reads-only`` skips the flows: it times the connector's ``list_items()`` twice
and ``list_items_where`` on a window of 1,000 ids (as a streamed read asks),
each against the raw-SQL read, on a copy of the cached database.

The cached database is keyed by N, the demo's stamp and this builder's
version; each run works on a copy of it, so the cache stays as built.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from rich.console import Console
from sqlalchemy import Table, update

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
from passerelle.store.models import BindingRow

CACHE_ENV = "PASSERELLE_BENCH_CACHE"
BUILDER_VERSION = "2"  # bump when the database this file builds changes
BATCH = 100  # WooCommerce's batch endpoints take 100 records a request
SIZES = ("S", "M", "L")
PREFIX = "BT"
SEED = 5  # templates made by the ORM: one of each shape (see _populate)


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
    """Create the bench templates, variants and stock moves (inside a trytond session).

    Why two steps: through the ORM, 2,000 variants took about two minutes (each
    create validates its domains, each ``Move.do`` walks cost prices), so
    100,000 would take hours. The first cycle of templates (four with one
    variant, one with three) and their moves are made by the ORM; every other
    template, variant and move is a copy of the rows the ORM wrote for the seed
    of its shape, inserted in bulk with what differs by index (name, code,
    price, categories, weight, description, quantity) set as the ORM sets it.
    """
    counts = _variant_counts(items)
    seed = counts[:SEED]
    _populate_orm(seed)
    if len(counts) > len(seed):
        _copy_seed(counts, len(seed))


def _template_values(index: int, count: int, ref: dict[str, Any]) -> dict[str, Any]:
    """The ORM values of the bench template ``index`` and its ``count`` variants."""
    variants = [
        {
            "suffix_code": f"-{SIZES[n]}" if count > 1 else None,
            "description": _description(index, n),
            "attributes": {"size": SIZES[n]} if count > 1 else {},
        }
        for n in range(count)
    ]
    return {
        "name": _name(index),
        "code": _code(index),
        "type": "goods",
        "default_uom": ref["unit"],
        "sale_uom": ref["unit"],
        "salable": True,
        "list_price": _list_price(index),
        "account_category": _pick(ref["accounting"], index),
        "categories": [("add", [_pick(ref["shelves"], index)])],
        "attribute_set": ref["web"],
        "weight": _weight(index),
        "weight_uom": ref["kilogram"],
        "products": [("create", variants)],
    }


def _name(index: int) -> str:
    return f"Bench article {index}"


def _description(index: int, n: int) -> str:
    return f"<p>Article {index} {n}</p>"


def _list_price(index: int) -> Decimal:
    return Decimal(10 + index % 90) + Decimal("0.90")


def _weight(index: int) -> float:
    return round(0.1 + (index % 20) / 10, 1)


def _pick(ids: list[int], index: int) -> int:
    return ids[index % len(ids)]


def _stock(n: int, w: int) -> float:
    """The supplier move of the ``n``-th bench variant into the ``w``-th warehouse (0: none)."""
    return float((n * 7 + w * 3) % 40)


def _references() -> dict[str, Any]:
    """Ids the builder needs: units, categories, attribute set, company, locations."""
    from trytond.pool import Pool

    pool = Pool()
    Category = pool.get("product.category")
    Location = pool.get("stock.location")
    ModelData = pool.get("ir.model.data")
    (company,) = pool.get("company.company").search([], limit=1)
    (web,) = pool.get("product.attribute.set").search([], limit=1)
    (supplier,) = Location.search([("type", "=", "supplier")], limit=1)
    warehouses = Location.search([("type", "=", "warehouse")], order=[("id", "ASC")])[:2]
    return {
        "unit": ModelData.get_id("product", "uom_unit"),
        "kilogram": ModelData.get_id("product", "uom_kilogram"),
        "shelves": [
            c.id for c in Category.search([("accounting", "=", False)], order=[("id", "ASC")])
        ],
        "accounting": [
            c.id for c in Category.search([("accounting", "=", True)], order=[("id", "ASC")])
        ],
        "web": web.id,
        "company": company,
        "supplier": supplier.id,
        "storages": [w.storage_location.id for w in warehouses],
    }


def _populate_orm(counts: list[int]) -> None:
    """The seed: templates, variants and done supplier moves made by trytond's ORM."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Template = pool.get("product.template")
    Product = pool.get("product.product")
    Move = pool.get("stock.move")
    ref = _references()
    company = ref["company"]
    Template.create([_template_values(i, c, ref) for i, c in enumerate(counts)])
    with Transaction().set_context(active_test=False):
        products = Product.search([("code", "like", f"{PREFIX}%")], order=[("id", "ASC")])
    today = dt.date.today()
    moves = [
        {
            "product": product.id,
            "unit": ref["unit"],
            "quantity": _stock(n, w),
            "from_location": ref["supplier"],
            "to_location": storage,
            "effective_date": today,
            "planned_date": today,
            "company": company.id,
            "unit_price": Decimal("4.0000"),
            "currency": company.currency.id,
        }
        for n, product in enumerate(products)
        for w, storage in enumerate(ref["storages"])
        if _stock(n, w)
    ]
    Move.do(Move.create(moves))


class _Rows:
    """Rows of one table read and inserted through trytond's connection."""

    def __init__(self, name: str) -> None:
        from sql import Table
        from trytond.transaction import Transaction

        self.table = Table(name)
        self.cursor = Transaction().connection.cursor()

    def select(self, where: Any) -> list[dict[str, Any]]:
        self.cursor.execute(*self.table.select(where=where, order_by=[self.table.id.asc]))
        names = [d[0] for d in self.cursor.description]
        return [dict(zip(names, row, strict=True)) for row in self.cursor.fetchall()]

    def insert(self, seed: dict[str, Any], changes: list[dict[str, Any]]) -> None:
        """Insert one copy of ``seed`` (without its id) per entry of ``changes``."""
        from sql import Column

        names = [n for n in seed if n != "id"]
        columns = [Column(self.table, n) for n in names]
        for start in range(0, len(changes), 500):
            values = [[{**seed, **c}[n] for n in names] for c in changes[start : start + 500]]
            self.cursor.execute(*self.table.insert(columns, values))


def _copy_seed(counts: list[int], first: int) -> None:
    """Templates ``first`` onwards and their variants and moves, as copies of the seed's rows."""
    ref = _references()
    templates = _Rows("product_template")
    products = _Rows("product_product")
    seed_templates = templates.select(templates.table.code.like(f"{PREFIX}%"))
    seed_ids = [t["id"] for t in seed_templates]
    shape = {1: seed_templates[0], 3: seed_templates[SEED - 1]}  # the seed's two shapes
    variants = products.select(products.table.template.in_(seed_ids))
    by_template: dict[int, list[dict[str, Any]]] = {}
    for row in variants:
        by_template.setdefault(row["template"], []).append(row)
    indexes = range(first, len(counts))
    templates.insert(
        shape[1],
        [
            {
                "name": _name(i),
                "code": _code(i),
                "account_category": _pick(ref["accounting"], i),
                "weight": _weight(i),
            }
            for i in indexes
        ],
    )
    new = {
        row["code"]: row["id"]
        for row in templates.select(templates.table.code.like(f"{PREFIX}%"))
        if row["id"] not in seed_ids
    }
    _copy_by_template(ref, indexes, new, shape[1]["id"])
    product_changes = []
    for i in indexes:
        own = by_template[shape[1 if counts[i] == 1 else 3]["id"]]
        for n in range(counts[i]):
            product_changes.append(
                {
                    "template": new[_code(i)],
                    "code": _code(i) + (own[n]["suffix_code"] or ""),
                    "suffix_code": own[n]["suffix_code"],
                    "attributes": own[n]["attributes"],
                    "description": _description(i, n),
                }
            )
    products.insert(variants[0], product_changes)
    _copy_by_product(ref, variants, seed_ids)


def _copy_by_template(ref: dict[str, Any], indexes: range, new: dict[str, int], seed: int) -> None:
    """The rows the ORM writes per template: list price, cost method, category, name."""
    for table, field_name, changes in (
        ("product_list_price", "template", lambda i: {"list_price": _list_price(i)}),
        ("product_cost_price_method", "template", lambda i: {}),
        ("product-category", "template", lambda i: {"category": _pick(ref["shelves"], i)}),
        ("ir_translation", "res_id", lambda i: {"src": _name(i), "value": _name(i)}),
    ):
        rows = _Rows("product_template-product_category" if table == "product-category" else table)
        where = getattr(rows.table, field_name) == seed
        if table == "ir_translation":
            where &= rows.table.name == "product.template,name"
        (row,) = rows.select(where)
        rows.insert(row, [{field_name: new[_code(i)], **changes(i)} for i in indexes])


def _copy_by_product(
    ref: dict[str, Any], seeds: list[dict[str, Any]], seed_templates: list[int]
) -> None:
    """The rows the ORM writes per variant: cost price, description, supplier moves."""
    products = _Rows("product_product")
    templates = _Rows("product_template")
    weights = {
        row["id"]: row["weight"]
        for row in templates.select(templates.table.code.like(f"{PREFIX}%"))
    }
    rows = products.select(products.table.code.like(f"{PREFIX}%"))
    first = seeds[0]["id"]
    copied = [r for r in rows if r["template"] not in seed_templates]
    cost = _Rows("product_cost_price")
    (seed_cost,) = cost.select(cost.table.product == first)
    cost.insert(seed_cost, [{"product": r["id"]} for r in copied])
    texts = _Rows("ir_translation")
    (seed_text,) = texts.select(
        (texts.table.res_id == first) & (texts.table.name == "product.product,description")
    )
    texts.insert(
        seed_text,
        [{"res_id": r["id"], "src": r["description"], "value": r["description"]} for r in copied],
    )
    moves = _Rows("stock_move")
    seed_moves = {
        m["to_location"]: m for m in moves.select(moves.table.product.in_([s["id"] for s in seeds]))
    }
    offset = len(rows) - len(copied)
    for w, storage in enumerate(ref["storages"]):
        changes = []
        for n, row in enumerate(copied, start=offset):
            quantity = _stock(n, w)
            if quantity:
                changes.append(
                    {
                        "product": row["id"],
                        "quantity": quantity,
                        "internal_quantity": quantity,
                        "internal_weight": quantity * weights[row["template"]],
                    }
                )
        moves.insert(seed_moves[storage], changes)


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
# What else ``list_items`` returns, each table read whole: the names and descriptions
# in each language, the images and attachments (their bytes, which the items carry a
# digest of), suppliers, kit components, the web shop's list, the category tree, the
# units, taxes and price lists, and each template's variant count.
_RELATED_SQL = (
    """SELECT t.name, t.res_id, t.lang, t.value FROM ir_translation t
       WHERE t.type = 'model' AND t.value != ''
         AND t.name IN ('product.template,name', 'product.product,description')""",
    """SELECT i.id, i.product, i.template, i.sequence, i.description, i.image, i.web_shop
       FROM product_image i""",
    """SELECT a.id, a.resource, a.name, a.type, a.description, a.data, a.link
       FROM ir_attachment a WHERE a.resource LIKE 'product.%'""",
    """SELECT s.product, s.template, s.party, s.code, s.company, s.sequence, s.active
       FROM purchase_product_supplier s""",
    """SELECT c.parent_product, c.parent_template, c.product, c.quantity, c.fixed, c.unit
       FROM product_component c""",
    'SELECT w.product, w.shop, w.active FROM "web_shop-product_product" w',
    "SELECT c.id, c.parent, c.name FROM product_category c",
    "SELECT u.id, u.symbol, u.factor, u.rounding, u.digits FROM product_uom u",
    "SELECT t.id, t.name, t.type, t.rate, t.amount, t.update_unit_price FROM account_tax t",
    "SELECT l.id, l.name, l.tax_included, l.price, l.unit FROM product_price_list l",
    "SELECT p.template, COUNT(*) FROM product_product p GROUP BY p.template",
)
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


def raw_items(file: Path, *, related: bool = True) -> float:
    """Seconds to read the items, their taxes, categories, barcodes, cost and price lines,
    and (``related``) the other tables their fields come from (:data:`_RELATED_SQL`)."""
    started = time.perf_counter()
    with sqlite3.connect(file) as conn:
        rows = conn.execute(_ITEMS_SQL).fetchall()
        lines = conn.execute(_PRICE_LINES_SQL).fetchall()
        for query in _RELATED_SQL if related else ():
            conn.execute(query).fetchall()
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
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        if name not in ("list_items", "stock_levels", "list_items_where"):
            return value

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return value(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        return timed


class TimedSandbox(WooSandbox):
    """The WooCommerce sandbox, timing its own handling of each request: from the end
    of the latency wait to the answer built (the sandbox runs in this process and
    shares its cores and interpreter lock with passerelle)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handling = 0.0
        self._started = threading.local()

    def receive(self, method: str, path: str) -> None:
        super().receive(method, path)
        self._started.at = time.perf_counter()

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Any:
        try:
            return super().handle(method, target, headers, body)
        finally:
            started = getattr(self._started, "at", None)
            if started is not None:
                self.handling += time.perf_counter() - started
                self._started.at = None


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
    parser.add_argument("--reads-only", action="store_true")
    args = parser.parse_args()
    cache = args.cache or Path(
        os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "passerelle-bench"
    )
    built = ensure_bench_database(cache, args.items)
    if args.reads_only:
        reads_only(built)
        return 0
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
        # No state file: the shop need not outlive the run, and the sandbox saves its
        # whole state (tens of MB at 10,000 products) at most once a second under its
        # lock, in this process: a stand-in's cost that no real shop's writes carry.
        sandbox = TimedSandbox(
            None,
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


def reads_only(built: Path) -> None:
    """``list_items()`` twice and a window of 1,000 ids, each against the raw-SQL read
    (wall and process CPU time: on a shared machine the CPU time varies less)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copyfile(built, folder / "reads.sqlite")
        back_office = TrytonBackOffice("reads", uri="sqlite://", path=folder)
        back_office.list_items_where(ids=["1"])  # trytond's pool loaded once, not timed
        items: list[Any] = []
        for _ in range(2):
            wall, cpu = time.perf_counter(), time.process_time()
            items = back_office.list_items()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            sql = min(raw_items(folder / "reads.sqlite") for _ in range(3))
            # The yardstick before it read the related tables too, for comparison.
            bare = min(raw_items(folder / "reads.sqlite", related=False) for _ in range(3))
            print(
                f"list_items: {len(items)} items in {wall:.2f} s (CPU {cpu:.2f} s)"
                f" vs raw SQL {sql:.3f} s → {wall / sql:.1f}×"
                f" (without the related tables {bare:.3f} s → {wall / bare:.1f}×)"
            )
        window = [item.source_id for item in items[len(items) // 3 :][:1000]]
        wall, cpu = time.perf_counter(), time.process_time()
        back_office.list_items_where(ids=window)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"list_items_where: {len(window)} ids in {wall:.2f} s (CPU {cpu:.2f} s)")


def forget_stock_hashes(store: Store, profile: str) -> None:
    """Every stock level of the profile as never sent, so the next update-stock sends it."""
    table = cast(Table, BindingRow.__table__)
    with store.engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.profile == profile, table.c.kind == "stock")
            .values(content_hash=None)
        )


def _runs(
    args: argparse.Namespace,
    root: Path,
    target: TrytonTarget,
    codes: list[str],
    sandbox: TimedSandbox,
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
                options: dict[str, Any] = {}
                if label == "full" and flow != "export-products" and "export-products" in flows:
                    # The export sent every level already: a full stock run is one that
                    # sends them all again, as a first stock sync of a catalogue the shop
                    # holds, so every stock hash is forgotten and everything is read.
                    forget_stock_hashes(store, profile.name)
                    options = {"full_read": True}
                    label = "full (every level sent again)"
                backoffice.seconds.clear()
                sandbox.reset_requests()
                sandbox.handling = 0.0
                before = shop.request_count
                started, cpu = time.perf_counter(), time.process_time()
                summary = runner.run(
                    profile, flow, backoffice=backoffice, shop=shop, options=options
                )  # type: ignore[arg-type]
                wall = time.perf_counter() - started
                cpu = time.process_time() - cpu
                sent = shop.request_count - before
                writes = sum(1 for method, _path in sandbox.requests if method != "GET")
                floor = floor_writes(changed)
                reads = dict(backoffice.seconds)
                # The fastest of three raw reads, as --reads-only takes it: the first
                # read after a run may find the file's pages out of the cache.
                sql = sum(min(RAW[name](file) for _ in range(3)) for name in reads if name in RAW)
                bo = sum(reads.values())
                bound = floor * args.latency
                print(f"{flow} — {label}: status {summary.status}, counts {dict(summary.counts)}")
                print(
                    f"  requests {sent} ({writes} writes) vs floor {floor} writes"
                    f"{f' → {writes / floor:.2f}×' if floor else ''}"
                )
                print(
                    f"  wall {wall:.2f} s (process CPU {cpu:.2f} s)"
                    f" vs network bound {bound:.2f} s; "
                    + (
                        f"wall / (bound + raw SQL) = {wall / (bound + sql):.1f}"
                        if bound + sql
                        else ""
                    )
                )
                print(
                    f"  the shop's own handling {sandbox.handling:.2f} s over {sent} requests"
                    " (the sandbox, in this process: not in the bound)"
                )
                print(
                    "  back-office reads "
                    + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in reads.items())
                    + f" = {bo:.2f} s vs raw SQL {sql:.3f} s"
                    + (f" → {bo / sql:.1f}×" if sql else "")
                )
                problems = Counter(
                    line.message.split(": ", 1)[-1][:120]
                    for line in store.journal(summary.run_id)
                    if str(line.level) in ("error", "JournalLevel.ERROR")
                )
                for message, count in problems.most_common(3):
                    print(f"  failed ×{count}: {message}")
                by_endpoint = Counter(
                    (method, re.sub(r"/\d+/", "/{id}/", path)) for method, path in sandbox.requests
                )
                print("  " + ", ".join(f"{m} {p} ×{n}" for (m, p), n in by_endpoint.items()))
    finally:
        shop.close()
        store.close()


if __name__ == "__main__":
    sys.exit(main())
