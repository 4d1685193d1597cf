"""Retention prunes old journal lines and closed problems, never open ones nor runs;
the metrics' totals add up what the runs, problems and jobs tables hold."""

from __future__ import annotations

from datetime import timedelta

from passerelle.store import Store
from passerelle.store.records import RunStatus
from tests.store.conftest import FakeClock


def _old_run(store: Store, clock: FakeClock, flow: str = "import-orders") -> int:
    run_id = store.start_run("shop", flow)
    store.add_journal(run_id, "info", "order 1: imported", record_key="1")
    store.add_journal(run_id, "error", "order 2: no payment mapping", record_key="2")
    store.finish_run(run_id, RunStatus.WITH_PROBLEMS, {"created": 1, "failed": 1})
    return run_id


def test_prune_keeps_runs_open_problems_and_their_lines(store: Store, clock: FakeClock) -> None:
    old = _old_run(store, clock)
    store.park("shop", "import-orders", "2", "no payment mapping", "error")
    store.park("shop", "import-orders", "3", "awaits payment", "retry")
    store.resolve("shop", "import-orders", "3")
    clock.advance(days=100)
    recent = _old_run(store, clock)

    pruned = store.prune_before(clock.now - timedelta(days=90))

    assert pruned.journal_lines == 1  # order 1's line; order 2 still has an open problem
    assert pruned.closed_problems == 1
    assert [line.record_key for line in store.journal(old)] == ["2"]
    assert len(store.journal(recent)) == 2
    assert store.get_run(old) is not None
    assert [p.record_key for p in store.parked("shop", kind=None)] == ["2"]


def test_totals_for_the_metrics(store: Store, clock: FakeClock) -> None:
    first = _old_run(store, clock)
    _old_run(store, clock, "export-products")
    store.record_shop_requests(first, "woocommerce", 12, 0.5)
    store.park("shop", "import-orders", "2", "no payment mapping", "error")
    store.queue.enqueue("shop", "import-orders", payload={}, lane="orders", shop_key="w")

    assert store.runs_by_outcome() == {
        ("import-orders", "with_problems"): 1,
        ("export-products", "with_problems"): 1,
    }
    records = store.records_by_outcome()
    assert records[("import-orders", "created")] == 1
    assert records[("export-products", "failed")] == 1
    assert records[("import-orders", "updated")] == 0
    assert store.open_problems_by_severity() == {("shop", "error"): 1}
    assert store.jobs_by_status() == {"queued": 1}
    (woo,) = store.shop_requests_by_platform().items()
    assert woo[0] == "woocommerce" and woo[1].requests == 12 and woo[1].seconds == 0.5
    # The run's own counts are unchanged for everything else that reads them.
    run = store.get_run(first)
    assert run is not None and run.counts["created"] == 1 and "shop" not in run.counts
