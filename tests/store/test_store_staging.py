"""The staging grid (O21), on SQLite and PostgreSQL (see conftest.store_url)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from passerelle.store import StagedOrder, StagedState, Store

from .conftest import FakeClock

FLOW = "import-orders"
DOC = json.dumps({"party": "WEB000042", "lines": [{"item": "AR1", "qty": "2"}]})
CUSTOMER = json.dumps({"code": "WEB000042", "name": "Jane Doe"})


def _stage(store: Store, order_id: str, **changes: object) -> StagedOrder:
    fields: dict[str, object] = {
        "order_number": f"#{order_id}",
        "document_json": DOC,
        "customer_json": CUSTOMER,
        "summary": "Jane Doe, 25.00 EUR",
        **changes,
    }
    return store.stage("fr", FLOW, order_id, **fields)  # type: ignore[arg-type]


def test_stage_then_read_back(store: Store, clock: FakeClock) -> None:
    made = _stage(store, "1234", reason="total differs from the shop by 0.01")
    assert made == StagedOrder(
        id=made.id,
        profile="fr",
        flow=FLOW,
        order_id="1234",
        order_number="#1234",
        state=StagedState.STAGED,
        document_json=DOC,
        customer_json=CUSTOMER,
        summary="Jane Doe, 25.00 EUR",
        reason="total differs from the shop by 0.01",
        remote_id=None,
        remote_number=None,
        created_at=clock.now,
        updated_at=clock.now,
    )
    assert store.staged("fr", FLOW) == [made]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.state = StagedState.VALIDATED  # type: ignore[misc]


def test_stage_keeps_text_exactly_and_accepts_long_summaries(store: Store) -> None:
    document = '{"b": 1,  "a": "é"}'  # opaque: not parsed, not re-serialised
    long_summary = "Société " * 200
    made = _stage(store, "1", document_json=document, customer_json=None, summary=long_summary)
    assert (made.document_json, made.customer_json, made.summary) == (document, None, long_summary)


def test_restage_replaces_content_and_keeps_created_at(store: Store, clock: FakeClock) -> None:
    first = _stage(store, "1234", reason="anomaly")
    staged_at = clock.now
    clock.advance(minutes=5)
    again = _stage(store, "1234", order_number="#1234-b", document_json="{}", summary="new")
    assert again.id == first.id
    assert again.state is StagedState.STAGED
    assert (again.order_number, again.document_json, again.summary) == ("#1234-b", "{}", "new")
    assert again.reason is None  # the new content says nothing needs a look
    assert (again.created_at, again.updated_at) == (staged_at, clock.now)
    assert store.staged("fr", FLOW) == [again]


@pytest.mark.parametrize("final", ["validated", "rejected"])
def test_stage_never_changes_a_validated_or_rejected_order(
    store: Store, clock: FakeClock, final: str
) -> None:
    _stage(store, "1234")
    if final == "validated":
        settled = store.mark_validated("fr", FLOW, "1234", remote_id="S-9", remote_number="SO9")
    else:
        store.reject("fr", FLOW, ["1234"], reason="test order")
        [settled] = store.staged("fr", FLOW, states=["rejected"])
    clock.advance(minutes=5)
    returned = _stage(store, "1234", document_json="{}", summary="changed in the shop")
    assert returned == settled  # the caller sees the state and skips the order
    assert returned.state == final and returned.document_json == DOC
    assert store.staged("fr", FLOW) == []


def test_staged_filters_scopes_and_orders(store: Store, clock: FakeClock) -> None:
    _stage(store, "30")
    clock.advance(seconds=1)
    _stage(store, "20")
    _stage(store, "10")  # same created_at as "20": order id breaks the tie
    clock.advance(seconds=1)
    _stage(store, "40")
    store.stage("de", FLOW, "10", order_number="x", document_json="{}", customer_json=None,
                summary="other profile")  # fmt: skip
    store.stage("fr", "other-flow", "10", order_number="x", document_json="{}",
                customer_json=None, summary="other flow")  # fmt: skip
    clock.advance(minutes=1)
    _stage(store, "30", summary="re-staged: keeps its place")
    store.mark_validated("fr", FLOW, "40", remote_id="S-40", remote_number=None)
    store.reject("fr", FLOW, ["20"], reason="fraud")

    def ids(**kwargs: object) -> list[str]:
        return [o.order_id for o in store.staged("fr", FLOW, **kwargs)]  # type: ignore[arg-type]

    assert ids() == ["30", "10"]
    assert ids(states=("staged", "validated", "rejected")) == ["30", "10", "20", "40"]
    assert ids(states=[StagedState.REJECTED]) == ["20"]
    assert ids(states=()) == []
    assert ids(order_ids=["10", "missing"]) == ["10"]
    assert ids(order_ids=[]) == []
    with pytest.raises(ValueError):
        store.staged("fr", FLOW, states=["archived"])


def test_staged_with_many_ids_keeps_the_order(store: Store, clock: FakeClock) -> None:
    order_ids = [f"{i:04}" for i in range(1200)]
    for order_id in reversed(order_ids):  # newest first: ordering is by created_at
        _stage(store, order_id)
        clock.advance(seconds=1)
    got = store.staged("fr", FLOW, order_ids=order_ids)  # several IN (…) chunks
    assert [o.order_id for o in got] == order_ids[::-1]


def test_mark_validated(store: Store, clock: FakeClock) -> None:
    _stage(store, "1234")
    clock.advance(minutes=1)
    done = store.mark_validated("fr", FLOW, "1234", remote_id="S-77", remote_number="SO0077")
    assert done.state is StagedState.VALIDATED
    assert (done.remote_id, done.remote_number, done.updated_at) == ("S-77", "SO0077", clock.now)
    assert store.staged("fr", FLOW, states=["validated"]) == [done]
    with pytest.raises(LookupError):
        store.mark_validated("fr", FLOW, "never-staged", remote_id="S-1", remote_number=None)
    with pytest.raises(TypeError):
        store.mark_validated("fr", FLOW, "1234", remote_id=77, remote_number=None)  # type: ignore[arg-type]


def test_mark_validated_wins_over_a_rejection_that_raced_with_it(store: Store) -> None:
    _stage(store, "1234")
    store.reject("fr", FLOW, ["1234"], reason="rejected while the sale was being created")
    done = store.mark_validated("fr", FLOW, "1234", remote_id="S-1", remote_number="SO1")
    assert done.state is StagedState.VALIDATED
    assert store.is_rejected("fr", FLOW, "1234") is False


def test_reject_only_staged_rows(store: Store, clock: FakeClock) -> None:
    for order_id in ("1", "2", "3"):
        _stage(store, order_id)
    store.mark_validated("fr", FLOW, "3", remote_id="S-3", remote_number="SO3")
    clock.advance(minutes=1)
    assert store.reject("fr", FLOW, ["1", "1", "3", "missing"], reason="duplicate order") == 1
    assert store.reject("fr", FLOW, ["1", "2"], reason="second thoughts") == 1
    assert store.reject("fr", FLOW, [], reason="nothing") == 0

    [one] = store.staged("fr", FLOW, order_ids=["1"], states=["rejected"])
    assert (one.reason, one.updated_at) == ("duplicate order", clock.now)  # first reason kept
    assert store.is_rejected("fr", FLOW, "1") and store.is_rejected("fr", FLOW, "2")
    assert not store.is_rejected("fr", FLOW, "3")  # validated
    assert not store.is_rejected("fr", FLOW, "missing")
    assert not store.is_rejected("de", FLOW, "1")
    assert store.rejected_ids("fr", FLOW) == {"1", "2"}
    assert store.rejected_ids("fr", "other-flow") == set()
    with pytest.raises(TypeError):
        store.reject("fr", FLOW, ["1"], reason=None)  # type: ignore[arg-type]


def test_unstage(store: Store) -> None:
    for order_id in ("1", "2", "3", "4"):
        _stage(store, order_id)
    store.reject("fr", FLOW, ["2"], reason="no")
    store.mark_validated("fr", FLOW, "3", remote_id="S-3", remote_number=None)
    store.stage("fr", "other-flow", "1", order_number="x", document_json="{}",
                customer_json=None, summary="kept")  # fmt: skip
    store.stage("de", FLOW, "1", order_number="x", document_json="{}", customer_json=None,
                summary="kept")  # fmt: skip

    assert store.unstage("fr", FLOW, ["2", "missing"]) == 1  # any state
    assert store.unstage("fr", FLOW, []) == 0
    # A forgotten rejection: the next run stages the order again.
    assert _stage(store, "2").state is StagedState.STAGED
    assert store.unstage("fr", FLOW) == 4  # None: the whole grid of the flow
    assert store.staged("fr", FLOW, states=list(StagedState)) == []
    assert len(store.staged("fr", "other-flow")) == 1
    assert len(store.staged("de", FLOW)) == 1


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"order_id": 1234}, TypeError),  # ids are strings, always
        ({"order_id": ""}, TypeError),
        ({"profile": ""}, ValueError),
        ({"document_json": {"party": "X"}}, TypeError),  # the caller serialises
        ({"customer_json": b"{}"}, TypeError),
        ({"summary": None}, TypeError),
        ({"order_number": 1234}, TypeError),
        ({"reason": 1}, TypeError),
    ],
)
def test_stage_rejects_bad_input(store: Store, changes: dict[str, object], error: type) -> None:
    args: dict[str, object] = {
        "profile": "fr",
        "flow": FLOW,
        "order_id": "1",
        "order_number": "#1",
        "document_json": DOC,
        "customer_json": None,
        "summary": "s",
        **changes,
    }
    with pytest.raises(error):
        store.stage(**args)  # type: ignore[arg-type]
    assert store.staged("fr", FLOW) == []
