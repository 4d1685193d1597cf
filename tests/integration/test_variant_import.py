"""C21 with variations: a shop variation's data goes to its Tryton variant only.

The demo candle is one Tryton template with three variants (three scents). It
is exported as one variable product; the merchant then edits each variation's
price and description in the shop and imports the products back. The
template (name, list price, the other variants') must not move, and the next
export must not rename the live product.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

from passerelle.connectors.tryton.database import session
from passerelle.demo_data import CANDLE_ITEMS, CANDLE_SCENTS, CANDLE_TEMPLATE
from passerelle.flows.import_products import FLOW as IMPORT
from passerelle.flows.import_products import variation_name
from tests.integration.catalogue_helpers import (
    product_by_sku,
    run_counting,
    set_product,
    variations_of,
)
from tests.integration.conftest import World
from tests.integration.test_flow_rules import api


@dataclass(frozen=True)
class TemplateView:
    name: str
    list_price: Decimal
    weight: float | None
    variants: dict[str, tuple[Decimal, str]]  # code → (price sold at, description)


def read_candle(world: World) -> TemplateView:
    with session(world.target, readonly=True), Transaction().set_context(active_test=False):
        products = Pool().get("product.product").search([("code", "in", sorted(CANDLE_SCENTS))])
        (template,) = {p.template for p in products}
        return TemplateView(
            name=template.name,
            list_price=template.list_price,
            weight=template.weight,
            variants={p.code: (p.list_price_used, p.description or "") for p in products},
        )


def test_a_variations_price_and_description_go_to_its_variant_only(world: World) -> None:
    # One variant without a price of its own: it sells at its template's (12.50).
    follower = next(i for i in CANDLE_ITEMS if i.price == read_candle(world).list_price)
    set_product(world, follower.code, list_price=None)
    run_counting(world, "export-products")
    sku = CANDLE_TEMPLATE.rstrip("-")
    parent = product_by_sku(world, sku)
    before = read_candle(world)
    assert before.name == "Bougie parfumée" and len(before.variants) == 3

    # The merchant edits every variation in the shop: new prices and texts.
    new = {
        item.code: (item.price + Decimal("1.10"), f"Parfum {scent.lower()}, 50 heures.")
        for item, scent in zip(CANDLE_ITEMS, CANDLE_SCENTS.values(), strict=True)
    }
    for code, variation in variations_of(world, parent).items():
        price, text = new[code]
        answer = api(
            world,
            "PUT",
            f"products/{parent['id']}/variations/{variation['id']}",
            {"regular_price": str(price), "description": f"<p>{text}</p>"},
        )
        assert answer.is_success, answer.text

    summary = world.run(IMPORT)
    assert summary.status == "succeeded", summary.error
    after = read_candle(world)
    # The template shared by the three variants is untouched …
    assert (after.name, after.list_price, after.weight) == (
        before.name,
        before.list_price,
        before.weight,
    )
    # … and each variant holds its own price and text.
    assert after.variants == new
    journal = [line.text for line in world.store.journal(summary.run_id)]
    assert sum("shared with its other variants" in t for t in journal) == 3

    # The next export does not rename (or reprice) the live product.
    run_counting(world, "export-products")
    live = product_by_sku(world, sku)
    assert live["name"] == parent["name"] == "Bougie parfumée"
    assert {
        code: Decimal(v["regular_price"]) for code, v in variations_of(world, live).items()
    } == {code: price for code, (price, _text) in new.items()}

    # Imported again with nothing changed in the shop: nothing is written.
    again = world.run(IMPORT)
    assert again.counts["updated"] == again.counts["created"] == 0
    assert read_candle(world) == after


def test_an_item_made_from_a_variation_is_named_after_its_product_and_its_options() -> None:
    """The shop names a variation by its options alone ("Figue"); older WooCommerce wrote
    the product's name in front, which is kept as it is."""
    assert variation_name("Bougie parfumée", "Figue") == "Bougie parfumée - Figue"
    assert variation_name("Bougie parfumée", "Bougie parfumée - Figue") == "Bougie parfumée - Figue"
    assert variation_name("Bougie parfumée", "") == "Bougie parfumée"
    assert variation_name("", "Planche") == "Planche"
