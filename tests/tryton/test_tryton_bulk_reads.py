"""Bulk reads from Tryton (issue 18) give what the per-record computation gives.

The reference each test compares with is Tryton's own per-record answer: the
variant walked field by field (``translate.to_item``), ``price_list.compute``
once per item and list, and a product's ``quantity`` / ``forecast_quantity``
in a warehouse's context. Chunk sizes are made small so that the demo's few
dozen variants cross several chunks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from passerelle.connectors.tryton import bulk, catalogue, stock, translate
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.model import StockKind


class _Undo(Exception):
    """Raised at the end of a test that wrote, so its transaction rolls back."""


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "CHUNK", 7)
    monkeypatch.setattr(catalogue, "BATCH_SIZE", 10)


@pytest.fixture
def pool(tryton_demo: TrytonTarget) -> Iterator[Any]:
    """trytond's pool in a read transaction that sees inactive records (as list_items)."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with session(tryton_demo, readonly=True), Transaction().set_context(active_test=False):
        yield Pool()


def _products(pool: Any) -> list[Any]:
    return list(pool.get("product.product").search([], order=[("code", "ASC"), ("id", "ASC")]))


def _taxes(pool: Any) -> dict[int, Any]:
    return {t.id: translate.to_tax(t) for t in pool.get("account.tax").search([])}


def _company() -> int:
    from trytond.transaction import Transaction

    return int(Transaction().context["company"])


def _compute_each(pool: Any, product: Any) -> tuple[tuple[str, Decimal], ...]:
    """The group prices as Tryton gives them one item and one list at a time."""
    if not product.sale_uom:
        return ()
    prices = []
    for price_list in pool.get("product.price_list").search(
        [], order=[("name", "ASC"), ("id", "ASC")]
    ):
        price = price_list.compute(product, 1, product.sale_uom)
        if price is None:
            continue
        if price_list.tax_included and product.customer_taxes_used:
            price = pool.get("account.tax").reverse_compute(
                price, list(product.customer_taxes_used), dt.date.today()
            )
        prices.append((price_list.name, Decimal(price)))
    return tuple(prices)


def _dimensions(template: Any) -> tuple[Decimal | None, ...]:
    values: list[Decimal | None] = []
    for name in ("length", "width", "height"):
        value, uom = getattr(template, name), getattr(template, f"{name}_uom")
        values.append(None if value is None else translate.decimal(value * uom.factor * 100))
    return tuple(values)


# What ``translate.to_item`` reads from the variant and its template.
_TO_ITEM_FIELDS = (
    "source_id",
    "code",
    "name",
    "sale_price",
    "description",
    "template_id",
    "taxes",
    "category_ids",
    "weight",
    "weight_unit",
    "barcode",
    "active",
    "salable",
    "stocked",
    "modified_at",
)


def test_items_read_in_bulk_are_the_items_read_record_by_record(pool: Any) -> None:
    products = _products(pool)
    taxes = _taxes(pool)
    items = {i.source_id: i for i in catalogue.read_items(pool, products, taxes, _company())}
    assert len(items) == len(products) > 3 * 10  # several batches of 10
    for product in products:
        item = items[str(product.id)]
        expected = translate.to_item(product, taxes)
        for name in _TO_ITEM_FIELDS:
            assert getattr(item, name) == getattr(expected, name), (product.code, name)
        assert item.group_prices == _compute_each(pool, product), product.code
        assert (item.length, item.width, item.height) == _dimensions(product.template)
        assert item.attributes == dict(product.attributes or {})
        assert item.variant_count == len(product.template.products), product.code
    assert any(i.group_prices for i in items.values())
    assert any(i.weight is not None for i in items.values())
    assert any(i.length is not None for i in items.values())
    assert any(i.barcode for i in items.values())
    assert any(i.variant_count > 1 for i in items.values())


def _line(
    category: Any = None, product: Any = None, quantity: float | None = None, **kw: Any
) -> Any:
    return {
        "category": category.id if category is not None else None,
        "product": product.id if product is not None else None,
        "quantity": quantity,
        **kw,
    }


def test_group_prices_per_list_and_rule_equal_the_per_item_compute(
    tryton_demo: TrytonTarget,
) -> None:
    """Quantity breaks do not apply to the price of one unit; product and category
    rules do (a category's rule reaches its subcategories); a list on the cost price
    and a list with tax included give what ``compute`` gives."""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    with (
        pytest.raises(_Undo),
        session(tryton_demo),
        Transaction().set_context(active_test=False),
    ):
        pool = Pool()
        PriceList = pool.get("product.price_list")
        Category = pool.get("product.category")
        products = [p for p in _products(pool) if p.sale_uom and p.template.categories]
        chosen = products[0]
        child = next(c for c in Category.search([("parent", "!=", None)]) if c.parent)
        company = _company()
        PriceList.create(
            [
                {
                    "name": "Bulk rules",
                    "company": company,
                    "price": "list_price",
                    "lines": [
                        (
                            "create",
                            [
                                _line(quantity=10.0, formula="unit_price * Decimal('0.5')"),
                                _line(product=chosen, formula="unit_price - Decimal('1')"),
                                _line(category=child.parent, formula="unit_price * Decimal('0.9')"),
                                _line(quantity=1.0, formula="unit_price + weight"),
                            ],
                        )
                    ],
                },
                {
                    "name": "Bulk cost",
                    "company": company,
                    "price": "cost_price",
                    "lines": [("create", [_line(formula="cost_price * Decimal('2')")])],
                },
                {
                    "name": "Bulk with tax",
                    "company": company,
                    "price": "list_price",
                    "tax_included": True,
                    "lines": [("create", [_line(formula="unit_price")])],
                },
            ]
        )
        products = _products(pool)
        items = catalogue.read_items(pool, products, _taxes(pool), company)
        by_id = {i.source_id: i for i in items}
        for product in products:
            assert by_id[str(product.id)].group_prices == _compute_each(pool, product), product.code
        chosen_prices = dict(by_id[str(chosen.id)].group_prices)
        assert chosen_prices["Bulk rules"] == chosen.list_price_used - 1
        in_child = next(p for p in products if p.id != chosen.id and child in p.template.categories)
        assert dict(by_id[str(in_child.id)].group_prices)["Bulk rules"] == (
            in_child.list_price_used * Decimal("0.9")
        ).quantize(Decimal("0.0001"))
        halves = [
            p
            for p in products
            if dict(by_id[str(p.id)].group_prices).get("Bulk rules")
            == (p.list_price_used or 0) * Decimal("0.5")
            and p.list_price_used
        ]
        assert halves == []  # the quantity break never priced one unit
        raise _Undo


def _tryton_quantity(product: Any, warehouse: Any, name: str) -> Decimal:
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    context: dict[str, Any] = {"locations": [warehouse.id], "with_childs": True}
    if name == "forecast_quantity":
        context["forecast"] = True
    with Transaction().set_context(context):
        return translate.quantity(getattr(Pool().get("product.product")(product.id), name))


@pytest.mark.parametrize("filtered", [True, False])
@pytest.mark.parametrize(
    ("kind", "field_name"),
    [(StockKind.ON_HAND, "quantity"), (StockKind.FORECAST, "forecast_quantity")],
)
def test_stock_read_in_chunks_is_trytons_quantity_per_product(
    pool: Any, kind: StockKind, field_name: str, filtered: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On hand: Tryton's ``quantity`` of each goods item in each warehouse; forecast:
    its ``forecast_quantity`` less the late customer deliveries (see :mod:`.stock`);
    the same whether the stock query names the products (in chunks) or reads all."""
    if not filtered:
        monkeypatch.setattr(stock, "FILTERED", 0)
    warehouses = pool.get("stock.location").search([("type", "=", "warehouse")])
    products = [p for p in _products(pool) if p.type in ("goods", "kit")]
    assert len(warehouses) == 2 and len(products) > 3 * 7
    levels = stock.quantities(pool, warehouses, [p.id for p in products], kind)
    late = (
        stock._late_customer_moves(pool, warehouses, [p.id for p in products], dt.date.today())
        if kind is StockKind.FORECAST
        else {}
    )
    checked = 0
    for product in products:
        if product.type != "goods":
            continue
        for warehouse in warehouses:
            expected = _tryton_quantity(product, warehouse, field_name)
            expected -= late.get((warehouse.id, product.id), Decimal(0))
            assert levels[(warehouse.id, product.id)] == expected, (product.code, warehouse.code)
            checked += 1
    assert checked > 2 * 3 * 7
    assert any(levels.values())
    kits = [p for p in products if p.type == "kit"]
    assert kits and all((w.id, k.id) in levels for k in kits for w in warehouses)


def test_stock_products_are_each_variants_code_type_and_unit(pool: Any) -> None:
    products = _products(pool)
    assert stock.stock_products(pool, [p.id for p in products]) == {
        p.id: (p.code, p.type, p.default_uom.id) for p in products
    }


def test_ids_of_a_search_result_and_of_a_list_of_records(pool: Any) -> None:
    found = pool.get("product.product").search([], order=[("id", "ASC")])
    assert bulk.ids_of(found) == [p.id for p in list(found)] != []
    assert bulk.ids_of(list(found)[:3]) == [p.id for p in list(found)[:3]]


def test_items_are_the_same_read_in_one_batch_or_in_many(
    pool: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read in many batches, the translations are selected once for the whole read
    and the group prices' memos carry over from batch to batch: every field of every
    item is still what one batch alone gives."""
    products = _products(pool)
    taxes = _taxes(pool)
    many = catalogue.read_items(pool, products, taxes, _company())
    monkeypatch.setattr(catalogue, "BATCH_SIZE", 10_000)
    one = catalogue.read_items(pool, products, taxes, _company())
    assert many == one
    assert any(i.translations for i in one) and any(i.group_prices for i in one)
