"""The packaged Alembic migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from passerelle.store import (
    Store,
    current_revision,
    downgrade,
    head_revision,
    make_engine,
    sqlite_url,
    upgrade,
)
from passerelle.store.models import Base

from .conftest import fresh_pg_database

TABLES_0001 = {"bindings", "bookmarks", "runs", "journal_lines", "parked"}
TABLES_0002 = {"staged_orders", "record_generations"}
TABLES_0003 = {"jobs", "workers", "webhook_deliveries", "schedule_slots"}
TABLES_0005 = {"shop_identities"}
TABLES_0007 = {"users"}
TABLES_0008 = {"sent_contents"}
TABLES = TABLES_0001 | TABLES_0002 | TABLES_0003 | TABLES_0005 | TABLES_0007 | TABLES_0008


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a brand-new empty database (its own PostgreSQL database)."""
    if request.param == "sqlite":
        engine = make_engine(sqlite_url(tmp_path))
        yield engine
        engine.dispose()
        return
    with fresh_pg_database() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - {"alembic_version"}


def _park_raw(engine: Engine, key: str) -> None:
    """Park ``key`` with the columns every revision has: the code's Store needs head."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO parked (profile, flow, record_key, reason, severity,"
                " first_seen, last_seen, tries) VALUES ('fr', 'import-orders', :key,"
                " 'awaiting payment', 'retry', :now, :now, 1)"
            ),
            {"key": key, "now": datetime.now(UTC)},
        )


def _journal_raw(engine: Engine, run_id: int, message: str) -> None:
    """A journal line with the columns every revision has: the code's Store needs head."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO journal_lines (run_id, at, level, message)"
                " VALUES (:run_id, :now, 'info', :message)"
            ),
            {"run_id": run_id, "now": datetime.now(UTC), "message": message},
        )


def _journal_messages(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT message FROM journal_lines ORDER BY id")))


def _parked_keys(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(text("SELECT record_key FROM parked ORDER BY id")))


def _drift(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_empty_to_head_matches_models(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert _tables(empty_engine) == TABLES
    # The models and the migrations describe the same schema.
    assert _drift(empty_engine) == []


def test_downgrade_base_then_upgrade_again(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    assert current_revision(empty_engine) is None
    assert _tables(empty_engine) == set()
    upgrade(empty_engine)
    assert _tables(empty_engine) == TABLES
    assert _drift(empty_engine) == []


def test_revisions_are_a_single_line() -> None:
    """One head, in order: two branches would need a merge before shipping."""
    assert head_revision() == "0008_sent_contents"


def test_0002_up_keeps_existing_data_and_down_removes_only_its_tables(
    empty_engine: Engine,
) -> None:
    url = empty_engine.url.render_as_string(hide_password=False)
    upgrade(empty_engine, "0001")
    assert _tables(empty_engine) == TABLES_0001
    with Store.open(url, migrate=False) as store:  # a data directory written by 0001
        store.bind("fr", "order", "1234", "S-1", None, remote_number="SO1")
        run_id = store.start_run("fr", "import-orders")
    _journal_raw(empty_engine, run_id, "kept across migrations")
    _park_raw(empty_engine, "5678")  # the parked table as 0001 had it (no kind yet)

    upgrade(empty_engine, "0002")
    assert current_revision(empty_engine) == "0002"
    assert _tables(empty_engine) == TABLES_0001 | TABLES_0002
    with Store.open(url, migrate=False) as store:
        assert store.get_binding("fr", "order", "1234").remote_number == "SO1"  # type: ignore[union-attr]
        store.stage("fr", "import-orders", "5678", order_number="#5678", document_json="{}",
                    customer_json=None, summary="s")  # fmt: skip
        store.bump_generation("fr", "order", ["1234"])

    downgrade(empty_engine, "0001")
    assert current_revision(empty_engine) == "0001"
    assert _tables(empty_engine) == TABLES_0001
    with Store.open(url, migrate=False) as store:
        assert store.get_binding("fr", "order", "1234") is not None
    assert _parked_keys(empty_engine) == ["5678"]
    assert _journal_messages(empty_engine) == ["kept across migrations"]

    upgrade(empty_engine)  # and up again: the new tables come back empty
    assert _drift(empty_engine) == []
    with Store.open(url, migrate=False) as store:
        assert store.staged("fr", "import-orders") == []
        assert store.generations("fr", "order") == {}


def test_upgrade_is_idempotent_and_open_migrates_old_data(empty_engine: Engine) -> None:
    url = empty_engine.url.render_as_string(hide_password=False)
    upgrade(empty_engine, "base")  # "a data directory from an older version": nothing yet
    with Store.open(url) as store:
        store.bind("fr", "product", "A", "1", None)
    with Store.open(url) as store:  # already at head: no-op, data kept
        assert store.get_binding("fr", "product", "A") is not None
    assert current_revision(empty_engine) == head_revision()


def test_open_without_migrate_leaves_database_alone(empty_engine: Engine) -> None:
    url = empty_engine.url.render_as_string(hide_password=False)
    with Store.open(url, migrate=False):
        pass
    assert current_revision(empty_engine) is None


def test_sqlite_pragmas_survive_migration(tmp_path: Path) -> None:
    """Foreign keys are off only while migrating; WAL and busy timeout are set."""
    with Store.open_data_dir(tmp_path, busy_timeout=7) as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 7000
    assert (tmp_path / "state.db").exists()


def test_open_data_dir_creates_missing_directory(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path / "a" / "b") as store:
        assert store.url.endswith("/a/b/state.db")


def test_open_rejects_unsupported_url_without_leaking_password() -> None:
    with pytest.raises(ValueError, match="unsupported") as info:
        Store.open("mysql://merchant:s3cret@db/shop")
    assert "s3cret" not in str(info.value)


def test_url_property_hides_password(tmp_path: Path) -> None:
    store = Store.open("postgresql://merchant:s3cret@127.0.0.1:1/x", migrate=False)
    try:
        assert "s3cret" not in store.url and "s3cret" not in repr(store)
        assert store.engine.dialect.driver == "psycopg"
    finally:
        store.close()


def test_migrations_run_from_an_installed_layout_without_alembic_ini(tmp_path: Path) -> None:
    """No alembic.ini anywhere: the config is built in code (fresh interpreter, other cwd)."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; from passerelle.store import Store, current_revision;"
        f"s = Store.open_data_dir({str(tmp_path)!r});"
        "print(current_revision(s.engine))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == head_revision()
    assert not list(root.glob("**/alembic.ini"))
