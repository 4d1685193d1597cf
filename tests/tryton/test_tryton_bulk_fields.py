"""The list price a variant uses and its translated texts, read once for many
variants (``bulk_fields``), are what trytond gives record by record.

The reference is Tryton's own answer in the same context: ``list_price_used``
and the template's ``list_price`` of each record for the context's company,
and ``Model.read`` of the translatable fields in the context's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from passerelle.connectors.tryton import bulk, bulk_fields
from passerelle.connectors.tryton.database import TrytonTarget, session


class _Undo(Exception):
    """Raised at the end of a test that wrote, so its transaction rolls back."""


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK", 7)


@pytest.fixture
def pool(tryton_demo: TrytonTarget) -> Iterator[Any]:
    """trytond's pool in a transaction rolled back at the end (the test writes)."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with (
        pytest.raises(_Undo),
        session(tryton_demo),
        Transaction().set_context(active_test=False, _skip_warnings=True),
    ):
        yield Pool()
        raise _Undo


def _variants(pool: Any) -> list[Any]:
    return list(pool.get("product.product").search([], order=[("id", "ASC")]))


def _expected_prices(pool: Any, company: int) -> tuple[dict[int, Any], dict[int, Any]]:
    from trytond.transaction import Transaction

    Product = pool.get("product.product")
    Template = pool.get("product.template")
    with Transaction().set_context(company=company):
        used = {p.id: Product(p.id).list_price_used for p in _variants(pool)}
        own = {p.template.id for p in _variants(pool)}
        return used, {t: Template(t).list_price for t in own}


def test_list_prices_used_are_trytons_for_each_company(pool: Any) -> None:
    """A variant's own row of the company wins, an empty one falls back on the
    template's, a row of another company is not seen, and a row without a company
    answers for every company after the company's own."""
    from trytond.transaction import Transaction

    Company = pool.get("company.company")
    Party = pool.get("party.party")
    ListPrice = pool.get("product.list_price")
    (first,) = Company.search([], limit=1)
    (second,) = Company.create(
        [{"party": Party.create([{"name": "Other company"}])[0].id, "currency": first.currency.id}]
    )
    variants = [p for p in _variants(pool) if p.template.list_prices][:6]
    assert len(variants) == 6
    a, b, c, d, e, f = variants
    ListPrice.create(
        [
            {"template": a.template.id, "product": a.id, "company": first.id, "list_price": 7},
            {"template": b.template.id, "product": b.id, "company": second.id, "list_price": 8},
            {"template": c.template.id, "product": c.id, "company": first.id, "list_price": None},
            {"template": d.template.id, "product": None, "company": second.id, "list_price": 9},
            {"template": e.template.id, "product": e.id, "company": second.id, "list_price": 3},
            {"template": e.template.id, "product": e.id, "company": first.id, "list_price": 4},
        ]
    )
    ListPrice.delete(ListPrice.search([("template", "=", f.template.id)]))
    templates = {p.id: p.template.id for p in _variants(pool)}
    for company in (first.id, second.id):
        with Transaction().set_context(company=company):
            assert bulk_fields.list_prices_used(pool, templates) == _expected_prices(pool, company)
    with Transaction().set_context(company=first.id):
        used, _by_template = bulk_fields.list_prices_used(pool, templates)
    assert used[a.id] == 7 and used[e.id] == 4 and used[f.id] is None


def test_translated_texts_are_those_model_read_gives_in_each_language(pool: Any) -> None:
    """The context's language, its parent's when it has none, the column's value
    when neither has one; a fuzzy translation is not used."""
    from trytond.transaction import Transaction

    Product = pool.get("product.product")
    Template = pool.get("product.template")
    Translation = pool.get("ir.translation")
    variants = _variants(pool)
    with Transaction().set_context(language="de"):
        Template.write([variants[0].template], {"name": "Deutscher Name"})
        Product.write([variants[1]], {"description": "Deutsche Beschreibung"})
    fuzzy = Translation.search(
        [
            ("lang", "=", "de"),
            ("name", "=", "product.template,name"),
            ("type", "=", "model"),
            ("res_id", "!=", variants[0].template.id),
        ]
    )
    assert fuzzy
    Translation.write(fuzzy[:1], {"fuzzy": True})
    templates = sorted({p.template.id for p in variants})
    products = [p.id for p in variants]
    for language in ("en", "de", "de_CH"):
        with Transaction().set_context(language=language):
            names = {r["id"]: r["name"] for r in Template.read(templates, ["name"])}
            texts = {r["id"]: r["description"] for r in Product.read(products, ["description"])}
            for whole in (False, True):  # per chunk, or selected once for the whole read
                rows = bulk.read_rows(pool, products, bulk_fields.Texts(pool, whole=whole))
                assert {r.template_id: r.template["name"] for r in rows} == names, language
                assert {r.id: r.description for r in rows} == texts, language
            if language != "en":
                assert names[variants[0].template.id] == "Deutscher Name"
                assert texts[variants[1].id] == "Deutsche Beschreibung"


def test_list_price_rows_match_as_trytond_matches() -> None:
    """An empty field of a row matches any value; a set one only its own."""
    row = {"company": None, "product": 3, "list_price": Decimal(1)}
    assert bulk_fields._matches(row, {"company": 1, "product": 3})
    assert not bulk_fields._matches(row, {"company": 1, "product": None})
    assert bulk_fields._first([row], {"company": 2, "product": 4}) is None


def test_categories_are_in_the_order_trytond_reads_them(pool: Any) -> None:
    """A template in several categories lists them in the categories' own order (by
    name, then id), whatever the order they were added in."""
    Template = pool.get("product.template")
    Category = pool.get("product.category")
    shelves = Category.search([("accounting", "=", False)], order=[("name", "DESC")])
    assert len(shelves) >= 3
    variants = _variants(pool)
    template = variants[0].template
    Template.write([template], {"categories": [("add", [c.id for c in shelves])]})
    products = [p.id for p in variants]
    rows = bulk.read_rows(pool, products)
    templates = sorted({r.template_id for r in rows})
    expected = {r["id"]: tuple(r["categories"]) for r in Template.read(templates, ["categories"])}
    assert {r.template_id: tuple(r.template["categories"]) for r in rows} == expected
    assert len(expected[template.id]) >= 3
