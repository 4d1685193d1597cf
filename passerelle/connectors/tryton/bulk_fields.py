"""Two per-record look-ups of trytond done once for many records: the list price
a variant uses, and the translation of a translatable field.

Why: ``Model.read`` computes ``list_price_used`` with one ``get_multivalue``
per variant (its list-price rows, then its template's), and replaces each
translatable field by a search in ``ir.translation`` whose records it walks
one by one (a cost in the square of the chunk). On a catalogue of 10,000
variants those two were about half of the read (issue 18). Here the rows are
read once per chunk and matched in memory the way trytond matches them, so
the values are the same.

References: trytond ``product`` ``Product.get_list_price_used`` and the
multivalue mixins (``MultiValueMixin.get_multivalue``,
``CompanyMultiValueMixin``, ``MatchMixin.match``), and
``ir.translation``'s ``get_ids`` (https://docs.tryton.org/).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from operator import itemgetter
from typing import Any

__all__ = [
    "IDS",
    "Tables",
    "Texts",
    "converted",
    "converted_tuples",
    "in_",
    "list_prices_used",
    "select",
    "select_values",
    "translated",
    "typed",
    "typed_expression",
]

# Ids per query (well under SQLite's limit on parameters).
IDS = 1000


def select(
    model: Any,
    names: Sequence[str],
    column: str,
    ids: Sequence[int] | Sequence[str] | None,
    where: Callable[[Any], Any] | None = None,
    *,
    order: Callable[[Any], list[Any]] | None = None,
    size: int = IDS,
) -> list[dict[str, Any]]:
    """Rows (``id`` and ``names``) of ``model``'s table whose ``column`` is in ``ids``,
    through trytond's connection: in id order (trytond's default order), or in
    ``order`` within each query of ``size`` values.

    Why not ``search_read``: trytond converts a domain value by value, which on a
    list of thousands of ids cost more than the query (issue 18). The values are
    ``read``'s: each column is typed as ``read`` types it (SQLite's converters), and
    a field that converts its column (a dict, a binary) gives its own value.
    """
    keys = ["id", *names]
    rows = [
        dict(zip(keys, row, strict=True))
        for row in _selected(model, names, column, ids, where, order, size)
    ]
    converted(model, names, rows)
    return rows


def select_values(
    model: Any,
    names: Sequence[str],
    column: str,
    ids: Sequence[int] | Sequence[str] | None,
    where: Callable[[Any], Any] | None = None,
) -> list[tuple[Any, ...]]:
    """:func:`select`'s rows as tuples (``id``, then ``names``), for fields that convert
    nothing after SQL (no getter: chars, numbers, relations).

    Why: a row is kept as the cursor gives it, without a dict; the translations and
    the relations of a catalogue are tens of thousands of rows of two or three columns.
    """
    for name in names:
        field = model._fields.get(name)
        if field is not None and hasattr(field, "get"):
            raise ValueError(f"{model.__name__}.{name}: use select()")  # internal: caller bug
    return _selected(model, names, column, ids, where, None, IDS)


def _selected(
    model: Any,
    names: Sequence[str],
    column: str,
    ids: Sequence[int] | Sequence[str] | None,
    where: Callable[[Any], Any] | None,
    order: Callable[[Any], list[Any]] | None,
    size: int,
) -> list[tuple[Any, ...]]:
    """The cursor's rows (``id``, then ``names`` typed as ``read`` types them) of
    :func:`select`, in its order."""
    from sql import Literal
    from trytond.transaction import Transaction

    table = model.__table__()
    cursor = Transaction().connection.cursor()
    columns = [table.id, *(typed(model, table, n) for n in names)]
    rows: list[tuple[Any, ...]] = []
    if ids is not None and not ids:
        return rows
    chunks = [None] if ids is None else [ids[s : s + size] for s in range(0, len(ids), size)]
    for chunk in chunks:
        condition = Literal(True)
        if chunk is not None:
            condition = in_(getattr(table, column), list(chunk))
        if where is not None:
            condition &= where(table)
        order_by = order(table) if order is not None else [table.id.asc]
        cursor.execute(*table.select(*columns, where=condition, order_by=order_by))
        rows.extend(map(tuple, cursor))
    if order is None and len(chunks) > 1:  # one query is in id order already
        rows.sort(key=itemgetter(0))
    return rows


class Tables:
    """:func:`select` (or :func:`select_values`) on the values of a column, for a read
    of many chunks: with ``whole``, each table is selected once, whole, and its rows
    handed out by value.

    Why: a chunk's query lists its ids (``IN (…)``), which SQLite parses and looks up
    id by id; when the read covers most of the catalogue, one query for the whole
    table costs less than one per chunk. The rows are :func:`select`'s; those of one
    value keep their id order (the only order the callers rely on). With an
    ``order``, the rows handed out are in the whole query's order, which is the
    order a chunk's own query gives them (the same ``ORDER BY``, the database's own
    collation, on a subset).
    """

    def __init__(self, *, whole: bool) -> None:
        self.whole = whole
        self._loaded: dict[tuple[Any, ...], dict[Any, list[Any]]] = {}
        self._rows: dict[tuple[Any, ...], list[dict[str, Any]]] = {}

    def select(
        self,
        model: Any,
        names: Sequence[str],
        column: str,
        ids: Sequence[int] | Sequence[str],
        where: Callable[[Any], Any] | None = None,
        *,
        values: bool = False,
        order: Callable[[Any], list[Any]] | None = None,
        size: int = IDS,
    ) -> list[Any]:
        """:func:`select`'s rows whose ``column`` is in ``ids`` (with ``values``, those
        of :func:`select_values`); grouped by value with ``whole``, or with ``order``
        (and ``size``, as :func:`select` takes them) in the order of one query.
        ``where`` and ``order`` must be the same on each call with the same model,
        column and names (the whole table is selected with the first ones)."""
        if values and order is not None:
            raise ValueError("an order with values")  # internal: caller bug
        if not self.whole:
            if values:
                return select_values(model, names, column, ids, where)
            return select(model, names, column, ids, where, order=order, size=size)
        if order is not None:
            by_value = self._ordered(model, names, column, where, order)
            ranked = [found for value in ids for found in by_value.get(value, ())]
            ranked.sort(key=itemgetter(0))
            return [row for _rank, row in ranked]
        by_value = self._whole(model, names, column, where, values=values)
        return [row for value in ids for row in by_value.get(value, ())]

    def _ordered(
        self,
        model: Any,
        names: Sequence[str],
        column: str,
        where: Callable[[Any], Any] | None,
        order: Callable[[Any], list[Any]],
    ) -> dict[Any, list[tuple[int, dict[str, Any]]]]:
        """The whole table's rows by value of ``column``, each with its rank in
        ``order``, selected once."""
        key = (model.__name__, column, tuple(names), "ordered")
        by_value: dict[Any, list[tuple[int, dict[str, Any]]]] | None = self._loaded.get(key)
        if by_value is None:
            by_value = self._loaded[key] = defaultdict(list)
            for rank, row in enumerate(select(model, names, column, None, where, order=order)):
                by_value[row[column]].append((rank, row))
        return by_value

    def rows(
        self,
        model: Any,
        names: Sequence[str],
        where: Callable[[Any], Any] | None,
        order: Callable[[Any], list[Any]],
    ) -> list[dict[str, Any]]:
        """Every row of the table (``where``) in ``order``, selected once: for a caller
        whose condition is not one column's values (it filters them itself)."""
        key = (model.__name__, tuple(names), "all")
        rows = self._rows.get(key)
        if rows is None:
            rows = self._rows[key] = select(model, names, "id", None, where, order=order)
        return rows

    def _whole(
        self,
        model: Any,
        names: Sequence[str],
        column: str,
        where: Callable[[Any], Any] | None,
        *,
        values: bool,
    ) -> dict[Any, list[Any]]:
        key = (model.__name__, column, tuple(names), values)
        by_value = self._loaded.get(key)
        if by_value is None:
            by_value = self._loaded[key] = defaultdict(list)
            if values:
                at = 0 if column == "id" else 1 + list(names).index(column)
                for row in select_values(model, names, column, None, where):
                    by_value[row[at]].append(row)
            else:
                for found in select(model, names, column, None, where):
                    by_value[found[column]].append(found)
        return by_value


def typed(model: Any, table: Any, name: str) -> Any:
    """The column ``name`` as ``ModelSQL.read`` selects it (on SQLite, its converter
    is named after the field's SQL type, not the table's declared one)."""
    from sql import Column

    return typed_expression(model, Column(table, name), name)


def typed_expression(model: Any, expression: Any, name: str) -> Any:
    """``expression`` (a column, a subquery) typed as ``read`` types the field ``name``
    of ``model`` (see :func:`typed`)."""
    from sql import As
    from trytond import backend

    field = model._fields.get(name)
    if field is None or backend.name != "sqlite":
        return expression
    typed = As(expression, name)
    typed.output_name += f" [{field.sql_type().base}]"
    return typed


def converted(model: Any, names: Sequence[str], rows: list[dict[str, Any]]) -> None:
    """``read``'s last step: a stored field with a getter (a dict, a binary) converts
    its column's values."""
    from trytond.model import fields

    if not rows:
        return
    for name in names:
        field = model._fields.get(name)
        if field is None or not hasattr(field, "get"):
            continue
        todo = rows
        if isinstance(field, fields.Dict):
            todo = _dicts_once(model, field, name, rows)
        if todo:
            values = field.get([row["id"] for row in todo], model, name, values=todo)
            for row in todo:
                row[name] = values[row["id"]]


def converted_tuples(
    model: Any, names: Sequence[str], rows: dict[int, tuple[Any, ...]]
) -> dict[int, tuple[Any, ...]]:
    """:func:`converted` on rows kept as tuples (``id``, then ``names``, then anything),
    by id: the rows are remade with the converted values when a column converts
    (a dict, a binary), returned as they are otherwise (most fields convert nothing)."""
    columns = [
        (1 + i, name)
        for i, name in enumerate(names)
        if (field := model._fields.get(name)) is not None and hasattr(field, "get")
    ]
    if not columns or not rows:
        return rows
    from trytond.model import fields

    keys = ["id", *names]
    lists = [list(row) for row in rows.values()]
    for at, name in columns:
        # :func:`converted`'s rows: a dict field's text (its value depends on it alone,
        # see :func:`_dicts_once`) once, shared; any other value in its whole row.
        once = isinstance(model._fields[name], fields.Dict)
        by_text: dict[str, dict[str, Any]] = {}
        todo: list[dict[str, Any]] = []
        for values in lists:
            raw = values[at]
            found = by_text.get(raw) if once and isinstance(raw, str) else None
            if found is None:
                found = dict(zip(keys, values, strict=False))
                todo.append(found)
                if once and isinstance(raw, str):
                    by_text[raw] = found
            values[at] = found
        converted(model, [name], todo)
        for values in lists:
            values[at] = values[at][name]
    return {values[0]: tuple(values) for values in lists}


def _dicts_once(
    model: Any, field: Any, name: str, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A dict field's values converted once per distinct text, the others left to do.

    Why: the field decodes its JSON text row by row (trytond's decoder, then an
    immutable dict); a catalogue's attributes repeat (a size, a colour), and decoding
    them was a tenth of the read. The field's own ``get`` converts each distinct text
    (its value depends on that text alone) and the rows share its immutable result.
    A column the backend gave decoded already (not text) is left to ``get`` as is.
    """
    done: dict[str, Any] = {}
    todo = []
    for row in rows:
        raw = row[name]
        if not isinstance(raw, str):
            todo.append(row)
            continue
        if raw not in done:
            done[raw] = field.get([row["id"]], model, name, values=[row])[row["id"]]
        row[name] = done[raw]
    return todo


def in_(column: Any, values: Sequence[Any]) -> Any:
    """``column IN values`` as trytond's ``SQL_OPERATORS["in"]`` queries it, without
    formatting each value apart on SQLite (python-sql's cost on lists of thousands)."""
    from trytond import backend
    from trytond.model.fields import SQL_OPERATORS

    if backend.Database.has_array():
        return SQL_OPERATORS["in"](column, values)
    return _in_list_type()(column, values)


@cache
def _in_list_type() -> type:
    """A python-sql expression: ``column IN (?, ?, …)``, one parameter per value
    (made once, python-sql being imported with trytond)."""
    from sql import Expression, Flavor

    class InList(Expression):  # type: ignore[misc]
        __slots__ = ("_column", "_values")

        def __init__(self, column: Any, values: Sequence[Any]) -> None:
            self._column = column
            self._values = tuple(values)

        def __str__(self) -> str:
            marks = ", ".join([Flavor.get().param] * len(self._values))
            return f"({self._column} IN ({marks}))"

        @property
        def params(self) -> tuple[Any, ...]:
            return tuple(self._column.params) + self._values

    return InList


# A list-price row as matched: its company, its template (None: any) and its price.
_PriceRow = tuple[int | None, int | None, Decimal | None]


def _first_price(rows: Sequence[_PriceRow], company: int | None, template: int | None) -> Any:
    """The value of ``get_multivalue``: the price of the first row that matches, else no
    value. As ``MatchMixin.match(pattern, match_none=False)``: an empty field of a row
    matches any value, a set one only its own."""
    for row_company, row_template, price in rows:
        if (row_company is None or row_company == company) and (
            row_template is None or row_template == template
        ):
            return price
    return None


def list_prices_used(
    pool: Any, templates: Mapping[int, int], tables: Tables | None = None
) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
    """``product.list_price_used`` of each variant of ``templates`` (variant → template),
    and ``product.template.list_price`` of each of their templates.

    trytond takes the variant's own list-price rows (those of the context's company
    first, then those without a company; in id order), else its template's rows
    without a variant (same order: the template's list price); a row whose price is
    empty still answers. ``tables``: the list-price rows of a read of many chunks.
    """
    from trytond.transaction import Transaction

    ListPrice = pool.get("product.list_price")
    company = Transaction().context.get("company")
    own: dict[int, list[_PriceRow]] = defaultdict(list)  # by variant
    shared: dict[int, list[_PriceRow]] = defaultdict(list)  # by template, any template
    template_ids = sorted(set(templates.values()))
    for _id, template, product, row_company, price in (tables or Tables(whole=False)).select(
        ListPrice,
        ["template", "product", "company", "list_price"],
        "template",
        template_ids,
        values=True,
    ):
        if product is not None:
            own[product].append((row_company, template, price))
        else:
            shared[template].append((row_company, None, price))
    # multivalue_records: rows with a company before those without (a stable sort).
    for groups in (own, shared):
        for key, rows in groups.items():
            if len(rows) > 1:  # most have one row: nothing to sort
                groups[key] = sorted(rows, key=lambda r: r[0] is None)
    by_template: dict[int, Decimal | None] = {}
    for template_id in template_ids:
        found = shared.get(template_id)
        by_template[template_id] = _first_price(found, company, None) if found else None
    prices: dict[int, Decimal | None] = {}
    for product_id, template_id in templates.items():
        found = own.get(product_id)
        price = _first_price(found, company, template_id) if found else None
        prices[product_id] = by_template[template_id] if price is None else price
    return prices, by_template


def translated(
    pool: Any, model: str, field_name: str, values: Mapping[int, str | None]
) -> dict[int, str | None]:
    """``values`` (the column, by id) as ``Model.read`` gives them in the context's language.

    As ``Translation.get_ids``: the parent language's translations first, then the
    language's own, non-empty and not fuzzy (unless the context asks for fuzzy ones);
    a record without a translation keeps its column's value.
    """
    found = _translations(pool, model, field_name, sorted(values))
    return {i: found.get(i) or value for i, value in values.items()}


class Texts:
    """:func:`translated` for a read of many chunks: with ``whole``, each field's
    translations are selected once for all records (one query instead of one per
    chunk: SQLite answers a list of ids in a large table slowly), else per chunk."""

    def __init__(self, pool: Any, *, whole: bool) -> None:
        self._pool = pool
        self._whole = whole
        self._loaded: dict[tuple[str, str], dict[int, str]] = {}

    def translated(
        self, model: str, field_name: str, values: Mapping[int, str | None]
    ) -> dict[int, str | None]:
        if not self._whole:
            return translated(self._pool, model, field_name, values)
        key = (model, field_name)
        if key not in self._loaded:
            self._loaded[key] = _translations(self._pool, model, field_name, None)
        found = self._loaded[key]
        return {i: found.get(i) or value for i, value in values.items()}


def _translations(
    pool: Any, model: str, field_name: str, ids: Sequence[int] | None
) -> dict[int, str]:
    """The translations ``Model.read`` would use, by record id (of ``ids``, or all)."""
    from sql import Literal, Null
    from trytond.ir.lang import get_parent_language
    from trytond.transaction import Transaction

    Translation = pool.get("ir.translation")
    context = Transaction().context
    languages: list[str] = []
    language: str | None = str(Transaction().language)
    while language:
        languages.insert(0, language)
        language = get_parent_language(language)
    fuzzy = bool(context.get("fuzzy_translation", False))
    found: dict[int, str] = {}
    for lang in languages:

        def where(table: Any, lang: str = lang) -> Any:
            condition = (
                (table.lang == lang)
                & (table.type == "model")
                & (table.name == f"{model},{field_name}")
                & (table.value != "")
                & (table.value != Null)
            )
            return condition if fuzzy else condition & (table.fuzzy == Literal(False))

        for _id, res_id, value in select_values(
            Translation, ["res_id", "value"], "res_id", ids, where
        ):
            found[res_id] = value
    return found
