"""The store's own failures: the marker that remembers a store, errors turned into messages,
and ``check_store``. The command line's side is in tests/test_store_cli.py."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import psycopg.errors
import pytest
from sqlalchemy import event, text

from passerelle.store import (
    Store,
    StoreCorrupt,
    StoreEmptied,
    StoreFull,
    StoreReadOnly,
    StoreUnavailable,
    sqlite_url,
)
from passerelle.store.failures import translate
from passerelle.store.health import check_store
from passerelle.store.marker import marker_path, read_marker


def test_a_new_store_is_remembered_and_an_old_one_adopted(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    Store.open_data_dir(tmp_path).close()
    marker = read_marker(db)
    assert marker is not None and marker.store == "state.db"
    Store.open_data_dir(tmp_path).close()
    assert read_marker(db) == marker  # written once, never rewritten

    marker_path(db).unlink()  # a store made before markers existed
    with Store.open_data_dir(tmp_path) as store:
        store.set_bookmark("fr", "f", "kept")
    assert read_marker(db) is not None
    db.write_bytes(b"")
    with pytest.raises(StoreEmptied, match="empty"):
        Store.open_data_dir(tmp_path)


def test_a_file_without_tables_next_to_a_marker_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    Store.open_data_dir(tmp_path).close()
    db.unlink()
    with sqlite3.connect(db) as other:  # some other tool's database put in its place
        other.execute("CREATE TABLE notes (x)")
    other.close()
    with pytest.raises(StoreEmptied, match="a database without passerelle's tables"):
        Store.open_data_dir(tmp_path)
    assert "notes" in {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}


def test_an_unreadable_marker_still_says_a_store_was_here(tmp_path: Path) -> None:
    Store.open_data_dir(tmp_path).close()
    marker_path(tmp_path / "state.db").write_text("{ not json")
    (tmp_path / "state.db").unlink()
    with pytest.raises(StoreEmptied, match="missing"):
        Store.open_data_dir(tmp_path)
    assert not (tmp_path / "state.db").exists()  # refusing created nothing


def test_a_full_store_raises_store_full_and_keeps_what_was_saved(tmp_path: Path) -> None:
    """SQLITE_FULL for real, without a small disk: ``max_page_count`` caps the file."""
    with Store.open_data_dir(tmp_path) as store:
        store.set_bookmark("fr", "f", "saved before")
        with store.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()

        @event.listens_for(store.engine, "connect")
        def _cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

        store.engine.dispose()  # new connections get the cap
        with pytest.raises(StoreFull) as raised:
            store.bind_many("fr", "product", [(str(i), str(i), "a" * 64) for i in range(20000)])
        message = str(raised.value)
        assert str(tmp_path / "state.db") in message and "database or disk is full" in message
        assert "Free some space" in message
        assert store.get_bookmark("fr", "f").value == "saved before"  # type: ignore[union-attr]
        assert store.bindings("fr", "product") == {}  # the failed write left nothing half done


def test_garbage_and_a_damaged_page(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    with Store.open_data_dir(tmp_path) as store:
        store.bind_many("fr", "product", [(str(i), str(i), "a" * 64) for i in range(3000)])
    data = bytearray(db.read_bytes())
    data[4096 * 5 : 4096 * 6] = b"\xff" * 4096  # one page of the middle
    db.write_bytes(bytes(data))
    report = check_store(sqlite_url(tmp_path))
    assert not report.ok
    assert any(
        "quick_check found damage" in f.text and "Page 6" in f.text for f in report.findings
    ), report

    db.write_bytes(b"not a database at all" * 500)
    with pytest.raises(StoreCorrupt, match="file is not a database"):
        Store.open_data_dir(tmp_path)


def test_check_says_when_a_newer_passerelle_wrote_the_store(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    report = check_store(sqlite_url(tmp_path))
    assert not report.ok
    assert any("newer version" in f.text for f in report.findings)


def test_check_on_a_good_store(store_url: str) -> None:
    """SQLite and PostgreSQL: the check reads and finds nothing wrong."""
    with Store.open(store_url) as store:
        store.finish_run(store.start_run("fr", "import-orders"), "succeeded", {})
    report = check_store(store_url)
    assert report.ok, report
    assert any("holds" in f.text and "runs" in f.text for f in report.findings)


def test_unreachable_postgresql_is_named_without_its_password() -> None:
    with pytest.raises(StoreUnavailable) as raised:
        Store.open("postgresql://shop:s3cret@127.0.0.1:1/passerelle?connect_timeout=2")
    message = str(raised.value)
    assert "cannot reach the PostgreSQL state store" in message and "127.0.0.1:1" in message
    assert "s3cret" not in message and "PASSERELLE_STORE_URL" in message


@pytest.mark.parametrize(
    ("error", "kind", "says"),
    [
        (
            psycopg.errors.DiskFull("could not extend file: No space left on device"),
            StoreFull,
            "no room left",
        ),
        (
            psycopg.errors.ReadOnlySqlTransaction(
                "cannot execute INSERT in a read-only transaction"
            ),
            StoreReadOnly,
            "read-only replica",
        ),
        (psycopg.errors.DataCorrupted("invalid page in block 7"), StoreCorrupt, "pg_dump"),
    ],
)
def test_postgresql_failures_become_store_errors(error: Exception, kind: type, says: str) -> None:
    failure = translate(error, store="postgresql+psycopg://shop:***@db/passe", sqlite_path=None)
    assert isinstance(failure, kind) and says in str(failure)


def test_errors_of_the_program_are_left_alone(tmp_path: Path) -> None:
    """A constraint or a bad statement is a bug or the caller's business, not the disk's."""
    db = tmp_path / "state.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x UNIQUE)")
    conn.execute("INSERT INTO t VALUES (1)")
    for statement in ("INSERT INTO t VALUES (1)", "SELECT * FROM no_such_table"):
        with pytest.raises(sqlite3.Error) as raised:
            conn.execute(statement)
        assert translate(raised.value, store=str(db), sqlite_path=db) is None
    conn.close()
    assert (
        translate(psycopg.errors.UniqueViolation("duplicate key"), store="pg", sqlite_path=None)
        is None
    )


def test_check_tells_a_store_from_another_directory(tmp_path: Path) -> None:
    """The marker's identity is inside the file too: a swapped file is seen, a backup is not."""
    from passerelle.store.backup import backup_sqlite, restore_sqlite

    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for folder in (ours, theirs):
        Store.open_data_dir(folder).close()
    report = check_store(sqlite_url(ours))
    assert report.ok and any("marker agrees" in f.text for f in report.findings), report

    backup_sqlite(ours / "state.db", tmp_path / "ours-backup.db")
    shutil.copy(theirs / "state.db", ours / "state.db")  # someone else's file put here
    report = check_store(sqlite_url(ours))
    assert not report.ok
    [wrong] = [f.text for f in report.findings if not f.ok]
    assert "is not the store this data directory was created with" in wrong

    restore_sqlite(ours / "state.db", tmp_path / "ours-backup.db")  # our own backup: agrees
    assert check_store(sqlite_url(ours)).ok
    restore_sqlite(ours / "state.db", theirs / "state.db")  # theirs, on purpose: adopted
    assert check_store(sqlite_url(ours)).ok
    assert (
        read_marker(ours / "state.db").store_id
        == read_marker(  # type: ignore[union-attr]
            theirs / "state.db"
        ).store_id
    )  # type: ignore[union-attr]
