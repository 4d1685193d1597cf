"""What a catalogue read selects as rows for many variants at once (``bulk_fields``,
``bulk``, ``bulk_related``) is what trytond gives record by record.

The reference is Tryton's own answer in the same context: ``list_price_used``
and the template's ``list_price`` of each record for the context's company,
``Model.read`` of the translatable fields in the context's language, and the
ORM's images, attachments, suppliers, kit components and cost price of one
variant at a time, found by searches ordered as the catalogue orders them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from passerelle.connectors.tryton import bulk, bulk_fields, catalogue, translate
from passerelle.connectors.tryton.constants import EXTERNAL_KEY_SHOP
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.demo_data import ITEM_SUPPLIERS, demo_document, demo_png
from passerelle.model import Item, ItemFile, KitComponent


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
    """An empty field of a row matches any value; a set one only its own; the first
    row that matches answers, even without a price."""
    anywhere = (None, None, Decimal(1))
    assert bulk_fields._first_price([anywhere], 1, 3) == Decimal(1)
    assert bulk_fields._first_price([(2, None, Decimal(2)), anywhere], 1, 3) == Decimal(1)
    assert bulk_fields._first_price([(1, 4, Decimal(2)), anywhere], 1, 3) == Decimal(1)
    assert bulk_fields._first_price([(1, 3, Decimal(2)), anywhere], 1, 3) == Decimal(2)
    assert bulk_fields._first_price([(None, 3, None), anywhere], 1, 3) is None
    assert bulk_fields._first_price([(2, None, Decimal(2))], 1, 3) is None


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


def _digest(data: bytes | None) -> str:
    return hashlib.sha256(bytes(data or b"")).hexdigest()


def _files(pool: Any, product: Any) -> tuple[list[ItemFile], list[ItemFile]]:
    """The variant's images and documents, as the ORM gives them one variant at a time."""
    template = product.template
    images = [
        ItemFile(
            ref=f"image:{image.id}",
            name=image.description or f"{template.code or template.id}-{image.id}.jpg",
            digest=_digest(image.image),
            kind="image",
        )
        for image in pool.get("product.image").search(
            [("template", "=", template.id)], order=[("sequence", "ASC"), ("id", "ASC")]
        )
        if image.product is None or image.product.id == product.id
    ]
    documents = []
    for attachment in pool.get("ir.attachment").search(
        [("resource", "in", [str(template), str(product)]), ("type", "=", "data")],
        order=[("name", "ASC"), ("id", "ASC")],
    ):
        kind = "image" if attachment.name.lower().endswith(catalogue.IMAGE_SUFFIXES) else "document"
        file = ItemFile(
            f"attachment:{attachment.id}", attachment.name, _digest(attachment.data), kind
        )
        (images if kind == "image" else documents).append(file)
    return images, documents


def _supplier(pool: Any, product: Any) -> tuple[str, str]:
    found = pool.get("purchase.product_supplier").search(
        [("template", "=", product.template.id)],
        order=[("sequence", "ASC NULLS LAST"), ("id", "ASC")],
    )
    for supplier in [s for s in found if s.product == product] + [
        s for s in found if s.product is None
    ]:
        return supplier.party.name or "", supplier.code or ""
    return "", ""


def _kit(pool: Any, product: Any) -> tuple[KitComponent, ...]:
    Component = pool.get("product.component")
    order = [("sequence", "ASC NULLS LAST"), ("id", "ASC")]
    components = Component.search([("parent_product", "=", product.id)], order=order)
    if not components:
        components = Component.search(
            [("parent_template", "=", product.template.id), ("parent_product", "=", None)],
            order=order,
        )
    return tuple(
        KitComponent(code=c.product.code or "", quantity=translate.quantity(c.quantity))
        for c in components
    )


def _cost(pool: Any, product: Any) -> Decimal | None:
    """The company's cost price (a kit's: its components'), None when none is stored."""
    if product.type == "kit":
        return Decimal(product.cost_price or 0)
    costs = pool.get("product.cost_price").search(
        [("product", "=", product.id), ("company", "=", _company())], order=[("id", "ASC")]
    )
    stored = [c.cost_price for c in costs if c.cost_price is not None]
    return Decimal(stored[0]) if stored else None


def _published(pool: Any, product: Any) -> bool:
    """On the web shop, as its search in the context finds the relation."""
    (shop,) = pool.get("web.shop").search([("name", "=", EXTERNAL_KEY_SHOP)], limit=1)
    Relation = pool.get("web.shop-product.product")
    return bool(Relation.search([("shop", "=", shop.id), ("product", "=", product.id)]))


def _company() -> int:
    from trytond.transaction import Transaction

    return int(Transaction().context["company"])


def _check(pool: Any, item: Item, product: Any, taxes: dict[int, Any], active_test: bool) -> None:
    expected = translate.to_item(product, taxes)
    for name in ("code", "name", "description", "sale_price", "active", "modified_at"):
        assert getattr(item, name) == getattr(expected, name), (product.code, name)
    images, documents = _files(pool, product)
    assert list(item.images) == images, product.code
    assert list(item.documents) == documents, product.code
    assert (item.supplier, item.supplier_code) == _supplier(pool, product), product.code
    assert item.kit == _kit(pool, product), product.code
    assert item.cost_price == _cost(pool, product), product.code
    assert item.published == _published(pool, product), product.code
    assert item.attributes == dict(product.attributes or {}), product.code
    if not active_test:  # with it, a variant of an inactive template is still counted
        assert item.variant_count == len(product.template.products), product.code


def _enrich(pool: Any) -> dict[str, Any]:
    """More images, attachments, suppliers and inactive records (see the module)."""
    from trytond.transaction import Transaction

    Product = pool.get("product.product")
    Template = pool.get("product.template")
    Image = pool.get("product.image")
    Attachment = pool.get("ir.attachment")
    Supplier = pool.get("purchase.product_supplier")
    Party = pool.get("party.party")
    Company = pool.get("company.company")
    products = list(Product.search([], order=[("code", "ASC"), ("id", "ASC")]))
    family = next(p.template for p in products if len(p.template.products) > 1)
    first, second = family.products[0], family.products[1]
    single = next(
        p
        for p in products
        if len(p.template.products) == 1 and p.type == "goods" and p.code not in ITEM_SUPPLIERS
    )
    kit = next(p for p in products if p.type == "kit")
    images = Image.create(
        [
            {"template": family.id, "image": demo_png((1, 2, 3)), "sequence": 2},
            {"template": family.id, "product": first.id, "image": demo_png((4, 5, 6))},
            {"template": family.id, "image": demo_png((7, 8, 9)), "description": "Front.jpg"},
            {"template": single.template.id, "image": demo_png((9, 9, 9)), "sequence": 1},
        ]
    )
    with Transaction().set_context(language="de"):
        Image.write([images[2]], {"description": "Vorne.jpg"})
    Image.delete([images[3]])  # a deleted image is not read
    for name, resource in (
        ("b-manual.pdf", family),
        ("a-front.PNG", first),
        ("c-sizes.pdf", second),
        ("a-guide.pdf", family),
    ):
        Attachment.create(
            [{"name": name, "type": "data", "resource": str(resource), "data": demo_document(name)}]
        )
    (company,) = Company.search([], limit=1)
    parties = Party.create([{"name": n} for n in ("Atelier", "Bureau", "Comptoir", "Dépôt")])
    base = {"company": company.id, "currency": company.currency.id}
    Supplier.create(
        [
            {**base, "template": family.id, "party": parties[0].id, "sequence": None},
            {**base, "template": family.id, "party": parties[1].id, "code": "B-1", "sequence": 5},
            {**base, "template": family.id, "product": second.id, "party": parties[2].id},
            {**base, "template": single.template.id, "party": parties[3].id, "code": "D"},
        ]
    )
    # An inactive variant is no longer on the web shop (the shop's domain).
    Published = pool.get("web.shop-product.product")
    Published.delete(
        Published.search(
            [("product", "in", [second.id, *(p.id for p in single.template.products)])]
        )
    )
    Product.write([second], {"active": False})
    Template.write([single.template], {"active": False})
    return {
        "family": family,
        "first": first,
        "second": second,
        "single": single,
        "kit": kit,
        "deleted": f"image:{images[3].id}",
    }


@pytest.mark.parametrize("active_test", [False, True])
def test_items_selected_as_rows_are_trytons_record_by_record(pool: Any, active_test: bool) -> None:
    from trytond.transaction import Transaction

    chosen = _enrich(pool)
    Company = pool.get("company.company")
    Party = pool.get("party.party")
    (first_company,) = Company.search([], limit=1)
    (second_company,) = Company.create(
        [
            {
                "party": Party.create([{"name": "Second company"}])[0].id,
                "currency": first_company.currency.id,
            }
        ]
    )
    taxes = {t.id: translate.to_tax(t) for t in pool.get("account.tax").search([])}
    checked = 0
    for company in (first_company.id, second_company.id):
        for language in ("en", "de", "fr"):
            with Transaction().set_context(company=company, language=language):
                Product = pool.get("product.product")
                products = list(Product.search([], order=[("code", "ASC"), ("id", "ASC")]))
                with Transaction().set_context(active_test=active_test):
                    items = catalogue.read_items(pool, products, taxes, company)
                    assert len(items) == len(products) > 3 * 10
                    for item, product in zip(items, products, strict=True):
                        _check(pool, item, Product(product.id), taxes, active_test)
                        checked += 1
                by_code = {i.code: i for i in items}
                family = by_code[chosen["first"].code]
                assert [f.name for f in family.documents][:2] == ["a-guide.pdf", "b-manual.pdf"]
                assert "a-front.PNG" in [f.name for f in family.images]
                assert len(family.images) >= 3
                assert ("Vorne.jpg" if language == "de" else "Front.jpg") in [
                    f.name for f in family.images
                ]
                assert family.supplier == "Bureau"
                assert by_code[chosen["second"].code].supplier == (
                    "Bureau" if active_test else "Comptoir"
                )
                assert by_code[chosen["single"].code].supplier == ("" if active_test else "Dépôt")
                assert by_code[chosen["kit"].code].kit
                assert chosen["deleted"] not in {f.ref for i in items for f in i.images}
    assert checked > 0
    costs = {
        company: catalogue.read_items(pool, [chosen["first"]], taxes, company)[0].cost_price
        for company in (first_company.id, second_company.id)
    }
    assert costs[second_company.id] is None


def test_a_read_of_ids_gives_the_items_of_the_whole_read(
    tryton_backoffice: Any,
) -> None:
    """A window of ids (as a streaming flow reads) gives each item as the whole read does."""
    whole = tryton_backoffice.list_items()
    window = whole[5:25]
    assert tryton_backoffice.list_items_where(ids=[i.source_id for i in window]) == sorted(
        window, key=lambda i: (i.code, int(i.source_id))
    )


def test_dates_are_trytons_timestamps(pool: Any) -> None:
    """The dates selected as rows are the datetimes ``read`` gives (typed as it types them)."""
    Product = pool.get("product.product")
    products = list(Product.search([], order=[("id", "ASC")]))[:5]
    rows = bulk.read_rows(pool, [p.id for p in products])
    expected = {
        r["id"]: r["write_date"] for r in Product.read([p.id for p in products], ["write_date"])
    }
    for row in rows:
        assert row.write_date == expected[row.id]
        assert row.create_date is None or isinstance(row.create_date, dt.datetime)


def _related_tables(pool: Any) -> list[tuple[Any, list[str], str, Any]]:
    """The tables a read of many chunks selects whole: model, columns, key, condition."""
    from sql import Null

    return [
        (
            pool.get("product.list_price"),
            ["template", "product", "company", "list_price"],
            "template",
            None,
        ),
        (
            pool.get("product.template-product.category"),
            ["template", "category"],
            "template",
            lambda table: table.category != Null,
        ),
        (pool.get("product.identifier"), ["product", "sequence", "type", "code"], "product", None),
    ]


def test_tables_selected_whole_give_each_chunk_its_rows(pool: Any) -> None:
    """Selected once and handed out by value, a table's rows are those a chunk's own
    query gives: each value's in id order, as dicts or as tuples."""
    for model, names, column, where in _related_tables(pool):
        everything = bulk_fields.select(model, names, column, None, where)
        values = sorted({row[column] for row in everything})
        assert values, model.__name__
        whole = bulk_fields.Tables(whole=True)
        for chunk in (values[: len(values) // 2], values[len(values) // 2 :], values[:1], []):
            expected = sorted(
                bulk_fields.select(model, names, column, chunk, where),
                key=lambda r: (r[column], r["id"]),  # noqa: B023
            )
            assert whole.select(model, names, column, chunk, where) == expected
            assert whole.select(model, names, column, chunk, where, values=True) == [
                tuple(row.values()) for row in expected
            ]
            assert bulk_fields.Tables(whole=False).select(
                model, names, column, chunk, where, values=True
            ) == [tuple(r.values()) for r in sorted(expected, key=lambda r: r["id"])]


def test_values_are_not_selected_as_tuples_for_a_field_that_converts_them(pool: Any) -> None:
    """A dict or a binary field converts its column after SQL: only ``select`` gives it."""
    with pytest.raises(ValueError, match="attributes"):
        bulk_fields.select_values(pool.get("product.product"), ["attributes"], "id", None)


def test_rows_kept_as_tuples_convert_as_selected_rows(pool: Any) -> None:
    """``converted_tuples``: the values of a row kept as a tuple are ``select``'s, a dict
    field's (the variants' attributes, some alike) converted too; other columns as they are."""
    Product = pool.get("product.product")
    names = ["code", "attributes", "create_date"]
    expected = bulk_fields.select(Product, names, "id", None)
    assert any(row["attributes"] for row in expected)
    raw = {
        row[0]: (*row, "extra")
        for row in bulk_fields._selected(Product, names, "id", None, None, None, 1000)
    }
    assert any(isinstance(row[2], str) for row in raw.values())  # JSON text before
    found = bulk_fields.converted_tuples(Product, names, raw)
    assert found == {row["id"]: (*row.values(), "extra") for row in expected}
    plain = {i: (i, row[1]) for i, row in raw.items()}
    assert bulk_fields.converted_tuples(Product, ["code"], plain) is plain


@pytest.fixture
def selects(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The (model, whole table) of each selection of :mod:`.bulk_fields`, in batches of 10."""
    queries: list[tuple[str, bool]] = []
    selected = bulk_fields._selected

    def spy(model: Any, names: Any, column: str, ids: Any, *args: Any) -> Any:
        queries.append((model.__name__, ids is None))
        return selected(model, names, column, ids, *args)

    monkeypatch.setattr(bulk_fields, "_selected", spy)
    monkeypatch.setattr(catalogue, "BATCH_SIZE", 10)
    return queries


def _read_items(pool: Any, variants: Any) -> list[Any]:
    from trytond.transaction import Transaction

    taxes = {t.id: translate.to_tax(t) for t in pool.get("account.tax").search([])}
    return catalogue.read_items(pool, variants, taxes, int(Transaction().context["company"]))


def test_a_read_of_most_variants_selects_each_related_table_once(
    pool: Any, selects: list[tuple[str, bool]]
) -> None:
    """Read in many batches, the list prices, categories and identifiers of every variant
    are selected in one query each (not one per batch); a read of a few variants selects
    only theirs."""
    queries = selects
    variants = _variants(pool)
    assert len(variants) > 3 * 10
    related = [model.__name__ for model, *_ in _related_tables(pool)]
    _read_items(pool, variants)
    for name in related:
        assert [whole for model, whole in queries if model == name] == [True], name
    queries.clear()
    _read_items(pool, variants[: len(variants) // 3])
    for name in related:
        chunks = [whole for model, whole in queries if model == name]
        assert chunks and not any(chunks), name


def test_variants_selected_whole_are_those_read_chunk_by_chunk(pool: Any) -> None:
    """Every variant and template selected at once (a read of most variants) give the rows
    a read by chunks of ids gives: with a company, each variant's first cost price in id
    order, its template's variant count."""
    from trytond.transaction import Transaction

    company = int(Transaction().context["company"])
    CostPrice = pool.get("product.cost_price")
    variants = _variants(pool)
    first = variants[0].id
    CostPrice.create([{"product": first, "company": company, "cost_price": Decimal("9.99")}])
    ids = [v.id for v in reversed(variants)]
    # A template with an inactive variant: counted only when the context counts them.
    Product = pool.get("product.product")
    siblings = [v for v in variants if len(v.template.products) > 1]
    assert siblings
    table = Product.__table__()  # as stored (the ORM checks its web shops' domain)
    Transaction().connection.cursor().execute(
        *table.update([table.active], [False], where=table.id == siblings[0].id)
    )
    counts = set()
    for chosen, active_test in ((company, False), (None, False), (company, True)):
        with Transaction().set_context(active_test=active_test):
            chunked = bulk.read_rows(pool, ids, memo=bulk.Memo(), company=chosen)
            memo = bulk.Memo(tables=bulk_fields.Tables(whole=True))
            whole = [
                row
                for start in range(0, len(ids), 7)
                for row in bulk.read_rows(pool, ids[start : start + 7], memo=memo, company=chosen)
            ]
        assert whole == chunked
        assert [row.id for row in whole] == ids
        if chosen is not None:
            by_id = {row.id: row for row in whole}
            counts.add(by_id[siblings[0].id].template["variant_count"])
    assert len(counts) == 2  # the inactive variant counted, then not
    costs = {row.id: row.cost_price for row in bulk.read_rows(pool, ids, company=company)}
    assert costs[first] is not None and costs[first] != Decimal("9.99")


def test_a_read_of_most_variants_selects_what_they_carry_once(
    pool: Any, monkeypatch: pytest.MonkeyPatch, selects: list[tuple[str, bool]]
) -> None:
    """Read in many batches, the images, attachments, suppliers and kit components of every
    variant are selected in one query each (and the web shop's list whole), and the items
    are those of a read that selects them batch by batch (each batch's rows in the order of
    its own query)."""
    carried = ["product.image", "ir.attachment", "purchase.product_supplier", "product.component"]

    def names() -> list[str]:
        return [f"{model} (whole)" if whole else model for model, whole in selects]

    variants = _variants(pool)
    batches = -(-len(variants) // 10)
    assert batches > 3
    items = _read_items(pool, variants)
    queries = names()
    assert queries.count("web.shop-product.product (whole)") == 1
    assert any(i.published for i in items) and not all(i.published for i in items)
    # (the components of a batch are selected by a condition, not by ids: "whole" too)
    whole = [f"{name} (whole)" for name in carried]
    assert {name: queries.count(name) for name in whole} == dict.fromkeys(whole, 1)
    assert any(i.images for i in items) and any(i.documents for i in items)
    assert any(i.supplier for i in items) and any(i.kit for i in items)
    selects.clear()
    monkeypatch.setattr(bulk, "covers_most", lambda pool, ids: False)
    assert _read_items(pool, variants) == items
    queries = names()
    per_batch = [*carried[:3], whole[3]]
    assert {name: queries.count(name) for name in per_batch} == dict.fromkeys(per_batch, batches)
    assert queries.count("web.shop-product.product") == 1


def test_the_group_prices_of_a_read_are_freed_without_the_collector(pool: Any) -> None:
    """Nothing of a read's group prices is in a reference cycle: they go with the read,
    not at the garbage collector's next pass (which walks everything still there)."""
    import gc
    import weakref

    lists = catalogue._price_lists(pool)
    assert lists
    rows = bulk.read_rows(pool, [v.id for v in _variants(pool)])
    enabled = gc.isenabled()
    gc.disable()
    try:
        prices = bulk.GroupPrices(pool, lists)
        assert any(prices.of(rows).values())
        gone = weakref.ref(prices)
        del prices
        assert gone() is None
    finally:
        if enabled:
            gc.enable()
