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
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from passerelle.store.errors import StoreEmptied
from passerelle.store.failures import restore_hint

__all__ = ["Marker", "forget_marker", "marker_path", "read_marker", "refuse_if_emptied",
           "write_marker"]

SUFFIX = ".marker"


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
            raise ValueError("not an object")
    except ValueError:
        data = {}
    return Marker(path, str(data.get("store", db.name)), str(data.get("store_id", "unknown")),
                  str(data.get("created_at", "an unknown date")))


def write_marker(db: Path, *, created_at: datetime | None = None) -> Marker:
    """Write ``db``'s marker unless one exists (two processes may race: the first wins)."""
    existing = read_marker(db)
    if existing is not None:
        return existing
    when = (created_at or datetime.now(UTC)).isoformat(timespec="seconds")
    data = {
        "store": db.name,
        "store_id": uuid.uuid4().hex,
        "created_at": when,
        "about": (f"passerelle keeps its queue and history in {db.name}. This file says it "
                  f"exists: if {db.name} goes missing or empty, passerelle refuses to start "
                  "instead of beginning again with nothing. Do not delete it."),
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
        state = "missing"
    elif db.stat().st_size == 0:
        state = "empty (0 bytes)"
    elif has_schema is False:
        state = "a database without passerelle's tables"
    else:
        return
    raise StoreEmptied(
        f"the state store {db} is {state}, yet this data directory has held a store there "
        f"since {marker.created_at} (see {marker.path}): the queue, the webhook records and "
        "the history of runs and imported orders were in it. passerelle does not start again "
        f"from an empty store by itself, since orders would then be imported twice. "
        f"{restore_hint(db)}"
    )
