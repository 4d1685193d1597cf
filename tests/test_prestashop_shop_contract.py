"""The PrestaShop connector's issue-12 members against its sandbox: open orders, shop
references, records deleted in the shop, fields PrestaShop cannot hold."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import CategoryWrite, CustomerWrite, GroupWrite, ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.connectors.prestashop.translate_orders import translate
from passerelle.connectors.reading import read_record
from passerelle.model import (
    Address,
    Customer,
    CustomerGroup,
    Order,
    ProductAttribute,
    ProductDraft,
    ProductTexts,
    ShopCategory,
)
from passerelle.sandbox.prestashop import DEMO_KEY
from passerelle.sandbox.prestashop.platform import PrestaShopPlatform, start


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[PrestaShopPlatform, PrestaShopShop]]:
    platform = start(tmp_path)
    shop = PrestaShopShop(
        platform.url,
        DEMO_KEY,
        options=HttpOptions(verify=platform.sandbox.ca_bundle),
        tax_rules_groups={"standard": 1},
    )
    try:
        yield platform, shop
    finally:
        shop.close()
        platform.stop()


def _create(shop: PrestaShopShop, *drafts: ProductDraft) -> dict[str, str]:
    outcomes = shop.write_products([ProductWrite(d.sku, d) for d in drafts])
    assert all(o.ok for o in outcomes), outcomes
    return {o.key: str(o.shop_id) for o in outcomes}


def _draft(sku: str, stock: int = 10, **extra: object) -> ProductDraft:
    return ProductDraft(
        sku=sku,
        name=f"Pot {sku}",
        regular_price=Decimal("12.50"),
        tax_class="standard",
        stock_quantity=stock,
        **extra,
    )  # type: ignore


def test_open_orders_are_those_placed_and_not_shipped_cancelled_or_refunded(world) -> None:
    platform, shop = world
    _create(shop, _draft("OPEN-1"))
    paid = platform.place_order({"OPEN-1": 1})
    waiting = platform.place_order({"OPEN-1": 1}, state="pending")
    held = platform.place_order({"OPEN-1": 1}, state="on_hold")
    for state, order in (
        ("shipped", platform.place_order({"OPEN-1": 1})),
        ("cancelled", platform.place_order({"OPEN-1": 1})),
        ("refunded", platform.place_order({"OPEN-1": 1})),
    ):
        platform.set_order_state(order, state)
    open_orders = [o for o in shop.iter_open_orders() if isinstance(o, Order)]
    mine = {o.source_id for o in open_orders if any(li.reference == "OPEN-1" for li in o.lines)}
    assert mine == {paid, waiting, held}
    assert shop.holds_reservations is False


def test_missing_references_names_each_absent_one(world) -> None:
    _, shop = world
    assert shop.missing_references(
        "tax_class", ["standard", "1", "FR Taux réduit (5.5%)", "luxe"]
    ) == {"luxe"}
    assert shop.missing_references(
        "order_status", ["paid", "Payment accepted", "shipped", "en attente"]
    ) == {"en attente"}
    assert shop.missing_references("shipping_method", ["Colissimo", "Drone"]) == {"Drone"}
    assert shop.missing_references("payment_method", ["ps_wirepayment", "PayPal", "bitcoin"]) == {
        "bitcoin"
    }
    with pytest.raises(ValueError):
        shop.missing_references("warehouse", ["x"])


def test_a_product_or_combination_deleted_in_the_shop_is_gone_for_every_kind_of_write(
    world,
) -> None:
    platform, shop = world
    ids = _create(shop, _draft("GONE-1"), _draft("GONE-2"))
    platform.delete_product("GONE-1")
    platform.delete_product("GONE-2")
    stock = frozenset({"stock_quantity", "manage_stock"})
    writes = [
        ProductWrite("GONE-1", _draft("GONE-1", 3), ids["GONE-1"], stock),
        ProductWrite("GONE-2", _draft("GONE-2"), ids["GONE-2"], frozenset({"regular_price"})),
        ProductWrite("GONE-2b", _draft("GONE-2"), ids["GONE-2"], None),
    ]
    outcomes = shop.write_products(writes)
    assert [o.gone for o in outcomes] == [True, True, True]
    parent = _create(shop, _draft("PARENT", kind="variable"))["PARENT"]
    variation = ProductDraft(
        sku="PARENT-FIG",
        name="Figue",
        regular_price=Decimal("14.90"),
        kind="variation",
        variation_options=(("Parfum", "Figue"),),
        stock_quantity=2,
    )
    made = shop.write_variations(parent, [ProductWrite("PARENT-FIG", variation)])[0]
    platform.delete_product("PARENT-FIG")
    again = shop.write_variations(
        parent,
        [
            ProductWrite("PARENT-FIG", variation, made.shop_id, stock),
            ProductWrite("PARENT-FIG", variation, made.shop_id, None),
        ],
    )
    assert [o.gone for o in again] == [True, True]


def test_fields_prestashop_cannot_hold_are_reported_only_when_asked(world) -> None:
    platform, shop = world
    draft = _draft(
        "WARRANTY", warranty="2 ans", brand="Maison", cross_sell_ids=("7",), barcode="ISBN-978"
    )
    created = shop.write_products([ProductWrite("W", draft)])[0]
    assert created.ok and set(created.unsupported) == {"cross_sell_ids", "barcode"}
    product = platform.sandbox.engine.data["products"][int(str(created.shop_id))]
    brand = platform.sandbox.engine.data["manufacturers"][int(product["id_manufacturer"])]
    assert brand["name"] == "Maison"  # a brand is a manufacturer: held, not reported
    [warranty] = platform.sandbox.engine.data["product_feature_values"].values()
    assert warranty["value"]["1"] == "2 ans"  # shown as the feature "Garantie"
    price_only = shop.write_products(
        [ProductWrite("W", draft, created.shop_id, frozenset({"regular_price"}))]
    )[0]
    assert price_only.ok and price_only.unsupported == ()
    customer = Customer(
        source_id="K1",
        name="Jeanne Martin",
        email="jeanne@example.org",
        first_name="Jeanne",
        last_name="Martin",
        code="C0042",
        phone="0102030405",
        payment_term="fin de mois",
        credit_limit=Decimal("1500"),
        notes="Livrer le matin",
    )
    made = shop.write_customers([CustomerWrite("K1", customer)])[0]
    assert made.ok and set(made.unsupported) == {"payment_term", "phone"}
    with_address = replace(
        customer,
        payment_term="",
        addresses=(
            Address(street="1 rue Haute", city="Lyon", postal_code="69001", country_code="FR"),
        ),
    )
    names_only = shop.write_customers(
        [CustomerWrite("K1", with_address, made.shop_id, frozenset({"names"}))]
    )[0]
    assert names_only.ok and names_only.unsupported == ()
    everything = shop.write_customers([CustomerWrite("K1", with_address, made.shop_id)])[0]
    assert everything.ok and everything.unsupported == ()
    moved = replace(
        with_address,
        addresses=(replace(with_address.addresses[0], city="Lille", postal_code="59000"),),
    )
    assert shop.write_customers([CustomerWrite("K1", moved, made.shop_id)])[0].ok
    held = [
        a
        for a in platform.sandbox.engine.data["addresses"].values()
        if a["id_customer"] == made.shop_id
    ]
    assert [(a["city"], a["phone"]) for a in held] == [("Lille", "0102030405")]


def test_a_name_prestashop_refuses_is_reported_in_plain_words_before_sending(world) -> None:
    platform, shop = world
    company = Customer(
        source_id="K2", name="Atelier 3B", email="atelier@example.org", company="Atelier 3B"
    )
    platform.sandbox.reset_requests()
    [outcome] = shop.write_customers([CustomerWrite("K2", company)])
    assert not outcome.ok and "the first name 'Atelier 3B' holds 3" in str(outcome.error)
    assert [m for m, _ in platform.sandbox.requests if m == "POST"] == []


def test_group_prices_are_specific_prices_of_each_group_created_changed_and_removed(world) -> None:
    platform, shop = world
    [group] = shop.write_customer_groups([GroupWrite("G", CustomerGroup("G", "Pros"))])
    draft = _draft("GROUP-1", group_prices=(("Pros", Decimal("9.90")),))
    [made] = shop.write_products([ProductWrite("P", draft)])

    def group_rows() -> list[tuple[str, str, str]]:
        return [
            (r["id_group"], r["price"], r["reduction"])
            for r in platform.sandbox.engine.data["specific_prices"].values()
            if r["id_product"] == made.shop_id
        ]

    assert made.ok and made.unsupported == ()
    assert group_rows() == [(group.shop_id, "9.900000", "0.000000")]
    prices = frozenset({"regular_price", "sale_price", "group_prices"})
    changed = replace(draft, group_prices=(("Pros", Decimal("8.50")),))
    assert shop.write_products([ProductWrite("P", changed, made.shop_id, prices)])[0].ok
    assert group_rows() == [(group.shop_id, "8.500000", "0.000000")]
    ended = replace(draft, group_prices=())
    assert shop.write_products([ProductWrite("P", ended, made.shop_id, prices)])[0].ok
    assert group_rows() == []


def test_a_pack_holds_its_products_and_a_deleted_category_is_gone(world) -> None:
    platform, shop = world
    ids = _create(shop, _draft("PACK-A"), _draft("PACK-B"))
    pack = _draft("PACK", kind="grouped", grouped_ids=(ids["PACK-A"], ids["PACK-B"]))
    [made] = shop.write_products([ProductWrite("PACK", pack)])
    assert made.ok and made.unsupported == ()
    bundle = platform.sandbox.engine.data["products"][int(str(made.shop_id))]["associations"][
        "product_bundle"
    ]
    assert [b["id"] for b in bundle] == [ids["PACK-A"], ids["PACK-B"]]
    [category] = shop.write_categories([CategoryWrite("C", ShopCategory("Thé"))])
    platform.sandbox.webservice.answer(
        "DELETE", ["categories", str(category.shop_id)], {}, b"", True, ""
    )
    [again] = shop.write_categories([CategoryWrite("C", ShopCategory("Thé"), category.shop_id)])
    assert again.gone


def test_translations_land_in_the_shops_languages_and_a_missing_one_is_reported(world) -> None:
    platform, shop = world
    english = ProductTexts(language="en", name="Teapot", description="<p>Cast iron</p>")
    german = ProductTexts(language="de", name="Teekanne")
    [made] = shop.write_products([ProductWrite("T", _draft("TEA", translations=(english,)))])
    product = platform.sandbox.engine.data["products"][int(str(made.shop_id))]
    assert made.ok and made.unsupported == ()
    assert product["name"] == {"1": "Pot TEA", "2": "Teapot"}
    assert product["description"]["2"] == "<p>Cast iron</p>"
    again = _draft("TEA", translations=(replace(english, name="Tea pot"), german))
    [updated] = shop.write_products(
        [ProductWrite("T", again, made.shop_id, frozenset({"name", "translations"}))]
    )
    assert updated.unsupported == ("translations",)
    assert platform.sandbox.engine.data["products"][int(str(made.shop_id))]["name"] == {
        "1": "Pot TEA",
        "2": "Tea pot",
    }
    alone = _draft("TEA", translations=(replace(english, name="The teapot"),))
    [only] = shop.write_products(
        [ProductWrite("T", alone, made.shop_id, frozenset({"translations"}))]
    )
    assert only.ok and platform.sandbox.engine.data["products"][int(str(made.shop_id))]["name"] == {
        "1": "Pot TEA",
        "2": "The teapot",
    }


def test_attributes_that_are_not_axes_are_features_shared_between_products(world) -> None:
    platform, shop = world
    iron = ProductAttribute("Matière", ("Fonte",))
    made = _create(
        shop,
        _draft("FEAT-1", attributes=(iron, ProductAttribute("Parfum", ("Figue",), variation=True))),
        _draft("FEAT-2", attributes=(iron,)),
    )
    data = platform.sandbox.engine.data
    features = [
        data["products"][int(pid)]["associations"]["product_features"] for pid in made.values()
    ]
    assert features[0] == features[1] and len(features[0]) == 1
    [feature] = data["product_features"].values()
    [value] = data["product_feature_values"].values()
    assert (feature["name"]["1"], value["value"]["1"]) == ("Matière", "Fonte")


def test_an_email_another_account_has_is_reported_in_plain_words(world) -> None:
    _, shop = world
    first = Customer(
        source_id="A", name="Ann Lee", email="ann@example.org", first_name="Ann", last_name="Lee"
    )
    second = replace(first, source_id="B", email="bob@example.org")
    made = shop.write_customers([CustomerWrite("A", first), CustomerWrite("B", second)])
    [clash] = shop.write_customers(
        [
            CustomerWrite(
                "B", replace(second, email="ANN@example.org"), made[1].shop_id, frozenset({"email"})
            )
        ]
    )
    assert clash.error is not None and "already has the e-mail ANN@example.org" in clash.error


def _raw_order(**changes: object) -> dict[str, object]:
    """A PrestaShop order as the connector hands it to the translator, with one line
    and one cart rule; ``changes`` replace the order's, the line's or the rule's fields."""
    line = {"id": "7", "product_reference": "POT", "product_name": "Pot", "tax_rate": "20"}
    line |= {"product_quantity": "2", "total_price_tax_excl": "10", "total_price_tax_incl": "12"}
    rule = {"name": "PROMO", "value": "1.20", "value_tax_excl": "1"}
    raw: dict[str, object] = {
        "id": "42",
        "reference": "XKBKNABJK",
        "date_add": "2026-03-01 10:00:00",
        "total_paid_tax_incl": "11.80",
        "total_paid_tax_excl": "9.83",
    }
    for key, sent in changes.items():
        where = line if key.startswith("product_") else rule if key.startswith("value") else raw
        where[key] = sent
    return raw | {"_details": [line], "_rules": [rule]}


@pytest.mark.parametrize(
    "key", ["total_paid_tax_incl", "total_discounts_tax_excl", "product_quantity", "value_tax_excl"]
)
def test_a_malformed_order_field_is_that_orders_error_naming_the_field(key: str) -> None:
    assert translate(_raw_order(), "paid", {}, {}, {}).total == Decimal("11.80")
    with pytest.raises(RecordError) as caught:
        read_record("42", lambda: translate(_raw_order(**{key: "n/a"}), "paid", {}, {}, {}))

    assert caught.value.record_id == "42"
    assert repr(key) in str(caught.value), str(caught.value)
