"""Benchmark: stock update of 10,000 items against the BigCommerce sandbox.

Prints the stock requests sent (inventory absolute adjustments, 2,000 items
each: floor ceil(items / 2000), 5 at 10,000), the ratio to that floor, the
catalogue pages read to find the products by SKU (250 a page), the wall time
and the quota waits. The connector is driven directly with every write at
once: the export flows hand a connector 100 records per call
(``flows/exporting.BATCH``), which would cost 100 requests here.

    python benchmarks/stock_update_bigcommerce.py [--items 10000] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.model import ProductDraft
from passerelle.sandbox.bigcommerce import BigCommerceSandbox

TOKEN = "bc_demo_token"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sandbox = BigCommerceSandbox(None, token=TOKEN, seed=False, cert_dir=root / "tls",
                                     latency=args.latency)
        sandbox.state.data["trees"]["1"] = {"id": 1, "name": "Default", "channels": [1]}
        sandbox.start()
        try:
            products = sandbox.seed_products(args.items)
            shop = BigCommerceShop(sandbox.url, sandbox.store_hash, TOKEN,
                                   options=HttpOptions(verify=Path(sandbox.ca_bundle)))
            started = time.perf_counter()
            ids = shop.find_products_by_sku(p["sku"] for p in products)
            lookups = shop.request_count
            writes = [ProductWrite(p["sku"], ProductDraft(
                sku=p["sku"], name=p["name"], regular_price=Decimal(1),
                stock_quantity=(n * 3) % 40), shop_id=ids[p["sku"]],
                fields=frozenset({"manage_stock", "stock_quantity"}))
                for n, p in enumerate(products)]
            outcomes = shop.write_products(writes)
            elapsed = time.perf_counter() - started
            stock_requests = shop.request_count - lookups
            floor = math.ceil(args.items / 2000)
            failed = sum(1 for o in outcomes if not o.ok)
            print(f"items                     {args.items}")
            print(f"stock requests            {stock_requests} (floor {floor}, "
                  f"ratio {stock_requests / floor:.2f}, bound 1.05)")
            print(f"catalogue pages read      {lookups} (250 products a page)")
            print(f"failed writes             {failed}")
            print(f"quota waits               {shop.client.pacer.waits} "
                  f"({shop.client.pacer.waited:.1f} s), 429 received "
                  f"{shop.client.pacer.rate_limited}")
            print(f"wall time                 {elapsed:.1f} s")
            shop.close()
            return 0 if stock_requests <= 1.05 * floor and not failed else 1
        finally:
            sandbox.stop()


if __name__ == "__main__":
    sys.exit(main())
