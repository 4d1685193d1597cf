"""The Shopify connector against its sandbox: request counts and the cost bucket."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.shopify.connector import STOCK_FIELDS, ShopifyShop
from passerelle.model import ProductDraft
from passerelle.sandbox.shopify.server import ShopifySandbox


def test_stock_of_600_items_is_three_inventory_calls_never_throttled(tmp_path: Path) -> None:
    sandbox = ShopifySandbox(None, cert_dir=tmp_path / "tls", restore_rate=100, maximum=2000)
    ids = []
    for n in range(600):
        data = sandbox.resolvers.productSet(input={
            "title": f"P{n}", "productOptions": [{"name": "Title", "values": [
                {"name": "Default Title"}]}],
            "variants": [{"price": "1.00", "optionValues": [
                {"optionName": "Title", "name": "Default Title"}],
                "inventoryItem": {"sku": f"S{n}"}}]})
        record = sandbox.state["products"][data["product"]["id"].rsplit("/", 1)[1]]
        variant = sandbox.state["variants"][str(record["variants"][0])]
        ids.append(f"{record['id']}/{variant['id']}/{variant['inventory_item_id']}")
    sandbox.start()
    try:
        shop = ShopifyShop(sandbox.url, "shpat_demo",
                           options=HttpOptions(verify=sandbox.ca_bundle))
        writes = [ProductWrite(str(n), ProductDraft(sku=f"S{n}", name="x",
                                                    regular_price=Decimal(1),
                                                    stock_quantity=n % 7), ids[n],
                               STOCK_FIELDS - {"hidden"}) for n in range(600)]
        outcomes = shop.write_products(writes)
        assert all(o.ok for o in outcomes)
        assert shop.request_count == 1 + 3  # the location, then 250 + 250 + 100
        assert shop.client.throttled == 0 and sandbox.bucket.throttled == 0
        levels = sandbox.state["inventory_items"][ids[13].split("/")[2]]["levels"]
        assert next(iter(levels.values()))["available"] == 13 % 7
        shop.close()
    finally:
        sandbox.stop()
