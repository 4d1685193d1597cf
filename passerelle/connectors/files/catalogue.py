"""Items files → canonical items, as the other back-offices hand them to the flows.

Why these rules: a file back-office has no ids but the item code, so the code
is the item's ``source_id`` (stable from one export to the next) and nothing
says when an item changed (``modified_at`` is None; the flows compare content).
Variants are lines sharing a master reference (the ``master`` column, as Sage
and EBP "articles à gamme" export them): their ``template_id`` is that
reference and ``variant_count`` their number, and each ``axis:<name>`` column
(Taille, Couleur) is the variant's option, kept among its ``attributes`` under
``<name>``, where the product flows look for a template's axes. Custom fields
are ``attr:<name>`` columns. A category is a name or a path ("Maison > Cuisine"),
whose records :func:`categories` derives. A tax is named by its code or name
among the back-office's taxes given to :func:`read_items`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from passerelle.connectors.files.columns import ColumnMap, Columns
from passerelle.connectors.files.prices_read import PROMOTION_LIST, apply_prices, row_prices
from passerelle.connectors.files.records import Read, read_lines
from passerelle.connectors.files.tables import Row, Table
from passerelle.i18n.messages import M_
from passerelle.model import CUSTOM_FIELD_PREFIX, Category, Item, Tax

__all__ = ["AXIS_PREFIX", "CATEGORY_SEPARATOR", "categories", "category_path", "read_items"]

#: A mapped field ``axis:<name>`` is a variant's option on the axis ``<name>``.
AXIS_PREFIX = "axis:"
CATEGORY_SEPARATOR = " > "

_TEXTS = ("name", "description", "short_description", "supplier", "supplier_code")
_DECIMALS = ("weight", "cost_price", "length", "width", "height")
_FLAGS = ("active", "salable", "published", "stocked")


def read_items(
    tables: Sequence[Table],
    mapping: ColumnMap,
    *,
    taxes: Sequence[Tax] = (),
    today: date | None = None,
    promotion_list: str = PROMOTION_LIST,
) -> Read[Item]:
    """The items of ``tables`` (several files are one catalogue: a code appears once).

    Price columns of the mapping (``sale_price``, ``price:<list>``, a promotion) are
    read as :mod:`prices_read` describes, ``today`` (default: the current date)
    deciding whether the promotion runs. An item without a ``sale_price`` column has
    the price 0 until a prices file gives it one; a mapped price left empty is a problem.
    """
    read: Read[Item] = Read()
    day = today or date.today()

    def build(columns: Columns, row: Row, code: str) -> Item:
        item = _item(columns, row, code, taxes)
        prices = row_prices(columns, row, today=day, promotion_list=promotion_list)
        if columns.has("sale_price") and prices.sale_price is None:
            raise columns.required(row, "sale_price")
        return apply_prices(item, prices)

    items = [item for _line, item in read_lines(tables, mapping, build, read.problems)]
    read.records = _count_variants(items)
    return read


def _item(columns: Columns, row: Row, code: str, taxes: Sequence[Tax]) -> Item:
    fields: dict[str, Any] = {n: columns.text(row, n) for n in _TEXTS if columns.has(n)}
    fields |= {n: columns.decimal(row, n) for n in _DECIMALS if columns.has(n)}
    for name in _FLAGS:
        flag = columns.boolean(row, name) if columns.has(name) else None
        if flag is not None:
            fields[name] = flag
    path = category_path(columns.text(row, "category"))
    item = Item(
        source_id=code,
        code=code,
        name="",
        sale_price=Decimal(0),
        template_id=columns.text(row, "master"),
        taxes=_taxes(columns, row, taxes),
        category_ids=(path,) if path else (),
        barcode=columns.text(row, "barcode") or None,
        attributes=_attributes(columns, row),
    )
    return replace(item, **fields)


def _taxes(columns: Columns, row: Row, taxes: Sequence[Tax]) -> tuple[Tax, ...]:
    """The tax the line names by code (source id) or name, whatever the case."""
    named = columns.text(row, "tax")
    if not named:
        return ()
    wanted = named.casefold()
    for tax in taxes:
        if wanted in (tax.source_id.casefold(), tax.name.casefold()):
            return (tax,)
    raise columns.refused(
        row, "tax", M_("one of the taxes %(taxes)s", taxes=", ".join(t.source_id for t in taxes))
    )


def _attributes(columns: Columns, row: Row) -> dict[str, Any]:
    """Custom fields and variant options by name (text trimmed, typed cells as they are)."""
    found: dict[str, Any] = {}
    for field in columns.fields():
        for prefix in (CUSTOM_FIELD_PREFIX, AXIS_PREFIX):
            if field.startswith(prefix):
                value = columns.value(row, field)
                if value is not None:
                    found[field[len(prefix) :]] = value.strip() if isinstance(value, str) else value
    return found


def _count_variants(items: list[Item]) -> list[Item]:
    """Each variant knows how many its master reference has (C6 groups by that)."""
    counts: dict[str, int] = {}
    for item in items:
        if item.template_id:
            counts[item.template_id] = counts.get(item.template_id, 0) + 1
    return [
        replace(item, variant_count=counts[item.template_id]) if item.template_id else item
        for item in items
    ]


def category_path(text: str) -> str:
    """ "Maison>  Cuisine " → "Maison > Cuisine": the category's id, one spelling per path."""
    return CATEGORY_SEPARATOR.join(p.strip() for p in text.split(">") if p.strip())


def categories(items: Iterable[Item]) -> list[Category]:
    """The categories the items' paths name, parents first (each path is an id;
    its parent is the path without its last name)."""
    found: dict[str, Category] = {}
    for item in items:
        for path in item.category_ids:
            parts = path.split(CATEGORY_SEPARATOR)
            for depth in range(1, len(parts) + 1):
                here = CATEGORY_SEPARATOR.join(parts[:depth])
                parent = CATEGORY_SEPARATOR.join(parts[: depth - 1]) or None
                found.setdefault(
                    here, Category(source_id=here, name=parts[depth - 1], parent_id=parent)
                )
    return list(found.values())
