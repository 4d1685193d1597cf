"""C6, C18: items grouped into products with variations, from Tryton into the shop."""

from __future__ import annotations

from decimal import Decimal

from passerelle.demo_data import (
    APRON_COMBINATIONS,
    APRON_MASTER,
    APRON_MISSING_COMBINATION,
    CANDLE_ITEMS,
    CANDLE_SCENTS,
    TSHIRT_COLOURS,
    TSHIRT_ITEMS,
    TSHIRT_MASTER,
)
from tests.held_back import held_by_open_orders, offered
from tests.integration.catalogue_helpers import (
    product_by_sku,
    run_counting,
    set_product,
    variations_of,
    with_options,
)
from tests.integration.conftest import World

VARIANTS = {
    "master_field": "attr:master",
    "attributes": [
        {"name": "Couleur", "field": "attr:colour"},
        {"name": "Taille", "field": "attr:size"},
    ],
}


def test_four_colours_become_one_product_with_four_variations_and_their_own_stock(
    world: World,
) -> None:
    profile = with_options(world, variants=VARIANTS)
    first = run_counting(world, "export-products", profile)
    assert first.summary.counts["failed"] == 0

    parent = product_by_sku(world, TSHIRT_MASTER)
    assert parent["type"] == "variable" and parent["name"] == TSHIRT_ITEMS[0].name
    (axis,) = [a for a in parent["attributes"] if a["variation"]]
    assert axis["name"] == "Couleur" and sorted(axis["options"]) == sorted(TSHIRT_COLOURS.values())
    variations = variations_of(world, parent)
    held = held_by_open_orders(world.sandbox.data.orders.values())
    assert sorted(variations) == sorted(TSHIRT_COLOURS)
    for item in TSHIRT_ITEMS:
        variation = variations[item.code]
        assert variation["attributes"] == [
            {"id": 0, "name": "Couleur", "option": TSHIRT_COLOURS[item.code]}
        ]
        assert variation["regular_price"] == str(item.price)
        assert variation["manage_stock"] is True
        assert variation["stock_quantity"] == offered(item, held), item.code
    # None of the four is also a simple product of its own.
    assert not [p for p in world.sandbox.data.products.values() if p["sku"] in TSHIRT_COLOURS]

    # The missing combination is reported by reference; the rest of the apron is sent.
    journal = [line.text for line in world.store.journal(first.summary.run_id)]
    colour, size = APRON_MISSING_COMBINATION
    assert any(APRON_MASTER in t and f"Couleur {colour}, Taille {size}" in t for t in journal)
    apron = variations_of(world, product_by_sku(world, APRON_MASTER))
    assert sorted(apron) == sorted(APRON_COMBINATIONS)

    # One variation's price changes in Tryton: one request, that variation only.
    blue = TSHIRT_ITEMS[-1]
    set_product(world, blue.code, list_price=Decimal("21.00"))
    second = run_counting(world, "export-products", profile)
    assert second.writes == [("POST", f"/wp-json/wc/v3/products/{parent['id']}/variations/batch")]
    assert second.summary.counts["updated"] == 1
    assert variations_of(world, parent)[blue.code]["regular_price"] == "21.00"
    assert product_by_sku(world, TSHIRT_MASTER)["date_modified"] == parent["date_modified"]


def test_a_tryton_template_with_variants_is_one_product_and_its_parent_is_kept_up_to_date(
    world: World,
) -> None:
    run_counting(world, "export-products")
    first = min(CANDLE_ITEMS, key=lambda i: i.code)  # the parent reads its first variant
    sku = first.template.rstrip("-")
    parent = product_by_sku(world, sku)
    assert parent["type"] == "variable"
    (axis,) = [a for a in parent["attributes"] if a["variation"]]
    assert sorted(axis["options"]) == sorted(CANDLE_SCENTS.values())
    variations = variations_of(world, parent)
    assert {code: v["regular_price"] for code, v in variations.items()} == {
        i.code: str(i.price) for i in CANDLE_ITEMS
    }
    # C18: the parent follows its items' texts; the variations are not sent again.
    set_product(world, first.code, description="Bougie parfumée, 40 h de combustion.")
    sent = run_counting(world, "export-products")
    assert sent.writes == [
        ("POST", "/wp-json/wc/v3/products/batch"),
        ("POST", f"/wp-json/wc/v3/products/{parent['id']}/variations/batch"),
    ]
