"""Peak memory of reading a big orders file: generate one (200 MB, ~82,700 orders by
default), read it the way ``passerelle orders import-xml`` does, print the peak RSS.

    python3 benchmarks/xml_orders_memory.py              # 200 MB in a temporary folder
    python3 benchmarks/xml_orders_memory.py --mb 20 --keep orders.xml
    python3 benchmarks/xml_orders_memory.py --import     # the import flow itself

Why a child process: ``resource.getrusage`` gives a process's peak resident set,
never lowered; the reading runs in a fresh interpreter so its peak is its own,
not the generator's. The reading is the import's: ``XmlFileShop.iter_orders``
(each order checked against the schema and mapped to the canonical ``Order``,
then cleared), every order consumed. A whole-file reader holds the file, its
tree and every order (gigabytes at this size); a stream stays flat, under the
200 MB floor whatever the file's size. Exits 1 when the peak is over the floor.

``--import`` runs the import flow itself on the file (``orders import-xml``'s
path: runner, journal, exactly-once checks, a state store on disk) into an
in-memory back-office that keeps only the keys of the sales it writes, so the
figure is passerelle's, not a fake ERP's.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

NAMESPACE = "https://passerelle.dev/ns/orders/1"
FLOOR_MB = 200
ITEMS = ("SHIPPING", "MISC", "GIFTWRAP", "GAP", "POT-001", "TEA-001", "CUP-002")
# The profile of --import: every status, tax and payment of the generated orders mapped.
IMPORT_PROFILE: dict[str, Any] = {
    "name": "bench",
    "backoffice": {"database": "unused"},
    "shop": {
        "url": "https://127.0.0.1",
        "consumer_key": "env:BENCH_KEY",
        "consumer_secret": "env:BENCH_SECRET",
    },
    "orders": {
        "shipping_item": "SHIPPING",
        "misc_item": "MISC",
        "gift_wrap_item": "GIFTWRAP",
        "gap_item": "GAP",
        "period_days": 3650,
        "statuses": {"wc-processing": "order", "processing": "order"},
        "taxes": [{"shop_rate": "20", "tax": "VAT20"}, {"shop_rate": "5.5", "tax": "VAT5"}],
        "discount_items": {"VAT20": "MISC", "VAT5": "MISC"},
        "payments": {"stripe": {"journal": "BANK"}},
    },
}
BENCH_SECRETS = {"BENCH_KEY": "bench", "BENCH_SECRET": "bench"}  # never sent anywhere
# One order as a shop's export writes it, about 2.4 kB: 200 MB hold ~82,700 of them.
ORDER = """  <order id="{id}" number="WEB-{id}">
    <status shop="wc-processing">processing</status>
    <created>2024-05-01T14:30:00+02:00</created>
    <currency>EUR</currency>
    <customer id="{customer}"/>
    <billing>
      <first-name>Jeanne</first-name>
      <last-name>Martin</last-name>
      <street>12 rue des Lilas</street>
      <postal-code>69003</postal-code>
      <city>Lyon</city>
      <country>FR</country>
      <email>customer{customer}@example.com</email>
    </billing>
    <shipping>
      <first-name>Jeanne</first-name>
      <last-name>Martin</last-name>
      <street>12 rue des Lilas</street>
      <postal-code>69003</postal-code>
      <city>Lyon</city>
      <country>FR</country>
    </shipping>
    <lines>
      <line id="1" product-id="88">
        <reference>POT-001</reference>
        <name>Pot en grès 20 cm</name>
        <quantity>2</quantity>
        <subtotal>50.00</subtotal>
        <total>45.00</total>
        <total-tax>9.00</total-tax>
        <taxes>
          <tax id="1"><label>TVA 20 %</label><percent>20</percent><amount>9.00</amount></tax>
        </taxes>
      </line>
      <line id="2" product-id="91">
        <reference>TEA-001</reference>
        <name>Thé vert 100 g</name>
        <quantity>1</quantity>
        <subtotal>12.00</subtotal>
        <total>12.00</total>
        <total-tax>0.66</total-tax>
        <taxes>
          <tax id="3"><label>TVA 5,5 %</label><percent>5.5</percent><amount>0.66</amount></tax>
        </taxes>
      </line>
      <line id="3">
        <reference>CUP-002</reference>
        <name>Tasse en porcelaine</name>
        <quantity>4</quantity>
        <subtotal>32.00</subtotal>
        <total>32.00</total>
        <total-tax>6.40</total-tax>
        <taxes>
          <tax id="1"><label>TVA 20 %</label><percent>20</percent><amount>6.40</amount></tax>
        </taxes>
      </line>
    </lines>
    <shipping-lines>
      <shipping-line id="4" method="flat_rate">
        <title>Colissimo</title>
        <total>5.90</total>
        <total-tax>1.18</total-tax>
        <taxes>
          <tax id="1"><label>TVA 20 %</label><percent>20</percent><amount>1.18</amount></tax>
        </taxes>
      </shipping-line>
    </shipping-lines>
    <total-tax>17.24</total-tax>
    <total>112.14</total>
    <payment-method id="stripe">Carte bancaire</payment-method>
    <transaction-id>ch_3PexampleA{id}</transaction-id>
  </order>
"""


def write_orders_file(path: Path, size_bytes: int, *, shop: str | None = None) -> int:
    """Write an orders file of about ``size_bytes`` (never holding it in memory); how
    many orders it has."""
    shop_attribute = f' shop="{shop}"' if shop else ""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<orders xmlns="{NAMESPACE}" '
            f'version="1" source="bench-shop"{shop_attribute}>\n'
        )
        written = out.tell()
        while written < size_bytes:
            count += 1
            written += out.write(ORDER.format(id=100000 + count, customer=count % 5000))
        out.write("</orders>\n")
    return count


def read_in_child(path: Path, *, import_orders: bool = False) -> dict[str, float]:
    """Read (or import) ``path`` in a fresh interpreter; what it measured."""
    mode = "import" if import_orders else "read"
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **BENCH_SECRETS},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _child(mode: str, path: Path) -> None:
    """In the child: read the file as the import does, or run the import itself."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from passerelle.connectors.xmlfile import XmlFileShop, orders_schema

    orders_schema()  # compiled once per process, whatever the file: not the file's cost
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    counts = _import(path) if mode == "import" else _read(XmlFileShop(path))
    print(
        json.dumps(
            {
                **counts,
                "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "start_kb": before,
                "seconds": time.monotonic() - started,
            }
        )
    )


def _read(shop: Any) -> dict[str, float]:
    """Every order of the file through ``iter_orders``, as the import's loop takes them."""
    from passerelle.model import Order

    started = time.monotonic()
    orders = refused = 0
    first: float | None = None
    for item in shop.iter_orders(include_archived=True):
        first = time.monotonic() - started if first is None else first
        if isinstance(item, Order):
            orders += 1
        else:
            refused += 1
    return {"orders": orders, "refused": refused, "first_order_after": first or 0.0}


def _import(path: Path) -> dict[str, float]:
    """The import flow on the file, into a back-office that keeps only the keys of the
    sales it writes (an ERP's memory is not passerelle's), with a state store on disk."""
    import tempfile

    from rich.console import Console

    from passerelle.connectors.memory import MemoryBackOffice
    from passerelle.connectors.xmlfile import XmlFileShop
    from passerelle.model import BackOfficeSale, Item, SaleResult, Tax
    from passerelle.profiles.schema import Profile
    from passerelle.runner import Runner
    from passerelle.store import Store

    class KeysOnly(MemoryBackOffice):
        def __init__(self, **fields: Any) -> None:
            super().__init__(**fields)
            self.numbers: dict[str, str] = {}

        def find_sale(self, external_key: str) -> SaleResult | None:
            number = self.numbers.get(external_key)
            return (
                None
                if number is None
                else SaleResult(
                    "0", number, "order", Decimal(0), Decimal(0), Decimal(0), external_key
                )
            )

        def create_sale(self, sale: BackOfficeSale) -> SaleResult:
            result = super().create_sale(sale)
            self.sales.clear()
            self.numbers[sale.external_key] = result.number
            return result

    backoffice = KeysOnly(
        taxes=[Tax("1", "VAT20", Decimal("0.20")), Tax("2", "VAT5", Decimal("0.055"))],
        items={code: Item(code, code, code, Decimal(1)) for code in ITEMS},
    )
    profile = Profile.model_validate(IMPORT_PROFILE)
    with tempfile.TemporaryDirectory() as folder, Store.open_data_dir(folder) as store:
        runner = Runner(Path(folder), store=store, console=Console(quiet=True))
        summary = runner.run(
            profile,
            "import-orders",
            backoffice=backoffice,
            shop=XmlFileShop(path),
            options={"orders_file": str(path)},
        )
    return {
        "orders": summary.counts.get("created", 0),
        "refused": sum(n for k, n in summary.counts.items() if k != "created"),
        "first_order_after": 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=200, help="file size in MB (200)")
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    parser.add_argument(
        "--import",
        dest="import_orders",
        action="store_true",
        help="run the import flow itself (into a keys-only memory "
        "back-office), not only the reading",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "orders.xml"
        started = time.monotonic()
        count = write_orders_file(path, int(args.mb * 1_000_000))
        size_mb = path.stat().st_size / 1_000_000
        print(
            f"generated {path.name}: {size_mb:.0f} MB, {count:,} orders "
            f"in {time.monotonic() - started:.0f} s"
        )
        result = read_in_child(path, import_orders=args.import_orders)
    peak_mb = result["peak_kb"] / 1024
    done = "imported" if args.import_orders else "read"
    print(
        f"{done} {result['orders']:,.0f} orders ({result['refused']:.0f} other outcomes) in "
        f"{result['seconds']:.0f} s; first order after {result['first_order_after']:.2f} s"
    )
    print(
        f"peak RSS {peak_mb:.0f} MB (interpreter and imports: "
        f"{result['start_kb'] / 1024:.0f} MB) against a floor of {FLOOR_MB} MB: "
        f"{'under' if peak_mb < FLOOR_MB else 'OVER'}"
    )
    return 0 if peak_mb < FLOOR_MB else 1


if __name__ == "__main__":
    sys.exit(main())
