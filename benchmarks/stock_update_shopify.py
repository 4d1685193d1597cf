"""Benchmark: the update-stock flow for 10,000 items against the Shopify sandbox.

Runs the whole flow (``runner.run``: MemoryBackOffice → store, bindings, journal →
the connector → the sandbox, at the Standard plan's documented bucket: 2,000
points, 100 a second) and prints the requests, the inventorySetQuantities calls
against the floor (⌈items / 250⌉ = 40), the cost spent, THROTTLED answers, and
the flow's wall time against the bound.

Bound: the time the documented bucket needs to refill for the cost spent beyond
its initial 2,000 points, (Σ actualQueryCost − 2,000) / 100 s; no client finishes
sooner without being throttled. The must-show: 0 THROTTLED and wall time ≤ 1.2 ×
bound. Each call of 250 levels first reads their quantities (``nodes(ids:)``, 3 points
a level) to write them compare-and-swap, so that units an order takes meanwhile are
not offered again: about 30,000 points at 10,000 items, where the bucket sets the pace
(about five minutes on the Standard plan) even with the default bulk read of the SKUs;
``--reads pages`` reads the SKUs 250 a page instead (752 points a page).

    python benchmarks/stock_update_shopify.py [--items 10000] [--reads bulk|pages]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench_profile import bench_profile as _profile
from rich.console import Console

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.shopify.connector import BULK_READ_MIN, ShopifyShop
from passerelle.model import Item
from passerelle.runner import Runner
from passerelle.sandbox.shopify.cost import plan_bucket
from passerelle.sandbox.shopify.server import ShopifySandbox
from passerelle.store import Store

# The Standard plan's bucket (2,000 points, 100 a second), the strictest: what is measured.
MAXIMUM, RESTORE = plan_bucket("standard")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--reads", choices=("bulk", "pages"), default="bulk")
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sandbox = ShopifySandbox(
            None, cert_dir=root / "tls", plan="standard", maximum=MAXIMUM, restore_rate=RESTORE
        ).start()
        try:
            backoffice = MemoryBackOffice()
            for index, (sku, _) in enumerate(sandbox.seed_products(args.items, "BENCH-")):
                backoffice.items[str(index)] = Item(str(index), sku, sku, Decimal("9.90"))
                backoffice.set_stock(str(index), "WH", Decimal(index % 50))
            sandbox.latency = args.latency
            shop = ShopifyShop(
                sandbox.url,
                "shpat_demo",
                options=HttpOptions(verify=sandbox.ca_bundle),
                bulk_read_min=BULK_READ_MIN if args.reads == "bulk" else 10**9,
            )
            store = Store.open_data_dir(root)
            runner = Runner(root, store=store, console=Console(quiet=True))
            sandbox.reset_requests()
            sandbox.bucket.configure(MAXIMUM, RESTORE)
            started = time.monotonic()
            summary = runner.run(_profile(), "update-stock", backoffice=backoffice, shop=shop)
            elapsed = time.monotonic() - started
            operations = sandbox.operations
            writes = operations.count(("mutation", "inventorySetQuantities"))
            floor = math.ceil(args.items / 250)
            spent = sum(actual or 0 for _, actual in sandbox.costs)
            bound = max(0.0, spent - MAXIMUM) / RESTORE
            print(
                f"items                      {args.items} ({summary.counts['updated']} sent, "
                f"status {summary.status}), SKUs read by {args.reads}"
            )
            print(
                f"requests sent              {shop.request_count} (GraphQL "
                f"{len(operations)}, file transfers {shop.bulk.transfers})"
            )
            print(
                f"inventorySetQuantities     {writes} (floor {floor}, ratio "
                f"{writes / floor:.3f}, bound 1.05)"
            )
            print(
                f"cost spent                 {spent} points (requested "
                f"{sum(r for r, _ in sandbox.costs)})"
            )
            print(
                f"THROTTLED received         {shop.client.throttled} (sandbox refused "
                f"{sandbox.bucket.throttled})"
            )
            print(f"bucket waits               {shop.client.bucket.waited:.2f} s")
            if bound > 0:
                print(
                    f"wall time vs bound         {elapsed:.2f} s vs {bound:.2f} s "
                    f"(ratio {elapsed / bound:.3f}, must be ≤ 1.2)"
                )
            else:
                print(
                    f"wall time vs bound         {elapsed:.2f} s vs 0 s: the whole sync "
                    f"fits in the initial {MAXIMUM:.0f}-point bucket (no wait needed; "
                    f"waited {shop.client.bucket.waited:.2f} s)"
                )
            ok = (
                writes <= 1.05 * floor
                and shop.client.throttled == 0
                and (bound == 0 or elapsed <= 1.2 * bound)
            )
            shop.close()
            store.close()
            return 0 if ok else 1
        finally:
            sandbox.stop()


if __name__ == "__main__":
    sys.exit(main())
