"""C9: the quantities of items per warehouse, of each :class:`~passerelle.model.StockKind`.

On hand and forecast are Tryton's own quantities (its stock query, in the
contexts its product form uses: ``stock_date_end`` today without forecast,
and the far future with ``forecast``), one query per warehouse. What customer
orders reserve and what suppliers will deliver are not quantities of a
location, so they are summed from the moves themselves, one search per
warehouse for all items.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from passerelle.connectors.tryton import bulk, bulk_fields, translate
from passerelle.model import StockKind

__all__ = ["StockProduct", "quantities", "stock_products"]

# Moves not done yet that still count: a confirmed sale's moves are draft or
# assigned. "staging" moves belong to quotations (nothing is promised yet).
_OPEN_STATES = ["draft", "assigned"]

Levels = dict[tuple[int, int], Decimal]  # (warehouse id, product id) → quantity

# Up to this many products, the stock query names them (in chunks); beyond, it reads
# the moves of every product and keeps those asked (one query per warehouse).
FILTERED = 5000


class StockProduct(NamedTuple):
    """What the stock read needs of a variant: its code, its template's type and unit."""

    code: str | None
    type: str
    unit: int


def stock_products(
    pool: Any, product_ids: Sequence[int], *, whole: bool = False
) -> dict[int, StockProduct]:
    """:class:`StockProduct` of each variant: one query joining variants and templates per
    chunk of ids, or (``whole``: the ids are most of the variants) one for every variant,
    those asked kept.

    Why not ``read``: ``search_read`` of the codes, then the variants' templates and the
    templates' types and units, read and typed row by row, took five times the stock
    query itself on a 10,000-item catalogue. These three columns need no conversion
    (a text, a selection's key and an id)."""
    from trytond.transaction import Transaction

    product = pool.get("product.product").__table__()
    template = pool.get("product.template").__table__()
    joined = product.join(template, condition=product.template == template.id)
    columns = (product.id, product.code, template.type, template.default_uom)
    if whole:
        asked: set[int] | None = set(product_ids)
        queries = [joined.select(*columns)]
    else:
        asked = None
        size = bulk_fields.IDS
        queries = [
            joined.select(
                *columns, where=bulk_fields.in_(product.id, list(product_ids[s : s + size]))
            )
            for s in range(0, len(product_ids), size)
        ]
    cursor = Transaction().connection.cursor()
    found: dict[int, StockProduct] = {}
    for query in queries:
        cursor.execute(*query)
        for product_id, code, kind, unit in cursor:
            if asked is None or product_id in asked:
                found[product_id] = StockProduct(code, kind, unit)
    return found


def quantities(
    pool: Any,
    warehouses: Sequence[Any],
    product_ids: Sequence[int],
    kind: StockKind,
    known: dict[int, StockProduct] | None = None,
) -> Levels:
    """The ``kind`` quantity of every (warehouse, product); kits from their components.

    The products' types and units are selected in bulk (:func:`stock_products`, or
    ``known`` when the caller selected them) and only the kits are walked as records:
    a lazy ``product.type`` per item cost minutes on a large catalogue (issue 18).
    """
    Product = pool.get("product.product")
    facts = known if known is not None else stock_products(pool, product_ids)
    kits = Product.browse([i for i in product_ids if facts[i].type == "kit"])
    components = {c.product.id for kit in kits for c in kit.components_used}
    missing = sorted(components - facts.keys())
    if missing:
        facts = {**facts, **stock_products(pool, missing)}  # the caller's left as it is
    stocked = sorted({i for i in (*product_ids, *components) if facts[i].type == "goods"})
    units = {i: facts[i].unit for i in stocked}
    levels = _levels(pool, warehouses, units, kind) if stocked else {}
    for kit in kits:
        for warehouse in warehouses:
            levels[(warehouse.id, kit.id)] = _kit_quantity(kit, warehouse, levels)
    return levels


def _levels(pool: Any, warehouses: Sequence[Any], units: dict[int, int], kind: StockKind) -> Levels:
    """``units``: the unit of each goods product to read (ids in ascending order)."""
    products = list(units)
    Date = pool.get("ir.date")
    today = Date.today()
    if kind in (StockKind.FORECAST, StockKind.FORECAST_WITHOUT_SUPPLIERS):
        levels = _by_location(pool, warehouses, units, dt.date.max, forecast=True)
        # Tryton's forecast counts a move not done only from today on: a customer's
        # delivery planned before today and not reserved yet (late) drops out of it,
        # yet its goods are still owed and must not be offered again.
        _add(levels, _late_customer_moves(pool, warehouses, products, today), -1)
    else:
        levels = _by_location(pool, warehouses, units, today, forecast=False)
    if kind is StockKind.AVAILABLE:
        _add(levels, _open_moves(pool, warehouses, products, outgoing=True, today=today), -1)
    elif kind is StockKind.ON_HAND_PLUS_ORDERS:
        _add(levels, _open_moves(pool, warehouses, products, outgoing=True, today=today), 1)
    elif kind is StockKind.FORECAST_WITHOUT_SUPPLIERS:
        _add(levels, _open_moves(pool, warehouses, products, outgoing=False, today=today), -1)
    return levels


def _by_location(
    pool: Any, warehouses: Sequence[Any], units: dict[int, int], end: dt.date, *, forecast: bool
) -> Levels:
    """Tryton's quantities of the products of ``units`` in each warehouse (children
    locations included): one grouped query for all the warehouses and products (in
    chunks of :data:`FILTERED` when only some are asked).

    What ``products_by_location`` does for one location at a time, without its
    per-product cost: the query is Tryton's own (``Move.compute_quantities_query``, so
    the dates, the forecast, the move states and the closed periods count as Tryton
    counts them). It gives a row per location of the warehouses' trees; each row is
    added to the warehouses whose tree holds that location (the locations Tryton's
    query for that warehouse alone would read, ``_location_children``), as
    ``Move.compute_quantities`` sums a single location's rows. One query for all the
    warehouses instead of one each: the query walks the moves once. Each sum is
    rounded with its product's unit (``Uom.round``), once per unit and sum.
    """
    from trytond.modules.stock.move import _location_children
    from trytond.transaction import Transaction

    Move = pool.get("stock.move")
    products = list(units)
    uoms = bulk.units(pool)
    filters: list[Any] = (
        [None]
        if len(products) > FILTERED
        else [(list(products[s : s + bulk.CHUNK]),) for s in range(0, len(products), bulk.CHUNK)]
    )
    # Each warehouse's sums by product; each location's row goes to the sums of the
    # warehouses holding it (one dict update a row and warehouse, no key tuple made).
    sums: dict[int, dict[int, float]] = {w.id: {} for w in warehouses}
    cursor = Transaction().connection.cursor()
    with Transaction().set_context(stock_date_end=end, forecast=forecast, with_childs=True):
        owners: dict[int, list[dict[int, float]]] = defaultdict(list)  # location → sums
        for warehouse in warehouses:
            for location in _location_children([warehouse.id]):
                owners[location.id].append(sums[warehouse.id])
        for grouping_filter in filters:
            query = Move.compute_quantities_query(
                [w.id for w in warehouses],
                True,
                grouping=("product",),
                grouping_filter=grouping_filter,
            )
            if query is None:
                continue
            cursor.execute(*query)
            for location, product, *_, quantity in cursor:
                if product in units:
                    for found in owners.get(location, ()):
                        found[product] = found.get(product, 0.0) + quantity
    # Each sum rounded with its product's unit (``Uom.round``, then as Decimal), once per
    # unit and sum: most products share a few units and a few sums.
    rounded: dict[int, dict[float, Decimal]] = defaultdict(dict)
    none = translate.quantity(None)
    levels: Levels = {}
    for w in warehouses:
        found = sums[w.id]
        for p in products:
            total = found.get(p)
            if total is None:
                levels[(w.id, p)] = none
                continue
            unit_id = units[p]
            by_sum = rounded[unit_id]
            quantity = by_sum.get(total)
            if quantity is None:
                unit = uoms.get(unit_id)
                assert unit is not None, "a product's unit is required"
                quantity = by_sum[total] = translate.quantity(unit.round(total))
            levels[(w.id, p)] = quantity
    return levels


def _open_moves(
    pool: Any,
    warehouses: Sequence[Any],
    products: Sequence[int],
    *,
    outgoing: bool,
    today: dt.date,
) -> Levels:
    """Not-done moves to customers (``outgoing``) or from suppliers into each warehouse.

    Supplier moves count as Tryton's forecast counts them: planned today or
    later (or undated), or already assigned.
    """

    def where(warehouse: Any) -> list[Any]:
        if outgoing:
            return [("state", "in", _OPEN_STATES), *_to_customers(warehouse)]
        return [
            ("state", "in", _OPEN_STATES),
            ("from_location.type", "=", "supplier"),
            ("to_location", "child_of", [warehouse.id], "parent"),
            [
                "OR",
                ("state", "=", "assigned"),
                ("planned_date", "=", None),
                ("planned_date", ">=", today),
            ],
        ]

    return _quantities(pool, warehouses, products, where)


def _late_customer_moves(
    pool: Any, warehouses: Sequence[Any], products: Sequence[int], today: dt.date
) -> Levels:
    """Customer moves out of each warehouse, not done nor reserved, planned before today:
    those Tryton's forecast leaves out (``Move.compute_quantities_query``: a move not done
    counts from its date on, an assigned one from today)."""

    def where(warehouse: Any) -> list[Any]:
        return [
            ("state", "in", [s for s in _OPEN_STATES if s != "assigned"]),
            *_to_customers(warehouse),
            ("effective_date", "=", None),
            ("planned_date", "<", today),
        ]

    return _quantities(pool, warehouses, products, where)


def _to_customers(warehouse: Any) -> list[Any]:
    return [
        ("to_location.type", "=", "customer"),
        ("from_location", "child_of", [warehouse.id], "parent"),
    ]


def _quantities(
    pool: Any,
    warehouses: Sequence[Any],
    products: Sequence[int],
    where: Callable[[Any], list[Any]],
) -> Levels:
    """The moves ``where(warehouse)`` selects, summed per warehouse and product."""
    Move = pool.get("stock.move")
    product_ids = list(products)
    result: Levels = defaultdict(Decimal)
    for warehouse in warehouses:
        # In chunks: a query names at most so many products (SQLite's parameter limit).
        for start in range(0, len(product_ids), bulk.CHUNK):
            domain = [("product", "in", product_ids[start : start + bulk.CHUNK]), *where(warehouse)]
            for move in Move.search_read(domain, fields_names=["product", "internal_quantity"]):
                result[(warehouse.id, move["product"])] += translate.quantity(
                    move["internal_quantity"]
                )
    return result


def _add(levels: Levels, moves: Levels, sign: int) -> None:
    for key, quantity in moves.items():
        if key in levels:
            levels[key] = _plain(levels[key] + sign * quantity)


def _plain(value: Decimal) -> Decimal:
    """A sum of quantities written as :func:`translate.quantity` writes one: a zero of
    any sign is ``0``, a whole number has no trailing ``.0``."""
    result = value if value else Decimal(0)
    return result.quantize(Decimal(1)) if result == result.to_integral_value() else result


def _kit_quantity(kit: Any, warehouse: Any, levels: Levels) -> Decimal:
    """How many whole kits the components' quantities make (0 when one is missing)."""
    counts = []
    for component in kit.components_used:
        if component.product.type != "goods" or component.fixed:
            continue
        needed = component.quantity or 0
        have = levels.get((warehouse.id, component.product.id), Decimal(0))
        if needed <= 0:
            continue
        counts.append(max(0, math.floor(float(have) / needed)))
    return Decimal(min(counts)) if counts else Decimal(0)
