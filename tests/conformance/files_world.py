"""The conformance world's file back-office: the exports in its inbox, its order files read back.

Why a world of its own: a file back-office is what a desktop program (Sage,
EBP) exports and imports. The world plays that program's part with files
only: it drops the sample exports written from the Tryton demo copy's records
(:func:`passerelle.connectors.files.sample.write_sample_exports`, read from
Tryton once per world) in the inbox, and the profile maps their columns
(:data:`SAMPLE_HEADERS`). What the tests check of the sales is PARSED from
the order files the outbox wrote (the csv module: Windows-1252, ``;``,
decimal commas), never read from the connector's ledger: the file is what
the program imports. A shipment is what the program does: it takes the order
file (moved to its archive folder) and its next stock export counts the
units gone; a new phone is its next customer export.

Python's csv module (https://docs.python.org/3/library/csv.html) reads the
order files; openpyxl (https://openpyxl.readthedocs.io/en/stable/usage.html)
rewrites one cell of the items spreadsheet as the program would export it.
"""

from __future__ import annotations

import csv
import io
import os
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from passerelle.connectors.files.sample import (
    CUSTOMERS_FILE,
    GROUP_PRICE_HEADER,
    ITEMS_FILE,
    SAMPLE_HEADERS,
    STOCK_FILE,
    SampleExports,
    write_customers_export,
    write_stock_export,
)
from passerelle.model import StockLevel
from passerelle.platforms.files_outbox import DEFAULT_ORDER_COLUMNS
from passerelle.profiles import Profile

__all__ = [
    "EXPORTS",
    "OrderFile",
    "FilesExchange",
    "files_profile",
    "french_amount",
]

EXPORTS = "exports"  # the inbox the program exports into
ARCHIVE = "exports/archive"  # where passerelle moves an export once read
OUTBOX = "orders"  # where passerelle writes the order files
IMPORTED = "orders/imported"  # where the program moves an order file it imported
CANCELLED = "orders/cancelled"  # where passerelle moves a withdrawn order file
# The default columns (one row per line), plus the order key: a file name carries only
# the key's hash, and the tests tell each order's files apart by the shop order id.
KEY_TITLE = "Cle"
_ORDER_COLUMNS = (*DEFAULT_ORDER_COLUMNS, (KEY_TITLE, "key"))
# The order import's special items the demo profile names (orders.*_item(s)).
_SPECIAL_ITEM_OPTIONS = (
    "misc_item",
    "shipping_item",
    "gap_item",
    "gift_wrap_item",
    "gift_card_item",
    "ecotax_item",
    "substitute_item",
)


def french_amount(text: str) -> Decimal:
    """``1234,50`` (the order file's decimal comma) as a Decimal."""
    return Decimal(text.strip().replace(",", "."))


def _special_items(orders: dict[str, Any]) -> list[str]:
    named = [orders.get(option) for option in _SPECIAL_ITEM_OPTIONS]
    named += list(orders.get("coupon_items") or [])
    named += list((orders.get("discount_items") or {}).values())
    return sorted({str(code) for code in named if code})


def _decimal_comma(header: str) -> dict[str, object]:
    return {"header": header, "transforms": ["decimal_comma"]}


def files_settings(
    exchange: Path, exports: SampleExports, orders: dict[str, Any], promotion_list: str
) -> dict[str, object]:
    """The ``[backoffice]`` of a merchant whose program writes the sample exports into
    ``exchange/exports`` and imports order files from ``exchange/orders``."""
    items: dict[str, object] = dict(SAMPLE_HEADERS["items"])
    items |= {f"price:{name}": GROUP_PRICE_HEADER % name for name in exports.price_lists}
    items |= {f"attr:{name}": name for name in exports.attributes}
    stock = SAMPLE_HEADERS["stock"]
    return {
        "kind": "files",
        "folder": str(exchange),
        "inbox": EXPORTS,
        "archive": ARCHIVE,
        "taxes": [
            {
                "code": tax.source_id,
                "name": tax.name,
                "rate": format(tax.rate, "f"),
                "compound": tax.updates_unit_price,
            }
            for tax in exports.taxes
        ],
        "special_items": _special_items(orders),
        "promotion_list": promotion_list,
        "items": {"files": ITEMS_FILE, "columns": items},
        "stock": {
            "files": STOCK_FILE,
            "columns": {
                "code": stock["code"],
                "warehouse": stock["warehouse"],
                "quantity": _decimal_comma(stock["quantity"]),
            },
        },
        "customers": {"files": CUSTOMERS_FILE, "columns": dict(SAMPLE_HEADERS["customers"])},
        "outbox": {
            "folder": OUTBOX,
            "archives": [IMPORTED],
            "columns": [{"title": title, "source": source} for title, source in _ORDER_COLUMNS],
        },
    }


def files_profile(profile: Profile, exchange: Path, exports: SampleExports) -> Profile:
    """``profile`` (the demo's, pointed at the world's shop) on the file back-office."""
    data = profile.model_dump(mode="json")
    promotion = data["catalogue"]["prices"].get("promotion_price_list") or "Soldes"
    data["backoffice"] = files_settings(exchange, exports, data["orders"], promotion)
    return Profile.model_validate(data)


@dataclass(frozen=True, slots=True)
class OrderFile:
    """One order file as the program reads it: the document's figures (the same on
    each of its rows, checked) and its lines."""

    path: Path
    key: str
    number: str
    untaxed: Decimal
    tax: Decimal
    total: Decimal
    paid: Decimal
    lines: tuple[tuple[str, Decimal], ...]  # item code, quantity
    amounts: tuple[tuple[str, Decimal], ...]  # item code, untaxed amount


_DOCUMENT = {
    "key": KEY_TITLE,
    "number": "Numero",
    "untaxed": "TotalHT",
    "tax": "TVA",
    "total": "TotalTTC",
    "paid": "MontantRegle",
}
_AMOUNTS = ("untaxed", "tax", "total", "paid")


def read_order_file(path: Path) -> OrderFile:
    """The file's rows through the csv module; AssertionError when a document value
    differs from one row to the next (a file the program could not import)."""
    text = path.read_bytes().decode("cp1252")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows, f"{path.name}: no row"
    first = rows[0]
    for row in rows[1:]:
        assert all(row[t] == first[t] for t in _DOCUMENT.values()), (path.name, row, first)
    values = {name: first[title] for name, title in _DOCUMENT.items()}
    return OrderFile(
        path,
        values["key"],
        values["number"],
        *(french_amount(values[name] or "0") for name in _AMOUNTS),
        lines=tuple((r["Article"], french_amount(r["Quantite"])) for r in rows if r["Article"]),
        amounts=tuple((r["Article"], french_amount(r["MontantHT"])) for r in rows if r["Article"]),
    )


@dataclass
class FilesExchange:
    """The exchange folder the program and passerelle share, and what the program
    counts now (its next stock and customer exports start from these)."""

    folder: Path
    exports: SampleExports
    levels: list[StockLevel]

    @classmethod
    def of(cls, folder: Path, exports: SampleExports) -> FilesExchange:
        return cls(folder, exports, list(exports.stock))

    @property
    def inbox(self) -> Path:
        return self.folder / EXPORTS

    def order_files(self) -> list[OrderFile]:
        """Every order file written, waiting, imported by the program or withdrawn,
        oldest first (by document number, the outbox's sequence)."""
        found = [
            read_order_file(path)
            for sub in (OUTBOX, IMPORTED, CANCELLED)
            if (self.folder / sub).is_dir()
            for path in sorted((self.folder / sub).iterdir())
            if path.is_file() and not path.name.startswith(".")
        ]
        return sorted(found, key=lambda f: (f.number, f.path.name))

    def take(self, key: str) -> list[OrderFile]:
        """The program imports the order ``key``'s files waiting in the outbox: it moves
        them to its archive folder."""
        taken = [
            f
            for f in self.order_files()
            if (f.key == key or f.key.startswith(f"{key}/"))
            and f.path.parent == self.folder / OUTBOX
        ]
        assert taken, f"no order file waiting for {key}: the order was not imported"
        (self.folder / IMPORTED).mkdir(parents=True, exist_ok=True)
        for order in taken:
            order.path.rename(self.folder / IMPORTED / order.path.name)
        return taken

    def ship(self, taken: list[OrderFile]) -> None:
        """The warehouse ships what the program imported, and its next stock export
        counts the units gone (dated now, to the nanosecond: a file system's clock may
        lag the one passerelle dates what it saw with)."""
        for order in taken:
            for code, quantity in order.lines:
                self._lower(code, quantity)
        self._export_stock()

    def receive(self, code: str, units: Decimal) -> None:
        """Goods delivered into the first warehouse holding the item: the program's next
        stock export counts them (dated now, as :meth:`ship`'s)."""
        self._lower(code, -units)
        self._export_stock()

    def _export_stock(self) -> None:
        write_stock_export(self.levels, self.inbox)
        now = time.time_ns()
        os.utime(self.inbox / STOCK_FILE, ns=(now, now))

    def _lower(self, code: str, quantity: Decimal) -> None:
        """Units leave the first warehouse holding the item (a service has no level)."""
        for n, level in enumerate(self.levels):
            if level.item_code == code:
                self.levels[n] = replace(level, quantity=level.quantity - quantity)
                return

    def add_customer_phone(self, code: str, phone: str) -> None:
        """The program's next customer export, the customer ``code`` with a phone."""
        customers = list(self.exports.customers)
        (n,) = [i for i, c in enumerate(customers) if c.code == code]
        customers[n] = replace(customers[n], phone=phone)
        self.exports = replace(self.exports, customers=tuple(customers))
        write_customers_export(customers, self.inbox)

    def change_cell(self, code: str, field: str, value: object) -> None:
        """The program's next items export: the last one taken in, one cell changed."""
        book = load_workbook(self.folder / ARCHIVE / ITEMS_FILE)
        sheet = book.active
        assert sheet is not None
        header = [cell.value for cell in sheet[1]]
        code_column = header.index(SAMPLE_HEADERS["items"]["code"]) + 1
        column = header.index(SAMPLE_HEADERS["items"][field]) + 1
        (row,) = [
            r for r in range(2, sheet.max_row + 1) if sheet.cell(r, code_column).value == code
        ]
        sheet.cell(row, column).value = value
        self.inbox.mkdir(parents=True, exist_ok=True)
        book.save(self.inbox / ITEMS_FILE)
        book.close()
