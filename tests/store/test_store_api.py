"""Every public method of Store, on SQLite and PostgreSQL (see conftest.store_url)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

import pytest

from passerelle.store import (
    COUNT_KEYS,
    Binding,
    BindingInput,
    JournalEntry,
    JournalLevel,
    RunStatus,
    Severity,
    Store,
    content_hash,
)

from .conftest import FakeClock

H1 = content_hash({"name": "Chair", "price": "12.50"})
H2 = content_hash({"name": "Chair", "price": "13.00"})


# ---------------------------------------------------------------- bindings


def test_bind_then_get(store: Store, clock: FakeClock) -> None:
    assert store.get_binding("fr", "product", "AR0001") is None
    made = store.bind("fr", "product", "AR0001", "501", H1)
    assert made == Binding("fr", "product", "AR0001", "501", H1, clock.now, None)
    assert store.get_binding("fr", "product", "AR0001") == made
    assert made.synced_at.tzinfo is UTC


def test_bind_is_an_upsert(store: Store, clock: FakeClock) -> None:
    store.bind("fr", "order", "1234", "S-1", None)
    clock.advance(minutes=5)
    again = store.bind("fr", "order", "1234", "S-2", H2, remote_number="SO0042")
    assert (again.remote_id, again.content_hash, again.remote_number) == ("S-2", H2, "SO0042")
    assert again.synced_at == clock.now
    assert list(store.bindings("fr", "order")) == ["1234"]


def test_bindings_are_scoped_by_profile_and_kind(store: Store) -> None:
    store.bind("fr", "product", "1", "a", H1)
    store.bind("fr", "category", "1", "b", H1)
    store.bind("de", "product", "1", "c", H1)
    assert store.get_binding("fr", "product", "1").remote_id == "a"  # type: ignore[union-attr]
    assert store.get_binding("fr", "category", "1").remote_id == "b"  # type: ignore[union-attr]
    assert {b.remote_id for b in store.bindings("de", "product").values()} == {"c"}
    assert store.bindings("it", "product") == {}


def test_bindings_by_remote(store: Store) -> None:
    store.bind("fr", "product", "AR1", "77", H1)
    store.bind("fr", "product", "AR2", "78", H1)
    assert [b.local_id for b in store.bindings_by_remote("fr", "product", "77")] == ["AR1"]
    assert store.bindings_by_remote("fr", "product", "99") == []


def test_bind_many_10000_rows_readable_in_one_query(store: Store) -> None:
    rows = [BindingInput(f"AR{i:05}", str(100_000 + i), H1) for i in range(10_000)]
    assert store.bind_many("fr", "product", rows) == 10_000
    # Update half of them, insert one more, in the same call.
    update = [(f"AR{i:05}", str(200_000 + i), H2, f"N{i}") for i in range(0, 10_000, 2)]
    assert store.bind_many("fr", "product", [*update, ("NEW", "1", None)]) == 5_001

    seen = store.bindings("fr", "product")
    assert len(seen) == 10_001
    assert seen["AR00002"].remote_id == "200002" and seen["AR00002"].content_hash == H2
    assert seen["AR00002"].remote_number == "N2"
    assert seen["AR00003"].remote_id == "100003" and seen["AR00003"].content_hash == H1
    assert seen["NEW"].content_hash is None


def test_bind_many_last_duplicate_wins_and_empty_is_noop(store: Store) -> None:
    assert store.bind_many("fr", "product", []) == 0
    assert store.bind_many("fr", "product", [("A", "1", H1), ("A", "2", H2)]) == 1
    assert store.get_binding("fr", "product", "A").remote_id == "2"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ((12, "1", H1), TypeError),
        (("", "1", H1), TypeError),
        (("A", None, H1), TypeError),
        (("A", "", H1), TypeError),
        (("A", "1", H1.upper()), ValueError),
        (("A", "1", H1[:63] + "\n"), ValueError),
        (("A", "1", b"0" * 64), ValueError),
    ],
)
def test_bind_many_refuses_a_row_it_cannot_keep(
    store: Store, row: tuple[object, ...], error: type[Exception]
) -> None:
    with pytest.raises(error):
        store.bind_many("fr", "product", [("B", "2", None), row])  # type: ignore[list-item]
    assert store.bindings("fr", "product") == {}


class _Code(str):
    """A text of its own type (an enum's value, say): a text all the same."""


def test_bind_many_takes_texts_of_any_kind_of_str(store: Store) -> None:
    assert store.bind_many("fr", "product", [(_Code("A"), _Code("1"), _Code(H1))]) == 1
    assert store.get_binding("fr", "product", "A").remote_id == "1"  # type: ignore[union-attr]


def test_bind_many_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(TypeError):
        store.bind_many("fr", "product", [("A", "1", H1), (12, "2", H1)])  # type: ignore[list-item]
    assert store.bindings("fr", "product") == {}


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ((12, "1", H1), TypeError),  # int ids: "12" vs 12 is a duplicate waiting to happen
        (("A", 5, H1), TypeError),
        (("", "5", H1), TypeError),
        (("A", "5", "not-a-hash"), ValueError),
        (("A", "5", H1.upper()), ValueError),
    ],
)
def test_bind_rejects_bad_input(store: Store, row: tuple[object, ...], error: type) -> None:
    with pytest.raises(error):
        store.bind_many("fr", "product", [row])  # type: ignore[list-item]


def test_unbind(store: Store) -> None:
    store.bind_many("fr", "product", [(f"A{i}", str(i), H1) for i in range(1200)])
    store.bind("de", "product", "A1", "x", H1)
    removed = store.unbind("fr", "product", [f"A{i}" for i in range(1100)] + ["missing"])
    assert removed == 1100
    assert sorted(store.bindings("fr", "product")) == sorted(f"A{i}" for i in range(1100, 1200))
    assert store.get_binding("de", "product", "A1") is not None
    assert store.unbind("fr", "product", []) == 0


def test_records_are_frozen(store: Store) -> None:
    binding = store.bind("fr", "product", "A", "1", H1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        binding.remote_id = "2"  # type: ignore[misc]


# --------------------------------------------------------------- bookmarks


def test_bookmarks(store: Store, clock: FakeClock) -> None:
    assert store.get_bookmark("fr", "import_orders") is None
    first = store.set_bookmark("fr", "import_orders", "2024-05-01T07:00:00+00:00")
    assert first.updated_at == clock.now
    clock.advance(hours=1)
    store.set_bookmark("fr", "import_orders", "2024-05-01T08:00:00+00:00")
    store.set_bookmark("fr", "export_products", "cursor:abc")
    store.set_bookmark("de", "import_orders", "x")

    got = store.get_bookmark("fr", "import_orders")
    assert got is not None
    assert (got.value, got.updated_at) == ("2024-05-01T08:00:00+00:00", clock.now)
    assert {k: b.value for k, b in store.bookmarks("fr").items()} == {
        "import_orders": "2024-05-01T08:00:00+00:00",
        "export_products": "cursor:abc",
    }


# -------------------------------------------------------------------- runs


def test_run_lifecycle(store: Store, clock: FakeClock) -> None:
    run_id = store.start_run("fr", "export_products", log_path="logs/1.log")
    run = store.get_run(run_id)
    assert run is not None
    assert run.status is RunStatus.RUNNING
    assert (run.started_at, run.finished_at, run.log_path) == (clock.now, None, "logs/1.log")
    assert run.counts == dict.fromkeys(COUNT_KEYS, 0)

    clock.advance(seconds=42)
    done = store.finish_run(run_id, "succeeded", {"created": 3, "unchanged": 97})
    assert done.status is RunStatus.SUCCEEDED
    assert done.finished_at == clock.now
    assert done.counts == {**dict.fromkeys(COUNT_KEYS, 0), "created": 3, "unchanged": 97}
    assert store.get_run(run_id) == done
    assert store.get_run(99_999) is None


def test_finish_run_validates(store: Store) -> None:
    run_id = store.start_run("fr", "f")
    with pytest.raises(ValueError, match="unknown run counts"):
        store.finish_run(run_id, "failed", {"create": 1})
    with pytest.raises(ValueError):
        store.finish_run(run_id, "failed", {"created": -1})
    with pytest.raises(ValueError):
        store.finish_run(run_id, "running")
    with pytest.raises(ValueError):
        store.finish_run(run_id, "done")
    with pytest.raises(LookupError):
        store.finish_run(99_999, "failed")
    store.finish_run(run_id, RunStatus.FAILED, {"failed": 1})
    with pytest.raises(ValueError, match="already finished"):
        store.finish_run(run_id, "succeeded")


def test_list_runs(store: Store) -> None:
    ids = [store.start_run(p, f) for p, f in [("fr", "a"), ("fr", "b"), ("de", "a"), ("fr", "a")]]
    assert [r.id for r in store.list_runs()] == ids[::-1]
    assert [r.id for r in store.list_runs(profile="fr")] == [ids[3], ids[1], ids[0]]
    assert [r.id for r in store.list_runs(profile="fr", flow="a")] == [ids[3], ids[0]]
    assert [r.id for r in store.list_runs(flow="a", limit=2)] == [ids[3], ids[2]]


def test_live_run_in_this_process_is_not_marked_interrupted(store: Store, clock: FakeClock) -> None:
    first = store.start_run("fr", "import_orders")
    clock.advance(days=2)  # elapsed time alone never makes a live run "dead"
    second = store.start_run("fr", "import_orders")
    assert store.get_run(first).status is RunStatus.RUNNING  # type: ignore[union-attr]
    assert store.get_run(second).status is RunStatus.RUNNING  # type: ignore[union-attr]


def test_run_of_another_host_is_interrupted_after_heartbeat_timeout(
    store: Store, clock: FakeClock
) -> None:
    from sqlalchemy import update

    from passerelle.store.models import RunRow

    run_id = store.start_run("fr", "import_orders")
    other = store.start_run("fr", "export_products")
    with store.engine.begin() as conn:
        conn.execute(update(RunRow).values(owner="worker-2:4242"))
    started = clock.now

    clock.advance(minutes=9)
    store.heartbeat(run_id)  # still alive at 08:09
    clock.advance(minutes=9)
    assert store.mark_stale_runs_interrupted("fr", "import_orders") == []

    clock.advance(minutes=2)  # 11 minutes without a heartbeat
    assert store.mark_stale_runs_interrupted("fr", "import_orders") == [run_id]
    run = store.get_run(run_id)
    assert run is not None and run.status is RunStatus.INTERRUPTED
    assert run.finished_at == started + timedelta(minutes=9)  # last sign of life
    # Other flows are left alone; the next start of *that* flow deals with them.
    assert store.get_run(other).status is RunStatus.RUNNING  # type: ignore[union-attr]

    # A run wrongly presumed dead that does finish records its real outcome.
    assert store.finish_run(run_id, "succeeded").status is RunStatus.SUCCEEDED


def test_journal_writes_count_as_heartbeat(store: Store, clock: FakeClock) -> None:
    run_id = store.start_run("fr", "f")
    clock.advance(minutes=3)
    store.add_journal(run_id, "info", "still going")
    assert store.get_run(run_id).heartbeat_at == clock.now  # type: ignore[union-attr]


# ----------------------------------------------------------------- journal


def test_journal(store: Store, clock: FakeClock) -> None:
    run_id = store.start_run("fr", "export_products")
    store.add_journal(run_id, "info", "20 items to check")
    explicit = datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    written = store.add_journal_many(
        run_id,
        [
            JournalEntry(JournalLevel.SUCCESS, "created", "AR0003", 3, 20),
            JournalEntry("warning", "no image", record_key="AR0004", position=4, total=20),
            JournalEntry("error", "tax 'TVA 5.5' not mapped", "AR0005", 5, 20, at=explicit),
        ],
    )
    assert written == 3
    assert store.add_journal_many(run_id, []) == 0

    lines = store.journal(run_id)
    assert [line.message for line in lines][0] == "20 items to check"
    assert [line.level for line in lines] == ["info", "success", "warning", "error"]
    assert [line.label for line in lines] == ["", "3/20 - AR0003", "4/20 - AR0004", "5/20 - AR0005"]
    assert lines[1].text == "3/20 - AR0003: created"
    assert lines[0].text == "20 items to check"
    assert lines[1].at == clock.now
    assert lines[3].at == explicit and lines[3].at.tzinfo is UTC
    assert store.journal(store.start_run("fr", "other")) == []


def test_journal_keeps_order_of_a_large_batch(store: Store) -> None:
    run_id = store.start_run("fr", "f")
    store.add_journal_many(run_id, [JournalEntry("info", f"line {i}") for i in range(2000)])
    assert [line.message for line in store.journal(run_id)] == [f"line {i}" for i in range(2000)]


def test_journal_rejects_unknown_run_and_level(store: Store) -> None:
    with pytest.raises(LookupError):
        store.add_journal(99_999, "info", "orphan")
    run_id = store.start_run("fr", "f")
    with pytest.raises(ValueError):
        store.add_journal(run_id, "debug", "nope")
    assert store.journal(run_id) == []


# ------------------------------------------------------------------ parked


def test_park_upserts_and_counts_tries(store: Store, clock: FakeClock) -> None:
    first = store.park("fr", "import_orders", "order 1234", "Shop timed out", "retry")
    assert (first.tries, first.severity, first.resolved_at) == (1, Severity.RETRY, None)
    seen = clock.now
    clock.advance(minutes=10)
    again = store.park("fr", "import_orders", "order 1234", "Payment 'Klarna' not mapped")
    assert again.id == first.id
    assert again.tries == 2
    assert again.reason == "Payment 'Klarna' not mapped"
    assert again.severity is Severity.ERROR
    assert (again.first_seen, again.last_seen) == (seen, clock.now)


def test_resolve_and_park_again(store: Store, clock: FakeClock) -> None:
    store.park("fr", "import_orders", "order 1", "why")
    assert store.resolve("fr", "import_orders", "order 1") is True
    assert store.resolve("fr", "import_orders", "order 1") is False
    assert store.parked() == []
    resolved = store.parked(include_resolved=True)
    assert len(resolved) == 1 and resolved[0].resolved_at == clock.now

    clock.advance(hours=1)
    fresh = store.park("fr", "import_orders", "order 1", "again")
    assert fresh.id != resolved[0].id and fresh.tries == 1
    assert len(store.parked(include_resolved=True)) == 2


def test_parked_filters(store: Store, clock: FakeClock) -> None:
    store.park("fr", "import_orders", "order 1", "a", Severity.ERROR)
    clock.advance(seconds=1)
    store.park("fr", "export_products", "AR1", "b", Severity.INFO)
    clock.advance(seconds=1)
    store.park("de", "import_orders", "order 1", "c", Severity.RETRY)

    assert [p.reason for p in store.parked()] == ["c", "b", "a"]  # most recent first
    assert [p.reason for p in store.parked(profile="fr")] == ["b", "a"]
    assert [p.reason for p in store.parked(flow="import_orders")] == ["c", "a"]
    assert [p.reason for p in store.parked(severity="retry")] == ["c"]
    assert [p.reason for p in store.parked("fr", "import_orders", Severity.ERROR)] == ["a"]
    with pytest.raises(ValueError):
        store.parked(severity="fatal")


# -------------------------------------------------------------------- time


def test_naive_datetimes_are_refused(store: Store) -> None:
    run_id = store.start_run("fr", "f")
    with pytest.raises(Exception, match="naive datetime"):
        store.add_journal(run_id, "info", "x", at=datetime(2024, 1, 1))


def test_default_clock_is_aware_utc(store_url: str) -> None:
    with Store.open(store_url) as s:
        run = s.get_run(s.start_run("fr", "f"))
        assert run is not None and run.started_at.tzinfo is UTC
        assert abs(run.started_at - datetime.now(UTC)) < timedelta(minutes=1)
