"""Flow options: typed where they enter, kept as JSON in a job; a bad one fails its job only."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from passerelle.flows.options import FlowOptions, InvalidOptions
from passerelle.profiles import ProfileRepository
from passerelle.runner.jobs import JOBS, options_of
from passerelle.runner.run_now import RunRefused
from passerelle.runner.worker import Worker
from tests.integration.conftest import World


def test_options_round_trip_through_a_jobs_json_payload() -> None:
    options = FlowOptions(
        created_from=datetime(2025, 3, 1, 12, tzinfo=UTC),
        created_to=datetime(2025, 3, 2, tzinfo=UTC),
        include_transferred=True,
        order_ids=("12", "13"),
        orders_file=Path("orders.xml"),
        fix=False,
    )
    payload = json.loads(json.dumps(options.payload()))
    assert payload["from"].startswith("2025-03-01T12:00:00") and payload["order_ids"] == [
        "12",
        "13",
    ]
    assert "only_parked" not in payload and "ids" not in payload  # unset options are left out
    assert FlowOptions.parse(payload) == options
    assert FlowOptions().payload() == {}


def test_a_job_kinds_options_hold_under_its_payload() -> None:
    recheck = options_of(JOBS["recheck-orders"], {"order_ids": ["7"]})
    assert recheck.only_parked and recheck.order_ids == ("7",)
    assert options_of(JOBS["import-orders"], {}) == FlowOptions()


def test_older_payloads_are_read_as_before() -> None:
    # A date without offset is UTC (as `passerelle run --from` reads it); ids written as numbers
    # by hand are the shop's ids as text.
    options = FlowOptions.parse({"from": "2025-03-01T12:00:00", "order_ids": [12, "13"]})
    assert options.created_from == datetime(2025, 3, 1, 12, tzinfo=UTC)
    assert options.order_ids == ("12", "13")
    assert options.limits_orders
    assert not FlowOptions().limits_orders
    assert FlowOptions(order_ids=()).limits_orders  # an empty list still limits the run


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"order_id": ["1"]}, "order_id: no flow takes this option"),
        ({"fix": "maybe"}, "fix: Input should be a valid boolean"),
        ({"from": "last week"}, "from: Input should be a valid datetime"),
        ({"order_ids": "12"}, "order_ids: Input should be a valid tuple"),
    ],
)
def test_an_unknown_or_mistyped_option_is_named(payload: dict[str, object], reason: str) -> None:
    with pytest.raises(InvalidOptions, match=reason):
        FlowOptions.parse(payload)


def test_a_job_with_a_bad_option_fails_alone_and_the_worker_goes_on(world: World) -> None:
    ProfileRepository(world.data_dir).save(world.profile)
    queue = world.store.queue
    bad = queue.enqueue(
        world.profile.name, "import-orders", lane="orders", payload={"oder_ids": [1]}
    )
    worker = Worker(world.data_dir, store=world.store, console=world.console, schedules=False)
    try:
        refused = worker.run_job(bad.id, timeout=60)
        assert refused is not None and refused.status == "failed"
        assert "options are not valid" in refused.message
        assert "oder_ids: no flow takes this option" in refused.message
        problem = world.store.parked(world.profile.name, "import-orders", kind="job")
        assert problem and "oder_ids" in problem[0].reason
        good = queue.enqueue(world.profile.name, "validate-orders", lane="orders", payload={})
        done = worker.run_job(good.id, timeout=60)
    finally:
        worker.close()
    assert done is not None and done.status == "done", done


def test_a_caller_naming_an_unknown_option_is_refused_before_the_run(world: World) -> None:
    with pytest.raises(RunRefused, match="orders_flie: no flow takes this option"):
        world.runner().run(world.profile, "import-orders", options={"orders_flie": "x.xml"})
    assert world.store.get_bookmark(world.profile.name, "import-orders") is None
