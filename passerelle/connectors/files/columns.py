"""Which column holds which field, and the small cleanups a column's values need.

Why a mapping rather than fixed layouts: every back-office names its export
columns its own way ("Référence", "Code article", "Prix de vente HT"), and a
spreadsheet is laid out by hand. A field is found by its header, or by its
position when the file has no header line, or is a fixed value for every line
(the one warehouse a stock export is about). Transforms run in order:
``trim``, ``upper``, ``lower``, ``decimal_comma``, ``decimal``, ``integer``,
``date`` (with the column's ``date_format``, e.g. ``%d/%m/%Y``) and ``bool``.

A header the mapping names but the file lacks stops the file (:class:`TableError`):
no line of it can be read right. A value a transform refuses is that line's
:class:`CellError`, naming the file, the line and the column as a spreadsheet
shows it (``column "Prix TTC" (E)``), what was found and what is expected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from passerelle.connectors.errors import RecordError
from passerelle.connectors.files.tables import Cell, Row, Table, TableError
from passerelle.connectors.files.values import (
    Refused,
    as_bool,
    as_date,
    as_decimal,
    as_decimal_comma,
    as_integer,
    as_text,
)
from passerelle.i18n.messages import M_, Message, Text

__all__ = ["TRANSFORMS", "CellError", "Column", "ColumnMap", "Columns", "column_letter"]

_T = TypeVar("_T")
_Transform = Callable[[Cell, "Column"], Cell]
_TRANSFORMS: dict[str, _Transform] = {
    "trim": lambda v, _c: as_text(v).strip(),
    "upper": lambda v, _c: as_text(v).upper(),
    "lower": lambda v, _c: as_text(v).lower(),
    "decimal_comma": lambda v, _c: as_decimal_comma(v),
    "decimal": lambda v, _c: as_decimal(v),
    "integer": lambda v, _c: as_integer(v),
    "date": lambda v, c: as_date(v, c.date_format),
    "bool": lambda v, _c: as_bool(v),
}
#: The transform names a column may list (for the settings to check).
TRANSFORMS = frozenset(_TRANSFORMS)


@dataclass(frozen=True, slots=True)
class Column:
    """Where a field's value is: a header, else a 1-based position, else a fixed value."""

    header: str | None = None
    position: int | None = None
    fixed: str | None = None
    transforms: tuple[str, ...] = ()
    date_format: str | None = None

    def __post_init__(self) -> None:
        unknown = [t for t in self.transforms if t not in _TRANSFORMS]
        if unknown:
            raise ValueError(f"unknown transforms {unknown}")  # internal: settings check TRANSFORMS
        if self.header is None and self.position is None and self.fixed is None:
            raise ValueError("a header, a position or a fixed value")  # internal: idem
        if self.position is not None and self.position < 1:
            raise ValueError("column positions start at 1")  # internal: idem


#: Target field → its column. Item fields, ``attr:<name>`` for custom fields.
ColumnMap = Mapping[str, Column]


class CellError(RecordError):
    """One line's value refused; ``record_id`` is set to the line's reference when known."""


def column_letter(position: int) -> str:
    """1 → A, 26 → Z, 27 → AA: the column as a spreadsheet names it."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _norm(header: str) -> str:
    return " ".join(header.split()).casefold()


@dataclass(frozen=True, slots=True)
class _Place:
    column: Column
    index: int | None  # 0-based cell index; None for a fixed value
    label: Message


class Columns:
    """A column mapping bound to one file: each field's cell and its name for a merchant."""

    def __init__(self, table: Table, mapping: ColumnMap) -> None:
        self.file = table.name
        by_header: dict[str, int] = {}
        for number, header in enumerate(table.header):
            by_header.setdefault(_norm(header), number)
        self._places: dict[str, _Place] = {}
        for field, column in mapping.items():
            index: int | None = None
            if column.header is not None and _norm(column.header) in by_header:
                index = by_header[_norm(column.header)]
            elif column.position is not None:
                index = column.position - 1
            elif column.header is not None:
                raise TableError(_missing(table, column.header))
            self._places[field] = _Place(column, index, _label(table, column, index))

    def has(self, field: str) -> bool:
        return field in self._places

    def fields(self) -> tuple[str, ...]:
        """The mapped fields, in the mapping's order."""
        return tuple(self._places)

    def label(self, field: str) -> Message:
        return self._places[field].label

    def raw(self, row: Row, field: str) -> Cell:
        """The cell as read (a fixed value for every line); None when not mapped."""
        place = self._places.get(field)
        if place is None:
            return None
        if place.index is None:
            return place.column.fixed
        return row.cells[place.index] if place.index < len(row.cells) else None

    def value(self, row: Row, field: str) -> Cell:
        """The cell after its transforms; None when empty (``bool`` reads empty as no)."""
        place = self._places.get(field)
        value = self.raw(row, field)
        if place is None:
            return None
        for name in place.column.transforms:
            if _empty(value) and name != "bool":
                return None
            try:
                value = _TRANSFORMS[name](value, place.column)
            except Refused as refused:
                raise self.refused(row, field, refused.expected) from None
        return None if _empty(value) else value

    def text(self, row: Row, field: str) -> str:
        return as_text(self.value(row, field)).strip()

    def text_of(self, row: Row, field: str) -> str:
        """The cell as text before its transforms (to name a line whatever they refuse)."""
        return as_text(self.raw(row, field)).strip()

    def decimal(self, row: Row, field: str) -> Decimal | None:
        return self._as(row, field, as_decimal)

    def boolean(self, row: Row, field: str) -> bool | None:
        return self._as(row, field, as_bool)

    def date(self, row: Row, field: str) -> date | None:
        date_format = self._places[field].column.date_format if self.has(field) else None
        return self._as(row, field, lambda v: as_date(v, date_format))

    def _as(self, row: Row, field: str, parse: Callable[[Cell], _T]) -> _T | None:
        """The value converted to what the field holds, when transforms left it as text."""
        value = self.value(row, field)
        if value is None:
            return None
        try:
            return parse(value)
        except Refused as refused:
            raise self.refused(row, field, refused.expected) from None

    def refused(self, row: Row, field: str, expected: Text) -> CellError:
        """The error for this line's value of ``field``: what was found, what is expected."""
        return CellError(
            M_(
                '%(file)s, line %(line)s, %(column)s: found "%(found)s", expected %(expected)s',
                found=as_text(self.raw(row, field)).strip(),
                expected=expected,
                **self._where(row, field),
            )
        )

    def required(self, row: Row, field: str) -> CellError:
        """The error for this line's empty value of a field every line must fill."""
        return CellError(
            M_(
                "%(file)s, line %(line)s, %(column)s: the cell is empty, and this line needs it",
                **self._where(row, field),
            )
        )

    def _where(self, row: Row, field: str) -> dict[str, Any]:
        return {"file": self.file, "line": row.line, "column": self.label(field)}


def _empty(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _label(table: Table, column: Column, index: int | None) -> Message:
    if index is None:
        return M_('the fixed value "%(value)s"', value=column.fixed or "")
    letter = column_letter(index + 1)
    header = table.header[index] if index < len(table.header) else ""
    if header:
        return M_('column "%(header)s" (%(letter)s)', header=header, letter=letter)
    return M_("column %(letter)s", letter=letter)


def _missing(table: Table, header: str) -> Message:
    if not table.header:
        return M_(
            "the file %(file)s has no header line, so its column %(header)s cannot be found; "
            "give the column's position in the settings",
            file=table.name,
            header=repr(header),
        )
    return M_(
        "the file %(file)s has no column %(header)s (its columns: %(columns)s); "
        "check the column names in the settings",
        file=table.name,
        header=repr(header),
        columns=", ".join(h for h in table.header if h),
    )
