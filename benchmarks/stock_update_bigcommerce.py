"""Benchmark: the ``update-stock`` flow for 10,000 items against the BigCommerce sandbox.

Runs the flow itself (back-office in memory, the sandbox as the shop): the
flow hands the connector ``batch_size("stock")`` = 2,000 levels at once and
each batch is one ``PUT /v3/inventory/adjustments/absolute``, so the floor is
ceil(items / 2000) = 5 stock requests at 10,000 items, plus the catalogue
pages read once to find the products by SKU (250 a page). A second run, with
1 % of the stock changed, sends only what changed. Prints the requests, the
ratio to the floor (issue 5 bound: 1.05), the quota waits and the wall time.

    python benchmarks/stock_update_bigcommerce.py [--items 10000] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench_profile import bench_profile as _profile
from rich.console import Console

from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Item
from passerelle.runner import Runner
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.store import Store

TOKEN = "bc_demo_token"
INVENTORY = ("PUT", "/stores/sandbox/v3/inventory/adjustments/absolute")
# What holds stock is read each run: the inventory setting, then one order list per
# status holding stock under it (connectors/bigcommerce/open_orders.py).
OPEN_ORDER_READS = {
    ("GET", "/stores/sandbox/v3/settings/inventory"),
    ("GET", "/stores/sandbox/v2/orders"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--changed", type=float, default=0.01, help="share changed in run 2")
    args = parser.parse_args()
    rng = random.Random(7)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # The Standard plan's quota (150 requests / 30 s), the strictest: what is measured.
        sandbox = BigCommerceSandbox(
            None, token=TOKEN, seed=False, cert_dir=root / "tls", plan="standard"
        )
        sandbox.start()
        try:
            backoffice = MemoryBackOffice()
            for product in sandbox.seed_products(args.items):
                item_id = str(product["id"])
                backoffice.items[item_id] = Item(
                    source_id=item_id,
                    code=product["sku"],
                    name=product["name"],
                    sale_price=Decimal("9.90"),
                )
                backoffice.set_stock(item_id, "WH", Decimal(100 + rng.randint(0, 50)))
            sandbox.latency = args.latency
            shop = BigCommerceShop(
                sandbox.url,
                sandbox.store_hash,
                TOKEN,
                options=HttpOptions(verify=Path(sandbox.ca_bundle)),
            )
            store = Store.open_data_dir(root)
            runner = Runner(root, store=store, console=Console(quiet=True))
            profile = _profile()

            def measure(label: str, changed: int, reads: int) -> None:
                nonlocal ok
                sandbox.reset_requests()
                started = time.perf_counter()
                summary = runner.run(profile, "update-stock", backoffice=backoffice, shop=shop)
                elapsed = time.perf_counter() - started
                sent = list(sandbox.requests)
                stock = sent.count(INVENTORY)
                open_reads = sum(1 for r in sent if r in OPEN_ORDER_READS)
                floor = math.ceil(changed / 2000)
                ok = ok and summary.status == "succeeded" and stock <= 1.05 * floor
                print(
                    f"{label}: {summary.counts['updated']} stock levels sent, "
                    f"{summary.counts['unchanged']} unchanged, status {summary.status}"
                )
                print(
                    f"  stock requests     {stock} (floor {floor}, "
                    f"ratio {stock / floor:.2f}, bound 1.05)"
                )
                print(
                    f"  catalogue reads    {len(sent) - stock - open_reads} (expected "
                    f"{reads}, 250 products a page)"
                )
                print(
                    f"  open-order reads   {open_reads} (the inventory setting and one "
                    "list per status holding stock)"
                )
                print(
                    f"  quota waits        {shop.client.pacer.waits} "
                    f"({shop.client.pacer.waited:.1f} s), 429 received "
                    f"{shop.client.pacer.rate_limited}"
                )
                print(
                    f"  wall time          {elapsed:.2f} s "
                    f"({args.latency * 1000:.0f} ms latency per request)"
                )

            measure("run 1 (nothing bound yet)", args.items, math.ceil(args.items / 250))
            changed = rng.sample(sorted(backoffice.items), max(1, int(args.items * args.changed)))
            for item_id in changed:
                backoffice.set_stock(item_id, "WH", Decimal(1000 + rng.randint(0, 50)))
            measure(f"run 2 ({len(changed)} items changed)", len(changed), 0)
            shop.close()
            store.close()
        finally:
            sandbox.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
