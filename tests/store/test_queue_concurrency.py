"""Several workers racing on one queue: threads on SQLite and PostgreSQL, processes on PostgreSQL.

Each worker records, with the system-wide monotonic clock, an interval that
lies inside the time its job was really running (taken after ``claim``
returned, ended before ``finish`` is called). Overlapping intervals of one
lane, or more than ``shop_limit`` of one shop, would therefore be real
violations, whichever process they come from.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from passerelle.store import Job, JobStatus, Store
from tests.waiting import end_process

from .conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]
SHOP_LIMIT = 2
Interval = tuple[int, str, str, str, float, float]  # job id, profile, lane, shop, start, end


def _run_threads(targets: list[Callable[[], Any]]) -> list[Any]:
    """Start all targets at once (barrier); return their results, raise their errors."""
    barrier = threading.Barrier(len(targets))
    results: list[Any] = [None] * len(targets)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = targets[index]()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def _fill(store: Store) -> set[int]:
    """Two profiles, each with four lanes on one shop (so the shop limit binds)."""
    ids = set()
    for round_ in range(6):
        for profile in ("fr", "de"):
            for lane in ("orders", "stock", "prices", "products"):
                job = store.queue.enqueue(
                    profile, f"{lane}-{round_}", lane=lane, shop_key=f"shop-{profile}",
                    payload={"round": round_},
                )  # fmt: skip
                ids.add(job.id)
    return ids


def _drain(store: Store, hold: float = 0.01) -> list[Interval]:
    """A worker loop: claim, hold the job a moment, finish; stop when nothing waits."""
    queue = store.queue
    worker = queue.register_worker()
    seen: list[Interval] = []
    while True:
        job = queue.claim(worker, shop_limit=SHOP_LIMIT)
        if job is None:
            if not queue.jobs(status=JobStatus.QUEUED, limit=1):
                return seen
            time.sleep(0.005)
            continue
        start = time.monotonic()
        time.sleep(hold)
        seen.append((job.id, job.profile, job.lane, job.shop_key, start, time.monotonic()))
        assert queue.finish(job.id, worker), f"job {job.id} lost by its owner"


def _check(intervals: list[Interval], expected: set[int]) -> None:
    ids = [iv[0] for iv in intervals]
    assert len(ids) == len(set(ids)), "a job was handed out twice"
    assert set(ids) == expected
    by_lane: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for iv in intervals:
        by_lane[(iv[1], iv[2])].append(iv)
    for lane, runs in by_lane.items():
        runs.sort(key=lambda iv: iv[4])
        for before, after in zip(runs, runs[1:], strict=False):
            assert after[4] >= before[5], f"two jobs of lane {lane} ran at once"
    events: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for iv in intervals:
        events[iv[3]] += [(iv[4], 1), (iv[5], -1)]
    for shop, points in events.items():
        running = peak = 0
        for _, step in sorted(points):  # an end sorts before a start at the same instant
            running += step
            peak = max(peak, running)
        assert peak <= SHOP_LIMIT, f"{peak} jobs of {shop} ran at once"


def test_threads_claiming_at_once(
    store: Store, open_store: Callable[..., Store], clock: FakeClock
) -> None:
    expected = _fill(store)
    workers = [open_store(clock=clock) for _ in range(6)]
    results = _run_threads([lambda w=w: _drain(w) for w in workers])
    _check([iv for result in results for iv in result], expected)
    assert {job.status for job in store.queue.jobs(limit=1000)} == {JobStatus.DONE}


_WORKER_PROCESS = """
import json, sys, time
from tests.store.test_queue_concurrency import _drain
from passerelle.store import Store
with Store.open(sys.argv[1], migrate=False) as store:
    print(json.dumps(_drain(store)))
"""


@pytest.mark.postgres
@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_processes_claiming_at_once(store: Store, store_url: str) -> None:
    """Several worker processes share a queue on PostgreSQL (SQLite: one machine, threads)."""
    expected = _fill(store)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER_PROCESS, store_url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(3)
    ]
    intervals: list[Interval] = []
    try:
        # Each drains the queue and exits: no clock, a slow machine only takes longer.
        for proc in procs:
            out, err = proc.communicate()
            assert proc.returncode == 0, err
            intervals += [tuple(iv) for iv in json.loads(out)]  # type: ignore[misc]
    finally:
        for proc in procs:  # a failed assertion leaves none running or unreaped
            end_process(proc)
    _check(intervals, expected)
    assert len({iv[0] for iv in intervals}) == len(expected)


def test_concurrent_enqueues_of_one_key_make_one_job(
    store: Store, open_store: Callable[..., Store], clock: FakeClock
) -> None:
    stores = [open_store(clock=clock) for _ in range(6)]

    def enqueue(index: int) -> Callable[[], int]:
        def run() -> int:
            ids = set()
            for n in range(5):
                ids.add(
                    stores[index]
                    .queue.enqueue(
                        "fr",
                        "import-orders",
                        dedupe_key="orders",
                        payload={"order_ids": [f"{index}-{n}"]},
                    )  # fmt: skip
                    .id
                )
            return len(ids)

        return run

    assert _run_threads([enqueue(i) for i in range(6)]) == [1] * 6
    [job] = store.queue.jobs()
    assert sorted(job.payload["order_ids"]) == sorted(
        f"{i}-{n}" for i in range(6) for n in range(5)
    )


def test_concurrent_replays_of_one_delivery_queue_one_job(
    store: Store, open_store: Callable[..., Store], clock: FakeClock
) -> None:
    stores = [open_store(clock=clock) for _ in range(6)]
    results = _run_threads(
        [
            lambda s=s: s.queue.accept_delivery(
                "fr", "shopify", "delivery-1", flow="import-orders", payload={"order_ids": ["1"]}
            )
            for s in stores
        ]
    )
    accepted = [job for job in results if job is not None]
    assert len(accepted) == 1
    assert store.queue.jobs() == accepted


def test_only_one_worker_wins_a_schedule_slot(
    store: Store, open_store: Callable[..., Store], clock: FakeClock
) -> None:
    stores = [open_store(clock=clock) for _ in range(6)]
    t0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    step = timedelta(minutes=5)
    for round_ in range(3):  # round 0: no slot row yet, seen as None; then the row exists
        due = None if round_ == 0 else t0 + round_ * step
        next_due = t0 + (round_ + 1) * step
        wins = _run_threads(
            [
                lambda s=s, due=due, next_due=next_due: s.queue.claim_slot(
                    "fr", "import-orders", due, next_due
                )
                for s in stores
            ]
        )
        assert wins.count(True) == 1, (round_, wins)
        assert store.queue.slots("fr") == {"import-orders": next_due}


def _pause_after(store: Store, pattern: str, seconds: float = 0.5) -> threading.Event:
    """Sleep once, in ``store``'s transaction, right after the first statement matching
    ``pattern``; the returned event is set when the pause starts.

    This widens a race window on purpose: another claimer runs inside it.
    """
    paused = threading.Event()
    regex = re.compile(pattern)

    @event.listens_for(store.engine, "after_cursor_execute")
    def pause(*args: Any) -> None:
        statement: str = args[2]
        if not paused.is_set() and regex.match(statement.lstrip()):
            paused.set()
            time.sleep(seconds)

    return paused


def _claim_during_pause(first: Store, second: Store, paused: threading.Event) -> list[Job | None]:
    """``first`` claims and pauses; ``second`` claims inside the pause; both results."""
    results: list[Job | None] = [None, None]
    worker = threading.Thread(
        target=lambda: results.__setitem__(
            0, first.queue.claim(first.queue.register_worker(), shop_limit=SHOP_LIMIT)
        )
    )
    second_id = second.queue.register_worker()
    worker.start()
    assert paused.wait(timeout=30)
    results[1] = second.queue.claim(second_id, shop_limit=SHOP_LIMIT)
    worker.join(timeout=60)
    return results


def test_two_claimers_cannot_both_take_the_last_shop_slot(
    store: Store, open_store: Callable[..., Store], clock: FakeClock
) -> None:
    queue = store.queue
    queue.enqueue("fr", "busy", shop_key="s")
    assert queue.claim(queue.register_worker(), shop_limit=SHOP_LIMIT) is not None  # 1 of 2
    queue.enqueue("fr", "y", shop_key="s")
    queue.enqueue("fr", "z", shop_key="s")
    first, second = open_store(clock=clock), open_store(clock=clock)
    # Pause the first claimer right after it counted the shop's running jobs.
    paused = _pause_after(first, r"SELECT count\(\*\)")

    results = _claim_during_pause(first, second, paused)
    assert sum(job is not None for job in results) == 1, results
    assert len(queue.jobs(status=JobStatus.RUNNING)) == SHOP_LIMIT


def test_a_lane_taken_meanwhile_is_skipped_not_an_error(
    store: Store, open_store: Callable[..., Store], clock: FakeClock
) -> None:
    queue = store.queue
    jobs = [queue.enqueue("fr", flow, lane="orders") for flow in ("import", "validate")]
    first, second = open_store(clock=clock), open_store(clock=clock)
    # Pause the first claimer after it listed candidates: both lane jobs look free.
    paused = _pause_after(first, r"SELECT jobs\.id\s+FROM jobs")

    results = _claim_during_pause(first, second, paused)
    claimed = [job for job in results if job is not None]
    assert [job.id for job in claimed] == [jobs[0].id]
    assert [job.id for job in queue.jobs(status=JobStatus.RUNNING)] == [jobs[0].id]
