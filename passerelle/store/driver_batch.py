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

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Engine
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

    def processed(self, connection: Connection | Engine, key: str, value: Any) -> Any:
        """``value`` as bound for ``key``: for a value shared by every row, processed once,
        and adapted once as the driver would adapt it at every row (SQLite's driver turns
        a datetime into its text through its registered adapter: the same text)."""
        bound = self.processor(connection, key)(value)
        if (
            connection.dialect.driver == "pysqlite"
            and (type(bound), sqlite3.PrepareProtocol) in sqlite3.adapters
        ):
            return sqlite3.adapt(bound, sqlite3.PrepareProtocol)
        return bound

    def processor(self, connection: Connection | Engine, key: str) -> Callable[[Any], Any]:
        """What turns a value of ``key`` into the value bound (the identity for most)."""
        column_type = self._types.get(key)
        process = column_type.bind_processor(connection.dialect) if column_type else None
        if process is None:
            return _same
        return lambda value: None if value is None else process(value)

    def run_tuples(self, connection: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Execute for every row given as a tuple in the order of the keys (values already
        processed): no mapping per row, and none at all for a driver taking the tuples as
        they are (SQLite's, where the statement's parameters come in the keys' order)."""
        if not rows:
            return
        sql, order = self._compile(connection.dialect)
        if order is None:
            keys = self._keys
            connection.exec_driver_sql(sql, [dict(zip(keys, row, strict=True)) for row in rows])
        elif order == self._keys:
            connection.exec_driver_sql(sql, list(rows))
        else:  # the statement's own order (a build whose parameters come in another)
            at = [self._keys.index(key) for key in order]
            connection.exec_driver_sql(sql, [tuple([row[i] for i in at]) for row in rows])

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
