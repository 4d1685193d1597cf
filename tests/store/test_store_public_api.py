"""Pins the public surface of passerelle.store: changing it is a deliberate act."""

from __future__ import annotations

import inspect

import passerelle.store as store_pkg
from passerelle.store import Store

EXPECTED_EXPORTS = {
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
}

EXPECTED_STORE_METHODS = {
    "open",
    "clear_bookmark",
    "open_data_dir",
    "close",
    "engine",
    "url",
    "queue",
    "get_binding",
    "bindings",
    "bindings_by_remote",
    "bind",
    "bind_many",
    "unbind",
    "get_bookmark",
    "set_bookmark",
    "bookmarks",
    "start_run",
    "heartbeat",
    "finish_run",
    "get_run",
    "list_runs",
    "mark_stale_runs_interrupted",
    "add_journal",
    "add_journal_many",
    "journal",
    "park",
    "resolve",
    "dismiss",
    "parked",
    "stage",
    "staged",
    "mark_validated",
    "reject",
    "is_rejected",
    "rejected_ids",
    "unstage",
    "generation",
    "generations",
    "bump_generation",
    "reset_records",
    "prune_before",
    "record_shop_requests",
    "runs_by_outcome",
    "records_by_outcome",
    "open_problems_by_severity",
    "jobs_by_status",
    "shop_requests_by_platform",
    "record_journal",
}


def test_exports() -> None:
    assert set(store_pkg.__all__) == EXPECTED_EXPORTS
    for name in store_pkg.__all__:
        assert getattr(store_pkg, name) is not None


def test_store_methods_and_docstrings() -> None:
    public = {name for name in vars(Store) if not name.startswith("_")}
    assert public == EXPECTED_STORE_METHODS
    for name in public:
        member = inspect.getattr_static(Store, name)
        target = member.__func__ if isinstance(member, classmethod) else member
        target = target.fget if isinstance(target, property) else target
        if name not in {"close", "engine", "get_bookmark", "get_run"}:
            assert inspect.getdoc(target), f"Store.{name} needs a docstring saying why"
