"""Copies of the store, and the two ways back from a lost one: restore or recreate.

* :func:`backup_sqlite` uses SQLite's online backup API
  (:meth:`sqlite3.Connection.backup`): the copy is consistent even while a
  worker writes, unlike copying the file (which can catch half a transaction,
  and misses what is still in ``state.db-wal``). It is written under a
  temporary name and renamed, so a full disk never leaves a half backup that
  looks whole, then opened and checked.
* PostgreSQL has its own tool: :func:`pg_dump_command` says which command to run.
* :func:`restore_sqlite` puts a backup in place of the store; :func:`recreate_sqlite`
  starts an empty store on purpose. Both *set the old file aside* (renamed,
  never deleted): what a person throws away, they throw away themselves.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL

from passerelle.i18n.messages import M_, SaidError
from passerelle.store.engine import DEFAULT_BUSY_TIMEOUT, normalize_url
from passerelle.store.errors import StoreCorrupt, StoreError, StoreUnavailable
from passerelle.store.failures import translating
from passerelle.store.health import check_store
from passerelle.store.marker import forget_marker, refuse_if_emptied, write_marker
from passerelle.store.opening import open_engine

__all__ = [
    "BackupExists",
    "BackupResult",
    "backup_sqlite",
    "default_backup_path",
    "pg_dump_command",
    "recreate_sqlite",
    "restore_sqlite",
]

_SIDE_FILES = ("-wal", "-shm")


class BackupExists(SaidError, FileExistsError):
    """The backup's file is there already: a backup never replaces a file."""


@dataclass(frozen=True)
class BackupResult:
    """A backup made and checked: where, how big, how many runs it holds."""

    path: Path
    size: int
    runs: int


def default_backup_path(db: Path, now: datetime | None = None) -> Path:
    """``<data dir>/backups/state-20260101-120000.db``: sortable, never overwritten."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return db.parent / "backups" / f"{db.stem}-{stamp}{db.suffix}"


def backup_sqlite(db: Path, dest: Path) -> BackupResult:
    """Copy the store ``db`` to ``dest`` (which must not exist) and check the copy."""
    if dest.exists():
        raise BackupExists(M_("%(path)s already exists; choose another file with --to", path=dest))
    refuse_if_emptied(db)
    if not db.exists():
        raise StoreUnavailable(M_("there is no store at %(path)s to back up yet", path=db))
    with translating(dest):
        dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        with _connect(db) as source:
            with translating(db):
                _runs(source, db)  # reads the schema: a damaged file fails here, named
            with _connect(partial) as target, translating(dest):
                source.backup(target)
        with translating(dest):
            partial.rename(dest)
    finally:
        partial.unlink(missing_ok=True)
    with _connect(dest) as copy:
        _must_be_whole(copy, dest)
        runs = _runs(copy, dest)
    return BackupResult(dest, dest.stat().st_size, runs)


def pg_dump_command(url: str | URL, dest: Path | None = None) -> str:
    """The ``pg_dump`` command backing up a PostgreSQL store (password left out)."""
    parsed = normalize_url(url).set(drivername="postgresql")
    target = dest or Path(f"passerelle-store-{datetime.now(UTC):%Y%m%d-%H%M%S}.dump")
    shown = parsed.render_as_string(hide_password=True).replace("***", "PASSWORD")
    return f"pg_dump --format=custom --file={target} '{shown}'"


def restore_sqlite(db: Path, source: Path, *, now: datetime | None = None) -> list[Path]:
    """Put the backup ``source`` in place of the store ``db``; returns the files set aside.

    The backup is checked first (whole, a passerelle store), so a wrong file
    never replaces a store. The marker then names the restored file's identity
    (a backup of this store keeps it); the restored store is migrated to this version.
    """
    if not source.is_file():
        raise StoreUnavailable(M_("there is no backup at %(path)s", path=source))
    with _connect(source) as backup:
        _must_be_whole(backup, source)
        _runs(backup, source)
    aside = _set_aside(db, now)
    with _connect(source) as backup, _connect(db) as target, translating(db):
        backup.backup(target)
        identity = target.execute("PRAGMA user_version").fetchone()[0]
    forget_marker(db)  # the restored file's identity becomes this directory's
    with translating(db):
        write_marker(db, store_id=f"{identity:07x}" if identity else None)
    open_engine(f"sqlite:///{db}", migrate=True, busy_timeout=DEFAULT_BUSY_TIMEOUT).dispose()
    return aside


def recreate_sqlite(db: Path, *, now: datetime | None = None) -> list[Path]:
    """Start an empty store at ``db`` on purpose; returns the files set aside.

    Refused while the store is healthy: this is the way out of a lost or
    damaged store, not a way to lose a good one by mistake.
    """
    if check_store(f"sqlite:///{db}").ok:
        raise StoreError(
            M_(
                "the state store %(path)s is healthy (`passerelle store check` finds nothing "
                "wrong): it is not recreated. To start afresh anyway, stop passerelle and move "
                "the file away yourself.",
                path=db,
            )
        )
    aside = _set_aside(db, now)
    forget_marker(db)
    open_engine(f"sqlite:///{db}", migrate=True, busy_timeout=DEFAULT_BUSY_TIMEOUT).dispose()
    return aside


def _set_aside(db: Path, now: datetime | None) -> list[Path]:
    """Rename the store and its side files ``<name>.set-aside-<stamp>[-wal|-shm]``."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    base = db.with_name(f"{db.name}.set-aside-{stamp}")
    tries = 1
    while any(base.with_name(base.name + s).exists() for s in ("", *_SIDE_FILES)):
        tries += 1  # two in the same second: a rename must never replace an older one
        base = db.with_name(f"{db.name}.set-aside-{stamp}-{tries}")
    moved: list[Path] = []
    with translating(db):
        for suffix in ("", *_SIDE_FILES):
            path = db.with_name(db.name + suffix)
            if path.exists():
                moved.append(path.rename(base.with_name(base.name + suffix)))
    return moved


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    with translating(path), closing(sqlite3.connect(path, timeout=DEFAULT_BUSY_TIMEOUT)) as conn:
        yield conn


def _must_be_whole(conn: sqlite3.Connection, path: Path) -> None:
    with translating(path):
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise StoreCorrupt(
            M_(
                "%(path)s is damaged (SQLite's quick_check: %(problem)s)",
                path=path,
                problem=problems[0],
            )
        )


def _runs(conn: sqlite3.Connection, path: Path) -> int:
    """How many runs ``conn`` holds; refuses a file that is no passerelle store."""
    with translating(path):
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if not {"alembic_version", "runs"} <= tables:
            raise StoreCorrupt(
                M_("%(path)s is not a passerelle store (it has no runs table)", path=path)
            )
        return int(conn.execute("SELECT count(*) FROM runs").fetchone()[0])
