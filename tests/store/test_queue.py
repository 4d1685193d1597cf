"""The job queue (passerelle.store.queue), one behaviour at a time, on SQLite and PostgreSQL.

Races between several workers are in ``test_queue_concurrency.py``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from passerelle.store import Job, JobQueue, JobSource, JobStatus, Store

from .conftest import FakeClock

TIMEOUT = timedelta(seconds=60)


@pytest.fixture
def queue(store: Store) -> JobQueue:
    return store.queue


def _ids(jobs: list[Job]) -> list[int]:
    return [job.id for job in jobs]


# ------------------------------------------------------------------ enqueue


def test_enqueue_defaults(queue: JobQueue, clock: FakeClock) -> None:
    job = queue.enqueue("fr", "export-stock")
    assert (job.profile, job.flow, job.lane, job.shop_key) == (
        "fr",
        "export-stock",
        "export-stock",
        "",
    )
    assert job.status is JobStatus.QUEUED and job.source is JobSource.MANUAL
    assert (job.attempts, job.max_attempts, job.payload) == (0, 5, {})
    assert job.run_after == job.created_at == clock.now
    assert job.worker_id is None and job.started_at is None and job.merged_into is None
    assert queue.get(job.id) == job


def test_same_dedupe_key_while_waiting_is_one_job_with_ids_merged(
    queue: JobQueue, clock: FakeClock
) -> None:
    later = clock.now + timedelta(minutes=5)
    first = queue.enqueue(
        "fr", "import-orders", dedupe_key="orders", run_after=later,
        payload={"order_ids": ["1", "2"], "mode": "poll", "since": "2024-05-01"},
    )  # fmt: skip
    second = queue.enqueue(
        "fr", "import-orders", dedupe_key="orders",
        payload={"order_ids": ["2", "3"], "mode": "webhook"},
    )  # fmt: skip
    assert second.id == first.id
    # Lists united in order, newer scalars win, other keys kept; the earlier run_after wins.
    assert second.payload == {
        "order_ids": ["1", "2", "3"],
        "mode": "webhook",
        "since": "2024-05-01",
    }
    assert second.run_after == clock.now
    assert _ids(queue.jobs("fr")) == [first.id]

    other_profile = queue.enqueue("de", "import-orders", dedupe_key="orders")
    no_key = queue.enqueue("fr", "import-orders", payload={"order_ids": ["9"]})
    assert len({first.id, other_profile.id, no_key.id}) == 3


def test_dedupe_only_merges_into_waiting_jobs(queue: JobQueue) -> None:
    first = queue.enqueue("fr", "export-stock", dedupe_key="stock")
    worker = queue.register_worker()
    assert queue.claim(worker) is not None
    again = queue.enqueue("fr", "export-stock", dedupe_key="stock", payload={"full": True})
    assert again.id != first.id  # the running job already read its payload
    assert queue.get(first.id).payload == {}  # type: ignore[union-attr]
    assert queue.finish(first.id, worker)
    assert queue.enqueue("fr", "export-stock", dedupe_key="stock").id == again.id


def test_enqueue_refuses_bad_input(queue: JobQueue) -> None:
    with pytest.raises(TypeError, match="JSON"):
        queue.enqueue("fr", "f", payload={"ids": {1, 2}})
    with pytest.raises(ValueError):
        queue.enqueue("fr", "f", source="telepathy")
    with pytest.raises(ValueError, match="max_attempts"):
        queue.enqueue("fr", "f", max_attempts=0)
    with pytest.raises(ValueError, match="profile"):
        queue.enqueue("", "f")
    with pytest.raises(ValueError, match="aware"):
        queue.enqueue("fr", "f", run_after=datetime(2024, 5, 1, 8, 0))
    assert queue.jobs() == []


# ----------------------------------------------------------------- webhooks


def test_replayed_delivery_queues_nothing(queue: JobQueue) -> None:
    job = queue.accept_delivery(
        "fr", "woocommerce", "d-1", flow="import-orders", lane="orders", shop_key="shop-fr",
        payload={"order_ids": ["1"]},
    )  # fmt: skip
    assert job is not None
    assert (job.source, job.lane, job.shop_key) == (JobSource.WEBHOOK, "orders", "shop-fr")
    replay = queue.accept_delivery(
        "fr", "woocommerce", "d-1", flow="import-orders", payload={"order_ids": ["2"]}
    )
    assert replay is None
    assert queue.jobs() == [job]  # nothing new, nothing merged

    # Another shop may reuse the id; the same profile's deliveries are per source.
    assert queue.accept_delivery("fr", "shopify", "d-1", flow="import-orders", payload={})
    assert queue.accept_delivery("de", "woocommerce", "d-1", flow="import-orders", payload={})
    assert len(queue.jobs()) == 3


def test_new_delivery_with_dedupe_key_merges_into_waiting_job(queue: JobQueue) -> None:
    first = queue.accept_delivery(
        "fr", "woocommerce", "d-1", flow="import-orders", dedupe_key="orders",
        payload={"order_ids": ["1"]},
    )  # fmt: skip
    second = queue.accept_delivery(
        "fr", "woocommerce", "d-2", flow="import-orders", dedupe_key="orders",
        payload={"order_ids": ["2"]},
    )  # fmt: skip
    assert first is not None and second is not None and second.id == first.id
    assert second.payload == {"order_ids": ["1", "2"]}


def test_old_deliveries_can_be_pruned(queue: JobQueue, clock: FakeClock) -> None:
    queue.accept_delivery("fr", "woocommerce", "old", flow="f", payload={})
    clock.advance(days=8)
    queue.accept_delivery("fr", "woocommerce", "new", flow="f", payload={})
    assert queue.prune_deliveries(timedelta(days=7)) == 1
    # Pruned: a very late replay is accepted again; the recent one is still refused.
    assert queue.accept_delivery("fr", "woocommerce", "old", flow="f", payload={}) is not None
    assert queue.accept_delivery("fr", "woocommerce", "new", flow="f", payload={}) is None


# -------------------------------------------------------------------- claim


def test_claim_takes_oldest_due_job_and_owns_it(queue: JobQueue, clock: FakeClock) -> None:
    start = clock.now
    later = queue.enqueue("fr", "a", run_after=start + timedelta(minutes=1))
    first = queue.enqueue("fr", "b")
    second = queue.enqueue("fr", "c")
    worker = queue.register_worker()

    clock.advance(seconds=1)
    claimed = queue.claim(worker)
    assert claimed is not None and claimed.id == first.id
    assert claimed.status is JobStatus.RUNNING and claimed.worker_id == worker
    assert claimed.started_at == clock.now and claimed.attempts == 0
    assert queue.claim(worker).id == second.id  # type: ignore[union-attr]
    assert queue.claim(worker) is None  # "a" is not due yet
    clock.advance(minutes=1)
    assert queue.claim(worker).id == later.id  # type: ignore[union-attr]


def test_claim_order_is_run_after_before_id(queue: JobQueue, clock: FakeClock) -> None:
    older_but_later = queue.enqueue("fr", "a")
    newer_but_sooner = queue.enqueue("fr", "b", run_after=clock.now - timedelta(minutes=5))
    worker = queue.register_worker()
    assert queue.claim(worker).id == newer_but_sooner.id  # type: ignore[union-attr]
    assert queue.claim(worker).id == older_but_later.id  # type: ignore[union-attr]


def test_one_running_job_per_lane(queue: JobQueue) -> None:
    imports = queue.enqueue("fr", "import-orders", lane="orders")
    status = queue.enqueue("fr", "update-order-status", lane="orders")
    stock = queue.enqueue("fr", "export-stock")
    other_profile = queue.enqueue("de", "import-orders", lane="orders")
    worker = queue.register_worker()

    taken = [queue.claim(worker) for _ in range(4)]
    assert [job.id if job else None for job in taken] == [
        imports.id, stock.id, other_profile.id, None,
    ]  # fmt: skip
    assert queue.finish(imports.id, worker)
    assert queue.claim(worker).id == status.id  # type: ignore[union-attr]


def test_shop_limit_counts_running_jobs_of_the_shop(queue: JobQueue) -> None:
    jobs = [queue.enqueue("fr", flow, shop_key="shop-fr") for flow in ("a", "b", "c")]
    elsewhere = queue.enqueue("fr", "d", shop_key="shop-de")
    no_shop = [queue.enqueue("fr", flow) for flow in ("e", "f", "g")]
    worker = queue.register_worker()

    claimed = []
    while (job := queue.claim(worker, shop_limit=2)) is not None:
        claimed.append(job.id)
    # Two of shop-fr, then the others; "" means no shop, hence no limit.
    assert claimed == [jobs[0].id, jobs[1].id, elsewhere.id] + _ids(no_shop)
    assert queue.finish(jobs[0].id, worker)
    assert queue.claim(worker, shop_limit=2).id == jobs[2].id  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        queue.claim(worker, shop_limit=0)


def test_claim_can_be_limited_to_profiles(queue: JobQueue) -> None:
    queue.enqueue("fr", "a")
    de = queue.enqueue("de", "a")
    worker = queue.register_worker()
    assert queue.claim(worker, profiles=[]) is None
    assert queue.claim(worker, profiles=["de", "it"]).id == de.id  # type: ignore[union-attr]
    assert queue.claim(worker, profiles=["de"]) is None


def test_claim_absorbs_waiting_order_jobs_of_the_same_flow(
    queue: JobQueue, clock: FakeClock
) -> None:
    def order_job(ids: list[str], **kwargs: object) -> Job:
        return queue.enqueue(
            "fr", "import-orders", lane="orders", shop_key="s", payload={"order_ids": ids},
            **kwargs,  # type: ignore[arg-type]
        )  # fmt: skip

    head = order_job(["1"])
    small = [order_job([str(i)]) for i in (2, 3, 2, 4)]
    with_options = queue.enqueue(
        "fr", "import-orders", lane="orders", shop_key="s",
        payload={"order_ids": ["5"], "full": True},
    )  # fmt: skip
    not_due = order_job(["6"], run_after=clock.now + timedelta(hours=1))
    other_flow = queue.enqueue(
        "fr", "validate-orders", lane="orders", shop_key="s", payload={"order_ids": ["7"]}
    )
    other_profile = queue.enqueue(
        "de", "import-orders", lane="orders", shop_key="s", payload={"order_ids": ["8"]}
    )
    worker = queue.register_worker()

    claimed = queue.claim(worker)
    assert claimed is not None and claimed.id == head.id
    assert claimed.payload == {"order_ids": ["1", "2", "3", "4"]}
    assert queue.get(head.id) == claimed
    for job in small:
        merged = queue.get(job.id)
        assert merged is not None
        assert (merged.status, merged.merged_into) == (JobStatus.MERGED, head.id)
    for job in (with_options, not_due, other_flow):
        assert queue.get(job.id).status is JobStatus.QUEUED  # type: ignore[union-attr]
    assert queue.claim(worker).id == other_profile.id  # type: ignore[union-attr]


def test_absorbing_stops_at_the_merge_limit(
    queue: JobQueue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("passerelle.store.queue.MERGE_LIMIT", 3)
    jobs = [queue.enqueue("fr", "import-orders", payload={"order_ids": [str(i)]}) for i in range(5)]
    worker = queue.register_worker()
    claimed = queue.claim(worker)
    assert claimed is not None and claimed.payload == {"order_ids": ["0", "1", "2"]}
    assert [queue.get(j.id).status for j in jobs[3:]] == [JobStatus.QUEUED] * 2  # type: ignore[union-attr]


# ----------------------------------------------------------- fenced results


def test_results_only_count_from_the_owner(queue: JobQueue, clock: FakeClock) -> None:
    job = queue.enqueue("fr", "a")
    owner, intruder = queue.register_worker(), queue.register_worker()
    assert queue.finish(job.id, owner) is False  # not running yet
    assert queue.claim(owner) is not None
    assert queue.finish(job.id, intruder) is False
    assert queue.fail(job.id, intruder, "boom") is False
    assert queue.retry_later(job.id, intruder, "boom", timedelta(seconds=1)) is None
    assert queue.get(job.id).status is JobStatus.RUNNING  # type: ignore[union-attr]

    clock.advance(seconds=3)
    assert queue.finish(job.id, owner, run_id=42) is True
    done = queue.get(job.id)
    assert done is not None and done.status is JobStatus.DONE
    assert (done.run_id, done.finished_at, done.attempts) == (42, clock.now, 0)
    assert queue.finish(job.id, owner) is False  # once


def test_fail_parks_the_job_with_its_error(queue: JobQueue) -> None:
    job = queue.enqueue("fr", "a")
    worker = queue.register_worker()
    queue.claim(worker)
    assert queue.fail(job.id, worker, "mapping missing for tax 20%")
    failed = queue.get(job.id)
    assert failed is not None and failed.status is JobStatus.FAILED
    assert (failed.attempts, failed.last_error) == (1, "mapping missing for tax 20%")
    assert queue.claim(worker) is None


def test_retry_later_waits_then_fails_at_max_attempts(queue: JobQueue, clock: FakeClock) -> None:
    job = queue.enqueue("fr", "export-stock", max_attempts=3)
    worker = queue.register_worker()
    for attempt in (1, 2):
        assert queue.claim(worker) is not None
        again = queue.retry_later(job.id, worker, f"429 #{attempt}", timedelta(seconds=30))
        assert again is not None and again.id == job.id
        assert again.status is JobStatus.QUEUED and again.worker_id is None
        assert (again.attempts, again.last_error) == (attempt, f"429 #{attempt}")
        assert again.run_after == clock.now + timedelta(seconds=30)
        clock.advance(seconds=29)
        assert queue.claim(worker) is None  # backing off
        clock.advance(seconds=1)
    assert queue.claim(worker) is not None
    last = queue.retry_later(job.id, worker, "429 #3", timedelta(seconds=30))
    assert last is not None and last.status is JobStatus.FAILED
    assert (last.attempts, last.last_error, last.finished_at) == (3, "429 #3", clock.now)
    clock.advance(minutes=5)
    assert queue.claim(worker) is None
    with pytest.raises(ValueError):
        queue.retry_later(job.id, worker, "x", timedelta(seconds=-1))


def test_retry_folds_into_work_enqueued_meanwhile(queue: JobQueue, clock: FakeClock) -> None:
    running = queue.enqueue("fr", "import-orders", dedupe_key="o", payload={"order_ids": ["1"]})
    worker = queue.register_worker()
    queue.claim(worker)
    waiting = queue.enqueue("fr", "import-orders", dedupe_key="o", payload={"order_ids": ["2"]})
    assert waiting.id != running.id

    carrier = queue.retry_later(running.id, worker, "timeout", timedelta(minutes=2))
    assert carrier is not None and carrier.id == waiting.id
    assert carrier.payload == {"order_ids": ["1", "2"]}
    assert carrier.run_after == clock.now + timedelta(minutes=2)  # the back-off still holds
    assert carrier.attempts == 1
    old = queue.get(running.id)
    assert old is not None and (old.status, old.merged_into) == (JobStatus.MERGED, waiting.id)


def test_requeue_failed_jobs(queue: JobQueue, clock: FakeClock) -> None:
    worker = queue.register_worker()
    failed = []
    for flow in ("a", "b", "c"):
        job = queue.enqueue("fr", flow, max_attempts=1)
        queue.claim(worker)
        queue.retry_later(job.id, worker, "down", timedelta(0))
        failed.append(job)
    de = queue.enqueue("de", "a")
    queue.claim(worker)
    queue.fail(de.id, worker, "x")
    done = queue.enqueue("fr", "d")
    queue.claim(worker)
    queue.finish(done.id, worker)
    clock.advance(hours=1)

    assert queue.requeue("fr", [failed[0].id, done.id, 999]) == 1
    back = queue.get(failed[0].id)
    assert back is not None and back.status is JobStatus.QUEUED
    assert (back.attempts, back.run_after, back.worker_id) == (0, clock.now, None)
    assert queue.get(done.id).status is JobStatus.DONE  # type: ignore[union-attr]
    assert queue.requeue("fr", []) == 0
    assert queue.requeue("fr") == 2  # all failed of the profile; "de" untouched
    assert queue.get(de.id).status is JobStatus.FAILED  # type: ignore[union-attr]
    assert sorted(_ids(queue.jobs("fr", status="queued"))) == _ids(failed)


def test_jobs_lists_newest_first_with_filters(queue: JobQueue) -> None:
    a, b, c = (queue.enqueue(p, "f") for p in ("fr", "fr", "de"))
    worker = queue.register_worker()
    queue.claim(worker)
    assert _ids(queue.jobs()) == [c.id, b.id, a.id]
    assert _ids(queue.jobs("fr")) == [b.id, a.id]
    assert _ids(queue.jobs(status=JobStatus.RUNNING)) == [a.id]
    assert _ids(queue.jobs(limit=1)) == [c.id]
    assert queue.get(12345) is None
    with pytest.raises(ValueError):
        queue.jobs(status="lost")


# ------------------------------------------------------------------ workers


def test_register_and_heartbeat_workers(queue: JobQueue, clock: FakeClock) -> None:
    worker = queue.register_worker(host="box", pid=123)
    host, pid, token = worker.split(":")
    assert (host, pid, len(token)) == ("box", "123", 8)
    assert queue.register_worker(host="box", pid=123) != worker
    clock.advance(seconds=5)
    assert queue.heartbeat_worker(worker) is True
    [listed] = [w for w in queue.workers() if w.id == worker]
    assert (listed.heartbeat_at, listed.started_at) == (clock.now, clock.now - timedelta(seconds=5))
    assert queue.heartbeat_worker("nobody:1:00") is False


def test_recovery_by_heartbeat_never_by_elapsed_time(queue: JobQueue, clock: FakeClock) -> None:
    job = queue.enqueue("fr", "export-products")
    old = queue.register_worker(host="elsewhere", pid=1)
    queue.claim(old)

    clock.advance(seconds=50)
    queue.heartbeat_worker(old)
    clock.advance(seconds=50)  # running for 100 s, silent for 50 s: alive
    assert queue.recover(TIMEOUT) == []
    clock.advance(seconds=11)  # silent for 61 s: dead
    assert queue.recover(TIMEOUT) == [job.id]

    back = queue.get(job.id)
    assert back is not None and back.status is JobStatus.QUEUED
    assert (back.attempts, back.worker_id, back.run_after) == (1, None, clock.now)
    assert back.last_error is not None and f"worker {old} died" in back.last_error
    assert queue.recover(TIMEOUT) == []  # nothing left to recover


def test_fencing_after_recovery(queue: JobQueue, clock: FakeClock) -> None:
    job = queue.enqueue("fr", "import-orders")
    old = queue.register_worker(host="elsewhere", pid=1)
    queue.claim(old)
    clock.advance(seconds=61)
    new = queue.register_worker()
    assert queue.recover(TIMEOUT) == [job.id]
    assert queue.claim(new).id == job.id  # type: ignore[union-attr]

    # The old worker wakes up and reports: nothing happens.
    assert queue.finish(job.id, old) is False
    assert queue.fail(job.id, old, "late") is False
    assert queue.retry_later(job.id, old, "late", timedelta(0)) is None
    current = queue.get(job.id)
    assert current is not None and (current.status, current.worker_id) == (JobStatus.RUNNING, new)
    assert queue.finish(job.id, new)


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_recovery_of_a_dead_pid_on_this_host_is_immediate(queue: JobQueue) -> None:
    dead_pid = _dead_pid()
    dead = queue.register_worker(pid=dead_pid)  # this host
    alive = queue.register_worker()  # this very process
    remote = queue.register_worker(host="elsewhere.example", pid=dead_pid)
    jobs = [queue.enqueue("fr", flow) for flow in ("a", "b", "c")]
    for worker in (dead, alive, remote):
        queue.claim(worker)

    # Heartbeats are fresh: only the pid check can tell, and only on this host.
    assert queue.recover(timedelta(hours=1)) == [jobs[0].id]
    assert f"process {dead_pid} is gone" in queue.get(jobs[0].id).last_error  # type: ignore[operator,union-attr]
    assert [queue.get(j.id).status for j in jobs[1:]] == [JobStatus.RUNNING] * 2  # type: ignore[union-attr]


def test_jobs_of_unknown_or_stopped_workers_are_recovered(queue: JobQueue) -> None:
    ghost_job = queue.enqueue("fr", "a")
    queue.claim("ghost:1:abcd")  # never registered (or its row was deleted)
    assert queue.recover(timedelta(hours=1)) == [ghost_job.id]
    assert "not registered" in queue.get(ghost_job.id).last_error  # type: ignore[operator,union-attr]


def test_stop_worker_requeues_its_jobs_at_once(queue: JobQueue) -> None:
    worker = queue.register_worker()
    other = queue.register_worker()
    mine, theirs = queue.enqueue("fr", "a"), queue.enqueue("fr", "b")
    queue.claim(worker)
    queue.claim(other)

    assert queue.stop_worker(worker) == [mine.id]
    back = queue.get(mine.id)
    assert back is not None and (back.status, back.attempts, back.worker_id) == (
        JobStatus.QUEUED, 0, None,
    )  # fmt: skip
    assert queue.get(theirs.id).status is JobStatus.RUNNING  # type: ignore[union-attr]
    assert queue.heartbeat_worker(worker) is False
    assert worker not in [w.id for w in queue.workers()]
    assert worker in [w.id for w in queue.workers(include_stopped=True)]
    assert queue.finish(mine.id, worker) is False


def test_recovery_fails_a_job_out_of_attempts(queue: JobQueue, clock: FakeClock) -> None:
    job = queue.enqueue("fr", "a", max_attempts=2)
    for _ in range(2):
        worker = queue.register_worker(host="elsewhere", pid=1)
        assert queue.claim(worker) is not None
        clock.advance(minutes=2)
        assert queue.recover(TIMEOUT) == [job.id]
    failed = queue.get(job.id)
    assert failed is not None and failed.status is JobStatus.FAILED
    assert failed.attempts == 2 and "died" in (failed.last_error or "")


# ---------------------------------------------------------------- schedules


def test_claim_slot_is_a_compare_and_swap(queue: JobQueue) -> None:
    t0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    t1, t2 = t0 + timedelta(minutes=5), t0 + timedelta(minutes=10)
    assert queue.slots("fr") == {}
    assert queue.claim_slot("fr", "import-orders", t0, t1) is True  # no slot yet: created
    assert queue.slots("fr") == {"import-orders": t1}
    assert queue.claim_slot("fr", "import-orders", t0, t1) is False  # t0 already taken
    assert queue.claim_slot("fr", "import-orders", t1, t2) is True
    assert queue.claim_slot("fr", "export-stock", t0, t2) is True
    assert queue.slots("fr") == {"import-orders": t2, "export-stock": t2}
    # None: "I saw no slot" - wins only by creating one.
    assert queue.claim_slot("fr", "export-stock", None, t0) is False
    assert queue.claim_slot("fr", "export-prices", None, t1) is True
    assert queue.slots("fr")["export-prices"] == t1
    assert queue.slots("de") == {}
    with pytest.raises(ValueError, match="aware"):
        queue.claim_slot("fr", "export-stock", t2.replace(tzinfo=None), t2)
