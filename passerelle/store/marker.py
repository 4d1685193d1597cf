"""The data directory remembers that it holds a store: a marker file next to it.

SQLite creates a missing file, and a file truncated to 0 bytes opens as an
empty database: without a memory of its own, passerelle would migrate it and
carry on with an empty queue, no webhook records and no history (and import
every order again). So when a store file first holds passerelle's schema, a
small marker ``<file>.marker`` is written beside it; from then on a missing,
empty or schema-less file next to a marker is refused (:class:`StoreEmptied`)
until a person restores a backup or starts afresh on purpose
(``passerelle store restore`` / ``recreate``).

A store made by an older passerelle has no marker: it gets one the first time
it is opened with its schema in place.

The marker's identity (7 hex digits) is also written inside the file, in
SQLite's ``user_version`` header field (unused by SQLAlchemy and Alembic,
kept by backups and VACUUM), so ``passerelle store check`` can tell when the
file beside the marker is not the store this data directory was created with.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from passerelle.i18n.messages import M_
from passerelle.store.engine import WRITE
from passerelle.store.errors import StoreEmptied
from passerelle.store.failures import restore_hint

__all__ = [
    "Marker",
    "file_identity",
    "forget_marker",
    "marker_path",
    "read_marker",
    "refuse_if_emptied",
    "stamp_identity",
    "write_marker",
]

SUFFIX = ".marker"
#: 7 hex digits: 28 bits, a positive value for SQLite's 32-bit ``user_version``.
_ID_DIGITS = 7


@dataclass(frozen=True)
class Marker:
    """What the marker says: which file, since when, under which identity."""

    path: Path
    store: str
    store_id: str
    created_at: str


def marker_path(db: Path) -> Path:
    """``state.db`` → ``state.db.marker``, in the same folder."""
    return db.with_name(db.name + SUFFIX)


def read_marker(db: Path) -> Marker | None:
    """The marker of ``db``, or ``None`` if there is none.

    A marker that cannot be parsed still says a store was here: its content
    is only for people, its presence is what counts.
    """
    path = marker_path(db)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not an object")  # internal: caught below
    except ValueError:
        data = {}
    return Marker(
        path,
        str(data.get("store", db.name)),
        str(data.get("store_id", "unknown")),
        str(data.get("created_at", "an unknown date")),
    )


def write_marker(db: Path, *, store_id: str | None = None) -> Marker:
    """Write ``db``'s marker unless one exists (two processes may race: the first wins)."""
    existing = read_marker(db)
    if existing is not None:
        return existing
    data = {
        "store": db.name,
        "store_id": store_id or uuid.uuid4().hex[:_ID_DIGITS],
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "about": (
            f"passerelle keeps its queue and history in {db.name}. This file says it "
            f"exists: if {db.name} goes missing or empty, passerelle refuses to start "
            "instead of beginning again with nothing. Do not delete it."
        ),
    }
    path = marker_path(db)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    try:
        os.link(temporary, path)  # atomic "create if absent", content complete
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    marker = read_marker(db)
    assert marker is not None
    return marker


def file_identity(engine: Engine) -> str | None:
    """The identity written inside the SQLite file, or ``None`` if it carries none."""
    with engine.connect() as conn:
        value = conn.exec_driver_sql("PRAGMA user_version").scalar()
    return f"{value:0{_ID_DIGITS}x}" if value else None


def stamp_identity(engine: Engine, marker: Marker) -> None:
    """Write the marker's identity inside the file (once: a store's identity never changes)."""
    try:
        value = int(marker.store_id, 16)
    except ValueError:
        return  # a marker a person edited: nothing sure to write
    if len(marker.store_id) != _ID_DIGITS:
        return
    with engine.connect() as conn:
        conn = conn.execution_options(**{WRITE: True})
        with conn.begin():
            conn.exec_driver_sql(f"PRAGMA user_version = {value}")


def forget_marker(db: Path) -> None:
    """Remove the marker: the next store opened here starts a new history."""
    marker_path(db).unlink(missing_ok=True)


def refuse_if_emptied(db: Path, *, has_schema: bool | None = None) -> None:
    """Raise :class:`StoreEmptied` when the marker says ``db`` held a store it no longer holds.

    Called before connecting (a missing or 0-byte file) and, with
    ``has_schema``, once connected (a file whose tables are gone).
    """
    marker = read_marker(db)
    if marker is None:
        return
    if not db.exists():
        state = M_("missing")
    elif db.stat().st_size == 0:
        state = M_("empty (0 bytes)")
    elif has_schema is False:
        state = M_("a database without passerelle's tables")
    else:
        return
    raise StoreEmptied(
        M_(
            "the state store %(path)s is %(state)s, yet this data directory has held a store "
            "there since %(since)s (see %(marker)s): the queue, the webhook records and the "
            "history of runs and imported orders were in it. passerelle does not start again "
            "from an empty store by itself, since orders would then be imported twice. "
            "%(hint)s",
            path=db,
            state=state,
            since=marker.created_at,
            marker=marker.path,
            hint=restore_hint(db),
        )
    )
