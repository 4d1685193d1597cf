"""The file back-office: the ``BackOffice`` protocol over exported files and an outbox.

Reads come from the exports last taken in (:mod:`.intake`): items with their
prices, stock per warehouse, customers; each malformed line is kept as that
line's error (:meth:`FilesBackOffice.unread_records`) for the flow to park,
and the good lines go on. Sales go to the outbox (:mod:`.outbox`), one file per
order key, exactly once. What only a program with a database can do (create an
item, book a stock count) is refused with a message saying where to do it.

Customers the order import opens (a new buyer's account) are kept in the
outbox's ledger, so a repeat buyer is found again before the back-office's
next customer export lists them; the sales document carries their name and
addresses for the program to create the account on import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from passerelle.connectors.arithmetic import BackOfficeArithmetic
from passerelle.connectors.base import ConnectionReport
from passerelle.connectors.errors import ConnectorError, NotFoundError, RecordError
from passerelle.connectors.files.arithmetic import FILES_ARITHMETIC
from passerelle.connectors.files.catalogue import categories, read_items
from passerelle.connectors.files.customers_read import customer_groups, read_customers
from passerelle.connectors.files.intake import ExportSource, Intake
from passerelle.connectors.files.outbox import Outbox
from passerelle.connectors.files.prices_read import PROMOTION_LIST, read_prices
from passerelle.connectors.files.records import Read
from passerelle.connectors.files.shipments_read import read_deliveries
from passerelle.connectors.files.stock_read import read_stock
from passerelle.connectors.files.transport import Transport
from passerelle.i18n.messages import M_
from passerelle.model import (
    BackOfficeSale,
    Category,
    Customer,
    CustomerGroup,
    FieldInfo,
    Item,
    ItemWrite,
    OpenDemand,
    SaleResult,
    ShipmentInfo,
    StockKind,
    StockLevel,
    Tax,
    item_fields_seen,
)

__all__ = ["FilesBackOffice"]

_CUSTOMERS = "customers.json"


class FilesBackOffice:
    """A back-office reached through the files of ``transport``."""

    def __init__(
        self,
        *,
        transport: Transport,
        intake: Intake,
        outbox: Outbox,
        ledger: Transport,
        taxes: Sequence[Tax],
        items: ExportSource | None = None,
        prices: ExportSource | None = None,
        stock: ExportSource | None = None,
        customers: ExportSource | None = None,
        shipments: ExportSource | None = None,
        extra_items: Sequence[str] = (),
        promotion_list: str = PROMOTION_LIST,
        today: Callable[[], date] = date.today,
        describe: str = "",
        arithmetic: BackOfficeArithmetic = FILES_ARITHMETIC,
    ) -> None:
        self._arithmetic = arithmetic
        self.transport = transport
        self.intake = intake
        self.outbox = outbox
        self.ledger = ledger
        self.taxes = list(taxes)
        self.sources = {
            "items": items,
            "prices": prices,
            "stock": stock,
            "customers": customers,
            "shipments": shipments,
        }
        self.extra_items = tuple(extra_items)
        self.promotion_list = promotion_list
        self.today = today
        self.describe = describe
        self._unread: dict[str, list[ConnectorError]] = {}
        self._items: list[Item] | None = None
        self._customers: list[Customer] | None = None
        self._stock_exported_at: datetime | None = None

    @property
    def arithmetic(self) -> BackOfficeArithmetic:
        """Tax per rate on the document, or per line, as the program is set (the outbox
        computes its files with the same object)."""
        return self._arithmetic

    def close(self) -> None:
        self.transport.close()

    # ------------------------------------------------------------------ reads
    def unread_records(self, kind: str) -> list[ConnectorError]:
        return list(self._unread.get(kind, []))

    def test_connection(self) -> ConnectionReport:
        try:
            waiting = self.transport.names(self.intake.inbox)
        except ConnectorError as exc:
            return ConnectionReport(False, str(exc))
        return ConnectionReport(
            True, f"{self.describe}: {len(waiting)} file(s) waiting in {self.intake.inbox!r}"
        )

    def _read_items(self) -> list[Item]:
        problems: list[ConnectorError] = []
        items: list[Item] = []
        source = self.sources["items"]
        if source is not None:
            kept = self.intake.current("items", source)
            read = read_items(
                kept.tables,
                source.columns,
                taxes=self.taxes,
                today=self.today(),
                promotion_list=self.promotion_list,
            )
            items, problems = read.records, list(read.problems)
        prices = self.sources["prices"]
        if prices is not None:
            kept = self.intake.current("prices", prices)
            priced = read_prices(
                kept.tables,
                prices.columns,
                items,
                today=self.today(),
                promotion_list=self.promotion_list,
            )
            items = priced.records
            problems += priced.problems
        known = {item.code for item in items}
        items += [
            Item(code, code, code, Decimal(0), stocked=False)
            for code in self.extra_items
            if code not in known
        ]
        self._unread["item"] = problems
        return items

    def list_items(self, modified_since: datetime | None = None) -> list[Item]:
        """Every item of the last export: a file carries no modification dates, so the
        flows tell what changed by the content they sent last."""
        self._items = self._read_items()
        return list(self._items)

    def _known_items(self) -> list[Item]:
        if self._items is None:
            self._items = self._read_items()
        return self._items

    def list_taxes(self) -> list[Tax]:
        return list(self.taxes)

    def list_categories(self) -> list[Category]:
        return categories(self._known_items())

    def item_fields(self) -> list[FieldInfo]:
        return item_fields_seen(self._known_items())

    def read_item_file(self, ref: str) -> bytes:
        raise NotFoundError(M_("no item file %(file)s", file=ref))

    def stock_levels(
        self,
        warehouses: Sequence[str] | None = None,
        item_ids: Iterable[str] | None = None,
        kind: StockKind = StockKind.ON_HAND,
    ) -> list[StockLevel]:
        """The quantities of the last stock export, whatever ``kind``: the export says
        what the program counted; sales it has not taken are subtracted as open demand."""
        source = self.sources["stock"]
        if source is None:
            self._unread["stock"] = []
            return []
        kept = self.intake.current("stock", source)
        self._stock_exported_at = kept.exported_at
        read = read_stock(kept.tables, source.columns, self._known_items())
        self._unread["stock"] = list(read.problems)
        wanted = set(item_ids) if item_ids is not None else None
        return [
            level
            for level in read.records
            if (wanted is None or level.item_id in wanted)
            and (not warehouses or level.warehouse in warehouses)
        ]

    def item_codes(self) -> set[str]:
        return {i.code for i in self._known_items() if i.active and i.salable}

    def item_quantities(self, codes: Iterable[str]) -> dict[str, Decimal]:
        wanted = set(codes)
        quantities: dict[str, Decimal] = {}
        for level in self.stock_levels():
            if level.item_code in wanted:
                quantities[level.item_code] = quantities.get(level.item_code, Decimal(0)) + (
                    level.quantity
                )
        return quantities

    # -------------------------------------------------------------- customers
    def _read_customers(self) -> list[Customer]:
        source = self.sources["customers"]
        exported: Read[Customer] = Read()
        if source is not None:
            kept = self.intake.current("customers", source)
            exported = read_customers(kept.tables, source.columns)
        self._unread["customer"] = list(exported.problems)
        known = {c.code for c in exported.records}
        opened = [c for c in self._opened().values() if c.code not in known]
        self._customers = exported.records + opened
        return list(self._customers)

    def _known_customers(self) -> list[Customer]:
        """The customers as last read: an order import looks a buyer up several times
        per order, and the export is read (and, on a server, listed) once per run."""
        if self._customers is None:
            return self._read_customers()
        return self._customers

    def list_customers(self, modified_since: datetime | None = None) -> list[Customer]:
        return self._read_customers()

    def list_customer_groups(self) -> list[CustomerGroup]:
        groups = {g.name: g for g in customer_groups(self._known_customers())}
        for item in self._known_items():
            for name, _price in item.group_prices:
                if name != self.promotion_list:
                    groups.setdefault(name, CustomerGroup(name, name))
        return sorted(groups.values(), key=lambda g: g.name)

    def find_customer(
        self, *, code: str = "", email: str = "", tax_identifier: str = ""
    ) -> Customer | None:
        for customer in self._known_customers():
            if code and customer.code == code:
                return customer
            if not code and email and customer.email.casefold() == email.casefold():
                return customer
            if (
                not code
                and not email
                and tax_identifier
                and customer.tax_identifier == tax_identifier
            ):
                return customer
        return None

    def _opened(self) -> dict[str, Customer]:
        if not self.ledger.exists(_CUSTOMERS):
            return {}
        raw = json.loads(self.ledger.read(_CUSTOMERS).decode("utf-8"))
        return {code: _customer_of(data) for code, data in raw.items()}

    def upsert_customer(self, customer: Customer, *, update_addresses: bool = True) -> Customer:
        """A buyer the order import opens an account for: kept in the ledger (found
        again by code or e-mail); the sales document carries the rest."""
        opened = self._opened()
        code = customer.code or f"WEB{len(opened) + 1:06d}"
        kept = replace(customer, code=code, source_id=customer.source_id or code)
        kept = replace(kept, modified_at=datetime.now(UTC))
        opened[code] = kept
        text = json.dumps({c: _customer_json(v) for c, v in opened.items()}, ensure_ascii=False)
        self.ledger.write_atomic(_CUSTOMERS, text.encode("utf-8"))
        self._customers = None  # read again with the new account at the next look-up
        return kept

    # ------------------------------------------------------------------ sales
    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Items and taxes are checked against the exports and the profile's tax table;
        every other reference is written as named, for the program to check on import."""
        if kind == "item":
            return set(names) - self.item_codes()
        if kind == "tax":
            return set(names) - {t.name for t in self.taxes} - {t.source_id for t in self.taxes}
        return set()

    def find_sale(self, external_key: str) -> SaleResult | None:
        return self.outbox.find(external_key)

    def create_sale(self, sale: BackOfficeSale) -> SaleResult:
        return self.outbox.write(sale)

    def cancel_sale(self, external_key: str) -> SaleResult:
        return self.outbox.cancel(external_key)

    def open_sales_demand(
        self, key_prefix: str, warehouses: Sequence[str] | None = None
    ) -> list[OpenDemand]:
        source = self.sources["stock"]
        if self._stock_exported_at is None and source is not None:
            self._stock_exported_at = self.intake.current("stock", source).exported_at
        ids = {item.code: item.source_id for item in self._known_items()}
        return self.outbox.open_demand(key_prefix, self._stock_exported_at, ids)

    def shipped_sales(self, since: datetime | None) -> list[ShipmentInfo]:
        """The deliveries of the program's export of documents passerelle wrote, every one
        whatever ``since``: an export dates a delivery to the day, so a moment cannot
        tell what is new; the flow tells each shipment once (bound by its number)."""
        source = self.sources["shipments"]
        if source is None:
            return []
        kept = self.intake.current("shipments", source)
        read = read_deliveries(kept.tables, source.columns)
        self._unread["shipment"] = list(read.problems)
        keys = {
            entry.result.number: entry.key for entry in self.outbox.sales() if entry.result.number
        }
        return [
            ShipmentInfo(
                keys[d.number],
                d.number,
                d.shipment_number,
                d.shipped_at,
                carrier=d.carrier,
                tracking_number=d.tracking_number,
            )
            for d in read.records
            if d.number in keys
        ]

    # ------------------------------------------------------- not through files
    def upsert_item(self, item: ItemWrite) -> Item:
        raise RecordError(
            M_(
                "item %(code)s: the file back-office does not create items; create it in "
                "the back-office program, it arrives with its next export",
                code=item.code,
            )
        )

    def write_inventory(self, warehouse: str, quantities: Mapping[str, Decimal]) -> str:
        raise RecordError(
            M_(
                "the file back-office cannot book a stock count; enter the counted "
                "quantities in the back-office program"
            )
        )


def _customer_json(customer: Customer) -> dict[str, object]:
    return {
        "source_id": customer.source_id,
        "name": customer.name,
        "email": customer.email,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "company": customer.company,
        "code": customer.code,
        "phone": customer.phone,
        "tax_identifier": customer.tax_identifier,
        "group": customer.group,
    }


def _customer_of(data: Mapping[str, object]) -> Customer:
    def text(name: str) -> str:
        return str(data.get(name) or "")

    return Customer(
        source_id=text("source_id"),
        name=text("name"),
        email=text("email"),
        first_name=text("first_name"),
        last_name=text("last_name"),
        company=text("company"),
        code=text("code"),
        phone=text("phone"),
        tax_identifier=text("tax_identifier"),
        group=text("group"),
    )
