"""A shop that refuses connections is a passing fault: retried, then one problem for the shop.

On a port nobody listens on: the HTTP client tries again with back-off (even
a create: nothing reached the shop); a worker's job tries again until its
tries are spent, then parks one problem for the shop, not one per job; the
first job that reaches the shop again closes it and sends the blocked jobs
back to the queue.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.errors import ShopUnreachable
from passerelle.connectors.http import HttpOptions, RetryingClient
from passerelle.runner.unreachable import UNREACHABLE_FLOW
from passerelle.runner.worker import Worker
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store
from passerelle.store.records import JobStatus, ProblemKind
from tests.test_exit_codes import PROFILE, data_dir, write_profile
from tests.waiting import wait_for

__all__ = ["data_dir"]  # the fixture, shared with the exit code tests


def free_port() -> int:
    """A loopback port nobody listens on (bound then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_refused_connection_is_retried_with_back_off_then_named(method: str) -> None:
    port = free_port()
    sleeps: list[float] = []
    client = RetryingClient(
        base_url=f"https://127.0.0.1:{port}/api/",
        platform="Shop",
        options=HttpOptions(max_tries=3, backoff_base=0.01),
        sleep=sleeps.append,
    )
    with pytest.raises(ShopUnreachable) as caught:
        client.request(method, "orders", json_body={} if method == "POST" else None)
    client.close()
    assert len(sleeps) == 2  # three tries, a pause before each of the last two
    assert caught.value.url == f"https://127.0.0.1:{port}/api/"
    assert f"Shop at https://127.0.0.1:{port}/api/ cannot be reached" in str(caught.value)


def _until_idle(worker: Worker, store: Store, jobs: list[int]) -> None:
    """Run ``jobs`` through their back-off until none waits any more (a stall fails:
    their states unchanged for minutes; slowness does not)."""

    def tick() -> None:
        worker.tick()

    wait_for(
        lambda: not any(store.queue.get(j).status in ("queued", "running") for j in jobs),  # type: ignore[union-attr]
        lambda: [store.queue.get(j) for j in jobs],
        what="the jobs on the refused shop",
        every=0.05,
        check=tick,
    )


def test_jobs_on_a_refused_shop_park_one_problem_closed_by_the_next_job_that_reaches_it(
    data_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    sandbox = WooSandbox(tmp_path / "shop.json", cert_dir=tmp_path / "tls", port=port)
    ca_bundle = sandbox.ca_bundle
    url = f"https://127.0.0.1:{port}"
    write_profile(
        data_dir,
        url,
        ca_bundle,
        max_tries=2,
        worker={"max_attempts": 2, "retry_base_seconds": 0.05, "retry_cap_seconds": 0.1},
    )
    store = Store.open_data_dir(data_dir)
    worker = Worker(
        data_dir, store=store, console=Console(quiet=True), poll_every=0.05, schedules=False
    )
    shop_key = f"woocommerce:{url}"

    def enqueue(order_id: str) -> int:
        return store.queue.enqueue(
            PROFILE,
            "import-orders",
            payload={"order_ids": [order_id]},
            lane="orders",
            shop_key=shop_key,
            source="webhook",
            max_attempts=2,
        ).id

    try:
        first = enqueue("1")
        _until_idle(worker, store, [first])
        second = enqueue("2")
        _until_idle(worker, store, [second])
        for job in (first, second):
            found = store.queue.get(job)
            assert found is not None and found.status is JobStatus.FAILED and found.attempts == 2
        # One problem for the shop, none per job (the orders wait as records to retry).
        (problem,) = store.parked(PROFILE, kind=ProblemKind.JOB)
        assert {p.record_key for p in store.parked(PROFILE, severity="error", kind=None)} == {
            shop_key
        }
        assert (problem.flow, problem.record_key, problem.kind) == (
            UNREACHABLE_FLOW,
            shop_key,
            ProblemKind.JOB,
        )
        assert problem.tries == 2 and problem.severity == "error"
        assert problem.reason.startswith(
            f"the shop at {url}/wp-json/wc/v3/ refuses connections since "
        )
        assert "check it is up" in problem.reason

        with sandbox:  # the shop is back, on the same address
            third = enqueue("3")
            _until_idle(worker, store, [third])
            assert store.queue.get(third).status is JobStatus.DONE  # type: ignore[union-attr]
            assert store.parked(PROFILE, UNREACHABLE_FLOW, kind=None) == []
            # The jobs it blocked are queued again and run: their orders are not lost.
            _until_idle(worker, store, [first, second])
            for job in (first, second):
                assert store.queue.get(job).status in (  # type: ignore[union-attr]
                    JobStatus.DONE,
                    JobStatus.MERGED,
                )
    finally:
        worker.close()
        store.close()
