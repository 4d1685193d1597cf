"""Peak memory of reading a big orders file: generate one (200 MB, ~82,700 orders by
default), read it the way ``passerelle orders import-xml`` does, print the peak RSS.

    python3 benchmarks/xml_orders_memory.py              # 200 MB in a temporary folder
    python3 benchmarks/xml_orders_memory.py --mb 20 --keep orders.xml

Why a child process: ``resource.getrusage`` gives a process's peak resident set,
never lowered; the reading runs in a fresh interpreter so its peak is its own,
not the generator's. The reading is the import's: ``XmlFileShop.iter_orders``
(each order checked against the schema and mapped to the canonical ``Order``,
then cleared), every order consumed. A whole-file reader holds the file, its
tree and every order (gigabytes at this size); a stream stays flat, under the
200 MB floor whatever the file's size. Exits 1 when the peak is over the floor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NAMESPACE = "https://passerelle.dev/ns/orders/1"
FLOOR_MB = 200
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

READER = """
import json, resource, sys, time
from passerelle.connectors.errors import ConnectorError
from passerelle.connectors.xmlfile import XmlFileShop, orders_schema

orders_schema()  # compiled once per process, whatever the file: not the file's cost
start = time.monotonic()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
shop = XmlFileShop(sys.argv[1])
orders = refused = 0
first_after = None
for item in shop.iter_orders(include_archived=True):
    if first_after is None:
        first_after = time.monotonic() - start
    if isinstance(item, ConnectorError):
        refused += 1
    else:
        orders += 1
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"orders": orders, "refused": refused, "peak_kb": peak,
                  "start_kb": before, "seconds": time.monotonic() - start,
                  "first_order_after": first_after}))
"""


def write_orders_file(path: Path, size_bytes: int, *, shop: str | None = None) -> int:
    """Write an orders file of about ``size_bytes`` (never holding it in memory); how
    many orders it has."""
    shop_attribute = f' shop="{shop}"' if shop else ""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<orders xmlns="{NAMESPACE}" '
                  f'version="1" source="bench-shop"{shop_attribute}>\n')
        written = out.tell()
        while written < size_bytes:
            count += 1
            written += out.write(ORDER.format(id=100000 + count, customer=count % 5000))
        out.write("</orders>\n")
    return count


def read_in_child(path: Path) -> dict[str, float]:
    """Read ``path`` as the import does, in a fresh interpreter; what it measured."""
    done = subprocess.run([sys.executable, "-c", READER, str(path)], check=True,
                          capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=200, help="file size in MB (200)")
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "orders.xml"
        started = time.monotonic()
        count = write_orders_file(path, int(args.mb * 1_000_000))
        size_mb = path.stat().st_size / 1_000_000
        print(f"generated {path.name}: {size_mb:.0f} MB, {count:,} orders "
              f"in {time.monotonic() - started:.0f} s")
        result = read_in_child(path)
    peak_mb = result["peak_kb"] / 1024
    print(f"read {result['orders']:,.0f} orders ({result['refused']:.0f} refused) in "
          f"{result['seconds']:.0f} s; first order after {result['first_order_after']:.2f} s")
    print(f"peak RSS {peak_mb:.0f} MB (interpreter and imports: "
          f"{result['start_kb'] / 1024:.0f} MB) against a floor of {FLOOR_MB} MB: "
          f"{'under' if peak_mb < FLOOR_MB else 'OVER'}")
    return 0 if peak_mb < FLOOR_MB else 1


if __name__ == "__main__":
    sys.exit(main())
