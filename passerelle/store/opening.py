"""Opening a store: refuse an emptied one, migrate, then remember that it exists.

The order matters. The marker is checked *before* connecting (connecting
would create a missing file), the schema is checked before migrating (a
migration would rebuild the tables of an emptied file), and the marker is
written only once the file holds the schema at head.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import URL

from passerelle.store.engine import make_engine, sqlite_file
from passerelle.store.marker import refuse_if_emptied, write_marker
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
                write_marker(db)
    except BaseException:
        engine.dispose()
        raise
    return engine
