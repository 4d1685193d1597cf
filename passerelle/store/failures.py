"""Turn a database driver's error into the :class:`StoreError` a merchant can act on.

SQLite and PostgreSQL report a damaged file, a read-only folder or a full
disk as bare driver errors ("file is not a database", "disk I/O error",
"unable to open database file"); reaching the command line as such they end
in a traceback that says neither which file nor what to do. The engine calls
:func:`translate` on every error (``handle_error``), so whatever statement
fails — opening, migrating, a flow's write, the queue — the caller gets one
of the :mod:`passerelle.store.errors` classes with a full message.

Errors that are the program's business (a unique constraint, a missing
table) are left alone: they are bugs or handled by the caller, not a
merchant's problem with their disk.
"""

from __future__ import annotations

import errno
import getpass
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from passerelle.i18n.messages import M_, Message
from passerelle.store.errors import (
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreUnavailable,
)

__all__ = [
    "LOW_SPACE",
    "restore_hint",
    "translate",
    "translate_os_error",
    "translate_sqlite",
    "translating",
]

#: Less free space than this next to the file, and an I/O error is a full disk.
LOW_SPACE = 1024 * 1024


def restore_hint(path: Path) -> Message:
    """What to do when the file's content is lost: restore a backup, or start afresh on purpose."""
    return M_(
        "Stop every passerelle process, then restore your latest backup with "
        "`passerelle store restore BACKUP_FILE --data-dir %(folder)s` "
        "(backups are made by `passerelle store backup`). With no backup, "
        "`passerelle store recreate --yes --data-dir %(folder)s` sets the file aside and "
        "starts an empty store on purpose: the history is then lost and orders already "
        "imported may be imported again.",
        folder=path.parent,
    )


def translate(exc: BaseException, *, store: str, sqlite_path: Path | None) -> StoreError | None:
    """The :class:`StoreError` for driver error ``exc``, or ``None`` if it is not a store failure.

    ``store`` names the store for a person (the file, or the database URL
    without its password); ``sqlite_path`` is the SQLite file, if it is one.
    """
    if isinstance(exc, sqlite3.Error):
        if sqlite_path is None:  # an in-memory store: nothing a person can fix
            return None
        return translate_sqlite(exc, sqlite_path)
    return _translate_postgresql(exc, store)


def translate_sqlite(exc: sqlite3.Error, path: Path) -> StoreError | None:
    """Read SQLite's error code (Python 3.11+) and say what it means for ``path``."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    said = M_("SQLite says: %(error)s", error=str(exc))
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return StoreCorrupt(
            M_(
                "the state store %(path)s is damaged (%(said)s): passerelle cannot read the "
                "queue, the webhook records and the history it holds. %(hint)s",
                path=path,
                said=said,
                hint=restore_hint(path),
            )
        )
    if name.startswith("SQLITE_FULL") or (name.startswith("SQLITE_IOERR") and _low_space(path)):
        return _full(path, said)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        why = _why_not_writable(path)
        if why is not None:
            return _read_only(path, why, said)
        if name.startswith("SQLITE_READONLY"):
            return _read_only(path, M_("it was opened read-only"), said)
        return StoreUnavailable(
            M_(
                "the state store %(path)s cannot be opened (%(said)s). Check that the folder "
                "%(folder)s exists and that the user running passerelle (%(user)s) may read "
                "and write it and the files in it.",
                path=path,
                said=said,
                folder=path.parent,
                user=_user(),
            )
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreBusy(
            M_(
                "the state store %(path)s stayed locked by another passerelle process for "
                "longer than passerelle waits (%(said)s). Wait for the other run to end "
                "(`passerelle runs` lists what is running), then run again.",
                path=path,
                said=said,
            )
        )
    if name.startswith("SQLITE_IOERR"):
        return StoreUnavailable(
            M_(
                "reading or writing the state store %(path)s failed with a disk error "
                "(%(said)s). Check the disk (the system log says more), then run "
                "`passerelle store check`.",
                path=path,
                said=said,
            )
        )
    return None


def translate_os_error(exc: OSError, path: Path) -> StoreError:
    """An error of the file system itself (creating the folder, copying a file)."""
    said = M_("the system says: %(error)s", error=exc.strerror or str(exc))
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _full(path, said)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _read_only(path, _why_not_writable(path) or M_("access was refused"), said)
    return StoreUnavailable(
        M_(
            "the state store %(path)s cannot be used (%(said)s). Check the folder %(folder)s "
            "and the disk, then run `passerelle store check`.",
            path=path,
            said=said,
            folder=path.parent,
        )
    )


def _full(path: Path, said: Message) -> StoreFull:
    free = _free_space(path)
    return StoreFull(
        M_(
            "the disk holding the state store %(path)s is full (%(left)s left; %(said)s). The "
            "change being saved was not written; what was saved before is intact. Free some "
            "space on that disk (passerelle needs a few MB), then run again.",
            path=path,
            left=M_("unknown space") if free is None else f"{free // 1024} KB",
            said=said,
        )
    )


def _read_only(path: Path, why: Message, said: Message) -> StoreReadOnly:
    return StoreReadOnly(
        M_(
            "the state store %(path)s cannot be written: %(why)s (%(said)s). Give the user "
            "running passerelle (%(user)s) write access to the folder %(folder)s and the files "
            "in it (SQLite also writes %(name)s-wal and %(name)s-shm there; a disk mounted "
            "read-only must be remounted read-write), or point --data-dir at a writable folder.",
            path=path,
            why=why,
            said=said,
            user=_user(),
            folder=path.parent,
            name=path.name,
        )
    )


def _why_not_writable(path: Path) -> Message | None:
    """Why ``path`` (or the folder SQLite writes its side files into) cannot be written."""
    folder = _existing(path.parent)
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return M_("the disk holding %(folder)s is mounted read-only", folder=folder)
    except OSError:
        return None
    if path.exists() and not os.access(path, os.W_OK):
        return M_("the file is read-only")
    if not os.access(folder, os.W_OK):
        return M_("the folder %(folder)s is read-only", folder=folder)
    for side in (f"{path.name}-wal", f"{path.name}-shm"):
        if (path.parent / side).exists() and not os.access(path.parent / side, os.W_OK):
            return M_("the file %(path)s is read-only", path=path.parent / side)
    return None


def _free_space(path: Path) -> int | None:
    try:
        return shutil.disk_usage(_existing(path.parent)).free
    except OSError:
        return None


def _low_space(path: Path) -> bool:
    """A disk error is a full disk when the disk has (almost) no room left."""
    free = _free_space(path)
    return free is not None and free < LOW_SPACE


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def _translate_postgresql(exc: BaseException, store: str) -> StoreError | None:
    """psycopg errors carry the SQLSTATE; a connection error carries none."""
    from psycopg import Error as PsycopgError
    from psycopg import OperationalError as PsycopgOperational

    if not isinstance(exc, PsycopgError):
        return None
    state = exc.sqlstate or ""
    said = M_("PostgreSQL says: %(error)s", error=str(exc).strip())
    if state.startswith("53"):  # insufficient resources: disk full, out of memory
        return StoreFull(
            M_(
                "the PostgreSQL state store %(store)s has no room left (%(said)s). The change "
                "being saved was not written. Free space on the database server, then run "
                "again.",
                store=store,
                said=said,
            )
        )
    if state in ("25006", "42501"):  # read-only transaction, insufficient privilege
        return StoreReadOnly(
            M_(
                "the PostgreSQL state store %(store)s refuses to be written (%(said)s). Give "
                "the store's user write rights, or point PASSERELLE_STORE_URL at the primary "
                "server rather than a read-only replica.",
                store=store,
                said=said,
            )
        )
    if state in ("XX001", "XX002"):  # data corrupted, index corrupted
        return StoreCorrupt(
            M_(
                "the PostgreSQL state store %(store)s is damaged (%(said)s). Restore the "
                "database from your latest `pg_dump` (see `passerelle store backup`).",
                store=store,
                said=said,
            )
        )
    if isinstance(exc, PsycopgOperational) and (not state or state.startswith(("08", "57P"))):
        return StoreUnavailable(
            M_(
                "cannot reach the PostgreSQL state store %(store)s (%(said)s). Check that the "
                "server is running and that PASSERELLE_STORE_URL is right, then run again.",
                store=store,
                said=said,
            )
        )
    return None


@contextmanager
def translating(path: Path) -> Iterator[None]:
    """Raise the :class:`StoreError` of a raw ``sqlite3`` or file error met on ``path``.

    For work done outside the engine (backups, restores), whose errors the
    engine's ``handle_error`` never sees.
    """
    try:
        yield
    except sqlite3.Error as exc:
        failure = translate_sqlite(exc, path)
        if failure is None:
            raise
        raise failure from exc
    except OSError as exc:
        raise translate_os_error(exc, path) from exc
