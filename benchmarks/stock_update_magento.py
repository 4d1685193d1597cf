"""Benchmark: stock update of 10,000 items against the Magento sandbox.

The connector sends stock as MSI source items (``POST /V1/inventory/source-items``),
``input_list_limit`` items a request — 20 by default, Magento's input-list
limit since 2.4.3 — so the floor is ceil(items / 20). Prints the requests
sent, that floor, their ratio (must stay ≤ 1.05) and the wall time.

    python benchmarks/stock_update_magento.py [--items 10000] [--list-limit 20]
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
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.connector import MagentoShop
from passerelle.model import ProductDraft
from passerelle.sandbox.magento import MagentoSandbox


def stock_writes(skus: list[str], offset: int = 0) -> list[ProductWrite]:
    fields = frozenset({"manage_stock", "stock_quantity"})
    return [ProductWrite(sku, ProductDraft(sku=sku, name=sku, regular_price=Decimal("1"),
                                           stock_quantity=(i * 7 + offset) % 50), sku, fields)
            for i, sku in enumerate(skus)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--list-limit", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = MagentoSandbox(None, cert_dir=Path(tmp) / "tls", list_limit=args.list_limit)
        skus = sandbox.seed_products(args.items)
        sandbox.start()
        shop = MagentoShop(sandbox.url, sandbox.token, list_limit=args.list_limit,
                           options=HttpOptions(verify=sandbox.ca_bundle))
        try:
            started = time.perf_counter()
            outcomes = shop.write_products(stock_writes(skus))
            elapsed = time.perf_counter() - started
        finally:
            shop.close()
            sandbox.stop()
    floor = math.ceil(args.items / args.list_limit)
    failed = sum(1 for o in outcomes if not o.ok)
    ratio = shop.request_count / floor
    print(f"items: {args.items}  source items per request: {args.list_limit}")
    print(f"requests: {shop.request_count}  floor: {floor}  ratio: {ratio:.3f} (≤ 1.05)")
    print(f"failed: {failed}  wall time: {elapsed:.1f} s")
    return 0 if ratio <= 1.05 and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
