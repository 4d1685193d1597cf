"""Statements written for many rows at once, compiled once and executed by the driver.

An export writes its bindings after every batch of a hundred records: thousands
of rows a run, all of one statement. SQLAlchemy's own executemany builds and
processes each row's parameters in Python (per row and per value: 60 % of the
write), where the driver's ``executemany`` takes plain tuples. A
:class:`DriverStatement` is a Core statement compiled once per dialect (its
SQL text and the order of its parameters), each value of a row processed by
its column type only where that type needs it (a timestamp stored as text on
SQLite), and the rows handed to ``Connection.exec_driver_sql`` as they are.

Same SQL as the Core statement, same values as SQLAlchemy would bind: only
who builds the parameter lists changes. SQLite and PostgreSQL both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.types import TypeEngine

__all__ = ["DriverStatement"]


class DriverStatement:
    """One statement for many rows of ``keys``, compiled once per dialect.

    ``build`` makes the Core statement for a dialect; ``types`` names the keys whose
    values a column type processes before they are bound (the others go as given).
    """

    def __init__(
        self,
        build: Callable[[Dialect], ClauseElement],
        keys: Sequence[str],
        types: Mapping[str, TypeEngine[Any]] | None = None,
    ) -> None:
        self._build = build
        self._keys = tuple(keys)
        self._types = dict(types or {})
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None]] = {}

    def _compile(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None]:
        done = self._compiled.get(dialect.name)
        if done is None:
            compiled = self._build(dialect).compile(dialect=dialect, column_keys=list(self._keys))
            assert isinstance(compiled, SQLCompiler)
            order = tuple(compiled.positiontup or ()) if compiled.positional else None
            done = self._compiled[dialect.name] = (compiled.string, order)
        return done

    def processed(self, connection: Connection, key: str, value: Any) -> Any:
        """``value`` as bound for ``key``: for a value shared by every row, processed once."""
        return self.processor(connection, key)(value)

    def processor(self, connection: Connection, key: str) -> Callable[[Any], Any]:
        """What turns a value of ``key`` into the value bound (the identity for most)."""
        column_type = self._types.get(key)
        process = column_type.bind_processor(connection.dialect) if column_type else None
        if process is None:
            return _same
        return lambda value: None if value is None else process(value)

    def run(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute for every row (each a mapping of the keys, values already processed)."""
        if not rows:
            return
        sql, order = self._compile(connection.dialect)
        if order is not None:
            connection.exec_driver_sql(sql, [tuple(row[key] for key in order) for row in rows])
        else:
            connection.exec_driver_sql(sql, [dict(row) for row in rows])


def _same(value: Any) -> Any:
    return value
