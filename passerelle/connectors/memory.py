"""An in-memory back-office: the second implementation of the ``BackOffice`` protocol.

It implements the protocol over plain dictionaries, with its own arithmetic
(:class:`MemoryArithmetic`), so a benchmark can hold 10,000 items without
building a 10,000-item Tryton database, and the conformance suite runs every
shop against a back-office that is not Tryton (seeded with
:meth:`MemoryBackOffice.copy_of` from the records another back-office reads).
Sales move stock only when shipped (:meth:`MemoryBackOffice.ship_sale`): until
then they are open demand, as in an ERP whose stock is counted on hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal

from passerelle.connectors.arithmetic import (
    BackOfficeArithmetic,
    DocumentLine,
    DocumentTotals,
    TaxSpec,
    cents,
)
from passerelle.connectors.base import BackOffice, ConnectionReport, Keys
from passerelle.connectors.errors import NotFoundError, RecordError
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
    SaleLineKind,
    SaleResult,
    ShipmentInfo,
    StockKind,
    StockLevel,
    Tax,
    item_fields_seen,
)

__all__ = ["MEMORY_ARITHMETIC", "MemoryArithmetic", "MemoryBackOffice"]

# Sale states (``SaleResult.state``) that owe nothing more, and those that have
# only ordered their units (no stock is promised to them yet).
_CLOSED = frozenset({"cancelled", "done"})
_NOT_CONFIRMED = frozenset({"draft", "quotation"})


class MemoryArithmetic:
    """A plainly simpler rule set than Tryton's, stated whole here.

    Every amount is rounded half up to the cent. A line's amount is quantity ×
    unit price, rounded. Each tax of a line is the line's rounded amount ×
    its rate, rounded on its own (no remainder carried between the taxes of a
    line); a tax that updates the unit price adds its rounded amount to the
    base of the taxes after it. The document's tax is the sum of those.
    ``create_sale`` stores exactly these figures, and the order mapping
    computes with the same object, so both agree to the cent.
    """

    def round_money(self, amount: Decimal) -> Decimal:
        return cents(amount)

    def line_amount(self, quantity: Decimal, unit_price: Decimal) -> Decimal:
        return cents(quantity * unit_price)

    def document_totals(
        self, lines: Iterable[DocumentLine], taxes: Mapping[str, TaxSpec]
    ) -> DocumentTotals:
        untaxed = Decimal(0)
        bases: dict[str, Decimal] = {}
        by_id: dict[str, Decimal] = {}
        for quantity, unit_price, tax_ids in lines:
            amount = self.line_amount(quantity, unit_price)
            untaxed += amount
            base = amount
            for tax_id in tax_ids:
                spec = taxes[tax_id]
                tax = cents(base * spec.rate)
                bases[tax_id] = bases.get(tax_id, Decimal(0)) + base
                by_id[tax_id] = by_id.get(tax_id, Decimal(0)) + tax
                if spec.updates_unit_price:
                    base += tax
        tax_total = sum(by_id.values(), Decimal(0))
        return DocumentTotals(untaxed=untaxed, tax=tax_total, bases=bases, tax_by_id=by_id)


MEMORY_ARITHMETIC = MemoryArithmetic()


@dataclass
class MemoryBackOffice:
    taxes: list[Tax] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)
    stock: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (item id, warehouse)
    customers: dict[str, Customer] = field(default_factory=dict)  # by code
    sales: dict[str, SaleResult] = field(default_factory=dict)  # by external key
    shipments: list[ShipmentInfo] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # ItemFile.ref → bytes
    groups: list[CustomerGroup] = field(default_factory=list)
    # X2: each count written (``write_inventory``): its number → (warehouse, item id → quantity)
    inventories: dict[str, tuple[str, dict[str, Decimal]]] = field(default_factory=dict)
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    _party_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def copy_of(
        cls, source: BackOffice, *, stock_kind: StockKind = StockKind.ON_HAND
    ) -> MemoryBackOffice:
        """A memory back-office holding what ``source`` reads: taxes, categories, items
        (with their files), the ``stock_kind`` quantities, customers and groups.

        Why: a suite written once runs on this back-office with the same records
        as on the real one, through the protocol only.
        """
        items = source.list_items()
        refs = {f.ref for item in items for f in (*item.images, *item.documents)}
        return cls(
            taxes=source.list_taxes(),
            categories=source.list_categories(),
            items={item.source_id: item for item in items},
            stock={
                (level.item_id, level.warehouse): level.quantity
                for level in source.stock_levels(kind=stock_kind)
            },
            customers={c.code: c for c in source.list_customers()},
            files={ref: source.read_item_file(ref) for ref in sorted(refs)},
            groups=source.list_customer_groups(),
        )

    @property
    def arithmetic(self) -> BackOfficeArithmetic:
        """The simpler rules of :class:`MemoryArithmetic`, which ``create_sale`` stores."""
        return MEMORY_ARITHMETIC

    def test_connection(self) -> ConnectionReport:
        return ConnectionReport(True, "in-memory back-office")

    def list_taxes(self) -> list[Tax]:
        return list(self.taxes)

    def list_categories(self) -> list[Category]:
        return list(self.categories)

    def list_items(self, modified_since: datetime | None = None) -> list[Item]:
        """Every item, or those changed after ``modified_since`` (an item without a
        date may have changed: it is in), each with the other variants of its
        template and the items sharing its code (see
        :class:`~passerelle.connectors.base.ReadsChanges`)."""
        if modified_since is None:
            return list(self.items.values())
        changed = [
            i
            for i in self.items.values()
            if i.modified_at is None or i.modified_at > modified_since
        ]
        if len(changed) == len(self.items):
            return changed
        return self.list_items_where(
            ids=[i.source_id for i in changed],
            codes=[i.code for i in changed],
            templates=[i.template_id for i in changed if i.template_id],
        )

    def list_items_where(
        self, *, ids: Keys = (), codes: Keys = (), templates: Keys = ()
    ) -> list[Item]:
        """Items by id, code (case ignored) or template (``ReadsChanges``).

        By id alone (a window of the catalogue) each is looked up, not searched for."""
        if not codes and not templates:
            return [self.items[key] for key in dict.fromkeys(ids) if key in self.items]
        wanted_ids, wanted_templates = set(ids), set(templates) - {""}
        folded = {c.casefold() for c in codes}
        return [
            i
            for i in self.items.values()
            if i.source_id in wanted_ids
            or i.code.casefold() in folded
            or i.template_id in wanted_templates
        ]

    def items_with_stock_changes_since(self, moment: datetime) -> set[str] | None:
        """None: stock here is set, not moved, so nothing tells when it changed."""
        return None

    def item_fields(self) -> list[FieldInfo]:
        """Standard fields (typed "char": nothing here knows better) and the attributes seen."""
        return item_fields_seen(self.items.values())

    def read_item_file(self, ref: str) -> bytes:
        if ref not in self.files:
            raise NotFoundError(M_("no item file %(file)s", file=ref))
        return self.files[ref]

    def upsert_item(self, item: ItemWrite) -> Item:
        """Create or update by code; tax and category are taken as names of known records."""
        existing = next((i for i in self.items.values() if i.code == item.code), None)
        taxes = tuple(t for t in self.taxes if t.name == item.tax)
        if item.tax is not None and not taxes:
            raise RecordError(
                M_(
                    "item %(code)s: tax %(tax)s does not exist",
                    code=item.code,
                    tax=repr(item.tax),
                )
            )
        categories = tuple(c.source_id for c in self.categories if c.name == item.category)
        if item.category is not None and not categories:
            raise RecordError(
                M_(
                    "item %(code)s: category %(category)s does not exist",
                    code=item.code,
                    category=repr(item.category),
                )
            )
        base = existing or Item(
            source_id=str(len(self.items) + 1),
            code=item.code,
            name=item.name,
            sale_price=Decimal(0),
        )
        updated = replace(
            base,
            name=item.name,
            description=item.description,
            active=item.active,
            sale_price=item.sale_price if item.sale_price is not None else base.sale_price,
            weight=item.weight if item.weight is not None else base.weight,
            barcode=item.barcode or base.barcode,
            taxes=taxes or base.taxes,
            category_ids=categories or base.category_ids,
            modified_at=datetime.now(UTC),
        )
        self.items[updated.source_id] = updated
        return updated

    def list_customer_groups(self) -> list[CustomerGroup]:
        return list(self.groups)

    def set_stock(self, item_id: str, warehouse: str, quantity: Decimal) -> None:
        self.stock[(item_id, warehouse)] = quantity

    def stock_levels(
        self,
        warehouses: Sequence[str] | None = None,
        item_ids: Iterable[str] | None = None,
        kind: StockKind = StockKind.ON_HAND,
    ) -> list[StockLevel]:
        """The quantities of ``set_stock`` whatever ``kind``: no orders or deliveries here."""
        wanted = set(item_ids) if item_ids is not None else None
        return [
            StockLevel(item_id, self.items[item_id].code, warehouse, quantity)
            for (item_id, warehouse), quantity in self.stock.items()
            if (wanted is None or item_id in wanted) and (not warehouses or warehouse in warehouses)
        ]

    def write_inventory(self, warehouse: str, quantities: Mapping[str, Decimal]) -> str:
        """X2: the counted quantities become the warehouse's; the count's number
        (``INV00001``…, kept in ``inventories`` with what it set), "" when nothing changed."""
        for item_id in quantities:
            item = self.items.get(item_id)
            if item is None or not item.stocked:
                raise RecordError(
                    M_(
                        "item %(code)s has no stock of its own: it cannot be counted",
                        code=item.code if item else item_id,
                    )
                )
        changed = {
            item_id: quantity
            for item_id, quantity in quantities.items()
            if self.stock.get((item_id, warehouse), Decimal(0)) != quantity
        }
        if not changed:
            return ""
        for item_id, quantity in changed.items():
            self.stock[(item_id, warehouse)] = quantity
        number = f"INV{len(self.inventories) + 1:05d}"
        self.inventories[number] = (warehouse, changed)
        return number

    def open_sales_demand(
        self, key_prefix: str, warehouses: Sequence[str] | None = None
    ) -> list[OpenDemand]:
        """The product lines of the sales keyed ``key_prefix…`` neither shipped nor cancelled.

        A draft or quotation has only ordered its units; any other document
        owes them to ship. The stock here is on hand: a sale lowers it only
        once shipped (``ship_sale``). A sale here is not kept per warehouse:
        it owes its units whatever ``warehouses`` are asked.
        """
        by_code = {item.code: item for item in self.items.values()}
        ordered: dict[str, Decimal] = {}
        to_ship: dict[str, Decimal] = {}
        for key, sale in self.sales.items():
            if not key.startswith(key_prefix) or sale.state in _CLOSED:
                continue
            owed = ordered if sale.state in _NOT_CONFIRMED else to_ship
            for line in sale.lines:
                if line.kind == SaleLineKind.PRODUCT and line.item_code in by_code:
                    owed[line.item_code] = owed.get(line.item_code, Decimal(0)) + line.quantity
        return [
            OpenDemand(
                by_code[code].source_id,
                code,
                ordered=ordered.get(code, Decimal(0)),
                to_ship=to_ship.get(code, Decimal(0)),
            )
            for code in sorted(set(ordered) | set(to_ship))
        ]

    def ship_sale(self, external_key: str, *, at: datetime | None = None) -> ShipmentInfo:
        """The warehouse ships the whole sale: its goods leave the stock on hand
        (from the warehouses holding most first) and ``shipped_sales`` lists it."""
        sale = self.sales.get(external_key)
        if sale is None:
            raise NotFoundError(M_("no sale for %(key)s", key=external_key))
        by_code = {item.code: item for item in self.items.values()}
        for line in sale.lines:
            item = by_code.get(line.item_code)
            if line.kind != SaleLineKind.PRODUCT or item is None or not item.stocked:
                continue
            left = line.quantity
            places = sorted(
                (k for k in self.stock if k[0] == item.source_id),
                key=lambda k: (-self.stock[k], k[1]),
            )
            for place in places:
                taken = min(left, max(self.stock[place], Decimal(0)))
                self.stock[place] -= taken
                left -= taken
            if left and places:
                self.stock[places[0]] -= left
        result = replace(sale, state="done")
        self.sales[external_key] = result
        shipment = ShipmentInfo(
            external_key,
            result.number,
            f"SH{len(self.shipments) + 1:05d}",
            at or datetime.now(UTC),
        )
        self.shipments.append(shipment)
        return shipment

    def list_customers(self, modified_since: datetime | None = None) -> list[Customer]:
        return list(self.customers.values())

    def find_customer(
        self, *, code: str = "", email: str = "", tax_identifier: str = ""
    ) -> Customer | None:
        if code:
            return self.customers.get(code)
        if email:
            return next(
                (c for c in self.customers.values() if c.email.casefold() == email.casefold()), None
            )
        return next(
            (
                c
                for c in self.customers.values()
                if tax_identifier and c.tax_identifier == tax_identifier
            ),
            None,
        )

    def upsert_customer(self, customer: Customer, *, update_addresses: bool = True) -> Customer:
        """Create or update by code; an empty code gets the next ``MEM#####`` number."""
        code = customer.code
        while not code or (not customer.code and code in self.customers):
            code = f"MEM{next(self._party_numbers):05d}"
        source_id = customer.source_id or code
        self.customers[code] = replace(
            customer, code=code, source_id=source_id, modified_at=datetime.now(UTC)
        )
        return self.customers[code]

    def item_codes(self) -> set[str]:
        return {i.code for i in self.items.values() if i.active and i.salable}

    def item_quantities(self, codes: Iterable[str]) -> dict[str, Decimal]:
        wanted = set(codes)
        quantities: dict[str, Decimal] = {}
        for item in self.items.values():
            if item.code in wanted and item.stocked:
                quantities[item.code] = sum(
                    (q for (item_id, _), q in self.stock.items() if item_id == item.source_id),
                    Decimal(0),
                )
        return quantities

    def missing_references(self, kind: str, names: Iterable[str]) -> set[str]:
        """Items and taxes are checked; the memory back-office has every other kind."""
        if kind == "item":
            return set(names) - self.item_codes()
        if kind == "tax":
            return set(names) - {t.name for t in self.taxes}
        return set()

    def cancel_sale(self, external_key: str) -> SaleResult:
        sale = self.sales.get(external_key)
        if sale is None:
            raise NotFoundError(M_("no sale for %(key)s", key=external_key))
        if sale.state == "done":
            raise RecordError(
                M_(
                    "sale %(number)s for %(key)s is shipped already",
                    number=sale.number,
                    key=external_key,
                )
            )
        self.sales[external_key] = replace(sale, state="cancelled")
        return self.sales[external_key]

    def shipped_sales(self, since: datetime | None) -> list[ShipmentInfo]:
        """The sales ``ship_sale`` shipped, since a moment when given."""
        return [
            s
            for s in self.shipments
            if since is None or s.shipped_at is None or s.shipped_at >= since
        ]

    def find_sale(self, external_key: str) -> SaleResult | None:
        return self.sales.get(external_key)

    def create_sale(self, sale: BackOfficeSale) -> SaleResult:
        """Like a real back-office: a repeated key returns the sale already written."""
        if sale.external_key in self.sales:
            return self.sales[sale.external_key]
        if sale.party_code not in self.customers:
            raise RecordError(M_("customer %(customer)s does not exist", customer=sale.party_code))
        specs = {
            t.source_id: TaxSpec(t.source_id, t.rate, t.updates_unit_price) for t in self.taxes
        }
        totals = self.arithmetic.document_totals(
            (
                (ln.quantity, ln.unit_price, () if ln.item_taxes else ln.tax_ids)
                for ln in sale.lines
            ),
            specs,
        )
        untaxed, tax = totals.untaxed, totals.tax
        result = SaleResult(
            source_id=str(len(self.sales) + 1),
            number=f"SO{next(self._numbers):05d}",
            state=str(sale.document_type),
            untaxed_amount=untaxed,
            tax_amount=tax,
            total_amount=untaxed + tax,
            external_key=sale.external_key,
            party_code=sale.party_code,
            lines=sale.lines,
            payments_total=sum((p.amount for p in sale.payments), Decimal(0)),
        )
        if (
            sale.expected_total is not None
            and abs(result.total_amount - sale.expected_total) > sale.total_tolerance
        ):
            raise RecordError(
                M_(
                    "sale for %(key)s: back-office total %(total)s differs from the shop's "
                    "%(expected)s; nothing was written",
                    key=sale.external_key,
                    total=result.total_amount,
                    expected=sale.expected_total,
                )
            )
        self.sales[sale.external_key] = result
        return result
