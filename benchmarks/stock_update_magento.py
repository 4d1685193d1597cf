"""Benchmark: the update-stock flow for 10,000 items against the Magento sandbox.

The flow hands the connector ``batch_size("stock")`` levels at once (a whole
number of requests' worth); the connector sends them as MSI source items
(``POST /V1/inventory/source-items``), ``input_list_limit`` items a request —
20 by default, Magento's input-list limit since 2.4.3 — so the floor of the
writes is ⌈changed items / limit⌉. Reads come besides: the first run finds the
products by SKU (``GET /V1/products``, an ``in`` filter of up to 2,000 characters
of SKUs); every run looks the SKUs it updates up the same way (MSI takes the stock
of a SKU no product has without a word, so a product deleted in the shop would be
written to for nothing: it is answered ``gone`` instead), and reads the open orders
(``GET /V1/orders``) whose reservations Magento subtracts itself. Prints, per run,
the requests sent, that floor, their ratio (the writes must stay ≤ 1.05 of their
floor) and the wall time. The back-office is in memory.

    python benchmarks/stock_update_magento.py [--items 10000] [--list-limit 20]
                                              [--latency 0.0] [--changed 0.01]
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
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Item
from passerelle.runner import Runner
from passerelle.sandbox.magento import MagentoSandbox
from passerelle.store import Store

WRITE = ("POST", "/rest/default/V1/inventory/source-items")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--list-limit", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--changed", type=float, default=0.01, help="share changed in run 2")
    args = parser.parse_args()
    rng = random.Random(7)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sandbox = MagentoSandbox(None, cert_dir=root / "tls", list_limit=args.list_limit)
        skus = sandbox.seed_products(args.items)
        backoffice = MemoryBackOffice()
        for index, sku in enumerate(skus):
            backoffice.items[str(index)] = Item(
                source_id=str(index), code=sku, name=sku, sale_price=Decimal("9.90")
            )
            backoffice.set_stock(str(index), "WH", Decimal(rng.randint(0, 50)))
        sandbox.start()
        sandbox.latency = args.latency
        shop = MagentoShop(
            sandbox.url,
            sandbox.token,
            list_limit=args.list_limit,
            options=HttpOptions(verify=sandbox.ca_bundle),
        )
        store = Store.open_data_dir(root)
        runner = Runner(root, store=store, console=Console(quiet=True))
        profile = _profile()
        print(
            f"items: {args.items}  source items per request: {args.list_limit}  "
            f"flow batch: {shop.batch_size('stock')} levels"
        )

        def measure(label: str, changed: int) -> None:
            nonlocal ok
            sandbox.reset_requests()
            before = shop.request_count
            started = time.perf_counter()
            summary = runner.run(profile, "update-stock", backoffice=backoffice, shop=shop)
            elapsed = time.perf_counter() - started
            sent = shop.request_count - before
            writes = sandbox.requests.count(WRITE)
            floor = math.ceil(changed / args.list_limit)
            ratio = writes / floor if floor else 1.0
            ok = ok and summary.status == "succeeded" and ratio <= 1.05
            print(
                f"{label}: {summary.counts['updated']} levels sent, "
                f"{summary.counts['unchanged']} unchanged, status {summary.status}"
            )
            print(
                f"  requests sent        {sent} ({writes} source-items writes, "
                f"{sent - writes} reads: SKUs and open orders)"
            )
            print(f"  floor of the writes  {floor} (= ⌈{changed} / {args.list_limit}⌉)")
            print(f"  ratio to the floor   {ratio:.3f} (≤ 1.05)")
            print(f"  wall time            {elapsed:.2f} s")

        try:
            measure("run 1 (nothing bound yet)", args.items)
            changed = rng.sample(sorted(backoffice.items), max(1, int(args.items * args.changed)))
            for item_id in changed:
                backoffice.set_stock(item_id, "WH", Decimal(1000 + rng.randint(0, 50)))
            measure(f"run 2 ({len(changed)} items changed)", len(changed))
        finally:
            shop.close()
            store.close()
            sandbox.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
