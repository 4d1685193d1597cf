"""A parked problem keeps its kind: a record a flow reads back, or a job.

A failed job's problem used to be read by the next import as an order id and
resolved because the shop answered 404: the failure vanished from the list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from passerelle.store import Store, make_engine, sqlite_url, upgrade
from passerelle.store.records import ProblemKind


def test_migration_0004_gives_old_job_rows_the_job_kind(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine, "0003")
    with engine.begin() as conn:
        for key in ("job-7", "5678"):
            conn.execute(
                text(
                    "INSERT INTO parked (profile, flow, record_key, reason, severity,"
                    " first_seen, last_seen, tries) VALUES ('fr', 'import-orders', :key,"
                    " 'failed', 'error', :now, :now, 1)"
                ),
                {"key": key, "now": datetime.now(UTC)},
            )
    upgrade(engine)
    engine.dispose()
    with Store.open(sqlite_url(tmp_path)) as store:
        assert [p.record_key for p in store.parked("fr")] == ["5678"]
        jobs = store.parked("fr", kind=ProblemKind.JOB)
        assert [(p.record_key, p.kind) for p in jobs] == [("job-7", ProblemKind.JOB)]
        assert len(store.parked("fr", kind=None)) == 2


def test_a_flow_resolving_a_record_never_closes_a_job_of_the_same_key(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path) as store:
        store.park("fr", "import-orders", "job-1", "job failed", kind="job")
        store.park("fr", "import-orders", "job-1", "order looks odd")  # a record, same key
        assert store.resolve("fr", "import-orders", "job-1")  # the record
        open_ = store.parked("fr", kind=None)
        assert [(p.record_key, p.kind) for p in open_] == [("job-1", ProblemKind.JOB)]
        assert store.resolve("fr", "import-orders", "job-1", kind="job")
        assert store.parked("fr", kind=None) == []


def test_dismiss_closes_only_the_chosen_open_problems_of_the_profile(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path) as store:
        a = store.park("fr", "import-orders", "1", "bad")
        b = store.park("fr", "import-orders", "job-2", "failed", kind="job")
        other = store.park("de", "import-orders", "1", "bad")
        closed = store.dismiss("fr", [b.id, other.id, 999])
        assert [p.id for p in closed] == [b.id]
        assert [p.id for p in store.parked("fr", kind=None)] == [a.id]
        assert [p.id for p in store.dismiss("fr")] == [a.id]
        assert store.parked("fr", kind=None) == []
        assert [p.id for p in store.parked("de")] == [other.id]
