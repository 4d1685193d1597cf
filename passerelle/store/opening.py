"""Opening a store: refuse an emptied one, migrate, then remember that it exists.

The order matters. The marker is checked *before* connecting (connecting
would create a missing file), the schema is checked before migrating (a
migration would rebuild the tables of an emptied file), and the marker is
written only once the file holds the schema at head.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from passerelle.store.engine import make_engine, sqlite_file
from passerelle.store.errors import StoreError
from passerelle.store.marker import file_identity, refuse_if_emptied, stamp_identity, write_marker
from passerelle.store.migrate import current_revision, upgrade

__all__ = ["open_engine"]


def open_engine(url: str | URL, *, migrate: bool, busy_timeout: float) -> Engine:
    """An engine on a usable store at ``url``; raises a :class:`StoreError` otherwise."""
    db = sqlite_file(url)
    if db is not None:
        refuse_if_emptied(db)
    engine = make_engine(url, busy_timeout=busy_timeout)
    try:
        if db is not None:
            refuse_if_emptied(db, has_schema=current_revision(engine) is not None)
        if migrate:
            upgrade(engine)
            if db is not None:
                _remember(db, engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _remember(db: Path, engine: Engine) -> None:
    """Write the marker and the file's identity if they are not there yet.

    Best effort: on a read-only disk an old store (no marker yet) can still be
    read, and the first write to it reports the disk.
    """
    try:
        marker = write_marker(db)
        if file_identity(engine) is None:
            stamp_identity(engine, marker)
    except (OSError, StoreError):
        return
