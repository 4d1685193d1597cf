"""Benchmark: the ``update-stock`` flow for 10,000 items against the Wix sandbox (Catalog V3).

Runs the flow itself (back-office in memory, the sandbox as the shop): the flow hands
the connector ``batch_size("stock")`` = 1,000 levels at once and each batch is one
``POST /stores/v3/bulk/inventory-items/update`` (1 to 1,000 items, "Bulk Update Inventory
Items"), so the floor is ceil(items / 1000) = 10 stock requests at 10,000 items. An update
must name each inventory item's id and current revision, so the items of a batch's
products are queried first (``POST /stores/v3/inventory-items/query``, 100 product ids a
filter); the catalogue is walked once to find the products by SKU (100 a page), and the
open orders are searched (with their payments) for the units they hold. A second run, with
1 % of the stock changed, sends only what changed. Prints the requests of each kind, the
ratio of stock writes to the floor and the wall time.

    python benchmarks/stock_update_wix.py [--items 10000] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import math
import random
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench_profile import bench_profile as _profile
from rich.console import Console

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.wix.connector import WixShop
from passerelle.model import Item
from passerelle.runner import Runner
from passerelle.sandbox.wix.server import WixSandbox
from passerelle.store import Store

KEY = "wix_demo_api_key"
STOCK = ("POST", "/stores/v3/bulk/inventory-items/update")
KINDS = {
    ("POST", "/stores/v3/inventory-items/query"): "inventory reads",
    ("POST", "/stores/v3/products/query"): "catalogue reads",
    ("POST", "/ecom/v1/orders/search"): "open-order reads",
    ("POST", "/ecom/v1/payments/list-by-ids"): "open-order reads",
    ("GET", "/stores/v3/provision/version"): "catalog version",
    STOCK: "stock writes",
}


def _seed(
    sandbox: WixSandbox, items: int, backoffice: MemoryBackOffice, rng: random.Random
) -> None:
    """``items`` simple products with tracked stock, made 100 a call as Bulk Create Products
    With Inventory takes them; the back-office holds the same SKUs."""
    for start in range(0, items, 100):
        products = [
            {
                "name": f"Article {n}",
                "productType": "PHYSICAL",
                "physicalProperties": {},
                "variantsInfo": {
                    "variants": [
                        {
                            "sku": f"SKU-{n:05d}",
                            "price": {"actualPrice": {"amount": "9.90"}},
                            "inventoryItem": {"quantity": 0},
                        }
                    ]
                },
            }
            for n in range(start, min(start + 100, items))
        ]
        sandbox.call(
            "POST", "/stores/v3/bulk/products-with-inventory/create", {"products": products}
        )
    for n in range(items):
        item_id = str(n + 1)
        backoffice.items[item_id] = Item(
            source_id=item_id, code=f"SKU-{n:05d}", name=f"Article {n}", sale_price=Decimal("9.90")
        )
        backoffice.set_stock(item_id, "WH", Decimal(100 + rng.randint(0, 50)))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, kind, default, meaning in (
        ("--items", int, 10_000, "products in the shop and the back-office"),
        ("--latency", float, 0.02, "seconds the sandbox waits before each answer"),
        ("--changed", float, 0.01, "share changed in run 2"),
    ):
        parser.add_argument(name, type=kind, default=default, help=meaning)
    return parser.parse_args()


def main() -> int:
    args, rng, ok = _arguments(), random.Random(7), True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sandbox = WixSandbox(None, api_key=KEY, seed=False, cert_dir=root / "tls")
        sandbox.start()
        try:
            backoffice = MemoryBackOffice()
            _seed(sandbox, args.items, backoffice, rng)
            sandbox.latency = args.latency
            shop = WixShop(
                sandbox.site_id,
                KEY,
                api_url=sandbox.url,
                options=HttpOptions(verify=Path(sandbox.ca_bundle)),
            )
            store = Store.open_data_dir(root)
            runner, profile = Runner(root, store=store, console=Console(quiet=True)), _profile()

            def measure(label: str, changed: int) -> None:
                nonlocal ok
                sandbox.reset_requests()
                started = time.perf_counter()
                options: dict[str, Any] = {"backoffice": backoffice, "shop": shop}
                summary = runner.run(profile, "update-stock", **options)
                elapsed, sent = time.perf_counter() - started, list(sandbox.requests)
                kinds = Counter(KINDS.get(r, f"other {r[0]} {r[1]}") for r in sent)
                floor = math.ceil(changed / 1000)
                stock = kinds["stock writes"]
                ok = ok and summary.status == "succeeded" and stock <= floor
                print(
                    f"{label}: {summary.counts['updated']} stock levels sent, "
                    f"{summary.counts['unchanged']} unchanged, status {summary.status}"
                )
                print(f"  requests sent      {len(sent)}")
                print(f"  stock writes       {stock} (floor {floor}, ratio {stock / floor:.2f})")
                for kind, count in sorted(kinds.items()):
                    if kind != "stock writes":
                        print(f"  {kind:<18} {count}")
                print(
                    f"  wall time          {elapsed:.2f} s "
                    f"({args.latency * 1000:.0f} ms latency per request)"
                )

            measure("run 1 (nothing bound yet)", args.items)
            share = max(1, int(args.items * args.changed))
            for item_id in rng.sample(sorted(backoffice.items), share):
                backoffice.set_stock(item_id, "WH", Decimal(1000 + rng.randint(0, 50)))
            measure(f"run 2 ({share} items changed)", share)
            for done in (shop, store):
                done.close()
        finally:
            sandbox.stop()
    return int(not ok)


if __name__ == "__main__":
    raise SystemExit(main())
