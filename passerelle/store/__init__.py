"""The state store: what passerelle remembers between runs.

Bindings (back-office id ↔ shop id and the hash of the last content sent),
per-flow bookmarks, runs and their journal, parked records, the staging grid
of imported orders, record reset generations and the job queue
(``store.queue``, see :mod:`passerelle.store.queue`) — for every profile, in
one SQLite file in the data directory or in PostgreSQL.

Usage::

    from passerelle.store import Store, content_hash

    with Store.open_data_dir(data_dir) as store:
        run_id = store.start_run("shop-fr", "export_products")
        known = store.bindings("shop-fr", "product")
        ...
        store.bind_many("shop-fr", "product", rows)     # after the shop said OK
        store.set_bookmark("shop-fr", "export_products", last_seen.isoformat())
        store.finish_run(run_id, "succeeded", {"created": 3, "unchanged": 97})

The schema is managed by the Alembic migrations in ``migrations/``;
:meth:`Store.open` upgrades the database to the current version. A store that
cannot be used (emptied, damaged, read-only, disk full) raises a
:class:`StoreError` subclass whose message names the file and what to do.
"""

from passerelle.store.engine import make_engine, sqlite_url
from passerelle.store.errors import (
    StoreBusy,
    StoreCorrupt,
    StoreEmptied,
    StoreError,
    StoreFull,
    StoreReadOnly,
    StoreUnavailable,
)
from passerelle.store.hashing import canonical_json, content_hash
from passerelle.store.migrate import current_revision, downgrade, head_revision, upgrade
from passerelle.store.queue import JobQueue, backoff, merge_payloads
from passerelle.store.records import (
    COUNT_KEYS,
    Binding,
    BindingInput,
    Bookmark,
    Job,
    JobSource,
    JobStatus,
    JournalEntry,
    JournalLevel,
    JournalLine,
    ParkedRecord,
    Run,
    RunStatus,
    Severity,
    StagedOrder,
    StagedState,
    Worker,
)
from passerelle.store.store import DEFAULT_HEARTBEAT_TIMEOUT, Store

# Their tables' models join the schema the migrations are checked against.
from passerelle.store import shop_identities as _shop_identities  # noqa: E402,F401  # isort: skip
from passerelle.store.repositories import users as _users  # noqa: E402,F401  # isort: skip

__all__ = [
    "COUNT_KEYS",
    "DEFAULT_HEARTBEAT_TIMEOUT",
    "Binding",
    "BindingInput",
    "Bookmark",
    "Job",
    "JobQueue",
    "JobSource",
    "JobStatus",
    "JournalEntry",
    "JournalLevel",
    "JournalLine",
    "ParkedRecord",
    "Run",
    "RunStatus",
    "Severity",
    "StagedOrder",
    "StagedState",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreEmptied",
    "StoreError",
    "StoreFull",
    "StoreReadOnly",
    "StoreUnavailable",
    "Worker",
    "backoff",
    "canonical_json",
    "content_hash",
    "current_revision",
    "downgrade",
    "head_revision",
    "make_engine",
    "merge_payloads",
    "sqlite_url",
    "upgrade",
]
