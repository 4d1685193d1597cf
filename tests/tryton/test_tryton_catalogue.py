"""The catalogue and customer export read from Tryton (issue 4): what the demo holds, read back.

Expectations come from :mod:`passerelle.demo_data`, never from the connector.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle import demo_data
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, run_in_transaction
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import unique_database_name
from passerelle.model import CUSTOM_FIELD_PREFIX, STANDARD_ITEM_FIELDS, Item, ItemWrite, StockKind


@pytest.fixture(scope="module")
def items(tryton_backoffice: TrytonBackOffice) -> dict[str, Item]:
    return {item.code: item for item in tryton_backoffice.list_items()}


@pytest.fixture
def own_demo(tryton_demo_template: Path, tmp_path: Path) -> TrytonTarget:
    """A copy of its own for a test that writes (the module's copy stays as built)."""
    return copy_demo_database(
        tryton_demo_template.parent, tmp_path, unique_database_name("catalogue_writes")
    )


def _demo(code: str) -> demo_data.DemoItem:
    return next(i for i in demo_data.CATALOGUE_ITEMS if i.code == code)


def test_every_catalogue_item_is_read(items: dict[str, Item]) -> None:
    assert {i.code for i in demo_data.CATALOGUE_ITEMS} <= set(items)


def test_custom_fields_are_the_attributes_of_each_item(items: dict[str, Item]) -> None:
    for code, values in demo_data.ITEM_ATTRIBUTES.items():
        assert dict(items[code].attributes) == values, code
    assert items["POT-001"].value("attr:brand") == demo_data.ITEM_ATTRIBUTES["POT-001"]["brand"]
    assert isinstance(items["POT-001"].attributes["gross_weight"], Decimal)
    assert items["GLS-001"].attributes["min_qty"] == 6


def test_item_fields_list_standard_and_custom_fields(
    tryton_backoffice: TrytonBackOffice,
) -> None:
    fields = {f.name: f for f in tryton_backoffice.item_fields()}
    assert set(STANDARD_ITEM_FIELDS) <= set(fields)
    assert not any(fields[name].custom for name in STANDARD_ITEM_FIELDS)
    for attribute in demo_data.ATTRIBUTES:
        info = fields[f"{CUSTOM_FIELD_PREFIX}{attribute.name}"]
        assert info.custom and info.label == attribute.string
        assert info.type == attribute.type


def test_variants_masters_and_combinations(items: dict[str, Item]) -> None:
    for item in demo_data.TSHIRT_ITEMS:
        read = items[item.code]
        assert read.attributes["master"] == demo_data.TSHIRT_MASTER
        assert read.variant_count == 1
    assert {items[c].attributes["colour"] for c in demo_data.TSHIRT_COLOURS} == set(
        demo_data.TSHIRT_COLOURS.values()
    )
    combinations = {
        (i.attributes["colour"], i.attributes["size"])
        for i in items.values()
        if i.attributes.get("master") == demo_data.APRON_MASTER
    }
    assert combinations == set(demo_data.APRON_COMBINATIONS.values())
    assert demo_data.APRON_MISSING_COMBINATION not in combinations
    candles = [items[c.code] for c in demo_data.CANDLE_ITEMS]
    assert len({c.template_id for c in candles}) == 1
    assert all(c.variant_count == len(demo_data.CANDLE_ITEMS) for c in candles)
    assert [c.sale_price for c in candles] == [c.price for c in demo_data.CANDLE_ITEMS]
    assert [c.attributes["scent"] for c in candles] == list(demo_data.CANDLE_SCENTS.values())


def test_kit_lists_its_components(items: dict[str, Item]) -> None:
    kit = items[demo_data.KIT_ITEM.code]
    assert [(c.code, c.quantity) for c in kit.kit] == list(demo_data.KIT_ITEM.components)
    assert items["TEA-001"].kit == ()
    expected = sum(
        (
            demo_data.ITEM_COST_PRICES[code] * quantity
            for code, quantity in demo_data.KIT_ITEM.components
        ),
        Decimal(0),
    )
    assert kit.cost_price == expected


def test_images_and_documents_with_digests(
    tryton_backoffice: TrytonBackOffice, items: dict[str, Item]
) -> None:
    for code, colours in demo_data.ITEM_IMAGES.items():
        assert len(items[code].images) == len(colours), code
    assert not items["POT-002"].images
    for image in items["POT-001"].images:
        data = tryton_backoffice.read_item_file(image.ref)
        assert image.kind == "image" and hashlib.sha256(data).hexdigest() == image.digest
    assert len({image.digest for image in items["POT-001"].images}) == 2
    for code, names in demo_data.ITEM_DOCUMENTS.items():
        documents = items[code].documents
        assert [d.name for d in documents] == list(names)
        for document in documents:
            data = tryton_backoffice.read_item_file(document.ref)
            assert document.kind == "document"
            assert data == demo_data.demo_document(document.name)
            assert hashlib.sha256(data).hexdigest() == document.digest
    assert tryton_backoffice.read_item_file(items["POT-003"].documents[0].ref).startswith(b"%PDF")
    with pytest.raises(NotFoundError):
        tryton_backoffice.read_item_file("image:999999")


def test_prices_costs_dimensions_and_suppliers(items: dict[str, Item]) -> None:
    for code, cost in demo_data.ITEM_COST_PRICES.items():
        assert items[code].cost_price == cost, code
    for code, (length, width, height) in demo_data.ITEM_DIMENSIONS.items():
        assert (items[code].length, items[code].width, items[code].height) == (
            length,
            width,
            height,
        )
    assert items["POT-002"].length is None
    for code, (name, reference) in demo_data.ITEM_SUPPLIERS.items():
        assert (items[code].supplier, items[code].supplier_code) == (name, reference)
    assert items["POT-001"].supplier == ""


def test_group_prices_per_price_list(items: dict[str, Item]) -> None:
    textile = {c.code for c in demo_data.CATALOGUE_ITEMS if c.category == "TEXTILE"}
    for code in ("POT-001", "TSH-RED", "CND-FIG"):
        demo = _demo(code)
        expected = {
            p.name: demo.price * (1 - p.discount)
            for p in demo_data.PRICE_LISTS
            if p.category is None or code in textile
        }
        assert dict(items[code].group_prices) == expected, code
    assert demo_data.PROMOTION_PRICE_LIST in dict(items["TSH-RED"].group_prices)
    assert demo_data.PROMOTION_PRICE_LIST not in dict(items["POT-001"].group_prices)


def test_translations(items: dict[str, Item]) -> None:
    for code, (name, description) in demo_data.ITEM_TRANSLATIONS.items():
        (texts,) = items[code].translations
        assert texts.language == demo_data.TRANSLATION_LANGUAGE
        assert (texts.name, texts.description) == (name, description)
        assert items[code].name == _demo(code).name  # the default language is unchanged
    assert items["POT-002"].translations == ()


def test_published_and_blocked(items: dict[str, Item]) -> None:
    for item in demo_data.CATALOGUE_ITEMS:
        expected = item.salable and item.code not in demo_data.UNPUBLISHED_ITEMS
        assert items[item.code].published is expected, item.code
    assert not any(items[s.code].published for s in demo_data.SPECIAL_ITEMS)
    blocked = items[demo_data.BLOCKED_ITEM.code]
    assert blocked.active and not blocked.salable and blocked.stocked


def _levels(bo: TrytonBackOffice, kind: StockKind) -> dict[str, Decimal]:
    main = demo_data.WAREHOUSES[0]
    return {lv.item_code: lv.quantity for lv in bo.stock_levels([main], kind=kind)}


def test_stock_kinds_differ_as_the_demo_says(tryton_backoffice: TrytonBackOffice) -> None:
    on_hand = _levels(tryton_backoffice, StockKind.ON_HAND)
    kinds = {kind: _levels(tryton_backoffice, kind) for kind in StockKind}
    ordered = dict(demo_data.PENDING_CUSTOMER_ORDER)
    delivered, incoming = demo_data.PLANNED_SUPPLIER_DELIVERY
    for item in demo_data.CATALOGUE_ITEMS:
        if item.components:
            continue
        stock = item.stock[0]
        reserved = ordered.get(item.code, Decimal(0))
        expected_incoming = incoming if item.code == delivered else Decimal(0)
        assert on_hand[item.code] == stock, item.code
        assert kinds[StockKind.AVAILABLE][item.code] == stock - reserved
        assert kinds[StockKind.ON_HAND_PLUS_ORDERS][item.code] == stock + reserved
        assert kinds[StockKind.FORECAST][item.code] == stock - reserved + expected_incoming
        assert kinds[StockKind.FORECAST_WITHOUT_SUPPLIERS][item.code] == stock - reserved
    # A kit has what its scarcest component makes.
    for kind, levels in kinds.items():
        expected = min(levels[code] // quantity for code, quantity in demo_data.KIT_ITEM.components)
        assert levels[demo_data.KIT_ITEM.code] == max(expected, 0), kind


def test_customer_groups_and_customers(tryton_backoffice: TrytonBackOffice) -> None:
    groups = tryton_backoffice.list_customer_groups()
    assert sorted(g.name for g in groups) == sorted(p.name for p in demo_data.PRICE_LISTS)
    assert not any(g.prices_include_tax for g in groups)
    customers = {c.code: c for c in tryton_backoffice.list_customers()}
    for code, name in demo_data.CUSTOMER_PRICE_LISTS.items():
        assert customers[code].group == name
    assert customers["C0001"].group == ""
    for code, contacts in demo_data.CUSTOMER_CONTACTS.items():
        assert [(c.name, c.email) for c in customers[code].contacts] == list(contacts)
    for code, term in demo_data.CUSTOMER_PAYMENT_TERMS.items():
        assert customers[code].payment_term == term
    inactive = customers[demo_data.INACTIVE_CUSTOMER.code]
    assert not inactive.active
    assert customers[demo_data.CUSTOMER_WITHOUT_EMAIL].email == ""
    assert all(c.created_at is not None for c in customers.values())
    suppliers = {name for name, _ in demo_data.ITEM_SUPPLIERS.values()}
    assert not suppliers & {c.name for c in customers.values()}


def test_missing_price_lists_and_attributes(tryton_backoffice: TrytonBackOffice) -> None:
    assert tryton_backoffice.missing_references("price_list", ["Revendeurs", "Inconnue"]) == {
        "Inconnue"
    }
    assert tryton_backoffice.missing_references("attribute", ["brand", "colour", "nope"]) == {
        "nope"
    }


def test_upsert_item_creates_then_updates(own_demo: TrytonTarget) -> None:
    tryton_backoffice = TrytonBackOffice.from_target(own_demo)
    vat20 = next(t for t in demo_data.TAXES if t.code == "VAT20")
    vat55 = next(t for t in demo_data.TAXES if t.code == "VAT55")
    garden = next(c for c in demo_data.CATEGORIES if c.code == "GARDEN")
    created = tryton_backoffice.upsert_item(
        ItemWrite(
            code="WEB-NEW-1",
            name="Arrosoir design",
            sale_price=Decimal("31.50"),
            description="<p>Vu en boutique.</p>",
            weight=Decimal("1.25"),
            barcode="4006381333931",
            tax=vat20.name,
            category=garden.name,
        )
    )
    assert (created.code, created.name, created.sale_price) == (
        "WEB-NEW-1",
        "Arrosoir design",
        Decimal("31.50"),
    )
    assert created.weight == Decimal("1.25") and created.barcode == "4006381333931"
    assert [t.name for t in created.taxes] == [vat20.name]
    assert created.description == "<p>Vu en boutique.</p>" and created.stocked
    updated = tryton_backoffice.upsert_item(
        ItemWrite(
            code="WEB-NEW-1",
            name="Arrosoir design 10 L",
            sale_price=Decimal("29.00"),
            description="<p>Nouveau texte.</p>",
            weight=Decimal("1.3"),
            barcode="4006381333948",
            tax=vat55.name,
        )
    )
    assert updated.source_id == created.source_id
    assert (updated.name, updated.sale_price, updated.weight, updated.barcode) == (
        "Arrosoir design 10 L",
        Decimal("29.00"),
        Decimal("1.3"),
        "4006381333948",
    )
    assert [t.name for t in updated.taxes] == [vat55.name]
    assert updated.category_ids == created.category_ids  # no category given: unchanged
    read = {i.code: i for i in tryton_backoffice.list_items()}["WEB-NEW-1"]
    assert read.description == "<p>Nouveau texte.</p>"
    # An existing demo item: texts and price change, the rest stays.
    pot = tryton_backoffice.upsert_item(
        ItemWrite(code="POT-002", name="Casserole inox 20 cm", sale_price=Decimal("33.00"))
    )
    assert pot.sale_price == Decimal("33.00") and pot.taxes[0].name == vat20.name


def test_upsert_item_refuses_unknown_tax_or_category(own_demo: TrytonTarget) -> None:
    tryton_backoffice = TrytonBackOffice.from_target(own_demo)
    with pytest.raises(RecordError, match="tax 'TVA 7 %' does not exist"):
        tryton_backoffice.upsert_item(
            ItemWrite(code="WEB-NEW-2", name="X", sale_price=Decimal(1), tax="TVA 7 %")
        )
    with pytest.raises(RecordError, match="category 'Nulle part' does not exist"):
        tryton_backoffice.upsert_item(
            ItemWrite(code="WEB-NEW-2", name="X", sale_price=Decimal(1), category="Nulle part")
        )
    assert "WEB-NEW-2" not in {i.code for i in tryton_backoffice.list_items()}


def test_modified_since_catches_attribute_image_and_price_list_changes(
    own_demo: TrytonTarget,
) -> None:
    from trytond.pool import Pool

    tryton_backoffice = TrytonBackOffice.from_target(own_demo)
    tryton_demo = own_demo

    def later() -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)

    def write(func) -> None:  # type: ignore[no-untyped-def]
        run_in_transaction(tryton_demo, func)

    since = dt.datetime.now(dt.UTC)
    assert tryton_backoffice.list_items(modified_since=later()) == []

    def change_attribute() -> None:
        Product = Pool().get("product.product")
        (product,) = Product.search([("code", "=", "GLS-002")])
        Product.write([product], {"attributes": {**product.attributes, "brand": "Autre"}})

    write(change_attribute)
    changed = tryton_backoffice.list_items(modified_since=since)
    assert [i.code for i in changed] == ["GLS-002"]
    assert changed[0].attributes["brand"] == "Autre"

    since = dt.datetime.now(dt.UTC)

    def add_image() -> None:
        pool = Pool()
        Product = pool.get("product.product")
        (product,) = Product.search([("code", "=", "JAM-001")])
        pool.get("product.image").create(
            [{"template": product.template.id, "image": demo_data.demo_png((9, 9, 9))}]
        )

    write(add_image)
    changed = tryton_backoffice.list_items(modified_since=since)
    assert [i.code for i in changed] == ["JAM-001"] and len(changed[0].images) == 1

    since = dt.datetime.now(dt.UTC)

    def change_price_list() -> None:
        Line = Pool().get("product.price_list.line")
        (line,) = Line.search([("price_list.name", "=", "Revendeurs")])
        Line.write([line], {"formula": "unit_price * Decimal('0.75')"})

    write(change_price_list)
    assert len(tryton_backoffice.list_items(modified_since=since)) == len(
        tryton_backoffice.list_items()
    )
