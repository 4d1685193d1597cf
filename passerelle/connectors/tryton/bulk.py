"""Bulk reads of the catalogue's variants: plain rows from ``read``, not lazy records.

Why: trytond builds each record of a search result with the list of all its
ids (and checks that list in every record's constructor), then loads a field
for the whole list the first time one record asks for it. Walking 10,000
variants and their templates field by field therefore cost minutes (issue 18:
258 s for the catalogue read of 10,000 items). Here the fields the catalogue
needs are selected on chunks of ids, once per model, through trytond's
connection and typed as ``Model.read`` types them (:func:`.bulk_fields.select`;
``read`` itself converted each domain value and filled its record cache, half
of what remained), and the items are built from those rows
(:func:`translate.to_item_row`).

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
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from passerelle.connectors.tryton import bulk_fields, price_formulas

__all__ = [
    "CHUNK",
    "GroupPrices",
    "Memo",
    "ProductRow",
    "covers_most",
    "group_prices",
    "ids_of",
    "read_rows",
    "search_ids",
    "units",
    "uom_table",
]

# Ids per read: small enough that a browsed chunk stays cheap to build.
CHUNK = 500

# Selected as ``Model.read`` gives them (:func:`.bulk_fields.select`); the translatable
# columns are translated and ``list_price_used`` is matched apart (:mod:`.bulk_fields`):
# ``read`` looks each of them up per record.
_PRODUCT_FIELDS = [
    "code",
    "active",
    "template",
    "create_date",
    "write_date",
]
_TEMPLATE_FIELDS = [
    "code",
    "active",
    "salable",
    "type",
    "weight",
    "weight_uom",
    "account_category",
    "sale_uom",
    "default_uom",
    "create_date",
    "write_date",
]
# product_measurements' fields, read when the module is activated.
_MEASURES = ("length", "width", "height", "volume")


@dataclass(slots=True)
class ProductRow:
    """What the catalogue needs of one variant and its template, as plain values.

    Not frozen: a frozen dataclass sets each field through ``object.__setattr__``,
    and a read makes one row per variant; nothing changes a row once made."""

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
    # The company's cost price (read when a company is given), see :func:`read_rows`.
    cost_price: Decimal | None = None

    @property
    def template_id(self) -> int:
        return int(self.template["id"])

    @property
    def type(self) -> str:
        return str(self.template["type"])


def ids_of(records: Sequence[Any]) -> list[int]:
    """The ids of a search result (or of ids) without building its records.

    A trytond search returns a ``BrowseList`` that builds each record when it is
    iterated, each with the whole id list (a cost in the square of its length);
    its ``ids`` are there already. Any other sequence of records is iterated.
    """
    ids = getattr(records, "ids", None)
    if isinstance(ids, list):
        return [int(i) for i in ids]
    return [record if type(record) is int else int(record.id) for record in records]


def search_ids(model: Any, domain: list[Any], order: list[tuple[str, str]]) -> list[int]:
    """The ids ``model.search(domain, order=order)`` finds (its access check, domain,
    rules and order), from the search's own query: no ``BrowseList`` of them built,
    a tenth of a 100,000-item stock read."""
    from trytond.transaction import Transaction

    cursor = Transaction().connection.cursor()
    cursor.execute(*model.search(domain, order=order, query=True))
    return [row[0] for row in cursor]


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


@dataclass
class Memo:
    """What a read of many chunks looks up once rather than per chunk: each accounting
    category's customer taxes, the catalogue categories' rank in their own order, and
    (``tables``, whole when the read covers most variants) the rows of the tables
    around the variants: list prices, categories and identifiers; with them, the
    variants and templates themselves (``variants``, see :func:`_variants_and_templates`)."""

    taxes: dict[int | None, list[int]] = field(default_factory=dict)
    rank: dict[int, int] | None = None
    tables: bulk_fields.Tables = field(default_factory=lambda: bulk_fields.Tables(whole=False))
    variants: tuple[dict[int, tuple[Any, ...]], dict[int, dict[str, Any]]] | None = None


def covers_most(pool: Any, product_ids: Sequence[int]) -> bool:
    """Whether ``product_ids`` are at least half of the variants (inactive ones included):
    a read whose related tables are better selected whole (:class:`.bulk_fields.Tables`)."""
    from sql.aggregate import Count
    from trytond.transaction import Transaction

    product = pool.get("product.product").__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*product.select(Count(product.id)))
    (total,) = cursor.fetchone()
    return 2 * len(product_ids) >= int(total or 0)


def read_rows(
    pool: Any,
    product_ids: Sequence[int],
    texts: bulk_fields.Texts | None = None,
    memo: Memo | None = None,
    company: int | None = None,
) -> list[ProductRow]:
    """The variants ``product_ids`` (in that order) with their templates, selected in
    chunks as ``read`` gives them; ``texts`` and ``memo`` are kept by a read of many
    batches. With ``company``, each variant's cost price in that company (its first
    one in id order, as Tryton takes it) and each template's ``variant_count`` (its
    variants a search in the context counts) come with them."""
    texts = texts or bulk_fields.Texts(pool, whole=False)
    memo = memo or Memo()
    Product = pool.get("product.product")
    Template = pool.get("product.template")
    product_fields = list(_PRODUCT_FIELDS)
    if "attributes" in Product._fields:  # product_attribute activated
        product_fields.append("attributes")
    template_fields = list(_TEMPLATE_FIELDS)
    for name in _MEASURES:
        if name in Template._fields:
            template_fields += [name, f"{name}_uom"]
    product_names = [*product_fields, "description"]
    template_names = [*template_fields, "name"]
    if memo.tables.whole:  # every variant and template once, a batch's handed out
        if memo.variants is None:
            memo.variants = _variants_and_templates(
                pool, None, product_names, template_names, company
            )
        every_product, every_template = memo.variants
        products = {i: every_product[i] for i in sorted(set(product_ids))}
        template_at = 1 + product_names.index("template")
        templates = {p[template_at]: every_template[p[template_at]] for p in products.values()}
    else:
        products, templates = _variants_and_templates(
            pool, product_ids, product_names, template_names, company
        )
    # Each variant's values by position (see _variants_and_templates).
    at = {name: i for i, name in enumerate(["id", *product_fields, "description"])}
    code, active, template_of = at["code"], at["active"], at["template"]
    created, written, described = at["create_date"], at["write_date"], at["description"]
    attributes = at.get("attributes")
    cost = len(at)  # the cost price, last, with a company
    descriptions = texts.translated(
        Product.__name__, "description", {i: p[described] for i, p in products.items()}
    )
    prices, template_prices = bulk_fields.list_prices_used(
        pool, {i: p[template_of] for i, p in products.items()}, memo.tables
    )
    names = texts.translated(
        Template.__name__, "name", {i: t["name"] for i, t in templates.items()}
    )
    for template_id, translated in names.items():
        templates[template_id]["name"] = translated
    for template_id, price in template_prices.items():
        templates[template_id]["list_price"] = price
    _set_customer_taxes(Template, templates, memo.taxes)
    own = _category_rows(pool, "product.template-product.category", templates, memo.tables)
    for template_id, categories in _categories_all(pool, templates, own, memo.tables).items():
        templates[template_id]["categories_all"] = categories
    if memo.rank is None:
        memo.rank = _category_rank(pool)
    for template_id, ordered in _categories(own, templates, memo.rank).items():
        templates[template_id]["categories"] = ordered
    identifiers = _identifiers(pool.get("product.identifier"), products, memo.tables)
    with_cost = company is not None
    return [
        ProductRow(  # by position (ProductRow's order): one per variant
            product_id,
            row[code],
            descriptions[product_id],
            bool(row[active]),
            prices[product_id],
            dict(row[attributes] or {}) if attributes is not None else {},
            row[created],
            row[written],
            identifiers.get(product_id, ()),
            templates[row[template_of]],
            row[cost] if with_cost else None,
        )
        for product_id in product_ids
        for row in (products[product_id],)
    ]


def _variants_and_templates(
    pool: Any,
    product_ids: Sequence[int] | None,
    product_names: Sequence[str],
    template_names: Sequence[str],
    company: int | None,
) -> tuple[dict[int, tuple[Any, ...]], dict[int, dict[str, Any]]]:
    """The variants' fields and their templates', by id, as ``read`` gives them: one
    query joining both tables per chunk of ids (not one per table, the second on the
    first's template ids), each template's row made once; with ``company``, the
    variant's ``cost_price`` and the template's ``variant_count`` too (see
    :func:`read_rows`), as subqueries of the same query. None ids: every variant and
    every template, one query each (no list of ids to look up, and each template's
    columns converted once, not once per variant).

    A variant's values are a tuple (``id``, ``product_names``, then the cost price),
    as the cursor gives them (no dict per variant: a read makes thousands); a
    template's, a dict (its row gathers what its variants' items share)."""
    from trytond.transaction import Transaction

    Product = pool.get("product.product")
    Template = pool.get("product.template")
    product = Product.__table__()
    template = Template.__table__()
    template_keys = ["id", *template_names]
    product_columns = [product.id, *(bulk_fields.typed(Product, product, n) for n in product_names)]
    template_columns = [
        template.id,
        *(bulk_fields.typed(Template, template, n) for n in template_names),
    ]
    if company is not None:
        product_columns.append(_cost_price(pool, product, company))
        template_keys.append("variant_count")
        template_columns.append(_variant_count(Product, template))
    split = len(product_columns)
    cursor = Transaction().connection.cursor()
    products: dict[int, tuple[Any, ...]] = {}
    templates: dict[int, dict[str, Any]] = {}
    if product_ids is None:
        own = product_columns[: 1 + len(product_names)]
        cursor.execute(*product.select(*own))
        if company is None:
            products = {row[0]: row for row in cursor}
        else:
            costs = _first_cost_prices(pool, company)
            products = {row[0]: (*row, costs.get(row[0])) for row in cursor}
        cursor.execute(*template.select(*template_columns))
        templates = {row[0]: dict(zip(template_keys, row, strict=True)) for row in cursor}
        product_ids = ()
    joined = product.join(template, condition=product.template == template.id)
    for chunk in _chunks(sorted(set(product_ids)), bulk_fields.IDS):
        cursor.execute(
            *joined.select(
                *product_columns, *template_columns, where=bulk_fields.in_(product.id, chunk)
            )
        )
        for row in cursor:
            products[row[0]] = row[:split]
            if row[split] not in templates:
                templates[row[split]] = dict(zip(template_keys, row[split:], strict=True))
    products = bulk_fields.converted_tuples(Product, product_names, products)
    bulk_fields.converted(Template, template_names, list(templates.values()))
    return products, templates


def _cost_price(pool: Any, product: Any, company: int) -> Any:
    """A variant's cost price in ``company``: its first non-empty one in id order, as
    ``read`` types it (a subquery of the variants' query)."""
    from sql import Null

    CostPrice = pool.get("product.cost_price")
    cost = CostPrice.__table__()
    first = cost.select(
        cost.cost_price,
        where=(cost.product == product.id) & (cost.company == company) & (cost.cost_price != Null),
        order_by=[cost.id.asc],
        limit=1,
    )
    return bulk_fields.typed_expression(CostPrice, first, "cost_price")


def _first_cost_prices(pool: Any, company: int) -> dict[int, Any]:
    """:func:`_cost_price` of every variant that has one, from one query of the table
    (not a subquery per variant)."""
    from sql import Null

    found: dict[int, Any] = {}
    for _id, product, cost_price in bulk_fields.select_values(
        pool.get("product.cost_price"),
        ["product", "cost_price"],
        "company",
        [company],
        lambda table: table.cost_price != Null,
    ):  # in id order: the first of each variant is kept
        found.setdefault(product, cost_price)
    return found


def _variant_count(Product: Any, template: Any) -> Any:
    """A template's variants, as a search in the transaction's context counts them
    (inactive ones only when the context does not filter them out)."""
    from sql import Literal
    from sql.aggregate import Count
    from trytond.transaction import Transaction

    variant = Product.__table__()
    condition = variant.template == template.id
    if Transaction().context.get("active_test", True):
        condition &= variant.active == Literal(True)
    return variant.select(Count(variant.id), where=condition)


def _identifiers(
    Identifier: Any, product_ids: Iterable[int], tables: bulk_fields.Tables
) -> dict[int, tuple[tuple[str | None, str], ...]]:
    """Each variant's identifiers (type, code) in the order of its ``identifiers`` field:
    ``product.identifier``'s own (sequence, empty first, then id)."""
    rows = tables.select(
        Identifier, ["product", "sequence", "type", "code"], "product", sorted(product_ids)
    )
    rows.sort(key=lambda r: (r["sequence"] is not None, r["sequence"] or 0, r["id"]))
    found: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    for row in rows:
        found[row["product"]].append((row["type"], row["code"]))
    return {product: tuple(values) for product, values in found.items()}


def _category_rank(pool: Any) -> dict[int, int]:
    """Each category's place in the categories' own order (a search in the context)."""
    from trytond.transaction import Transaction

    with Transaction().set_context(active_test=False):
        ranked = ids_of(pool.get("product.category").search([]))
    return {category: i for i, category in enumerate(ranked)}


def _category_rows(
    pool: Any, name: str, template_ids: Iterable[int], tables: bulk_fields.Tables
) -> list[tuple[int, int]]:
    """The pairs (template, category) of the relation ``name`` for the templates, in
    the relation's id order for each template."""
    from sql import Null

    rows = tables.select(
        pool.get(name),
        ["template", "category"],
        "template",
        sorted(template_ids),
        lambda table: table.category != Null,
        values=True,
    )
    return [(template, category) for _id, template, category in rows]


def _categories(
    rows: list[tuple[int, int]], template_ids: Iterable[int], rank: dict[int, int]
) -> dict[int, tuple[int, ...]]:
    """``categories`` of each template, in the field's order (the categories' own order,
    ``rank``), from the relation's rows (:func:`_category_rows`).

    Why not ``read``: the many-to-many orders its rows by the category in SQL, which
    joins the translations of the categories' names; that join grows with the
    catalogue's translations and was the largest cost of reading 100,000 variants.
    The categories are few: they are ranked once in their own order (a search in the
    same context) and each template's rows sorted by that rank.
    """
    found: dict[int, list[int]] = {t: [] for t in template_ids}
    unranked = len(rank)
    for template, category in sorted(rows, key=lambda r: rank.get(r[1], unranked)):
        found[template].append(category)
    return {template: tuple(categories) for template, categories in found.items()}


def _categories_all(
    pool: Any,
    template_ids: Iterable[int],
    own: list[tuple[int, int]],
    tables: bulk_fields.Tables,
) -> dict[int, list[int]]:
    """``categories_all`` of each template (its categories and those other modules add,
    e.g. the accounting category), from the relation's own query; in no set order
    (a price list matches on the set). ``own``: the rows of the templates' own
    categories, read already."""
    found: dict[int, list[int]] = {t: [] for t in template_ids}
    # Each model of the union apart: SQLite does not push the ids into a union.
    for name in pool.get("product.template-product.category.all").union_models():
        rows = own if name == "product.template-product.category" else None
        for template, category in (
            rows if rows is not None else _category_rows(pool, name, found, tables)
        ):
            found[template].append(category)
    return found


def _set_customer_taxes(
    Template: Any, templates: dict[int, dict[str, Any]], taxes: dict[int | None, list[int]]
) -> None:
    """``customer_taxes_used`` of each template, computed once per accounting category
    (``taxes``, kept from chunk to chunk).

    Why per category: account_product derives a template's customer taxes from its
    accounting category alone (the category's taxes, else those of the revenue
    account it gives), so one template of each category answers for all of them.
    """
    missing: dict[int | None, int] = {}  # category → one of its templates
    for template_id, row in templates.items():
        category = row["account_category"]
        if category not in taxes and category not in missing:
            missing[category] = template_id
    # Browsed together: trytond loads what their taxes need once for all of them.
    for category, template in zip(missing, Template.browse(list(missing.values())), strict=True):
        taxes[category] = [int(t.id) for t in template.customer_taxes_used]
    for row in templates.values():
        row["customer_taxes_used"] = taxes[row["account_category"]]


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
    (a module reading another field still gets Tryton's answer).

    It notes which of its values were read (:attr:`seen`), so that a price list's
    formula context is computed once per distinct set of those values
    (:class:`_Contexts`); anything taken from the real record, or the cost price,
    is noted as not comparable.
    """

    def __init__(self, row: ProductRow, uoms: _Uoms, *, cost_used: bool) -> None:
        template = row.template
        self._id = row.id
        self._cost_used = cost_used
        self._values: dict[str, Any] = {
            "id": row.id,
            "list_price_used": row.list_price_used,
            "default_uom": uoms.get(template["default_uom"]),
            "sale_uom": uoms.get(template["sale_uom"]),
            "weight": template.get("weight"),
            "weight_uom": uoms.get(template.get("weight_uom")),
            "volume": template.get("volume"),
            "volume_uom": uoms.get(template.get("volume_uom")),
        }
        self.seen: set[str] = set()
        self._full: tuple[Any, ...] | None = None

    @property
    def sale_uom(self) -> Any:
        return self._values["sale_uom"]

    @property
    def full_key(self) -> tuple[Any, ...]:
        """The values of all the names but the id (a fast first look-up, for results
        that did not read the id: equal values on every such subset)."""
        if self._full is None:
            self._full = self.key([n for n in self._values if n != "id"]) or ()
        return self._full

    def key(self, names: Iterable[str]) -> tuple[Any, ...] | None:
        """The values of ``names`` (records by id); None when one is not comparable."""
        if _OTHER in names:
            return None
        return tuple(
            (n, getattr(v, "id", v), type(v).__name__)
            for n in sorted(names)
            for v in (self._values[n],)
        )

    def _record(self) -> Any:
        from trytond.pool import Pool

        return Pool().get("product.product")(self._id)

    def get_multivalue(self, name: str, **pattern: Any) -> Any:
        if name == "cost_price" and not self._cost_used:
            return Decimal(0)  # no formula of the list reads it: any value gives the same price
        self.seen.add(_OTHER)
        return self._record().get_multivalue(name, **pattern)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._values:
            self.seen.add(name)
            return self._values[name]
        self.seen.add(_OTHER)
        return getattr(self._record(), name)


# Noted by a stand-in when a value it cannot compare was read.
_OTHER = "<record>"


class _Pattern(dict[str, Any]):
    """The match pattern handed to ``get_context_formula``, noting whether it was read
    (it holds the variant's id and categories: a context that reads it is not shared)."""

    read = False

    def __getitem__(self, key: str) -> Any:
        self.read = True
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read = True
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.read = True
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return super().__iter__()

    def __len__(self) -> int:
        self.read = True
        return super().__len__()

    def keys(self) -> Any:
        self.read = True
        return super().keys()

    def items(self) -> Any:
        self.read = True
        return super().items()

    def values(self) -> Any:
        self.read = True
        return super().values()

    def copy(self) -> dict[str, Any]:
        self.read = True
        return dict(super().items())


class _ByValues:
    """A computation over a stand-in variant, once per distinct set of the values it read.

    Why it stays exact: each computation notes the stand-in's values it read; a
    variant whose values for one such set of names are those of a computed one
    follows the same path and gets the same result. A computation that read
    something else (another field, the cost price, the pattern) is not kept.
    """

    def __init__(self) -> None:
        self._shapes: list[frozenset[str]] = []
        self._found: dict[tuple[Any, ...], Any] = {}
        self._by_full: dict[tuple[Any, ...], Any] = {}
        # Whether the last result depends on the variant's values alone (not its id,
        # its record or the pattern): one another variant with those values shares.
        self.shared = True

    def get(
        self, variant: _Variant, compute: Callable[[], Any], *, also: frozenset[str] = frozenset()
    ) -> Any:
        """``compute()``, or the result of a variant with the same values read; ``also``
        names values the result depends on besides those read (an argument)."""
        full = variant.full_key
        self.shared = True
        if full in self._by_full:
            return self._by_full[full]
        for names in self._shapes:
            key = variant.key(names)
            if key is not None and (names, key) in self._found:
                self.shared = "id" not in names
                if self.shared:
                    self._by_full[full] = self._found[(names, key)]
                return self._found[(names, key)]
        variant.seen.clear()
        result = compute()
        names = frozenset(variant.seen | also)
        key = variant.key(names)
        self.shared = key is not None and "id" not in names
        if key is not None:
            if names not in self._shapes:
                self._shapes.append(names)
            self._found[(names, key)] = result
            if self.shared:
                self._by_full[full] = result
        return result


class _Contexts:
    """``price_list.get_context_formula`` of one list, once per distinct values it read
    (:class:`_ByValues`); the sale unit it is given counts, the pattern must not be read."""

    def __init__(self, price_list: Any) -> None:
        self._price_list = price_list
        self._memo = _ByValues()

    def get(self, variant: _Variant, pattern: dict[str, Any]) -> dict[str, Any]:
        def compute() -> dict[str, Any]:
            watched = _Pattern(pattern)
            context: dict[str, Any] = self._price_list.get_context_formula(
                variant, 1, variant.sale_uom, pattern=watched
            )
            if watched.read:
                variant.seen.add(_OTHER)
            return context

        result: dict[str, Any] = self._memo.get(variant, compute, also=frozenset({"sale_uom"}))
        return result

    @property
    def shared(self) -> bool:
        """Whether the last context depends on the variant's values alone."""
        return self._memo.shared


class _Names(dict[str, Any]):
    """A formula's names, noting which were read (shared with its copies)."""

    def __init__(self, values: dict[str, Any], seen: set[str], everything: list[bool]) -> None:
        super().__init__(values)
        self.seen = seen
        self.everything = everything  # [True] once the names were read as a whole

    def __getitem__(self, key: str) -> Any:
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.seen.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.seen.add(str(key))
        return super().__contains__(key)

    def _all(self) -> None:
        self.everything[0] = True

    def __iter__(self) -> Iterator[str]:
        self._all()
        return super().__iter__()

    def __len__(self) -> int:
        self._all()
        return super().__len__()

    def keys(self) -> Any:
        self._all()
        return super().keys()

    def items(self) -> Any:
        self._all()
        return super().items()

    def values(self) -> Any:
        self._all()
        return super().values()

    def copy(self) -> _Names:
        return _Names(dict(super().items()), self.seen, self.everything)


class _Results:
    """``line.get_unit_price(**context)``, once per line and distinct values of the
    names its computation read.

    Why: a line's formula names few of the context's names (``unit_price * 0.9``
    reads one), yet the context holds them all (the weight, the cost…), so keying
    on all of them computes the same price once per item. Each computation notes
    the names it read (the formula's, and any a module's override reads); a context
    with the same values for one such set gives the same price. A computation that
    read the names as a whole is not kept.
    """

    def __init__(self) -> None:
        self._shapes: dict[int, list[frozenset[str]]] = defaultdict(list)
        self._found: dict[tuple[Any, ...], Any] = {}
        self._by_context: dict[tuple[int, int], tuple[dict[str, Any], Any]] = {}

    @staticmethod
    def _key(line: Any, shape: frozenset[str], context: dict[str, Any]) -> tuple[Any, ...] | None:
        names = context["names"]
        if not shape <= names.keys():
            return None
        others = {k: v for k, v in context.items() if k != "names"}
        return (line.id, shape, _inputs({k: names[k] for k in shape}), _inputs(others))

    def get(self, line: Any, context: dict[str, Any]) -> Any:
        # The contexts are shared between variants (:class:`_Contexts`): a context
        # seen already is found by identity (kept alive with its price).
        known = self._by_context.get((line.id, id(context)))
        if known is not None and known[0] is context:
            return known[1]
        price = self._price(line, context)
        self._by_context[(line.id, id(context))] = (context, price)
        return price

    def _price(self, line: Any, context: dict[str, Any]) -> Any:
        for shape in self._shapes[line.id]:
            key = self._key(line, shape, context)
            if key is not None and key in self._found:
                return self._found[key]
        seen: set[str] = set()
        everything = [False]
        watched = _Names(context["names"], seen, everything)
        price = line.get_unit_price(**{**context, "names": watched})
        if not everything[0]:
            shape = frozenset(seen)
            key = self._key(line, shape, context)
            if key is not None:
                if shape not in self._shapes[line.id]:
                    self._shapes[line.id].append(shape)
                self._found[key] = price
        return price


class _Matches:
    """The first line of a list matching a pattern, once per distinct pattern.

    The variant's id counts only when a line of the list names a product.
    """

    def __init__(self, lines: Sequence[Any]) -> None:
        self._lines = lines
        self.by_product = any(getattr(line, "product", None) for line in lines)
        self._found: dict[tuple[Any, ...], Any] = {}

    def first(self, pattern: dict[str, Any]) -> Any:
        key = (
            tuple(pattern["categories"]),
            pattern["product"] if self.by_product else None,
            pattern["quantity"],
        )
        if key not in self._found:
            self._found[key] = next((line for line in self._lines if line.match(pattern)), None)
        return self._found[key]


def units(pool: Any) -> _Uoms:
    """Units of measure as single records, built once each (see :class:`_Uoms`)."""
    return _Uoms(pool)


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
    return GroupPrices(pool, price_lists).of(rows)


# The key a template's row keeps its part of :meth:`GroupPrices._inputs` under (with the
# number of the instance that made it: each numbers its parts its own way).
_PRICE_INPUTS = "__price_inputs"
_INSTANCES = itertools.count()


class _Conversions:
    """``Uom.compute_qty(source, quantity, target, round=False)``, once per distinct
    units and quantity (its text too: 0.0 and -0.0 convert apart).

    Its own object, not a method of :class:`GroupPrices`: the prepared lists keep it,
    and a bound method would make a cycle of them that only the garbage collector
    frees (with all the prices the read kept)."""

    def __init__(self, pool: Any, uoms: _Uoms) -> None:
        self._pool = pool
        self._uoms = uoms
        self._converted: dict[tuple[Any, ...], Any] = {}

    def __call__(self, source: int | None, quantity: Any, target: int | None) -> Any:
        key = (source, target, type(quantity), str(quantity))
        if key not in self._converted:
            Uom = self._pool.get("product.uom")
            self._converted[key] = Uom.compute_qty(
                self._uoms.get(source), quantity, self._uoms.get(target), round=False
            )
        return self._converted[key]


class GroupPrices:
    """:func:`group_prices` for batch after batch of one read: what is computed once
    per list, rule and inputs is kept from one batch to the next."""

    def __init__(self, pool: Any, price_lists: Sequence[Any]) -> None:
        self._pool = pool
        self._uoms = _Uoms(pool)
        self._parents = _category_parents(pool) if price_lists else {}
        self._lists = [(p, list(p.lines)) for p in price_lists]
        self._cost_used = any(_uses_cost(p, lines) for p, lines in self._lists)
        self._matches = {p.id: _Matches(lines) for p, lines in self._lists}
        self._contexts = {p.id: _Contexts(p) for p, _lines in self._lists}
        # Lists whose context and line prices are prepared once (None: trytond's path).
        self._convert = _Conversions(pool, self._uoms)
        self._compiled = {
            p.id: price_formulas.compile_list(pool, p, lines, self._convert)
            for p, lines in self._lists
        }
        self._units = {p.id: _ByValues() for p, _lines in self._lists}
        self._results = _Results()
        # (price, taxes) → the price excluding those taxes
        self._untaxed: dict[tuple[str, tuple[int, ...]], Decimal] = {}
        self._rows: dict[tuple[Any, ...], tuple[tuple[str, Decimal], ...]] = {}
        # A template's part of the inputs, as a number of this instance's (kept in the
        # template's row under a key of this instance's).
        self._parts: dict[tuple[Any, ...], int] = {}
        self._part_key = f"{_PRICE_INPUTS}{next(_INSTANCES)}"
        # Each list's id, name and whether its prices include taxes, read once.
        self._plain = {id(p): (p.id, p.name, bool(p.tax_included)) for p, _lines in self._lists}
        # Whether a line names a variant (its prices are then its own).
        self._by_product = any(m.by_product for m in self._matches.values())

    def of(self, rows: Sequence[ProductRow]) -> dict[int, tuple[tuple[str, Decimal], ...]]:
        """The group prices of each row (by variant id)."""
        return {row.id: self._row(row) for row in rows}

    def _row(self, row: ProductRow) -> tuple[tuple[str, Decimal], ...]:
        """The row's prices; those of an earlier row with the same inputs when no part
        of that row's computation depended on the variant itself (see :meth:`_inputs`)."""
        if not self._lists:
            return ()
        inputs = self._inputs(row)
        if inputs is not None:
            known = self._rows.get(inputs)
            if known is not None:
                return known
        variant = _Variant(row, self._uoms, cost_used=self._cost_used)
        prices, shared = self._compute(row, variant)
        if inputs is not None and shared:
            self._rows[inputs] = prices
        return prices

    def _inputs(self, row: ProductRow) -> tuple[Any, ...] | None:
        """All a row's prices can depend on but the variant's id: the values the stand-in
        holds, the categories and the taxes. None when a line matches on the variant.

        The template's part is made once per template and kept in its row; the units
        are ids (compared as they are), the measures and the price by type and text
        (10.9 and 10.90 differ)."""
        if self._by_product:
            return None
        template = row.template
        part = template.get(self._part_key)
        if part is None:
            weight = template.get("weight")
            volume = template.get("volume")
            values = (
                template.get("default_uom"),
                template.get("sale_uom"),
                template.get("weight_uom"),
                template.get("volume_uom"),
                type(weight).__name__,
                str(weight),
                type(volume).__name__,
                str(volume),
                tuple(template["categories_all"]),
                tuple(template["customer_taxes_used"]),
            )
            # Equal values, one number (hashed once, not once per variant).
            part = template[self._part_key] = self._parts.setdefault(values, len(self._parts))
        price = row.list_price_used
        return (type(price).__name__, str(price), part)

    def _compute(
        self, row: ProductRow, variant: _Variant
    ) -> tuple[tuple[tuple[str, Decimal], ...], bool]:
        """The row's prices, and whether every part was one another variant with the
        same values would share (no part read the id, the record or the pattern)."""
        uoms = self._uoms
        if variant.sale_uom is None:
            return (), True
        categories = _with_parents(row.template["categories_all"], self._parents)
        found = []
        shared = True
        for price_list, _lines in self._lists:
            list_id, list_name, tax_included = self._plain[id(price_list)]
            units = self._units[list_id]
            pattern = {
                "categories": categories,
                "product": row.id,
                "quantity": uoms.one_in(
                    variant.sale_uom, units.get(variant, partial(price_list.get_uom, variant))
                ),
            }
            shared = shared and units.shared
            line = self._matches[list_id].first(pattern)
            if line is None:
                continue  # no line of the list matches this item (e.g. a category promotion)
            compiled = self._compiled[list_id]
            if compiled is not None:  # reads only the values :meth:`_inputs` holds
                template = row.template
                names = compiled.names(
                    row.list_price_used,
                    template.get("weight"),
                    template.get("weight_uom"),
                    template.get("volume"),
                    template.get("volume_uom"),
                )
                price = compiled.price(line, names)
            else:
                contexts = self._contexts[list_id]
                context = contexts.get(variant, pattern)
                shared = shared and contexts.shared
                price = self._results.get(line, context)
            if price is None:
                continue
            if tax_included:
                key = (str(price), tuple(row.template["customer_taxes_used"]))
                if key not in self._untaxed:
                    self._untaxed[key] = _without_tax(self._pool, price, key[1])
                price = self._untaxed[key]
            found.append((list_name, Decimal(price)))
        return tuple(found), shared


def _without_tax(pool: Any, price: Decimal, tax_ids: Sequence[int]) -> Decimal:
    if not tax_ids:
        return price
    Tax = pool.get("account.tax")
    return Decimal(Tax.reverse_compute(price, Tax.browse(list(tax_ids)), dt.date.today()))
