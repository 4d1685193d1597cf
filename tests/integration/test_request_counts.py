"""Stock updates cost the fewest requests the platform allows (the benchmark, at small scale)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rich.console import Console

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.model import Item
from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store
from tests.test_profiles import VALID


def test_stock_of_1000_items_in_the_fewest_requests(tmp_path: Path) -> None:
    with WooSandbox(tmp_path / "shop.json", seed=False, cert_dir=tmp_path / "tls") as sandbox:
        backoffice = MemoryBackOffice()
        for index, product in enumerate(sandbox.seed_products(1000, prefix="CNT-")):
            item_id = str(product["id"])
            backoffice.items[item_id] = Item(
                item_id, product["sku"], product["name"], Decimal("1.00")
            )
            backoffice.set_stock(item_id, "WH", Decimal(index % 7))
        profile = ProfileRepository(tmp_path).validate(dict(VALID, name="count"))
        with (
            WooCommerceShop(
                sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
            ) as shop,
            Store.open_data_dir(tmp_path) as store,
        ):
            runner = Runner(tmp_path, store=store, console=Console(quiet=True))

            def run() -> list[tuple[str, str]]:
                sandbox.reset_requests()
                assert (
                    runner.run(profile, "update-stock", backoffice=backoffice, shop=shop).status
                    == "succeeded"
                )
                return list(sandbox.requests)

            # Each run reads the shop's orders twice (its open orders, those changed
            # lately: what they took is held back) and the catalogue to find products.
            orders = [("GET", "/wp-json/wc/v3/orders")] * 2
            first = run()
            # 10 catalogue pages read to find the products, 10 batches of 100 written.
            assert first.count(("GET", "/wp-json/wc/v3/products")) == 10
            assert first.count(("POST", "/wp-json/wc/v3/products/batch")) == 10
            assert first.count(("GET", "/wp-json/wc/v3/orders")) == 2
            assert len(first) == 22
            assert all(p["stock_quantity"] is not None for p in sandbox.data.products.values())
            assert run() == orders  # nothing changed: nothing written
            for item_id in list(backoffice.items)[:10]:
                backoffice.set_stock(item_id, "WH", Decimal(500))
            assert run() == [*orders, ("POST", "/wp-json/wc/v3/products/batch")]
            changed = [p for p in sandbox.data.products.values() if p["stock_quantity"] == 500]
            assert len(changed) == 10
