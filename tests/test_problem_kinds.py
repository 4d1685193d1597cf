"""A parked problem keeps its kind: a record a flow reads back, or a job.

A failed job's problem used to be read by the next import as an order id and
resolved because the shop answered 404: the failure vanished from the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from sqlalchemy import text
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.runner.problems import DISMISS_FLOW
from passerelle.runner.worker import Worker
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.sandbox.woocommerce.faults import Faults
from passerelle.store import Store, make_engine, sqlite_url, upgrade
from passerelle.store.records import ParkedRecord, ProblemKind
from tests.test_exit_codes import PROFILE, data_dir, write_profile

__all__ = ["data_dir"]  # the fixture, shared with the exit code tests


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


# --- through the worker and the command line, on the WooCommerce sandbox -------------


def _import_job(store: Store) -> int:
    return store.queue.enqueue(
        PROFILE,
        "import-orders",
        payload={},
        lane="orders",
        shop_key="test",
        source="manual",
        max_attempts=1,
    ).id


def _work(data_dir: Path, store: Store) -> list[str]:
    worker = Worker(
        data_dir, store=store, console=Console(quiet=True), poll_every=0.05, schedules=False
    )
    try:
        return [outcome.status for outcome in worker.run(until_idle=True)]
    finally:
        worker.close()


def _problems(data_dir: Path) -> str:
    result = CliRunner().invoke(
        app, ["problems", "--profile", PROFILE, "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    return result.output


@contextmanager
def failed_job(
    data_dir: Path, tmp_path: Path
) -> Iterator[tuple[WooSandbox, Store, int, ParkedRecord]]:
    """An import job failed on a shop answering 500, its problem, and the shop now well."""
    with WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "tls") as shop:
        write_profile(data_dir, shop.url, shop.ca_bundle, max_tries=1)
        store = Store.open_data_dir(data_dir)
        shop.faults = Faults(rate=1.0, kinds=("500",))
        job = _import_job(store)
        assert _work(data_dir, store) == ["failed"]
        (problem,) = store.parked(PROFILE, kind=None)
        assert problem.kind is ProblemKind.JOB and problem.record_key == f"job-{job}"
        shop.faults = None
        try:
            yield shop, store, job, problem
        finally:
            store.close()


def test_a_failed_jobs_problem_outlives_the_next_import_until_dismissed(
    data_dir: Path, tmp_path: Path
) -> None:
    with failed_job(data_dir, tmp_path) as (shop, store, job, problem):
        shop.reset_requests()
        _import_job(store)
        assert _work(data_dir, store) == ["done"]  # the next import, with problems of its own
        # It never took the job's key for an order id (a 404 used to resolve it).
        assert not [path for _, path in shop.requests if f"job-{job}" in path]
        assert problem.id in [p.id for p in store.parked(PROFILE, kind=None)]
        assert f"the job itself (job-{job})" in _problems(data_dir)

        result = CliRunner().invoke(
            app,
            [
                "problems",
                "dismiss",
                str(problem.id),
                "--profile",
                PROFILE,
                "--data-dir",
                str(data_dir),
            ],
        )
        assert result.exit_code == 0, result.output
        assert result.output.startswith("dismissed by hand by ")
        assert f"problem {problem.id}, the import-orders job job-{job} (error)" in result.output
        assert problem.id not in [p.id for p in store.parked(PROFILE, kind=None)]
        assert f"job-{job}" not in _problems(data_dir)
        (run,) = store.list_runs(profile=PROFILE, flow=DISMISS_FLOW)
        (line,) = store.journal(run.id)
        assert line.message == result.output.strip() and line.record_key == f"job-{job}"


def test_a_job_problem_closes_when_its_requeued_job_succeeds(
    data_dir: Path, tmp_path: Path
) -> None:
    with failed_job(data_dir, tmp_path) as (_, store, job, problem):
        result = CliRunner().invoke(
            app,
            [
                "problems",
                "retry",
                str(problem.id),
                "--profile",
                PROFILE,
                "--data-dir",
                str(data_dir),
            ],
        )
        assert (
            result.exit_code == 0 and f"job {job} (import-orders) queued again" in result.output
        ), result.output
        assert store.parked(PROFILE, kind="job") == [problem]  # retrying closes nothing
        assert _work(data_dir, store) == ["done"]
        assert store.parked(PROFILE, kind="job") == []


def test_dismiss_all_and_unknown_ids(data_dir: Path) -> None:
    def dismiss(*ids: str) -> tuple[int, str]:
        result = CliRunner().invoke(
            app, ["problems", "dismiss", *ids, "--profile", PROFILE, "--data-dir", str(data_dir)]
        )
        return result.exit_code, result.output

    with Store.open_data_dir(data_dir) as store:
        store.park(PROFILE, "import-orders", "1093", "order 1093: no tax 'TVA 7 %'")
        store.park(PROFILE, "import-orders", "job-4", "gave up after 5 tries", kind="job")
    assert dismiss("999")[0] == 1 and "no parked problem 999" in dismiss("999")[1]
    assert dismiss("x")[0] == 1
    code, output = dismiss("ALL")
    assert code == 0 and len(output.strip().splitlines()) == 2
    assert "import-orders record 1093" in output
    assert dismiss("ALL") == (0, "nothing to dismiss\n")
