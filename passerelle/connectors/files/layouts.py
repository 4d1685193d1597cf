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
Amounts are the back-office arithmetic's (``layout_rows.Figures``): the file says
what the back-office will compute, to the cent. A value is never silently
altered: an amount with more decimals than its column, or too wide for a
fixed-width column, is the order's error; only a text whose field allows it
(``cut``) is shortened.

Plain dataclasses: the profile settings that build them are another module's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from passerelle.i18n.messages import M_, Message

__all__ = [
    "DOCUMENT_SOURCES",
    "LINE_SOURCES",
    "PAYMENT_SOURCES",
    "Column",
    "FileFormat",
    "LayoutStyle",
    "OrderLayout",
    "Record",
    "Value",
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
    length), and the exact width in a fixed-width file (required there;
    characters, which are bytes in the single-byte encodings such files use). ``align``:
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
