"""The lean bindings read: what a comparison needs, equal to what Store.bindings says."""

from __future__ import annotations

from passerelle.store import Store
from passerelle.store.lean_bindings import Bound, bound
from tests.store.conftest import FakeClock

H1 = "1" * 64
H2 = "2" * 64


def test_bound_is_the_shop_id_and_hash_of_each_binding_of_a_kind(store: Store) -> None:
    store.bind_many("fr", "product", [("A", "10", H1), ("B", "11", None, "N-11")])
    store.bind("fr", "stock", "A", "10", H2)
    store.bind("de", "product", "A", "99", H2)
    assert bound(store, "fr", "product") == {"A": Bound("10", H1), "B": Bound("11", None)}
    assert bound(store, "fr", "stock") == {"A": Bound("10", H2)}
    assert bound(store, "it", "product") == {}


def test_bound_agrees_with_the_full_records_after_updates_and_unbinds(store: Store) -> None:
    store.bind_many("fr", "product", [(f"K{i}", str(i), H1) for i in range(50)])
    store.bind_many("fr", "product", [(f"K{i}", str(100 + i), H2) for i in range(0, 50, 3)])
    store.unbind("fr", "product", ["K1", "K2"])
    full = store.bindings("fr", "product")
    assert bound(store, "fr", "product") == {
        key: Bound(b.remote_id, b.content_hash) for key, b in full.items()
    }
    assert "K1" not in full and full["K3"] == store.get_binding("fr", "product", "K3")
    assert full["K3"].remote_id == "103" and full["K4"].content_hash == H1


def test_full_records_keep_every_column(store: Store, clock: FakeClock) -> None:
    """Store.bindings reads columns, not ORM rows: each record still has them all."""
    store.bind("fr", "order", "1234", "S-1", H1, remote_number="SO0042")
    (binding,) = store.bindings("fr", "order").values()
    assert (binding.profile, binding.kind, binding.local_id) == ("fr", "order", "1234")
    assert (binding.remote_id, binding.content_hash, binding.remote_number) == (
        "S-1",
        H1,
        "SO0042",
    )
    assert binding.synced_at == clock.now and binding.synced_at.tzinfo is not None
    assert store.bindings_by_remote("fr", "order", "S-1") == [binding]


def test_bound_of_some_keys_reads_every_chunk_and_only_those_keys(store: Store) -> None:
    """On SQLite and PostgreSQL: keys asked five hundred at a time, the last chunk partial,
    a key asked twice or never bound left out, another kind or profile never read."""
    store.bind_many("fr", "stock", [(f"K{i:04}", str(i), H1) for i in range(1200)])
    store.bind_many("fr", "product", [(f"K{i:04}", "P", H2) for i in range(1200)])
    store.bind_many("de", "stock", [(f"K{i:04}", "D", H2) for i in range(1200)])
    asked = [f"K{i:04}" for i in range(3, 1203)] + ["K0003", "nope"]
    assert bound(store, "fr", "stock", asked) == {
        f"K{i:04}": Bound(str(i), H1) for i in range(3, 1200)
    }
    assert bound(store, "fr", "stock", []) == {}
