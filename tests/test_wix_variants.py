"""Products with variants on a Catalog V3 site (passerelle/connectors/wix/variants_v3.py),
written by the connector to the Wix sandbox and read back through the sandbox's view."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.wix.connector import WixShop
from passerelle.model import ProductAttribute, ProductDraft
from passerelle.sandbox.wix.platform import WixPlatform, start

_SCENT = ProductAttribute("Scent", ("Fig", "Amber"), variation=True)
_PARENT = ProductDraft(
    sku="CND", name="Candle", regular_price=Decimal("12.00"), kind="variable", attributes=(_SCENT,)
)


_FIG = ProductDraft(
    sku="CND-FIG",
    name="Candle Fig",
    regular_price=Decimal("12.50"),
    kind="variation",
    variation_options=(("Scent", "Fig"),),
)


def _variation(sku: str, scent: str, quantity: int) -> ProductDraft:
    """A candle of ``scent`` with ``quantity`` in stock."""
    return replace(
        _FIG,
        sku=sku,
        name=f"Candle {scent}",
        stock_quantity=quantity,
        variation_options=(("Scent", scent),),
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[WixPlatform, WixShop]]:
    """A V3 site and the connector, trusting the site's own CA."""
    platform = start(tmp_path / "wix")
    box = platform.sandbox
    options = HttpOptions(verify=Path(box.ca_bundle), backoff_base=0, backoff_max=0)
    shop = WixShop(box.site_id, box.api_key, api_url=box.url, options=options)
    yield platform, shop
    shop.close()
    platform.stop()


def test_a_product_with_variants_is_created_then_its_variations_with_their_stock(
    site: tuple[WixPlatform, WixShop],
) -> None:
    platform, shop = site
    (parent,) = shop.write_products([ProductWrite("p", _PARENT)])
    assert parent.ok and parent.created and parent.shop_id, parent
    made = shop.write_products(
        [
            ProductWrite("fig", _variation("CND-FIG", "Fig", 4), parent_shop_id=parent.shop_id),
            ProductWrite("amb", _variation("CND-AMB", "Amber", 0), parent_shop_id=parent.shop_id),
        ]
    )
    assert [o.ok and o.created for o in made] == [True, True], made
    assert all(str(o.shop_id).startswith(f"{parent.shop_id}/") for o in made)
    shown = platform.view.products()
    # The placeholder variant the parent was created with is gone: only the two remain.
    assert set(shown) == {"CND-FIG", "CND-AMB"}
    assert (shown["CND-FIG"].stock, shown["CND-AMB"].stock) == (4, 0)
    assert shown["CND-FIG"].price == Decimal("12.50")
    assert shown["CND-FIG"].active and shown["CND-FIG"].name == "Candle"
    # A stock update then finds each variant's inventory item.
    again = replace(_variation("CND-FIG", "Fig", 9))
    (stock,) = shop.write_products(
        [ProductWrite("fig", again, made[0].shop_id, frozenset({"stock_quantity"}))]
    )
    assert stock.ok, stock
    assert platform.view.products()["CND-FIG"].stock == 9


def test_a_variation_with_an_axis_the_product_lacks_is_refused_alone(
    site: tuple[WixPlatform, WixShop],
) -> None:
    platform, shop = site
    (parent,) = shop.write_products([ProductWrite("p", _PARENT)])
    odd = replace(_variation("CND-XL", "Fig", 1), variation_options=(("Size", "XL"),))
    made = shop.write_variations(
        str(parent.shop_id),
        [ProductWrite("xl", odd), ProductWrite("fig", _variation("CND-FIG", "Fig", 2))],
    )
    assert made[0].error is not None and "CND-XL" in str(made[0].error)
    assert made[1].ok and made[1].created
    assert set(platform.view.products()) == {"CND-FIG"}
