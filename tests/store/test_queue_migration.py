"""Migration 0003 (job queue) and the guarantees its indexes give by themselves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from passerelle.store import Store, current_revision, downgrade, make_engine, sqlite_url, upgrade

from .conftest import fresh_pg_database

QUEUE_TABLES = {"jobs", "workers", "webhook_deliveries", "schedule_slots"}
NOW = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a brand-new empty database."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with fresh_pg_database() as url:
        yield url


def _tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_0003_adds_queue_tables_keeps_data_and_downgrades_cleanly(engine_url: str) -> None:
    engine = make_engine(engine_url)
    try:
        upgrade(engine, "0002")
        with Store.open(engine_url, migrate=False) as store:
            store.bind("fr", "order", "1234", "S-1", None)
        assert not QUEUE_TABLES & _tables(engine)

        upgrade(engine, "0003")
        assert QUEUE_TABLES <= _tables(engine)
        with Store.open(engine_url, migrate=False) as store:
            assert store.get_binding("fr", "order", "1234") is not None
            store.queue.enqueue("fr", "import-orders")

        downgrade(engine, "0002")
        assert current_revision(engine) == "0002"
        assert not QUEUE_TABLES & _tables(engine)
        with Store.open(engine_url, migrate=False) as store:
            assert store.get_binding("fr", "order", "1234") is not None

        upgrade(engine)
        with Store.open(engine_url, migrate=False) as store:
            assert store.queue.jobs() == []
    finally:
        engine.dispose()


def _insert_job(conn: object, lane: str, status: str, dedupe_key: str | None = None) -> None:
    conn.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO jobs (profile, flow, lane, shop_key, payload, dedupe_key, source, status,"
            " attempts, max_attempts, run_after, created_at)"
            " VALUES ('fr', 'f', :lane, '', '{}', :key, 'manual', :status, 0, 5, :now, :now)"
        ),
        {"lane": lane, "key": dedupe_key, "status": status, "now": NOW.replace(tzinfo=None)},
    )


def test_the_database_refuses_a_second_running_job_in_a_lane(engine_url: str) -> None:
    """Even code that bypasses the queue cannot run one lane twice."""
    engine = make_engine(engine_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            _insert_job(conn, "orders", "running")
            _insert_job(conn, "orders", "done")  # history is fine
            _insert_job(conn, "orders", "queued")
            _insert_job(conn, "stock", "running")
        with pytest.raises(IntegrityError), engine.begin() as conn:
            _insert_job(conn, "orders", "running")
    finally:
        engine.dispose()


def test_the_database_refuses_two_waiting_jobs_with_one_dedupe_key(engine_url: str) -> None:
    engine = make_engine(engine_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            _insert_job(conn, "a", "queued", "k")
            _insert_job(conn, "b", "running", "k")
            _insert_job(conn, "c", "done", "k")
            _insert_job(conn, "d", "queued", None)
            _insert_job(conn, "e", "queued", None)  # no key: no dedupe
        with pytest.raises(IntegrityError), engine.begin() as conn:
            _insert_job(conn, "f", "queued", "k")
    finally:
        engine.dispose()
