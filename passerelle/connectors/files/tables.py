"""One exported file's bytes → its rows, each with its line number in the file.

Why rows keep their line: the merchant opens the file in a spreadsheet or a
text editor to fix a refused line, so every problem says where it is (the
1-based line of a CSV file, the sheet row of a workbook). Why decoding goes
line by line: desktop back-offices (Sage, Ciel, EBP) write Windows-1252, and a
file pasted together from several sources can hold one line in another
encoding; that line is refused, the others are read.

CSV goes through the standard :mod:`csv` module (any delimiter and quote
character, quoted fields spanning lines); XLSX through openpyxl in read-only,
values-only mode (the cached result of a formula, not the formula), whose cells
keep their native types: numbers, dates, booleans. References:
https://docs.python.org/3/library/csv.html (``Reader.line_num``),
https://docs.python.org/3/library/codecs.html#standard-encodings (``cp1252``,
``utf-8-sig``), https://openpyxl.readthedocs.io/en/stable/optimized.html
(read-only mode, ``reset_dimensions``, ``close``).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

from passerelle.connectors.errors import FatalError, RecordError
from passerelle.i18n.messages import M_

__all__ = ["Cell", "Row", "Table", "TableError", "TableFormat", "read_table"]

#: A cell as read: text from a CSV file; text, a number, a date or a boolean from XLSX.
Cell = str | int | float | Decimal | bool | datetime | date | time | None

_UTF8 = {"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"}


class TableError(FatalError):
    """The whole file cannot be read as configured (not a workbook, no such sheet,
    no such column): none of its lines is, so a flow must not take its silence
    for "no items" (and, say, put every item out of sale)."""


@dataclass(frozen=True, slots=True)
class TableFormat:
    """How a file is laid out; the defaults are what French desktop back-offices write.

    ``header_row`` is the 1-based line (sheet row) of the column names, 0 when the
    file has none (columns are then named by position). ``skip_rows`` lines after
    the header (after the top of the file when there is no header) are not data:
    a units line, a second title line.
    """

    format: Literal["csv", "xlsx"] = "csv"
    delimiter: str = ";"
    encoding: str = "cp1252"
    quote_char: str = '"'
    sheet: str | None = None
    header_row: int = 1
    skip_rows: int = 0


@dataclass(frozen=True, slots=True)
class Row:
    """One data line: its 1-based line (or sheet row) and its cells, in column order.

    ``error`` is set when the line could not be read (a byte the encoding does not
    have); its cells are then a best effort, only good for finding its reference.
    """

    line: int
    cells: tuple[Cell, ...]
    error: RecordError | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A file's rows. ``header`` holds the column names (empty without a header row)."""

    name: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def read_table(name: str, data: bytes, spec: TableFormat) -> Table:
    """The rows of the file ``name``; raises :class:`TableError` when the file as a
    whole cannot be read. Blank lines and the lines before the data are left out."""
    lines = (
        _xlsx_lines(name, data, spec.sheet)
        if spec.format == "xlsx"
        else _csv_lines(name, data, spec)
    )
    header: tuple[str, ...] = ()
    first_data = spec.header_row + spec.skip_rows
    rows: list[Row] = []
    for row in lines:
        if row.line == spec.header_row:
            header = tuple("" if c is None else str(c).strip() for c in row.cells)
        elif row.line > first_data and (row.error is not None or not _blank(row.cells)):
            rows.append(row)
    return Table(name=name, header=header, rows=tuple(rows))


def _blank(cells: tuple[Cell, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _csv_lines(name: str, data: bytes, spec: TableFormat) -> Iterator[Row]:
    """CSV records with the line each starts on; a line with an undecodable byte
    spoils only the record it belongs to."""
    encoding = spec.encoding.lower()
    if encoding in _UTF8:
        encoding = "utf-8"
        data = data.removeprefix(codecs.BOM_UTF8)
    bad: set[int] = set()

    def decoded() -> Iterator[str]:
        for number, raw in enumerate(data.splitlines(keepends=True), start=1):
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                bad.add(number)
                yield raw.decode(encoding, errors="replace")

    reader = csv.reader(decoded(), delimiter=spec.delimiter, quotechar=spec.quote_char)
    start = 1
    try:
        for cells in reader:
            spoilt = [n for n in range(start, reader.line_num + 1) if n in bad]
            error = _undecodable(name, spoilt[0], spec.encoding) if spoilt else None
            yield Row(line=start, cells=tuple(cells), error=error)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TableError(
            M_(
                "the file %(file)s cannot be read as CSV at line %(line)s (%(error)s); "
                "check its delimiter and quote character in the settings",
                file=name,
                line=start,
                error=str(exc),
            )
        ) from exc


def _undecodable(name: str, line: int, encoding: str) -> RecordError:
    return RecordError(
        M_(
            "%(file)s, line %(line)s: a character of this line cannot be read as %(encoding)s; "
            "save the file in %(encoding)s again, or set the file's encoding in the settings",
            file=name,
            line=line,
            encoding=encoding,
        )
    )


def _xlsx_lines(name: str, data: bytes, sheet: str | None) -> Iterator[Row]:
    """The rows of one sheet, numbered as the spreadsheet numbers them."""
    import openpyxl  # imported when used: only XLSX profiles need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(
            M_(
                "the file %(file)s cannot be read as an Excel workbook (.xlsx): %(error)s",
                file=name,
                error=str(exc) or type(exc).__name__,
            )
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableError(
                M_(
                    "the file %(file)s has no sheet %(sheet)s (its sheets: %(sheets)s)",
                    file=name,
                    sheet=repr(sheet),
                    sheets=", ".join(book.sheetnames),
                )
            )
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        # Some programs write a wrong sheet size; read what the sheet really holds.
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(min_row=1, values_only=True)
        for number, cells in enumerate(rows, start=1):
            yield Row(line=number, cells=tuple(_cell(c) for c in cells))
    finally:
        book.close()


def _cell(value: object) -> Cell:
    """A workbook value as a cell; what is none of a cell's types (a duration) as its text."""
    if value is None or isinstance(value, str | int | float | Decimal | date | time):
        return value
    return str(value)
