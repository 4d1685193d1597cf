"""The layout of an order file: which values, in which columns, written how.

Desktop back-offices import sales documents through an import the user
defines ("import paramétrable" in Sage 50c / Ciel and EBP): the user tells
the program which column holds the document number, the customer account,
the item code, the quantity… An :class:`OrderLayout` is the same description
on passerelle's side, so the file it writes is the one that import reads.

Two styles, as those programs read them:

- ``lines``: one row per document line, the document's columns repeated on
  each row (rows with the same document number make one document);
- ``records``: a header record, then one record per line, then one per
  payment, each starting with its marker (``E``/``L``/``R`` by default) and
  with its own columns.

Values come from named *sources* (:data:`DOCUMENT_SOURCES`,
:data:`LINE_SOURCES`, :data:`PAYMENT_SOURCES`, or ``=text`` for a constant).
Amounts are the back-office arithmetic's (:class:`Figures`): the file says
what the back-office will compute, to the cent. A value is never silently
altered: an amount with more decimals than its column, or too wide for a
fixed-width column, is the order's error; only a text whose field allows it
(``cut``) is shortened.

Plain dataclasses: the profile settings that build them are another module's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from passerelle.connectors.arithmetic import BackOfficeArithmetic, TaxSpec
from passerelle.connectors.errors import RecordError
from passerelle.i18n.messages import M_, Message
from passerelle.model import Address, BackOfficePayment, BackOfficeSale, SaleLine

__all__ = [
    "DOCUMENT_SOURCES",
    "LINE_SOURCES",
    "PAYMENT_SOURCES",
    "Column",
    "Figures",
    "FileFormat",
    "LayoutStyle",
    "OrderLayout",
    "Record",
    "Row",
    "Value",
    "compute_figures",
    "rows",
    "source_value",
]

Value = str | Decimal | date | None

_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

_ADDRESS_FIELDS = (
    "full_name",
    "first_name",
    "last_name",
    "company",
    "street",
    "street2",
    "postal_code",
    "city",
    "country_code",
    "subdivision",
    "phone",
    "email",
)
#: Values of the document, usable in every record.
DOCUMENT_SOURCES: frozenset[str] = frozenset(
    {
        "number",
        "key",
        "date",
        "document_type",
        "party_code",
        "reference",
        "description",
        "comment",
        "currency",
        "warehouse",
        "carrier",
        "payment_term",
        "tax_rule",
        "origin_key",
        "untaxed",
        "tax",
        "total",
        "payments_total",
        *(f"{side}.{name}" for side in ("invoice", "shipment") for name in _ADDRESS_FIELDS),
    }
)
#: Values of one document line (``line.no`` counts from 1).
LINE_SOURCES: frozenset[str] = frozenset(
    "line." + name
    for name in (
        "no",
        "item_code",
        "description",
        "quantity",
        "unit_price",
        "amount",
        "tax_id",
        "tax_ids",
        "tax_amount",
        "total",
        "kind",
    )
)
#: Values of one payment; in the ``lines`` style, of the document's first payment.
PAYMENT_SOURCES: frozenset[str] = frozenset(
    "payment." + name for name in ("no", "journal", "amount", "date", "reference", "description")
)


class LayoutStyle(StrEnum):
    LINES = "lines"
    RECORDS = "records"


class FileFormat(StrEnum):
    CSV = "csv"
    FIXED = "fixed"
    XML = "xml"


@dataclass(frozen=True, slots=True)
class Column:
    """One value of a row: its title (the CSV heading, the XML element), where it comes
    from, and how it is written.

    ``width``: the most characters the value may take (the program's field
    length), and the exact width in a fixed-width file (required there). ``align``:
    ``left``/``right``; None puts numbers right and texts left. ``decimals``:
    digits after the separator (None: the value's own, at least two for
    money); a value that would need rounding is refused. ``cut``: a text
    longer than ``width`` may be shortened (never a number, a code or a date).
    """

    title: str
    source: str
    width: int | None = None
    align: Literal["left", "right"] | None = None
    fill: str = " "
    decimal_separator: str = ","
    decimals: int | None = None
    date_format: str = "%d/%m/%Y"
    cut: bool = False


@dataclass(frozen=True, slots=True)
class Record:
    """One kind of record of the ``records`` style: its marker, then its columns."""

    marker: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class OrderLayout:
    """How one order becomes one file (see the module's docstring and ``docs/files.md``).

    ``columns`` is the ``lines`` style's row; ``header``, ``line`` and
    ``payment`` the ``records`` style's records (no payment record: payments
    are not written). ``titles``: a first row of column titles (CSV, ``lines``).
    """

    style: LayoutStyle = LayoutStyle.LINES
    format: FileFormat = FileFormat.CSV
    columns: tuple[Column, ...] = ()
    header: Record | None = None
    line: Record | None = None
    payment: Record | None = None
    encoding: str = "cp1252"
    delimiter: str = ";"
    line_ending: str = "\r\n"
    extension: str = "csv"
    titles: bool = True

    def problems(self) -> list[Message]:
        """What makes this layout unusable, one message each (empty when usable)."""
        found: list[Message] = []
        groups: list[tuple[str, Sequence[Column], frozenset[str]]] = []
        if self.style == LayoutStyle.LINES:
            if not self.columns:
                found.append(M_("an order file in the lines style needs columns"))
            every = DOCUMENT_SOURCES | LINE_SOURCES | PAYMENT_SOURCES
            groups.append(("columns", self.columns, every))
        else:
            if self.header is None or self.line is None:
                found.append(
                    M_("an order file in the records style needs a header and a line record")
                )
            for name, record, allowed in (
                ("header", self.header, DOCUMENT_SOURCES),
                ("line", self.line, DOCUMENT_SOURCES | LINE_SOURCES),
                ("payment", self.payment, DOCUMENT_SOURCES | PAYMENT_SOURCES),
            ):
                if record is not None:
                    groups.append((name, record.columns, allowed))
        for name, columns, allowed in groups:
            for column in columns:
                found += _column_problems(self.format, name, column, allowed)
        return found


def _column_problems(
    file_format: FileFormat, record: str, column: Column, allowed: frozenset[str]
) -> list[Message]:
    found: list[Message] = []
    where = {"record": record, "column": column.title}
    if not column.source.startswith("=") and column.source not in allowed:
        found.append(
            M_(
                "order file, %(record)s: column %(column)s has the unknown source %(source)s",
                source=column.source,
                **where,
            )
        )
    if file_format == FileFormat.FIXED and not column.width:
        found.append(
            M_("order file, %(record)s: column %(column)s needs a width (fixed widths)", **where)
        )
    if len(column.fill) != 1:
        found.append(
            M_("order file, %(record)s: column %(column)s needs a fill of one character", **where)
        )
    if file_format == FileFormat.XML and not _XML_NAME.match(column.title):
        found.append(
            M_(
                "order file, %(record)s: column %(column)s cannot be an XML element name",
                **where,
            )
        )
    return found


# --------------------------------------------------------------------------
# The figures: what the back-office will compute for the document.
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    """A document's number and amounts as the back-office's arithmetic computes them.

    ``line_taxes`` are each line's own tax; the document's ``tax`` is the
    arithmetic's over the whole document (they agree for a per-line rounding).
    """

    number: str
    untaxed: Decimal
    tax: Decimal
    line_amounts: tuple[Decimal, ...]
    line_taxes: tuple[Decimal, ...]
    bases: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.untaxed + self.tax


def _applied_taxes(line: SaleLine) -> tuple[str, ...]:
    # As the memory back-office: a line on its item's taxes carries none of its own here.
    return () if line.item_taxes else line.tax_ids


def compute_figures(
    sale: BackOfficeSale,
    number: str,
    arithmetic: BackOfficeArithmetic,
    taxes: Mapping[str, TaxSpec],
) -> Figures:
    """The document's amounts; RecordError naming a tax id the back-office does not have."""
    for line in sale.lines:
        for tax_id in _applied_taxes(line):
            if tax_id not in taxes:
                raise RecordError(
                    M_(
                        "sale for %(key)s: tax %(tax)s is not among the back-office's taxes",
                        key=sale.external_key,
                        tax=tax_id,
                    )
                )
    rows = [(ln.quantity, ln.unit_price, _applied_taxes(ln)) for ln in sale.lines]
    totals = arithmetic.document_totals(rows, taxes)
    return Figures(
        number=number,
        untaxed=totals.untaxed,
        tax=totals.tax,
        line_amounts=tuple(arithmetic.line_amount(q, p) for q, p, _ in rows),
        line_taxes=tuple(arithmetic.document_totals([row], taxes).tax for row in rows),
        bases=dict(totals.bases),
    )


# --------------------------------------------------------------------------
# Values: a source's value for a document, a line, a payment.
# --------------------------------------------------------------------------


def _address_value(address: Address | None, name: str) -> str:
    if address is None:
        return ""
    value = address.full_name if name == "full_name" else getattr(address, name)
    return str(value)


def _document_value(sale: BackOfficeSale, figures: Figures, name: str) -> Value:
    simple: dict[str, Value] = {
        "number": figures.number,
        "key": sale.external_key,
        "date": sale.sale_date,
        "document_type": str(sale.document_type),
        "party_code": sale.party_code,
        "reference": sale.reference,
        "description": sale.description,
        "comment": sale.comment,
        "currency": sale.currency,
        "warehouse": sale.warehouse or "",
        "carrier": sale.carrier or "",
        "payment_term": sale.payment_term or "",
        "tax_rule": sale.tax_rule or "",
        "origin_key": sale.origin_key,
        "untaxed": figures.untaxed,
        "tax": figures.tax,
        "total": figures.total,
        "payments_total": sum((p.amount for p in sale.payments), Decimal(0)),
    }
    if name in simple:
        return simple[name]
    side, _, field_name = name.partition(".")
    address = sale.invoice_address if side == "invoice" else sale.shipment_address
    return _address_value(address, field_name)


def _line_value(line: SaleLine, number: int, figures: Figures, name: str) -> Value:
    index = number - 1
    values: dict[str, Value] = {
        "no": str(number),
        "item_code": line.item_code,
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "amount": figures.line_amounts[index],
        "tax_id": _applied_taxes(line)[0] if _applied_taxes(line) else "",
        "tax_ids": "+".join(_applied_taxes(line)),
        "tax_amount": figures.line_taxes[index],
        "total": figures.line_amounts[index] + figures.line_taxes[index],
        "kind": str(line.kind),
    }
    return values[name]


def _payment_value(payment: BackOfficePayment | None, number: int, name: str) -> Value:
    if payment is None:
        return None
    values: dict[str, Value] = {
        "no": str(number),
        "journal": payment.journal,
        "amount": payment.amount,
        "date": payment.date,
        "reference": payment.reference,
        "description": payment.description,
    }
    return values[name]


def source_value(
    source: str,
    sale: BackOfficeSale,
    figures: Figures,
    line: tuple[int, SaleLine] | None = None,
    payment: tuple[int, BackOfficePayment | None] | None = None,
) -> Value:
    """The value of ``source`` for the document, and the line or payment being written."""
    if source.startswith("="):
        return source[1:]
    kind, _, name = source.partition(".")
    if kind == "line":
        return None if line is None else _line_value(line[1], line[0], figures, name)
    if kind == "payment":
        chosen = payment or (1, sale.payments[0] if sale.payments else None)
        return _payment_value(chosen[1], chosen[0], name)
    return _document_value(sale, figures, source)


@dataclass(frozen=True, slots=True)
class Row:
    """One record of the file: what it is about, its marker ("" in the lines style), and
    each column with its value."""

    role: Literal["header", "line", "payment"]
    marker: str
    cells: tuple[tuple[Column, Value], ...]


def _row(
    role: Literal["header", "line", "payment"],
    record: Record | None,
    sale: BackOfficeSale,
    figures: Figures,
    line: tuple[int, SaleLine] | None = None,
    payment: tuple[int, BackOfficePayment | None] | None = None,
) -> list[Row]:
    if record is None:
        return []
    cells = tuple(
        (column, source_value(column.source, sale, figures, line, payment))
        for column in record.columns
    )
    return [Row(role, record.marker, cells)]


def rows(layout: OrderLayout, sale: BackOfficeSale, figures: Figures) -> list[Row]:
    """The file's records in order: per line (``lines`` style, at least one row even for a
    document without lines), or header, lines, payments (``records`` style)."""
    numbered = list(enumerate(sale.lines, start=1))
    if layout.style == LayoutStyle.LINES:
        record = Record("", layout.columns)
        chosen: list[tuple[int, SaleLine] | None] = [*numbered] if numbered else [None]
        return [r for line in chosen for r in _row("line", record, sale, figures, line)]
    found = _row("header", layout.header, sale, figures)
    for line in numbered:
        found += _row("line", layout.line, sale, figures, line)
    for number, payment in enumerate(sale.payments, start=1):
        found += _row("payment", layout.payment, sale, figures, payment=(number, payment))
    return found
