"""C2–C22 from a real Tryton database into the WooCommerce sandbox, field by field.

Each test runs the export, checks the shop's records against the demo data
(what the merchant keyed into Tryton), then changes one back-office value
and checks that exactly the affected records are sent again.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

from passerelle.connectors.tryton.database import session
from passerelle.demo_data import (
    CATALOGUE_ITEMS,
    CATEGORIES,
    ITEM_ATTRIBUTES,
    ITEM_COST_PRICES,
    ITEM_DIMENSIONS,
    ITEM_SUPPLIERS,
    KIT_ITEM,
    PENDING_CUSTOMER_ORDER,
    PLANNED_SUPPLIER_DELIVERY,
    PRICE_LISTS,
    UNPUBLISHED_ITEMS,
)
from passerelle.model import ItemWrite
from tests.held_back import held_by_open_orders
from tests.integration.catalogue_helpers import (
    meta,
    product_by_sku,
    run_counting,
    set_attribute,
    set_product,
    with_options,
)
from tests.integration.conftest import World
from tests.integration.test_flow_rules import set_template

BY_CODE = {i.code: i for i in CATALOGUE_ITEMS}
CENT = Decimal("0.01")


def cents(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def on_hand(code: str) -> int:
    return max(int(sum(BY_CODE[code].stock)), 0)


def test_texts_prices_and_details_field_by_field(world: World) -> None:
    """C3 texts and SEO, C10 prices, C11 details, C12 features."""
    profile = with_options(
        world,
        texts={
            "seo_title": "attr:seo_title",
            "seo_description": "attr:seo_description",
            "seo_keywords": "attr:keywords",
        },
        prices={
            "promotion_price_list": "Soldes",
            "group_prices": True,
            "purchase_price": True,
            "ecotax_field": "attr:ecotax",
        },
        details={
            "weight_field": "attr:gross_weight",
            "brand_field": "attr:brand",
            "min_quantity_field": "attr:min_qty",
            "warranty_field": "attr:warranty",
            "supplier": True,
            "features": {"Matière": "attr:material"},
        },
    )
    first = run_counting(world, "export-products", profile)
    assert first.summary.counts["failed"] == 0

    pot = product_by_sku(world, "POT-003")
    source, values = BY_CODE["POT-003"], ITEM_ATTRIBUTES["POT-003"]
    assert (pot["name"], pot["description"]) == (source.name, source.description)
    assert meta(pot, "_yoast_wpseo_title") == values["seo_title"]
    assert meta(pot, "_yoast_wpseo_metadesc") == values["seo_description"]
    assert meta(pot, "_yoast_wpseo_focuskw") == values["keywords"]
    assert pot["regular_price"] == cents(source.price) and pot["sale_price"] == ""
    groups = {g["group"]: g["price"] for g in meta(pot, "passerelle_group_prices")}
    assert groups == {
        pl.name: cents(source.price * (1 - pl.discount)) for pl in PRICE_LISTS if not pl.promotion
    }
    assert meta(pot, "passerelle_cost_price") == cents(ITEM_COST_PRICES["POT-003"])
    assert meta(pot, "passerelle_ecotax") == cents(values["ecotax"])
    assert Decimal(pot["weight"]) == values["gross_weight"]
    length, width, height = ITEM_DIMENSIONS["POT-003"]
    assert {k: Decimal(v) for k, v in pot["dimensions"].items()} == {
        "length": length,
        "width": width,
        "height": height,
    }
    assert pot["global_unique_id"] == source.barcode
    assert meta(pot, "passerelle_warranty") == values["warranty"]
    supplier, reference = ITEM_SUPPLIERS["POT-003"]
    assert (meta(pot, "passerelle_supplier"), meta(pot, "passerelle_supplier_reference")) == (
        supplier,
        reference,
    )
    visible = {a["name"]: a["options"] for a in pot["attributes"] if not a["variation"]}
    assert visible == {"Matière": [values["material"]], "Brand": [values["brand"]]}

    glass = product_by_sku(world, "GLS-001")
    assert Decimal(meta(glass, "minimum_allowed_quantity")) == ITEM_ATTRIBUTES["GLS-001"]["min_qty"]
    towel = BY_CODE["TWL-001"]  # TEXTILE: the promotion list applies
    promotion = next(pl for pl in PRICE_LISTS if pl.promotion)
    assert product_by_sku(world, "TWL-001")["sale_price"] == cents(
        towel.price * (1 - promotion.discount)
    )

    # One SEO title changes in Tryton: one request, one product.
    set_attribute(world, "POT-003", "seo_title", "Faitout en fonte | nouveau")
    second = run_counting(world, "export-products", profile)
    assert second.writes == [("POST", "/wp-json/wc/v3/products/batch")]
    assert second.summary.counts["updated"] == 1
    assert meta(product_by_sku(world, "POT-003"), "_yoast_wpseo_title") == (
        "Faitout en fonte | nouveau"
    )
    assert run_counting(world, "export-products", profile).requests == []


def test_categories_from_fields_with_extra_and_default_categories(world: World) -> None:
    """C2 categories from two custom fields, an extra category (C17), a default one (C16)."""
    profile = with_options(
        world,
        categories={
            "source": "fields",
            "fields": ["attr:family", "attr:subfamily"],
            "extra_field": "attr:extra_category",
            "default": "Jardin",
        },
    )
    run_counting(world, "export-products", profile)
    shop = world.sandbox.data.categories
    by_id = {c["id"]: c for c in shop.values()}
    paths = {
        (by_id[c["parent"]]["name"] if c["parent"] else None, c["name"])
        for c in shop.values()
        if c["slug"] != "uncategorized"
    }
    # Sent items only: BLK-001 is blocked, never sent.
    sent = [v for code, v in ITEM_ATTRIBUTES.items() if "family" in v and BY_CODE[code].salable]
    wanted = {(None, v["family"]) for v in sent} | {(v["family"], v["subfamily"]) for v in sent}
    assert paths == wanted
    cup = product_by_sku(world, "CUP-001")
    names = [c["name"] for c in cup["categories"]]
    assert names == [
        ITEM_ATTRIBUTES["CUP-001"]["subfamily"],
        ITEM_ATTRIBUTES["CUP-001"]["extra_category"],
    ]
    bare = next(
        code for code, v in ITEM_ATTRIBUTES.items() if "family" not in v and BY_CODE[code].salable
    )
    assert [c["name"] for c in product_by_sku(world, bare)["categories"]] == ["Jardin"]

    # A new sub-family on one item: one category created, one product moved.
    set_attribute(world, "CUP-001", "subfamily", "Tasses")
    sent = run_counting(world, "export-products", profile)
    assert sent.writes == [
        ("POST", "/wp-json/wc/v3/products/categories/batch"),
        ("POST", "/wp-json/wc/v3/products/batch"),
    ]
    assert [c["name"] for c in product_by_sku(world, "CUP-001")["categories"]][0] == "Tasses"


def test_a_renamed_category_is_renamed_in_the_shop_unless_the_shop_name_is_kept(
    world: World,
) -> None:
    run_counting(world, "export-products")
    garden = next(c for c in CATEGORIES if c.code == "GARDEN")
    with session(world.target):
        Category = Pool().get("product.category")
        (record,) = Category.search([("name", "=", garden.name)])
        Category.write([record], {"name": "Jardin et terrasse"})
    keep = with_options(world, categories={"rename": False})
    assert run_counting(world, "export-products", keep).writes == []
    sent = run_counting(world, "export-products")
    assert sent.writes == [("POST", "/wp-json/wc/v3/products/categories/batch")]
    assert any(c["name"] == "Jardin et terrasse" for c in world.sandbox.data.categories.values())


def test_stock_kinds_default_quantity_and_out_of_stock_visibility(world: World) -> None:
    """C9 quantity kinds and non-stocked items, C19 hidden at 0 and back."""
    run_counting(world, "export-products", with_options(world, details={"packs": False}))
    available = with_options(
        world, stock={"kind": "available", "default_quantity": 5}, details={"packs": False}
    )
    sent = run_counting(world, "update-stock", available)
    held = held_by_open_orders(world.sandbox.data.orders.values())  # sold, not imported
    for code, reserved in PENDING_CUSTOMER_ORDER:
        assert product_by_sku(world, code)["stock_quantity"] == max(
            on_hand(code) - int(reserved) - held[code], 0
        )
    assert product_by_sku(world, KIT_ITEM.code)["stock_quantity"] == 5  # not stocked
    assert sent.summary.counts["updated"] == len(PENDING_CUSTOMER_ORDER) + 1
    forecast = with_options(world, stock={"kind": "forecast"})
    run_counting(world, "update-stock", forecast)
    code, incoming = PLANNED_SUPPLIER_DELIVERY
    forecast_quantity = max(int(sum(BY_CODE[code].stock) + incoming) - held[code], 0)
    assert product_by_sku(world, code)["stock_quantity"] == forecast_quantity

    hide = with_options(world, stock={"out_of_stock": "hide"})
    empty = next(
        i.code
        for i in CATALOGUE_ITEMS
        if sum(i.stock) == 0
        and not i.components
        and i.salable
        and not held[i.code]
        and i.code in [p["sku"] for p in world.sandbox.data.products.values()]
    )
    run_counting(world, "update-stock", hide)
    assert product_by_sku(world, empty)["catalog_visibility"] == "hidden"
    with session(world.target):
        pool = Pool()
        Move, Location = pool.get("stock.move"), pool.get("stock.location")
        (product,) = pool.get("product.product").search([("code", "=", empty)])
        (supplier,) = Location.search([("type", "=", "supplier")])
        (warehouse,) = Location.search([("code", "=", "WH")])
        (company,) = pool.get("company.company").search([])
        (move,) = Move.create(
            [
                {
                    "product": product.id,
                    "unit": product.default_uom.id,
                    "quantity": 4,
                    "from_location": supplier.id,
                    "to_location": warehouse.storage_location.id,
                    "unit_price": Decimal(1),
                    "currency": company.currency.id,
                    "company": company.id,
                }
            ]
        )
        with Transaction().set_context(_skip_warnings=True):
            Move.do([move])
    sent = run_counting(world, "update-stock", hide)
    assert sent.writes == [("POST", "/wp-json/wc/v3/products/batch")]
    back = product_by_sku(world, empty)
    assert (back["stock_quantity"], back["catalog_visibility"]) == (4, "visible")


def web_shop_products(world: World, action: str, code: str) -> None:
    """Publish ("add") or unpublish ("remove") an item on web in Tryton (web shop products)."""
    with session(world.target):
        pool = Pool()
        (shop,) = pool.get("web.shop").search([("name", "=", "passerelle")])
        (product,) = pool.get("product.product").search([("code", "=", code)])
        pool.get("web.shop").write([shop], {"products": [(action, [product.id])]})


def test_state_published_flag_and_new_products_inactive(world: World) -> None:
    """C5 published flag, C14 switched off and on from the back-office state, C16 drafts."""
    profile = with_options(world, only_published=True, new_products_active=False)
    run_counting(world, "export-products", profile)
    skus = {p["sku"] for p in world.sandbox.data.products.values()}
    assert not set(UNPUBLISHED_ITEMS) & skus
    assert "BLK-001" not in skus  # blocked, never sent
    pot = product_by_sku(world, "POT-001")
    assert pot["status"] == "draft"  # C16: created inactive, for review
    pot_id = pot["id"]

    # The merchant publishes it in the shop, then unpublishes it in Tryton: switched off.
    world.sandbox.data.products[pot_id]["status"] = "publish"
    web_shop_products(world, "remove", "POT-001")
    sent = run_counting(world, "export-products", profile)
    assert sent.writes == [("POST", "/wp-json/wc/v3/products/batch")]
    assert world.sandbox.data.products[pot_id]["status"] == "draft"
    # Dormant (inactive) now: nothing more to switch off.
    set_product(world, "POT-001", active=False)
    assert run_counting(world, "export-products", profile).writes == []
    # Back in the catalogue and on web: switched on again.
    set_product(world, "POT-001", active=True)
    web_shop_products(world, "add", "POT-001")
    run_counting(world, "export-products", profile)
    assert world.sandbox.data.products[pot_id]["status"] == "publish"
    assert run_counting(world, "export-products", profile).writes == []


def test_invalid_references_are_reported_and_the_rest_is_sent(world: World) -> None:
    """C22: a space, a forbidden character, a duplicate: reported and parked, not sent."""
    set_template(world, "GLS-001", code="GLS 001")
    set_template(world, "GLS-002", code="VERRE-€")
    set_template(world, "CUP-002", code="cup-001")  # CUP-001 ignoring case
    sent = run_counting(world, "export-products", outcome="with_problems")
    skus = {p["sku"] for p in world.sandbox.data.products.values()}
    assert not {"GLS 001", "VERRE-€", "cup-001", "CUP-001"} & skus
    assert "POT-001" in skus and sent.summary.status == "with_problems"
    parked = {p.reason for p in world.store.parked(world.profile.name, "export-products")}
    assert any("'GLS 001' contains a space" in m for m in parked), parked
    assert any("'VERRE-€' contains '€'" in m for m in parked), parked
    assert sum("used by 2 records" in m for m in parked) == 2, parked

    # The merchant corrects one reference: that item alone is sent, once.
    set_template(world, "GLS 001", code="GLS-001")
    fixed = run_counting(world, "export-products", outcome="with_problems")  # two still wrong
    assert fixed.writes == [("POST", "/wp-json/wc/v3/products/batch")]
    assert fixed.summary.counts["created"] == 1
    assert product_by_sku(world, "GLS-001")["name"] == BY_CODE["GLS-001"].name


def test_packs_and_related_products_point_at_their_shop_products(world: World) -> None:
    """C13 a kit as a grouped product, C17 upsells from a custom field."""
    profile = with_options(world, details={"related_field": "attr:related"})
    run_counting(world, "export-products", profile)
    ids = {p["sku"]: p["id"] for p in world.sandbox.data.products.values()}
    kit = product_by_sku(world, KIT_ITEM.code)
    assert kit["type"] == "grouped"
    assert sorted(kit["grouped_products"]) == sorted(ids[c] for c, _q in KIT_ITEM.components)
    related = ITEM_ATTRIBUTES["POT-001"]["related"].split(",")
    assert product_by_sku(world, "POT-001")["upsell_ids"] == [ids[c] for c in related]
    assert run_counting(world, "export-products", profile).writes == []


def test_a_pack_whose_component_is_not_for_the_shop_is_parked_naming_it(world: World) -> None:
    """C13: every component must be in the shop."""
    web_shop_products(world, "remove", "CUP-001")
    run_counting(
        world, "export-products", with_options(world, only_published=True), outcome="with_problems"
    )
    skus = {p["sku"] for p in world.sandbox.data.products.values()}
    assert KIT_ITEM.code not in skus and "TEA-001" in skus
    (parked,) = [
        p.reason
        for p in world.store.parked(world.profile.name, "export-products")
        if "pack" in p.reason
    ]
    assert f"pack {KIT_ITEM.code}: component(s) CUP-001 not in the shop" in parked


def test_a_related_product_removed_in_tryton_is_removed_in_the_shop_alone(world: World) -> None:
    profile = with_options(world, details={"related_field": "attr:related"})
    run_counting(world, "export-products", profile)
    ids = {p["sku"]: p["id"] for p in world.sandbox.data.products.values()}
    set_attribute(world, "POT-001", "related", "POT-003")
    sent = run_counting(world, "export-products", profile)
    assert sent.writes == [("POST", "/wp-json/wc/v3/products/batch")]
    assert product_by_sku(world, "POT-001")["upsell_ids"] == [ids["POT-003"]]


def test_only_new_products_and_one_tax_class_for_all(world: World) -> None:
    """C1 only new items; C4 "apply to all"."""
    profile = with_options(world, only_new=True, all_tax_class="reduced-rate")
    run_counting(world, "export-products", profile)
    assert {p["tax_class"] for p in world.sandbox.data.products.values()} == {"reduced-rate"}
    set_product(world, "POT-001", list_price=Decimal("99.00"))
    world.backoffice.upsert_item(
        ItemWrite(code="NEW-001", name="Nouveauté", sale_price=Decimal("5.00"), tax="TVA 20 %")
    )
    sent = run_counting(world, "export-products", profile)
    assert sent.summary.counts["created"] == 1 and sent.summary.counts["updated"] == 0
    assert product_by_sku(world, "NEW-001")["regular_price"] == "5.00"
    assert product_by_sku(world, "POT-001")["regular_price"] == cents(BY_CODE["POT-001"].price)


def test_the_price_flow_sends_promotions_and_group_prices_that_changed(world: World) -> None:
    """C10 through update-prices: only prices that changed, with the export's rules."""
    run_counting(world, "export-products")
    profile = with_options(world, prices={"promotion_price_list": "Soldes", "group_prices": True})
    run_counting(world, "update-prices", profile)
    towel = product_by_sku(world, "TWL-001")
    promotion = next(pl for pl in PRICE_LISTS if pl.promotion)
    assert towel["sale_price"] == cents(BY_CODE["TWL-001"].price * (1 - promotion.discount))
    assert {g["group"] for g in meta(towel, "passerelle_group_prices")} == {
        pl.name for pl in PRICE_LISTS if not pl.promotion
    }
    set_product(world, "TWL-001", list_price=Decimal("7.00"))
    sent = run_counting(world, "update-prices", profile)
    assert sent.writes == [("POST", "/wp-json/wc/v3/products/batch")]
    assert sent.summary.counts["updated"] == 1
    towel = product_by_sku(world, "TWL-001")
    assert (towel["regular_price"], towel["sale_price"]) == (
        "7.00",
        cents(Decimal("7.00") * (1 - promotion.discount)),
    )
