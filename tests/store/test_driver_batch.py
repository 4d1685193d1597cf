"""Rows handed to the driver as tuples land as the same rows, whatever the statement's order."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
)

from passerelle.store.driver_batch import DriverStatement
from passerelle.store.models import UTCDateTime

_META = MetaData()
_TABLE = Table(
    "rows",
    _META,
    Column("a", String),
    Column("b", Integer),
    Column("at", DateTime),
)


def test_tuples_in_the_keys_order_land_whatever_order_the_statement_takes() -> None:
    engine = create_engine("sqlite://")
    _META.create_all(engine)
    same = DriverStatement(lambda _d: insert(_TABLE), ("a", "b"))
    other = DriverStatement(lambda _d: insert(_TABLE), ("b", "a"))  # not the table's order
    with engine.begin() as connection:
        same.run_tuples(connection, [("x", 1), ("y", 2)])
        other.run_tuples(connection, [(3, "z")])
        other.run_tuples(connection, [])
        rows = connection.execute(select(_TABLE.c.a, _TABLE.c.b).order_by(_TABLE.c.b)).all()
    assert [tuple(r) for r in rows] == [("x", 1), ("y", 2), ("z", 3)]


def test_a_shared_time_is_bound_as_the_sqlite_driver_binds_it_at_every_row() -> None:
    engine = create_engine("sqlite://")
    statement = DriverStatement(lambda _d: insert(_TABLE), ("at",), {"at": UTCDateTime()})
    now = datetime(2026, 12, 7, 12, 30, 5, 120000, tzinfo=UTC)
    with engine.connect() as connection:
        processed = statement.processor(connection, "at")(now)
        assert statement.processed(connection, "at", now) == sqlite3.adapt(
            processed, sqlite3.PrepareProtocol
        )
    assert statement.processed(engine, "at", now) == "2026-12-07 12:30:05.120000"
