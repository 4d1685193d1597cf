"""What changed in Tryton since a moment: the items a run has to read again.

Why: a run that reads only what changed costs in proportion to the changes,
not to the catalogue. Tryton stamps every row with ``create_date`` and
``write_date``; an item is built from many tables (see :mod:`.bulk`,
:mod:`.catalogue`, :mod:`.translate`), so an item has changed when any row
feeding it was created or written since the moment:

- its variant, template and identifiers (the connector's own domain), and
  :func:`.catalogue.changed_item_ids` (images, attachments, kit components,
  suppliers; price lists and their lines mean every item);
- here: the company's list price and cost price rows (``product.list_price``,
  ``product.cost_price``: multivalue tables, written without their template or
  variant), the template's categories (link rows), the name and description
  translations, web-shop publication rows, and the kits made of a changed item
  (their cost price and stock come from their components);
- records many items share — a category (its parents decide price-list
  matches), a product attribute, a tax (its rate), a unit of measure, the web
  shop itself (unpublishing goes through it) — mean every item.

Every changed variant comes with its whole template (a variable product is
built from the whole family) and with every variant carrying the same code,
case ignored (reference uniqueness is checked over the items sent).

Not seen: a *deleted* row (a category link, a translation, a list price row,
a stock move of a draft deleted) leaves no date behind. The flows read the
whole catalogue again on a weekly schedule for that reason.

Functions over trytond's pool, called inside the connector's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from passerelle.connectors.tryton import catalogue, translate
from passerelle.connectors.tryton.bulk import ids_of

__all__ = ["WHOLE_SHARE", "changed_item_ids", "products_where", "stock_changed_ids"]

# Records shared by many items: one written means "every item".
_SHARED = (
    "product.category",
    "product.attribute",
    "account.tax",
    "product.uom",
    "web.shop",
)
# Rows feeding one template or one variant: (model, template field, variant field).
_ROWS = (
    ("product.list_price", "template", None),
    ("product.cost_price", None, "product"),
    ("product.template-product.category", "template", None),
    ("web.shop-product.product", None, "product"),
)
# A delta larger than this share of the catalogue is read as the whole catalogue.
WHOLE_SHARE = 0.25
# Lists of ids searched per query (an ``in`` of 100,000 values is slow on SQLite).
_CHUNK = 1000


def _model(pool: Any, name: str) -> Any | None:
    try:
        return pool.get(name)
    except KeyError:  # the module giving it is not activated
        return None


def _recent(moment: dt.datetime) -> list[Any]:
    return ["OR", ("create_date", ">=", moment), ("write_date", ">=", moment)]


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def changed_item_ids(pool: Any, since: dt.datetime) -> set[int] | None:
    """Variants to read again because something feeding them changed since ``since``
    (with their whole templates and their namesakes); None means "all of them"."""
    from trytond.transaction import Transaction

    around = catalogue.changed_item_ids(pool, since)
    if around is None:
        return None
    moment = translate.utc_naive(since)
    recent = _recent(moment)
    for name in _SHARED:
        Model = _model(pool, name)
        if Model is not None and Model.search(recent, limit=1):
            return None
    Product = pool.get("product.product")
    products = set(around)
    templates: set[int] = set()
    with_relations = [
        "OR",
        *[
            (f"{prefix}{stamp}", ">=", moment)
            for prefix in ("", "template.", "identifiers.")
            for stamp in ("create_date", "write_date")
        ],
    ]
    products.update(row["id"] for row in Product.search_read(with_relations, fields_names=["id"]))
    for name, template_field, product_field in _ROWS:
        Model = _model(pool, name)
        if Model is None:
            continue
        wanted = [f for f in (template_field, product_field) if f]
        for row in Model.search_read(recent, fields_names=wanted):
            if template_field and row.get(template_field):
                templates.add(int(row[template_field]))
            if product_field and row.get(product_field):
                products.add(int(row[product_field]))
    Translation = pool.get("ir.translation")
    for row in Translation.search_read(
        [
            recent,
            ("type", "=", "model"),
            ("name", "in", ["product.template,name", "product.product,description"]),
        ],
        fields_names=["name", "res_id"],
    ):
        target = templates if row["name"] == "product.template,name" else products
        target.add(int(row["res_id"]))
    products |= _kits_of(pool, products)
    found = _families(pool, products, templates)
    with Transaction().set_context(active_test=False):
        total = Product.search_count([])
    # Past a share of the catalogue, reading it whole is faster than picking ids out of it.
    return None if len(found) > total * WHOLE_SHARE else found


def _kits_of(pool: Any, products: set[int]) -> set[int]:
    """The kits one of ``products`` is a component of (their cost and stock follow it)."""
    Component = _model(pool, "product.component")
    if Component is None or not products:
        return set()
    kits: set[int] = set()
    templates: set[int] = set()
    for chunk in _chunks(products):
        for row in Component.search_read(
            [("product", "in", chunk)], fields_names=["parent_product", "parent_template"]
        ):
            if row.get("parent_product"):
                kits.add(int(row["parent_product"]))
            if row.get("parent_template"):
                templates.add(int(row["parent_template"]))
    if templates:
        Product = pool.get("product.product")
        for chunk in _chunks(templates):
            kits.update(
                row["id"]
                for row in Product.search_read([("template", "in", chunk)], fields_names=["id"])
            )
    return kits


def _families(pool: Any, products: set[int], templates: set[int]) -> set[int]:
    """``products`` and the variants of ``templates``, each with its whole template and
    every variant sharing its code (case ignored)."""
    Product = pool.get("product.product")
    codes: set[str] = set()
    for chunk in _chunks(products):
        for row in Product.search_read([("id", "in", chunk)], fields_names=["template", "code"]):
            templates.add(int(row["template"]))
            if row["code"]:
                codes.add(row["code"])
    # The ids of trytond's lazy list, not its records: building each record checks the
    # whole id list, a cost in the square of the change (330 s for 100,000 variants).
    return set(ids_of(products_where(pool, (), codes, templates))) | products


def products_where(
    pool: Any, ids: Iterable[int], codes: Iterable[str], templates: Iterable[int]
) -> list[Any]:
    """Variants (inactive ones too) whose id is in ``ids``, code in ``codes`` (case
    ignored) or template in ``templates``, ordered as ``list_items`` orders them."""
    from sql.functions import Lower
    from trytond.transaction import Transaction

    Product = pool.get("product.product")
    found: set[int] = set(ids)
    folded = sorted({c.casefold() for c in codes if c})
    if folded:
        table = Product.__table__()
        cursor = Transaction().connection.cursor()
        for start in range(0, len(folded), _CHUNK):
            cursor.execute(
                *table.select(table.id, where=Lower(table.code).in_(folded[start : start + _CHUNK]))
            )
            found.update(int(row[0]) for row in cursor)
    with Transaction().set_context(active_test=False):
        for chunk in _chunks(templates):
            found.update(
                row["id"]
                for row in Product.search_read([("template", "in", chunk)], fields_names=["id"])
            )
        rows: list[dict[str, Any]] = []
        for chunk in _chunks(found):
            rows += Product.search_read([("id", "in", chunk)], fields_names=["code"])
    rows.sort(key=lambda r: (r["code"] or "", r["id"]))
    # trytond's lazy list, not a list: building each record checks the whole id list
    # (a cost in the square of the window); the catalogue read takes its ids.
    return Product.browse([int(r["id"]) for r in rows])


def stock_changed_ids(pool: Any, since: dt.datetime) -> set[int]:
    """Variants whose stock or open demand may have changed since ``since``.

    Stock moves created or written (a move done, planned, cancelled: on hand,
    forecast and available quantities all follow them), sale lines created or
    written and the lines of sales written (a quotation cancelled moves no
    stock but no longer holds its units back), and the kits made of any of
    those. A deleted move or sale line is not seen (see the module's note).
    """
    moment = translate.utc_naive(since)
    recent = _recent(moment)
    products: set[int] = set()
    Move = pool.get("stock.move")
    products.update(int(r["product"]) for r in Move.search_read(recent, fields_names=["product"]))
    Line = _model(pool, "sale.line")
    Sale = _model(pool, "sale.sale")
    if Line is not None and Sale is not None:
        sales = [int(r["id"]) for r in Sale.search_read(recent, fields_names=["id"])]
        domains: list[Any] = [recent]
        domains += [[("sale", "in", chunk)] for chunk in _chunks(sales)]
        for domain in domains:
            for row in Line.search_read(domain, fields_names=["product"]):
                if row.get("product"):
                    products.add(int(row["product"]))
    return products | _kits_of(pool, products)
