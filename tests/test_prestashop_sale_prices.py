"""C10 on PrestaShop: a promotion price list's price becomes one ``specific_prices`` record.

``specific_prices.md``: the sale is ``price`` -1 (the product's own) less an
``amount`` excluding tax, for every cart, currency, country, group and
customer, from one unit, without dates. The expected amounts below are the
back-office prices' differences, worked out by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from passerelle.connectors.base import ProductWrite, WriteOutcome
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.prestashop import PrestaShopShop
from passerelle.model import Item, ProductDraft
from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.sandbox.prestashop import DEMO_KEY, PrestaShopSandbox
from passerelle.store import Store
from tests.test_profiles import VALID

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class World:
    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PS_SALE_KEY", DEMO_KEY)
        self.sandbox = PrestaShopSandbox(None, seed=False, cert_dir=tmp_path / "tls").start()
        # An empty shop still has the tax rules group a product names (tax class "1").
        self.sandbox.engine.insert(
            "tax_rule_groups", {"name": "FR 20%", "active": "1", "deleted": "0"}
        )
        self.shop = PrestaShopShop(
            self.sandbox.url,
            DEMO_KEY,
            tax_rules_groups={"": 1},
            options=HttpOptions(verify=self.sandbox.ca_bundle),
        )
        self.backoffice = MemoryBackOffice()
        for item in (
            Item(
                "1",
                "TEA-POT",
                "Théière",
                Decimal("40.00"),
                group_prices=(("PROMO", Decimal("32.00")),),
            ),
            Item("2", "TEA-CUP", "Tasse", Decimal("9.90")),
        ):
            self.backoffice.items[item.source_id] = item
            self.backoffice.set_stock(item.source_id, "WH", Decimal(5))
        self.profile = ProfileRepository(tmp_path).validate(
            dict(
                VALID,
                name="sale",
                shop={"kind": "prestashop", "url": self.sandbox.url, "api_key": "env:PS_SALE_KEY"},
                catalogue={"default_tax_class": "1", "prices": {"promotion_price_list": "PROMO"}},
            )
        )
        self.store = Store.open_data_dir(tmp_path)
        self.runner = Runner(tmp_path, store=self.store, console=Console(quiet=True))

    def run(self, flow: str) -> list[tuple[str, str]]:
        """The writes a run of ``flow`` sent."""
        self.sandbox.reset_requests()
        summary = self.runner.run(self.profile, flow, backoffice=self.backoffice, shop=self.shop)
        assert summary.status == "succeeded", summary
        return [(m, p) for m, p in self.sandbox.requests if m in WRITES]

    def promote(self, price: Decimal | None) -> None:
        item = self.backoffice.items["1"]
        groups = (("PROMO", price),) if price is not None else ()
        self.backoffice.items["1"] = replace(item, group_prices=groups)

    def sale_prices(self) -> list[dict[str, Any]]:
        return list(self.sandbox.engine.data["specific_prices"].values())

    def product_id(self, sku: str) -> str:
        return next(
            str(p["id"])
            for p in self.sandbox.engine.data["products"].values()
            if p["reference"] == sku
        )

    def close(self) -> None:
        self.store.close()
        self.shop.close()
        self.sandbox.stop()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    w = World(tmp_path, monkeypatch)
    try:
        yield w
    finally:
        w.close()


def test_a_sale_price_is_one_specific_price_created_changed_then_deleted(world: World) -> None:
    assert world.run("export-products")
    [sale] = world.sale_prices()
    assert sale["id_product"] == world.product_id("TEA-POT")
    assert sale["id_product_attribute"] == "0"
    # 40.00 − 32.00, off the product's own price (-1), excluding tax, for everyone.
    assert (sale["price"], sale["reduction"], sale["reduction_type"], sale["reduction_tax"]) == (
        "-1.000000",
        "8.000000",
        "amount",
        "0",
    )
    assert {
        sale[k] for k in ("id_cart", "id_currency", "id_country", "id_group", "id_customer")
    } == {"0"}
    assert (sale["from_quantity"], sale["from"], sale["to"]) == (
        "1",
        "0000-00-00 00:00:00",
        "0000-00-00 00:00:00",
    )
    assert world.run("export-products") == []
    assert world.run("update-prices") == []
    # Another field changes: the product is written, its unchanged sale price is not.
    world.backoffice.items["1"] = replace(world.backoffice.items["1"], name="Théière fonte")
    assert world.run("export-products") == [("PUT", f"/api/products/{world.product_id('TEA-POT')}")]

    world.promote(Decimal("30.00"))
    writes = world.run("update-prices")
    assert ("PUT", f"/api/specific_prices/{sale['id']}") in writes
    [changed] = world.sale_prices()
    assert (changed["id"], changed["reduction"]) == (sale["id"], "10.000000")
    assert world.run("update-prices") == []

    world.promote(None)
    assert ("DELETE", f"/api/specific_prices/{sale['id']}") in world.run("update-prices")
    assert world.sale_prices() == []
    assert world.run("update-prices") == []


def test_the_merchants_own_specific_prices_are_left_alone(world: World) -> None:
    world.run("export-products")
    product = world.product_id("TEA-CUP")
    engine = world.sandbox.engine
    with engine.lock:  # a price for one customer group, set by hand in the back-office
        own = engine.insert(
            "specific_prices",
            {
                "id_product": product,
                "id_product_attribute": "0",
                "id_shop": "1",
                "id_cart": "0",
                "id_currency": "0",
                "id_country": "0",
                "id_group": "3",
                "id_customer": "0",
                "price": "-1.000000",
                "from_quantity": "1",
                "reduction": "0.100000",
                "reduction_tax": "1",
                "reduction_type": "percentage",
                "from": "0000-00-00 00:00:00",
                "to": "0000-00-00 00:00:00",
            },
        )
    world.backoffice.items["2"] = replace(world.backoffice.items["2"], sale_price=Decimal(12))
    writes = world.run("update-prices")
    assert [m for m, _ in writes] == ["PUT"]  # the product's price, nothing else
    assert engine.data["specific_prices"][own["id"]]["reduction_type"] == "percentage"


def test_a_variations_sale_price_is_one_on_its_combination(world: World) -> None:
    shop, engine = world.shop, world.sandbox.engine
    [product] = shop.write_products(
        [
            ProductWrite(
                "P",
                ProductDraft(sku="PULL", name="Pull", regular_price=Decimal(30), kind="variable"),
            )
        ]
    )

    def variation(sale: Decimal | None, shop_id: str | None = None) -> WriteOutcome:
        draft = ProductDraft(
            sku="PULL-S",
            name="Pull S",
            regular_price=Decimal(32),
            kind="variation",
            sale_price=sale,
            variation_options=(("Taille", "S"),),
        )
        fields = None if shop_id is None else frozenset({"regular_price", "sale_price"})
        [outcome] = shop.write_variations(
            product.shop_id, [ProductWrite("PULL-S", draft, shop_id, fields)]
        )
        assert outcome.ok, outcome
        return outcome

    made = variation(Decimal(25))
    combination = made.shop_id.split("/")[1]
    [sale] = engine.data["specific_prices"].values()
    assert (sale["id_product"], sale["id_product_attribute"], sale["reduction"]) == (
        product.shop_id,
        combination,
        "7.000000",
    )  # 32 − 25
    variation(None, made.shop_id)
    assert engine.data["specific_prices"] == {}
