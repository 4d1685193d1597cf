"""Fixtures for the state store tests: every API test runs on SQLite and PostgreSQL.

PostgreSQL: one fresh database per test session (per xdist worker), created
here and dropped at the end; tables are emptied after each test. If the
server is unreachable the PostgreSQL half is skipped with the reason.
Set ``PASSERELLE_TEST_PG_URL`` to point at another server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from passerelle.store import Store, sqlite_url
from passerelle.store.models import Base

PG_URL = os.environ.get(
    "PASSERELLE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@dataclass
class FakeClock:
    """A settable "now", so tests about time do not sleep."""

    now: datetime = field(default_factory=lambda: datetime(2024, 5, 1, 8, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def _admin_url() -> URL:
    return make_url(PG_URL).set(drivername="postgresql+psycopg")


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    admin = create_engine(
        _admin_url(), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"passerelle_store_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        admin.dispose()
        shown = _admin_url().render_as_string(hide_password=True)
        pytest.skip(f"PostgreSQL not reachable at {shown}: {exc.orig}")
    try:
        yield _admin_url().set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty store: a SQLite file, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    url: str = request.getfixturevalue("pg_database")
    yield url
    _empty_pg(url)


def _empty_pg(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            present = set(inspect(conn).get_table_names())
            tables = [t.name for t in Base.metadata.sorted_tables if t.name in present]
            if tables:
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(store_url: str, clock: FakeClock) -> Iterator[Store]:
    with Store.open(store_url, clock=clock) as opened:
        yield opened


@pytest.fixture
def open_store(store_url: str) -> Iterator[Callable[..., Store]]:
    """Open extra Store instances on the same database; all closed at the end."""
    opened: list[Store] = []

    def _open(**kwargs: object) -> Store:
        s = Store.open(store_url, **kwargs)  # type: ignore[arg-type]
        opened.append(s)
        return s

    yield _open
    for s in opened:
        s.close()
