"""The Shopify connector's side of issue 12, against its sandbox: open orders, stock
written compare-and-swap, shop references, deleted records and unsupported fields."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.reading import read_record
from passerelle.connectors.shopify.connector import STOCK_FIELDS, ShopifyShop
from passerelle.connectors.shopify.translate_orders import order_from_wire
from passerelle.model import Address, Customer, Order, ProductDraft
from passerelle.sandbox.shopify.platform import ShopifyPlatform, start


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[ShopifyPlatform]:
    shop = start(tmp_path / "shop")
    try:
        yield shop
    finally:
        shop.stop()


@pytest.fixture
def shop(platform: ShopifyPlatform) -> Iterator[ShopifyShop]:
    connector = ShopifyShop(
        platform.url, "shpat_demo", options=HttpOptions(verify=platform.sandbox.ca_bundle)
    )
    try:
        yield connector
    finally:
        connector.close()


def _seeded(platform: ShopifyPlatform, count: int) -> list[tuple[str, str]]:
    seeded = platform.sandbox.seed_products(count, prefix="K-")
    return seeded


def _stock(write_key: str, sku: str, shop_id: str, quantity: int) -> ProductWrite:
    return ProductWrite(
        write_key,
        ProductDraft(sku=sku, name=sku, regular_price=Decimal(1), stock_quantity=quantity),
        shop_id,
        STOCK_FIELDS - {"hidden"},
    )


def test_open_orders_are_the_placed_ones_not_shipped_cancelled_or_refunded(
    platform: ShopifyPlatform, shop: ShopifyShop
) -> None:
    (sku, shop_id), _ = _seeded(platform, 2)
    shop.write_products([_stock("0", sku, shop_id, 20)])
    placed = {
        state: platform.place_order({sku: 1}, state=state)
        for state in ("paid", "pending", "on_hold")
    }
    for state in ("shipped", "cancelled", "refunded"):
        platform.set_order_state(platform.place_order({sku: 1}), state)
    open_orders = [o for o in shop.iter_open_orders() if isinstance(o, Order)]
    mine = {o.source_id: o for o in open_orders if o.source_id in set(placed.values())}
    assert set(mine) == set(placed.values())
    assert all(
        [(line.reference, line.quantity) for line in o.lines] == [(sku, Decimal(1))]
        for o in mine.values()
    )
    others = {o.source_id for o in open_orders} - set(mine)
    assert all(
        platform.sandbox.state["orders"][i]["displayFulfillmentStatus"] != "FULFILLED"
        for i in others
    )
    assert shop.holds_reservations is False


def test_stock_is_written_compare_and_swap_and_units_sold_meanwhile_are_not_offered_again(
    platform: ShopifyPlatform, shop: ShopifyShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A buyer checks out between the connector's read and its write: Shopify refuses the
    stale write, the connector reads again and sends 12 − 2, not 12."""
    (sku, shop_id), _ = _seeded(platform, 2)
    shop.write_products([_stock("0", sku, shop_id, 5)])
    inventory = platform.sandbox.resolvers.inventory
    original = inventory.set_quantities
    calls: list[dict[str, Any]] = []

    def buyer_first(input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
        calls.append(input)
        if len(calls) == 1:
            platform.place_order({sku: 2})
        return original(input)

    monkeypatch.setattr(inventory, "set_quantities", buyer_first)
    [outcome] = shop.write_products([_stock("0", sku, shop_id, 12)])
    assert outcome.ok, outcome.error
    assert len(calls) == 2  # refused once (stale), then written
    assert platform.view.products()[sku].stock == 10


def test_a_deleted_product_is_gone_for_its_stock_and_the_others_are_written(
    platform: ShopifyPlatform, shop: ShopifyShop
) -> None:
    (kept, kept_id), (deleted, deleted_id) = _seeded(platform, 2)
    platform.delete_product(deleted)
    outcomes = shop.write_products(
        [_stock("a", kept, kept_id, 4), _stock("b", deleted, deleted_id, 4)]
    )
    assert outcomes[0].ok and not outcomes[0].gone
    assert outcomes[1].gone and not outcomes[1].ok
    assert platform.view.products()[kept].stock == 4
    hidden = ProductWrite(
        "a",
        ProductDraft(sku=kept, name=kept, regular_price=Decimal(1), stock_quantity=3, hidden=True),
        kept_id,
        STOCK_FIELDS,
    )
    [outcome] = shop.write_products([hidden])
    assert outcome.ok and outcome.unsupported == ("hidden",)


@pytest.mark.parametrize(
    "fields", [frozenset({"name", "description"}), frozenset({"regular_price", "sale_price"})]
)
def test_a_deleted_product_is_gone_for_product_and_price_updates(
    platform: ShopifyPlatform, shop: ShopifyShop, fields: frozenset[str]
) -> None:
    _, (sku, shop_id) = _seeded(platform, 2)
    platform.delete_product(sku)
    [outcome] = shop.write_products(
        [
            ProductWrite(
                "k",
                ProductDraft(sku=sku, name="Renamed", regular_price=Decimal("3.00")),
                shop_id,
                fields,
            )
        ]
    )
    assert outcome.gone and outcome.shop_id == shop_id


def test_shop_references_a_profile_names(shop: ShopifyShop) -> None:
    # a reduced rate is a collection carrying a tax override (the demo shop has two)
    assert shop.missing_references(
        "tax_class", ["standard", "zero-rate", "reduced-rate", "super-reduced"]
    ) == {"super-reduced"}
    with pytest.raises(NotImplementedError):  # the Admin API lists no payment gateways
        shop.missing_references("payment_method", ["stripe"])
    assert shop.missing_references("order_status", ["paid", "pending", "processing"]) == {
        "processing"
    }
    assert shop.missing_references("shipping_method", ["flat_rate", "Colissimo", "DHL"]) == {"DHL"}


def test_customer_fields_shopify_cannot_hold_are_reported_unsupported(
    platform: ShopifyPlatform, shop: ShopifyShop
) -> None:
    customer = Customer(
        source_id="1",
        name="Léa Roux",
        email="lea@example.com",
        first_name="Léa",
        last_name="Roux",
        code="C1",
        phone="0607080910",
        addresses=(Address(street="1 rue", city="Lyon", country_code="FR"),),
        active=False,
    )
    [outcome] = shop.write_customers([CustomerWrite("1", customer)])
    assert outcome.ok and outcome.unsupported == ("active",)
    stored = platform.sandbox.state["customers"][str(outcome.shop_id)]
    assert stored["phone"] == "+33607080910"
    abroad = Customer(
        source_id="2",
        name="Kim",
        email="kim@example.com",
        phone="0301",
        addresses=(Address(street="1 st", city="Seoul", country_code="KR"),),
    )
    [outcome] = shop.write_customers([CustomerWrite("2", abroad)])
    assert outcome.ok and outcome.unsupported == ("phone",)
    # an update that does not ask for the addresses says nothing of the phone
    [outcome] = shop.write_customers(
        [CustomerWrite("2", abroad, outcome.shop_id, frozenset({"names"}))]
    )
    assert outcome.ok and outcome.unsupported == ()


def test_product_fields_shopify_cannot_hold_are_reported_only_when_asked(shop: ShopifyShop) -> None:
    draft = ProductDraft(
        sku="UNS-1",
        name="Bol",
        regular_price=Decimal("12.00"),
        sale_price=Decimal("9.90"),
        short_description="court",
        warranty="2 ans",
        tax_class="super-reduced",
        barcode="123",
    )
    [created] = shop.write_products([ProductWrite("1", draft)])
    assert created.ok
    assert set(created.unsupported) == {"short_description", "warranty", "tax_class"}
    [updated] = shop.write_products(
        [ProductWrite("1", draft, created.shop_id, frozenset({"name", "barcode"}))]
    )
    assert updated.ok and updated.unsupported == ()


def test_every_field_written_is_read_back_where_shopify_shows_it(
    platform: ShopifyPlatform, shop: ShopifyShop
) -> None:
    """Written through the connector, read through the Admin read queries
    (``tests/conformance/readback/shopify.py``)."""
    from tests.conformance.readback import reader

    customer = Customer(
        source_id="9",
        name="Léa Roux",
        email="lea.roux@example.com",
        first_name="Léa",
        last_name="Roux",
        company="Roux SAS",
        code="C0999",
        phone="+33607080910",
        addresses=(
            Address(street="3 quai Est", postal_code="33000", city="Bordeaux", country_code="FR"),
        ),
        tax_identifier="FR99123456789",
        group="Revendeurs",
        notes="Livrer le matin",
        credit_limit=Decimal("1500.00"),
        payment_term="45 jours",
    )
    [outcome] = shop.write_customers([CustomerWrite("9", customer)])
    assert outcome.ok and outcome.unsupported == ()
    shown = reader("shopify").read_customer(platform, customer.email)
    for name in (
        "email",
        "first_name",
        "last_name",
        "company",
        "code",
        "phone",
        "tax_identifier",
        "group",
        "notes",
        "credit_limit",
        "payment_term",
    ):
        assert shown[name] == getattr(customer, name), name
    assert [a.city for a in shown["addresses"]] == ["Bordeaux"]  # type: ignore[attr-defined]
    assert "active" not in shown
    draft = ProductDraft(
        sku="RB-1",
        name="Bougie",
        regular_price=Decimal("14.90"),
        sale_price=Decimal("12.90"),
        barcode="3760000000999",
        seo_title="Bougie SEO",
        cost_price=Decimal("4.10"),
        weight=Decimal("0.35"),
        brand="Maison",
        slug="bougie-soja",
        description="<p>Cire</p>",
        stock_quantity=7,
        tax_class="zero-rate",
    )
    [product] = shop.write_products([ProductWrite("p", draft)])
    assert product.ok and product.unsupported == ()
    read = reader("shopify").read_product(platform, "RB-1")
    for name in (
        "name",
        "regular_price",
        "sale_price",
        "barcode",
        "seo_title",
        "cost_price",
        "weight",
        "brand",
        "slug",
        "description",
        "stock_quantity",
        "tax_class",
    ):
        assert read[name] == getattr(draft, name), name


def test_a_shipment_of_an_order_held_in_the_shop_is_refused_in_plain_words(
    platform: ShopifyPlatform, shop: ShopifyShop
) -> None:
    from passerelle.connectors.errors import RecordError

    (sku, shop_id), _ = _seeded(platform, 2)
    shop.write_products([_stock("0", sku, shop_id, 5)])
    order_id = platform.place_order({sku: 1})
    platform.set_order_state(order_id, "on_hold")
    with pytest.raises(RecordError, match="on hold in the shop"):
        shop.write_shipment(
            order_id,
            carrier="Colissimo",
            tracking_number="6A1",
            shipped_at=None,
            notify_customer=False,
            status=None,
        )
    held = platform.sandbox.state["orders"][order_id]["fulfillmentOrders"][0]["id"]
    platform.sandbox.admin(
        "mutation($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { userErrors { message } } }",
        {"id": f"gid://shopify/FulfillmentOrder/{held}"},
    )
    shop.write_shipment(
        order_id,
        carrier="Colissimo",
        tracking_number="6A1",
        shipped_at=None,
        notify_customer=False,
        status=None,
    )
    assert platform.sandbox.state["orders"][order_id]["displayFulfillmentStatus"] == "FULFILLED"
    assert platform.view.products()[sku].stock == 4


def test_a_variable_product_and_its_variation_are_read_back(
    platform: ShopifyPlatform, shop: ShopifyShop
) -> None:
    from passerelle.model import ProductAttribute
    from tests.conformance.readback import reader

    axis = ProductAttribute(name="Parfum", options=("Figue", "Cèdre"), variation=True)
    draft = ProductDraft(
        sku="RB-2",
        name="Bougie parfumée",
        regular_price=Decimal("0"),
        kind="variable",
        attributes=(axis,),
        description="<p>Soja</p>",
    )
    [parent] = shop.write_products([ProductWrite("p", draft)])
    [child] = shop.write_variations(
        str(parent.shop_id),
        [
            ProductWrite(
                "v",
                ProductDraft(
                    sku="RB-2-FIG",
                    name="Figue",
                    regular_price=Decimal("14.90"),
                    kind="variation",
                    variation_options=(("Parfum", "Figue"),),
                    stock_quantity=7,
                ),
            )
        ],
    )
    assert parent.ok and child.ok
    read = reader("shopify").read_product
    shown = read(platform, "RB-2")
    assert (shown["name"], shown["kind"], shown["description"]) == (
        "Bougie parfumée",
        "variable",
        "<p>Soja</p>",
    )
    variation = read(platform, "RB-2-FIG")
    assert (variation["name"], variation["kind"], variation["regular_price"]) == (
        "Figue",
        "variation",
        Decimal("14.90"),
    )
    assert variation["variation_options"] == (("Parfum", "Figue"),)
    assert variation["stock_quantity"] == 7
    assert platform.view.products()["RB-2-FIG"].parent_sku == "RB-2"


def _wire_order(**changes: Any) -> dict[str, Any]:
    """An order as the order query answers it, with one line; ``changes`` replace the
    order's fields, or the line's for ``line_<field>``."""
    line = {
        "id": "gid://shopify/LineItem/7",
        "name": "Pot",
        "sku": "POT",
        "quantity": 2,
        "taxLines": [],
        "discountedTotalSet": {"shopMoney": {"amount": "10.00"}},
    }
    order = {
        "id": "gid://shopify/Order/42",
        "name": "#1042",
        "currencyCode": "EUR",
        "createdAt": "2026-03-01T10:00:00Z",
        "totalPriceSet": {"shopMoney": {"amount": "10.00"}},
        "totalTaxSet": {"shopMoney": {"amount": "0"}},
        "lineItems": {"nodes": [line]},
        "shippingLines": {"nodes": []},
    }
    for key, sent in changes.items():
        target, name = (line, key[5:]) if key.startswith("line_") else (order, key)
        target[name] = sent
    return order


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"createdAt": "le 6 novembre"}, "createdAt"),
        ({"totalPriceSet": {"shopMoney": {"amount": "n/a"}}}, "totalPriceSet.shopMoney.amount"),
        ({"line_quantity": "deux"}, "quantity"),
    ],
)
def test_a_malformed_order_field_is_that_orders_error_naming_the_field(
    change: dict[str, Any], field: str
) -> None:
    assert order_from_wire(_wire_order()).total == Decimal("10.00")
    with pytest.raises(RecordError) as caught:
        read_record("42", lambda: order_from_wire(_wire_order(**change)))

    assert caught.value.record_id == "42"
    assert repr(field) in str(caught.value), str(caught.value)
