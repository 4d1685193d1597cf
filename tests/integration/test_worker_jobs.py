"""Workers running real flows from the queue: faults, a killed worker, test mode (issue 6).

In-process :class:`Worker` objects and ``passerelle worker`` processes on the data
directory's SQLite store, a Tryton demo copy and the WooCommerce sandbox.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.demo_data import CATALOGUE_ITEMS
from passerelle.profiles import Profile, ProfileRepository
from passerelle.runner.execute import JobOutcome
from passerelle.runner.scheduler import enqueue_due, shop_key
from passerelle.runner.worker import Worker
from passerelle.sandbox.woocommerce.faults import Faults
from passerelle.store.models import WorkerRow
from tests.integration.conftest import World
from tests.integration.test_kill_resume import add_paid_orders
from tests.waiting import end_process, wait_for

SCHEDULED = ("import-orders", "export-products", "update-stock")


def orders_of(sales: Counter[str]) -> set[str]:
    """The shop order ids of Tryton sale keys: ``<shop>#<id>``, ``…/1`` per delivery address
    (O23), ``…/refund/<id>`` for a return."""
    return {key.split("#", 1)[1].split("/", 1)[0] for key in sales}


def _profile(world: World, *, scheduled: tuple[str, ...] = (), **changes: object) -> Profile:
    """The demo profile with only ``scheduled`` jobs on (every 10 s) and quick retries."""
    data = world.profile.model_dump(mode="json")
    jobs = {
        "recheck-orders",
        "update-order-status",
        "confirm-shipments",
        "update-stock",
        "update-prices",
        "export-categories",
        "export-products",
        "export-customers",
        "stock-check",
        "import-orders",
        "error-digest",
    }
    data["schedules"] = {job: "every 10s" if job in scheduled else "off" for job in jobs}
    data["worker"] = {"max_attempts": 8, "retry_base_seconds": 0.2, "retry_cap_seconds": 1.0}
    data.update(changes)
    return Profile.model_validate(data)


def test_scheduled_flows_complete_with_a_fifth_of_calls_failing(world: World) -> None:
    """429 with Retry-After, 500 and timeouts on 20 % of calls: every scheduled job ends
    done, the journal shows the retries, and nothing is lost or written twice."""
    seeded = set(world.sandbox.data.orders)
    add_paid_orders(world, 12)
    profile = _profile(world, scheduled=SCHEDULED)
    # The scheduled import reads the last day's orders: this test's, not the seeded
    # shop's history (minutes of Tryton documents the faults are not about).
    profile.orders.period_days = 1
    profile.shop.http.timeout = 0.5
    profile.shop.http.max_tries = 2  # so some failures reach the job and its back-off
    ProfileRepository(world.data_dir).save(profile)
    world.sandbox.faults = Faults(
        rate=0.2, kinds=("429", "500", "timeout"), retry_after=0.2, timeout_after=0.7, seed=11
    )
    worker = Worker(
        world.data_dir,
        store=world.store,
        console=world.console,
        poll_every=0.05,
        schedule_every=0.0,
    )
    done: Counter[str] = Counter()
    ended: list[str] = []  # every job outcome, retries included: the progress waited on

    def tick() -> None:
        outcome = worker.tick()
        if outcome is None:
            return
        job = world.store.queue.get(outcome.job_id)
        assert job is not None
        ended.append(outcome.status)
        if outcome.status == "done":
            done[job.flow] += 1
        assert outcome.status != "failed", outcome.message

    try:
        # No total deadline: under load every call is slower, not wrong; the wait fails
        # only when no job ends (done or sent back to retry) for minutes.
        wait_for(
            lambda: all(done[j] >= 1 for j in SCHEDULED),
            lambda: len(ended),
            what=f"one done job of each of {SCHEDULED}",
            every=0.05,
            check=tick,
        )
    finally:
        worker.close()
        world.sandbox.faults = None
    assert all(done[j] >= 1 for j in SCHEDULED), done
    jobs = world.store.queue.jobs(profile=profile.name, limit=1000)
    journal = [
        line.message for job in jobs if job.run_id for line in world.store.journal(job.run_id)
    ]
    retried = [job for job in jobs if job.attempts > 0]
    assert any("retrying" in m for m in journal) or retried, "no retry shows anywhere"
    assert retried, "no failure reached a job's own back-off"
    # Nothing lost, nothing twice: each salable product once in the shop, each paid
    # order once in Tryton, and the shop's stock as Tryton's after a clean run.
    skus = Counter(p["sku"] for p in world.sandbox.data.products.values())
    salable = [i for i in CATALOGUE_ITEMS if i.salable]
    expected = {i.code for i in salable if not i.template} | {
        i.template.rstrip("-") for i in salable if i.template
    }
    assert set(skus) == expected and set(skus.values()) == {1}
    sales = world.sales_by_key()
    assert sales and set(sales.values()) == {1}
    paid = {
        str(o["id"])
        for key, o in world.sandbox.data.orders.items()
        if key not in seeded and o["status"] in profile.orders.statuses
    }
    assert len(paid) == 12 and paid <= orders_of(sales)


def test_a_job_of_a_killed_worker_is_run_again_by_another_once_its_heartbeat_is_stale(
    world: World,
) -> None:
    # Only this test's orders are imported (``from``, as ``run --from``): the seeded
    # shop's history would be minutes of Tryton documents, twice, the kill is not about.
    # A second earlier: WooCommerce's ``after`` is strict, and its dates are to the second.
    since = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    seeded = set(world.sandbox.data.orders)
    add_paid_orders(world, 12)
    world.sandbox.latency = 0.05  # long enough to be killed in the middle
    profile = _profile(world)
    ProfileRepository(world.data_dir).save(profile)
    job = world.store.queue.enqueue(
        profile.name,
        "import-orders",
        payload={"from": since.isoformat()},
        lane="orders",
        shop_key=shop_key(profile),
        source="manual",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "passerelle",
            "worker",
            "--data-dir",
            str(world.data_dir),
            "--no-schedules",
            "--job-timeout",
            "3",
            "--heartbeat",
            "0.5",
            "--poll",
            "0.1",
        ],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def alive() -> None:
            assert process.poll() is None, "the worker ended before it could be killed"

        # Progress: the worker's start-up, then its sales. A stall fails, slowness does not.
        wait_for(
            lambda: len(world.sales_by_key()) >= 5,
            lambda: (len(world.sales_by_key()), world.store.queue.get(job.id)),
            what="five sales written by the worker",
            every=0.05,
            check=alive,
        )
        running = world.store.queue.get(job.id)
        assert running is not None and running.status == "running"
    finally:
        end_process(process, signal.SIGKILL)
    world.sandbox.latency = 0
    # Seen from another machine: the dead worker's pid cannot be looked at there, only
    # its heartbeat, which stopped when it was killed. (On the same machine the dead
    # pid is noticed at once; the timeout is what protects workers on other hosts.)
    with world.store.engine.begin() as connection:
        connection.execute(
            update(WorkerRow)
            .where(WorkerRow.id == running.worker_id)
            .values(host="another-machine")
        )
    other = Worker(
        world.data_dir,
        store=world.store,
        console=world.console,
        job_timeout=timedelta(seconds=3),
        heartbeat_every=timedelta(seconds=1),
        poll_every=0.1,
        schedules=False,
    )
    outcomes: list[JobOutcome] = []
    try:

        def tick() -> None:
            if (outcome := other.tick()) is not None:
                outcomes.append(outcome)

        # Nothing moves until the heartbeat is stale (3 s), then the job is taken and run
        # within a tick: a stall only after minutes of neither.
        wait_for(
            lambda: bool(outcomes),
            lambda: world.store.queue.get(job.id),
            what="the job taken back",
            check=tick,
        )
    finally:
        other.close()
    [outcome] = outcomes
    assert outcome.job_id == job.id and outcome.status == "done"
    again = world.store.queue.get(job.id)
    assert again is not None and again.status == "done" and again.attempts == 1
    # Taken back because its heartbeat went stale, not before: the recovery names it
    # (``JobQueue.recover``), with no clock measured here.
    assert again.last_error and "no heartbeat since" in again.last_error, again.last_error
    sales = world.sales_by_key()
    assert set(sales.values()) == {1}, "an order was written twice"
    paid = {
        str(o["id"])
        for key, o in world.sandbox.data.orders.items()
        if key not in seeded and o["status"] in profile.orders.statuses
    }
    assert len(paid) == 12 and paid == orders_of(sales)


def test_in_test_mode_stock_export_refuses_and_is_never_scheduled(world: World) -> None:
    profile = _profile(world, scheduled=("update-stock", "import-orders"), mode="test")
    ProfileRepository(world.data_dir).save(profile)
    result = CliRunner().invoke(
        app, ["run", "update-stock", "--profile", profile.name, "--data-dir", str(world.data_dir)]
    )
    assert result.exit_code == 2
    assert "update-stock writes to the shop" in result.output
    assert "test mode" in result.output and 'mode = "production"' in result.output
    queued_now = enqueue_due(world.store.queue, profile, datetime.now(UTC))
    assert {q.job for q in queued_now} == {"import-orders"}  # update-stock is not scheduled
    # Queued by other means (an old job, a manual insert), it still does not run.
    queued = world.store.queue.enqueue(profile.name, "update-stock", lane="catalogue")
    worker = Worker(world.data_dir, store=world.store, console=world.console, schedules=False)
    try:
        refused = worker.run_job(queued.id, timeout=60)
    finally:
        worker.close()
    assert refused.status == "failed" and "test mode" in refused.message  # type: ignore[union-attr]
    problem = world.store.parked(profile.name, "update-stock", kind="job")
    assert problem and "test mode" in problem[0].reason
