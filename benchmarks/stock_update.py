"""Benchmark: stock update of 10,000 items against the WooCommerce sandbox.

Prints the requests sent, the minimum possible (ceil(items / 100) batch writes
plus the catalogue pages read to find the products), the wall time, and the
same for a second run where 1 % of the stock changed. The back-office side is
in memory: what is measured is the shop side.

    python benchmarks/stock_update.py [--items 10000] [--latency 0.02]
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

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.model import Item
from passerelle.runner import Runner
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--changed", type=float, default=0.01, help="share changed in run 2")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sandbox = WooSandbox(root / "shop.json", seed=False, cert_dir=root / "tls")
        sandbox.start()
        try:
            products = sandbox.seed_products(args.items, prefix="BENCH-")
            backoffice = MemoryBackOffice()
            for product in products:
                item_id = str(product["id"])
                backoffice.items[item_id] = Item(
                    source_id=item_id,
                    code=product["sku"],
                    name=product["name"],
                    sale_price=Decimal("9.90"),
                )
                backoffice.set_stock(item_id, "WH", Decimal(rng.randint(0, 50)))
            sandbox.latency = args.latency
            shop = WooCommerceShop(
                sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
            )
            store = Store.open_data_dir(root)
            runner = Runner(root, store=store, console=Console(quiet=True))
            profile = _profile()

            def measure(label: str, expected_writes: int, reads: int) -> int:
                sandbox.reset_requests()
                before = shop.request_count
                started = time.perf_counter()
                summary = runner.run(profile, "update-stock", backoffice=backoffice, shop=shop)
                elapsed = time.perf_counter() - started
                sent = shop.request_count - before
                minimum = expected_writes + reads
                print(
                    f"{label}: {summary.counts['updated']} stock levels sent, "
                    f"{summary.counts['unchanged']} unchanged, status {summary.status}"
                )
                print(f"  requests sent      {sent} (sandbox received {len(sandbox.requests)})")
                print(
                    f"  minimum possible   {minimum} "
                    f"(= {expected_writes} batch writes + {reads} reads)"
                )
                print(f"  ratio to minimum   {sent / minimum:.3f}")
                print(
                    f"  wall time          {elapsed:.2f} s "
                    f"({args.latency * 1000:.0f} ms latency per request)"
                )
                return sent

            pages = math.ceil(args.items / 100)
            first = measure("run 1 (nothing bound yet)", math.ceil(args.items / 100), pages)
            changed = rng.sample(sorted(backoffice.items), max(1, int(args.items * args.changed)))
            for item_id in changed:
                backoffice.set_stock(item_id, "WH", Decimal(1000 + rng.randint(0, 50)))
            second = measure(
                f"run 2 ({len(changed)} items changed)", math.ceil(len(changed) / 100), 0
            )
            print(
                f"run 2 sent {second / first:.2%} of run 1's requests, "
                f"{second / math.ceil(args.items / 100):.2%} of its batch writes "
                f"({len(changed) / args.items:.0%} of the stock changed)"
            )
            shop.close()
            store.close()
        finally:
            sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
