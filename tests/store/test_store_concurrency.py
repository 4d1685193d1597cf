"""Several Store instances (processes) on one database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from passerelle.store import JournalEntry, RunStatus, Store, sqlite_url
from passerelle.store.errors import StoreBusy

ROOT = Path(__file__).resolve().parents[2]


def _run_threads(*targets: Callable[[], None]) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def wrap(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                barrier.wait()
                target()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors


def test_two_stores_write_the_same_database_at_once(
    open_store: Callable[..., Store],
) -> None:
    a, b = open_store(), open_store()

    def writer(store: Store, name: str) -> Callable[[], None]:
        def work() -> None:
            run_id = store.start_run("fr", name)
            for batch in range(20):
                store.bind_many(
                    "fr", "product", [(f"{name}-{batch}-{i}", str(i), None) for i in range(50)]
                )
                store.add_journal_many(run_id, [JournalEntry("info", f"batch {batch}")])
                store.park("fr", "shared", "same record", f"{name} {batch}")
            store.finish_run(run_id, "succeeded", {"created": 1000})

        return work

    _run_threads(writer(a, "a"), writer(b, "b"))

    assert len(a.bindings("fr", "product")) == 2000
    assert [r.status for r in b.list_runs("fr")] == [RunStatus.SUCCEEDED] * 2
    [shared] = a.parked("fr", "shared")
    assert shared.tries == 40  # every upsert counted, none lost


def test_sqlite_writer_waits_for_the_lock(tmp_path: Path) -> None:
    """A writer holding the lock delays the other store; the busy timeout absorbs it."""
    holder = Store.open_data_dir(tmp_path)
    waiter = Store.open_data_dir(tmp_path, busy_timeout=10)
    impatient = Store.open_data_dir(tmp_path, busy_timeout=0.05)
    try:
        raw = holder.engine.raw_connection()
        raw.driver_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
        release = threading.Timer(0.5, raw.driver_connection.execute, ["COMMIT"])  # type: ignore[union-attr]
        release.start()
        with pytest.raises(StoreBusy, match="stayed locked by another passerelle process"):
            impatient.set_bookmark("fr", "f", "nope")
        waiter.set_bookmark("fr", "f", "after the lock")  # blocks ~0.5 s, then succeeds
        release.join()
        raw.close()
        assert holder.get_bookmark("fr", "f").value == "after the lock"  # type: ignore[union-attr]
    finally:
        for s in (holder, waiter, impatient):
            s.close()


def test_fresh_database_opened_by_two_processes_at_once(store_url: str, tmp_path: Path) -> None:
    """Two workers starting together both migrate safely (lock / immediate txn)."""
    if store_url.startswith("sqlite"):
        store_url = sqlite_url(tmp_path / "fresh")
    opened: list[Store] = []

    def open_one() -> None:
        opened.append(Store.open(store_url))

    try:
        _run_threads(open_one, open_one, open_one)
        opened[0].bind("fr", "product", "A", "1", None)
        assert opened[1].get_binding("fr", "product", "A") is not None
    finally:
        for s in opened:
            s.close()


def test_run_of_a_killed_process_is_interrupted_when_the_flow_starts_again(
    store: Store, store_url: str
) -> None:
    code = (
        "import os, signal; from passerelle.store import Store;"
        f"s = Store.open({store_url!r}); r = s.start_run('fr', 'import_orders');"
        "s.add_journal(r, 'info', 'fetched page 1'); print(r, flush=True);"
        "os.kill(os.getpid(), signal.SIGKILL)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    dead_run = int(proc.stdout.strip())
    assert store.get_run(dead_run).status is RunStatus.RUNNING  # type: ignore[union-attr]

    new_run = store.start_run("fr", "import_orders")
    dead = store.get_run(dead_run)
    assert dead is not None and dead.status is RunStatus.INTERRUPTED
    assert dead.finished_at == dead.heartbeat_at
    assert store.get_run(new_run).status is RunStatus.RUNNING  # type: ignore[union-attr]
    assert [line.message for line in store.journal(dead_run)] == ["fetched page 1"]
