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
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["list_prices_used", "translated"]


def _matches(row: Mapping[str, Any], pattern: Mapping[str, Any]) -> bool:
    """``MatchMixin.match(pattern, match_none=False)``: an empty field matches anything."""
    return all(row[name] is None or row[name] == value for name, value in pattern.items())


def _first(rows: Sequence[Mapping[str, Any]], pattern: Mapping[str, Any]) -> Any:
    """The value of ``get_multivalue``: the first matching row's, else no value."""
    for row in rows:
        if _matches(row, pattern):
            return row["list_price"]
    return None


def list_prices_used(
    pool: Any, templates: Mapping[int, int]
) -> tuple[dict[int, Decimal | None], dict[int, Decimal | None]]:
    """``product.list_price_used`` of each variant of ``templates`` (variant → template),
    and ``product.template.list_price`` of each of their templates.

    trytond takes the variant's own list-price rows (those of the context's company
    first, then those without a company; in id order), else its template's rows
    without a variant (same order: the template's list price); a row whose price is
    empty still answers.
    """
    from trytond.transaction import Transaction

    ListPrice = pool.get("product.list_price")
    company = Transaction().context.get("company")
    own: dict[int, list[dict[str, Any]]] = defaultdict(list)
    shared: dict[int, list[dict[str, Any]]] = defaultdict(list)
    template_ids = sorted(set(templates.values()))
    for start in range(0, len(template_ids), 1000):
        rows = ListPrice.search_read(
            [("template", "in", template_ids[start : start + 1000])],
            fields_names=["template", "product", "company", "list_price"],
            order=[("id", "ASC")],
        )
        for row in rows:
            if row["product"] is not None:
                own[row["product"]].append(row)
            else:
                shared[row["template"]].append(row)
    # multivalue_records: rows with a company before those without (a stable sort).
    for groups in (own, shared):
        for key, rows in groups.items():
            groups[key] = sorted(rows, key=lambda r: r["company"] is None)
    by_template = {
        t: _first(shared.get(t, ()), {"company": company, "product": None}) for t in template_ids
    }
    prices: dict[int, Decimal | None] = {}
    for product_id, template_id in templates.items():
        price = _first(
            own.get(product_id, ()),
            {"company": company, "template": template_id, "product": product_id},
        )
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
    from trytond.ir.lang import get_parent_language
    from trytond.transaction import Transaction

    Translation = pool.get("ir.translation")
    context = Transaction().context
    languages: list[str] = []
    language: str | None = str(Transaction().language)
    while language:
        languages.insert(0, language)
        language = get_parent_language(language)
    ids = sorted(values)
    found: dict[int, str] = {}
    for lang in languages:
        for start in range(0, len(ids), 1000):
            domain: list[Any] = [
                ("lang", "=", lang),
                ("type", "=", "model"),
                ("name", "=", f"{model},{field_name}"),
                ("value", "!=", ""),
                ("value", "!=", None),
                ("res_id", "in", ids[start : start + 1000]),
            ]
            if not context.get("fuzzy_translation", False):
                domain.append(("fuzzy", "=", False))
            for row in Translation.search_read(domain, fields_names=["res_id", "value"]):
                found[row["res_id"]] = row["value"]
    return {i: found.get(i) or value for i, value in values.items()}
