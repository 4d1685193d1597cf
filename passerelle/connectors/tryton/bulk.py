"""Bulk reads of the catalogue's variants: plain rows from ``read``, not lazy records.

Why: trytond builds each record of a search result with the list of all its
ids (and checks that list in every record's constructor), then loads a field
for the whole list the first time one record asks for it. Walking 10,000
variants and their templates field by field therefore cost minutes (issue 18:
258 s for the catalogue read of 10,000 items). Here the fields the catalogue
needs are read with ``Model.read`` on chunks of ids, once per model, and the
items are built from those rows (:func:`translate.to_item_row`).

Group prices (C10) are computed once per price list and rule: the first
matching line of each list is found with the line's own ``match`` on the
pattern ``PriceList.compute`` would build, the formula's inputs come from the
list's own ``get_context_formula`` (so modules extending it, like
product_measurements' weight and volume, still count), and a line's result
is computed once per distinct set of inputs.

References: trytond ``ModelStorage.read`` and ``browse``
(https://docs.tryton.org/projects/server/en/latest/ref/models.html),
``product_price_list`` ``PriceList.compute``
(https://docs.tryton.org/projects/modules-product-price-list/en/latest/).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "CHUNK",
    "ProductRow",
    "group_prices",
    "ids_of",
    "product_types",
    "read_rows",
    "uom_table",
]

# Ids per read: small enough that a browsed chunk stays cheap to build.
CHUNK = 500

_PRODUCT_FIELDS = [
    "code",
    "description",
    "active",
    "template",
    "list_price_used",
    "identifiers",
    "create_date",
    "write_date",
]
_TEMPLATE_FIELDS = [
    "name",
    "active",
    "salable",
    "type",
    "weight",
    "weight_uom",
    "account_category",
    "categories",
    "categories_all",
    "sale_uom",
    "default_uom",
    "create_date",
    "write_date",
]
# product_measurements' fields, read when the module is activated.
_MEASURES = ("length", "width", "height", "volume")


@dataclass(frozen=True)
class ProductRow:
    """What the catalogue needs of one variant and its template, as plain values."""

    id: int
    code: str | None
    description: str | None
    active: bool
    list_price_used: Decimal | None
    attributes: dict[str, Any]
    create_date: dt.datetime | None
    write_date: dt.datetime | None
    identifiers: tuple[tuple[str | None, str], ...]  # (type, code) in Tryton's order
    template: dict[str, Any] = field(repr=False)

    @property
    def template_id(self) -> int:
        return int(self.template["id"])

    @property
    def type(self) -> str:
        return str(self.template["type"])


def ids_of(records: Sequence[Any]) -> list[int]:
    """The ids of a search result without building its records.

    A trytond search returns a ``BrowseList`` that builds each record when it is
    iterated, each with the whole id list (a cost in the square of its length);
    its ``ids`` are there already. Any other sequence of records is iterated.
    """
    ids = getattr(records, "ids", None)
    if isinstance(ids, list):
        return [int(i) for i in ids]
    return [int(record.id) for record in records]


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _read(model: Any, ids: Iterable[int], names: Sequence[str]) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(ids))):
        for row in model.read(chunk, list(names)):
            rows[int(row["id"])] = row
    return rows


def read_rows(pool: Any, product_ids: Sequence[int]) -> list[ProductRow]:
    """The variants ``product_ids`` (in that order) with their templates, read in chunks."""
    Product = pool.get("product.product")
    Template = pool.get("product.template")
    Identifier = pool.get("product.identifier")
    product_fields = list(_PRODUCT_FIELDS)
    if "attributes" in Product._fields:  # product_attribute activated
        product_fields.append("attributes")
    products = _read(Product, product_ids, product_fields)
    template_fields = list(_TEMPLATE_FIELDS)
    for name in _MEASURES:
        if name in Template._fields:
            template_fields += [name, f"{name}_uom"]
    templates = _read(Template, {p["template"] for p in products.values()}, template_fields)
    # ``to_item`` falls back on the template's list price only when the variant's is
    # empty or zero: read it (one query per template) for those templates alone.
    unpriced = {p["template"] for p in products.values() if not p["list_price_used"]}
    for template_id, row in _read(Template, unpriced, ["list_price"]).items():
        templates[template_id]["list_price"] = row["list_price"]
    _set_customer_taxes(Template, templates)
    identifier_ids = [i for p in products.values() for i in p["identifiers"]]
    identifiers = _read(Identifier, identifier_ids, ["type", "code"])
    return [
        ProductRow(
            id=product_id,
            code=row["code"],
            description=row["description"],
            active=bool(row["active"]),
            list_price_used=row["list_price_used"],
            attributes=dict(row.get("attributes") or {}),
            create_date=row["create_date"],
            write_date=row["write_date"],
            identifiers=tuple(
                (identifiers[i]["type"], identifiers[i]["code"]) for i in row["identifiers"]
            ),
            template=templates[row["template"]],
        )
        for product_id in product_ids
        for row in (products[product_id],)
    ]


def product_types(pool: Any, product_ids: Sequence[int]) -> dict[int, str]:
    """Each variant's type (goods, kit, service…), read from the templates in chunks."""
    Product = pool.get("product.product")
    Template = pool.get("product.template")
    templates = _read(Product, product_ids, ["template"])
    types = _read(Template, {row["template"] for row in templates.values()}, ["type"])
    return {i: str(types[row["template"]]["type"]) for i, row in templates.items()}


def _set_customer_taxes(Template: Any, templates: dict[int, dict[str, Any]]) -> None:
    """``customer_taxes_used`` of each template, computed once per accounting category.

    Why per category: account_product derives a template's customer taxes from its
    accounting category alone (the category's taxes, else those of the revenue
    account it gives), so one template of each category answers for all of them.
    """
    taxes: dict[int | None, list[int]] = {}
    for template_id, row in templates.items():
        category = row["account_category"]
        if category not in taxes:
            taxes[category] = [int(t.id) for t in Template(template_id).customer_taxes_used]
        row["customer_taxes_used"] = taxes[category]


def uom_table(pool: Any) -> dict[int, tuple[str, float]]:
    """Every unit of measure's symbol and factor (a few dozen rows)."""
    Uom = pool.get("product.uom")
    rows = Uom.search_read([], fields_names=["symbol", "factor"])
    return {int(r["id"]): (r["symbol"], r["factor"]) for r in rows}


# --------------------------------------------------------------------------
# Group prices
# --------------------------------------------------------------------------


class _Variant:
    """A stand-in for a ``product.product`` record, for ``get_context_formula`` and
    ``get_uom``: the values read in bulk, and the real record for anything else
    (a module reading another field still gets Tryton's answer)."""

    def __init__(self, row: ProductRow, uoms: _Uoms, *, cost_used: bool) -> None:
        self._row = row
        self._cost_used = cost_used
        template = row.template
        self.id = row.id
        self.list_price_used = row.list_price_used
        self.default_uom = uoms.get(template["default_uom"])
        self.sale_uom = uoms.get(template["sale_uom"])
        self.weight = template.get("weight")
        self.weight_uom = uoms.get(template.get("weight_uom"))
        self.volume = template.get("volume")
        self.volume_uom = uoms.get(template.get("volume_uom"))

    def _record(self) -> Any:
        from trytond.pool import Pool

        return Pool().get("product.product")(self.id)

    def get_multivalue(self, name: str, **pattern: Any) -> Any:
        if name == "cost_price" and not self._cost_used:
            return Decimal(0)  # no formula of the list reads it: any value gives the same price
        return self._record().get_multivalue(name, **pattern)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record(), name)


class _Uoms:
    """Units of measure as single records, built once each."""

    def __init__(self, pool: Any) -> None:
        self._model = pool.get("product.uom")
        self._by_id: dict[int, Any] = {}
        self._quantities: dict[tuple[int, int], Any] = {}

    def get(self, uom_id: int | None) -> Any | None:
        if uom_id is None:
            return None
        if uom_id not in self._by_id:
            self._by_id[uom_id] = self._model(uom_id)
        return self._by_id[uom_id]

    def one_in(self, source: Any, target: Any) -> Any:
        """``Uom.compute_qty(source, 1, target, round=False)``, once per pair."""
        key = (source.id, target.id)
        if key not in self._quantities:
            self._quantities[key] = self._model.compute_qty(source, 1, target, round=False)
        return self._quantities[key]


def _category_parents(pool: Any) -> dict[int, int | None]:
    Category = pool.get("product.category")
    return {
        int(row["id"]): row["parent"] for row in Category.search_read([], fields_names=["parent"])
    }


def _with_parents(ids: Iterable[int], parents: dict[int, int | None]) -> list[int]:
    """The categories and their ancestors, as ``PriceList.compute`` lists them."""
    result = []
    for category in ids:
        current: int | None = category
        while current:
            result.append(current)
            current = parents.get(current)
    return result


def _uses_cost(price_list: Any, lines: Sequence[Any]) -> bool:
    return price_list.price == "cost_price" or any("cost_price" in line.formula for line in lines)


def _inputs(names: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """The formula's names as a hashable key (type and text: 10.9 and 10.90 differ)."""
    return tuple(sorted((k, type(v).__name__, str(v)) for k, v in names.items()))


def group_prices(
    pool: Any, rows: Sequence[ProductRow], price_lists: Sequence[Any]
) -> dict[int, tuple[tuple[str, Decimal], ...]]:
    """C10 for every row: the unit price excl. tax of one unit under each price list
    that prices the item, as ``price_list.compute(product, 1, product.sale_uom)`` gives it."""
    if not price_lists:
        return {row.id: () for row in rows}
    uoms = _Uoms(pool)
    parents = _category_parents(pool)
    lists = [(p, list(p.lines)) for p in price_lists]
    cost_used = any(_uses_cost(p, lines) for p, lines in lists)
    results: dict[tuple[int, tuple[tuple[str, str, str], ...]], Any] = {}
    prices: dict[int, tuple[tuple[str, Decimal], ...]] = {}
    for row in rows:
        variant = _Variant(row, uoms, cost_used=cost_used)
        if variant.sale_uom is None:
            prices[row.id] = ()
            continue
        categories = _with_parents(row.template["categories_all"], parents)
        found = []
        for price_list, lines in lists:
            pattern = {
                "categories": categories,
                "product": row.id,
                "quantity": uoms.one_in(variant.sale_uom, price_list.get_uom(variant)),
            }
            line = next((line for line in lines if line.match(pattern)), None)
            if line is None:
                continue  # no line of the list matches this item (e.g. a category promotion)
            context = price_list.get_context_formula(variant, 1, variant.sale_uom, pattern=pattern)
            key = (line.id, _inputs(context["names"]))
            if key not in results:
                results[key] = line.get_unit_price(**context)
            price = results[key]
            if price is None:
                continue
            if price_list.tax_included:
                price = _without_tax(pool, price, row.template["customer_taxes_used"])
            found.append((price_list.name, Decimal(price)))
        prices[row.id] = tuple(found)
    return prices


def _without_tax(pool: Any, price: Decimal, tax_ids: Sequence[int]) -> Decimal:
    if not tax_ids:
        return price
    Tax = pool.get("account.tax")
    return Decimal(Tax.reverse_compute(price, Tax.browse(list(tax_ids)), dt.date.today()))
