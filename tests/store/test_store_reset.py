"""Reset generations and reset_records (O18), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from passerelle.store import Severity, StagedState, Store, content_hash

from .conftest import FakeClock

FLOW = "import-orders"
KIND = "order"
H1 = content_hash({"total": "25.00"})


def _stage(store: Store, order_id: str, profile: str = "fr", flow: str = FLOW) -> None:
    store.stage(profile, flow, order_id, order_number=f"#{order_id}", document_json="{}",
                customer_json=None, summary="s")  # fmt: skip


# -------------------------------------------------------------- generations


def test_generation_starts_at_zero_and_bump_increments(store: Store) -> None:
    assert store.generation("fr", KIND, "1234") == 0
    assert store.generations("fr", KIND) == {}
    assert store.bump_generation("fr", KIND, ["1234", "5678", "1234"]) == {"1234": 1, "5678": 1}
    assert store.bump_generation("fr", KIND, ["1234"]) == {"1234": 2}
    assert store.bump_generation("fr", KIND, []) == {}
    assert store.generation("fr", KIND, "1234") == 2
    assert store.generations("fr", KIND) == {"1234": 2, "5678": 1}


def test_generations_are_scoped_by_profile_and_kind(store: Store) -> None:
    store.bump_generation("fr", KIND, ["1"])
    assert store.generation("de", KIND, "1") == 0
    assert store.generation("fr", "product", "1") == 0
    assert store.generations("de", KIND) == {}
    assert store.generations("fr", "product") == {}


def test_bump_generation_many_keys(store: Store) -> None:
    keys = [f"K{i:04}" for i in range(1200)]
    assert store.bump_generation("fr", KIND, keys) == dict.fromkeys(keys, 1)
    assert list(store.bump_generation("fr", KIND, keys[::-1])) == keys[::-1]  # given order
    assert set(store.generations("fr", KIND).values()) == {2}


def test_bump_generation_validates(store: Store) -> None:
    with pytest.raises(TypeError):
        store.bump_generation("fr", KIND, ["1", 2])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        store.bump_generation("fr", "", ["1"])
    assert store.generations("fr", KIND) == {}  # nothing half-done


# ------------------------------------------------------------ reset_records


@pytest.fixture
def populated(store: Store, clock: FakeClock) -> Store:
    """Orders 1-5 in every place the store remembers them, plus neighbours to keep."""
    store.bind_many("fr", KIND, [("1", "S-1", None, "SO1"), ("2", "S-2", None), ("3", "S-3", H1)])
    _stage(store, "2")
    store.reject("fr", FLOW, ["2"], reason="fraud")
    _stage(store, "4")
    _stage(store, "6")
    store.mark_validated("fr", FLOW, "6", remote_id="S-6", remote_number="SO6")
    store.park("fr", FLOW, "1", "old problem")
    store.resolve("fr", FLOW, "1")
    clock.advance(minutes=1)
    store.park("fr", FLOW, "1", "payment not mapped")
    store.park("fr", FLOW, "5", "awaiting payment", Severity.RETRY)
    # Neighbours: same ids, other profile / kind / flow.
    store.bind("de", KIND, "1", "X-1", None)
    store.bind("fr", "product", "1", "P-1", H1)
    _stage(store, "1", profile="de")
    store.park("fr", "export-products", "1", "unrelated")
    return store


def _neighbours_untouched(store: Store) -> None:
    assert store.get_binding("de", KIND, "1") is not None
    assert store.get_binding("fr", "product", "1") is not None
    assert len(store.staged("de", FLOW)) == 1
    assert [p.record_key for p in store.parked("fr", "export-products")] == ["1"]
    assert store.generations("de", KIND) == {}
    assert store.generations("fr", "product") == {}


def test_reset_one_record(populated: Store) -> None:
    store = populated
    assert store.reset_records("fr", KIND, FLOW, ["1"]) == ["1"]
    assert sorted(store.bindings("fr", KIND)) == ["2", "3"]
    assert store.parked("fr", FLOW, include_resolved=True)[0].record_key == "5"
    assert len(store.parked("fr", FLOW, include_resolved=True)) == 1  # history of 1 gone too
    assert store.generations("fr", KIND) == {"1": 1}

    assert store.reset_records("fr", KIND, FLOW, ["2", "2"]) == ["2"]
    assert store.rejected_ids("fr", FLOW) == set()  # the rejection is forgotten
    assert sorted(store.bindings("fr", KIND)) == ["3"]
    assert store.generations("fr", KIND) == {"1": 1, "2": 1}

    assert store.reset_records("fr", KIND, FLOW, ["1"]) == ["1"]
    assert store.generation("fr", KIND, "1") == 2
    _neighbours_untouched(store)


def test_reset_a_key_the_store_never_saw_still_bumps_it(store: Store) -> None:
    # The back-office may hold its document under the old key: a new one is needed.
    assert store.reset_records("fr", KIND, FLOW, ["999"]) == ["999"]
    assert store.generations("fr", KIND) == {"999": 1}
    assert store.reset_records("fr", KIND, FLOW, []) == []


def test_reset_all_records(populated: Store) -> None:
    store = populated
    assert store.reset_records("fr", KIND, FLOW, None) == ["1", "2", "3", "4", "5", "6"]
    assert store.bindings("fr", KIND) == {}
    assert store.staged("fr", FLOW, states=list(StagedState)) == []
    assert store.parked("fr", FLOW, include_resolved=True) == []
    assert store.generations("fr", KIND) == dict.fromkeys(["1", "2", "3", "4", "5", "6"], 1)
    _neighbours_untouched(store)

    assert store.reset_records("fr", KIND, FLOW, None) == []  # nothing left to reset
    assert store.generation("fr", KIND, "1") == 1


def test_reset_records_is_one_transaction(
    populated: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from passerelle.store import generations

    def broken(*args: object, **kwargs: object) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(generations, "bump", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        populated.reset_records("fr", KIND, FLOW, None)
    # Deleted bindings, staged rows and parked entries were rolled back.
    assert sorted(populated.bindings("fr", KIND)) == ["1", "2", "3"]
    assert populated.rejected_ids("fr", FLOW) == {"2"}
    assert {p.record_key for p in populated.parked("fr", FLOW)} == {"1", "5"}


def test_reset_records_validates_before_touching_anything(populated: Store) -> None:
    with pytest.raises(TypeError):
        populated.reset_records("fr", KIND, FLOW, ["1", 2])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        populated.reset_records("fr", KIND, "", ["1"])
    assert "1" in populated.bindings("fr", KIND)
    assert populated.generations("fr", KIND) == {}
