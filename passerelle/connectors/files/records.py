"""The line loop every exported file goes through: one line, one record or one problem.

Why one loop: items, prices, stock and customers files fail the same ways — a
line that could not be decoded, a reference left empty, a reference written
twice, a value a column refuses — and each must be that line's problem, named by
file and line, while the other lines are read (the flows park the problems).
The first line of a reference wins; a later one is refused naming both, because
guessing which of two prices is right is the merchant's call, not ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from passerelle.connectors.errors import RecordError
from passerelle.connectors.files.columns import CellError, ColumnMap, Columns
from passerelle.connectors.files.tables import Row, Table
from passerelle.i18n.messages import M_, Message

__all__ = ["Line", "Read", "read_lines", "unknown_code"]

T = TypeVar("T")


@dataclass(slots=True)
class Read(Generic[T]):
    """What a file gave: its records, and one problem per line it could not use
    (each problem's ``record_id`` is the line's reference when it has one)."""

    records: list[T] = field(default_factory=list)
    problems: list[RecordError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Line:
    """Where a record was read, to name it in a later problem."""

    file: str
    line: int
    code: str


#: A record's identity in its file (the code; code and warehouse for stock) and its
#: wording in a duplicate's problem.
Key = Callable[[Columns, Row, str], tuple[str, Message]]


def _code_key(_columns: Columns, _row: Row, code: str) -> tuple[str, Message]:
    return code, M_("the code %(code)s", code=code)


def read_lines(
    tables: Iterable[Table],
    mapping: ColumnMap,
    build: Callable[[Columns, Row, str], T],
    problems: list[RecordError],
    *,
    key: Key = _code_key,
) -> list[tuple[Line, T]]:
    """``build(columns, row, code)`` for each line of ``tables``; each line's failure is
    appended to ``problems``. Raises :class:`TableError` for a file that cannot be read."""
    if "code" not in mapping:
        raise ValueError("the column mapping has no code")  # internal: the settings require one
    seen: dict[str, Line] = {}
    built: list[tuple[Line, T]] = []
    for table in tables:
        columns = Columns(table, mapping)
        for row in table.rows:
            code = _code(columns, row)
            try:
                if row.error is not None:
                    raise row.error
                if not code:
                    raise columns.required(row, "code")
                name, said = key(columns, row, code)
                if name in seen:
                    raise _duplicate(table.name, row, said, seen[name])
                record = build(columns, row, code)
            except RecordError as exc:
                exc.record_id = code or None
                problems.append(exc)
                continue
            seen[name] = Line(table.name, row.line, code)
            built.append((seen[name], record))
    return built


def _code(columns: Columns, row: Row) -> str:
    """The line's reference, as well as it can be read (a refused one still names the line)."""
    try:
        return columns.text(row, "code")
    except CellError:
        return columns.text_of(row, "code")


def _duplicate(file: str, row: Row, said: Message, first: Line) -> CellError:
    return CellError(
        M_(
            "%(file)s, line %(line)s: %(what)s is already on line %(first)s of %(first_file)s; "
            "this line is ignored, keep one line for it",
            file=file,
            line=row.line,
            what=said,
            first=first.line,
            first_file=first.file,
        )
    )


def unknown_code(columns: Columns, row: Row, code: str) -> CellError:
    """The error of a prices or stock line about an item the items file does not have."""
    return CellError(
        M_(
            "%(file)s, line %(line)s: no item has the code %(code)s; "
            "this line is ignored (check the code, or add the item)",
            file=columns.file,
            line=row.line,
            code=code,
        )
    )
