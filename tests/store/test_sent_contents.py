"""The content an export last sent, kept with its binding (for the preview of a run)."""

from __future__ import annotations

import pytest

from passerelle.store import Store, content_hash
from passerelle.store.sent_contents import sent_contents

H = {name: content_hash({"n": name}) for name in ("h", "h1", "h2", "h3", "h4")}


def test_contents_are_kept_with_their_bindings_and_replaced_by_each_export(
    tmp_path: object,
) -> None:
    with Store.open_data_dir(str(tmp_path)) as store:
        store.bind_many(
            "fr",
            "product",
            [("1", "S1", H["h1"]), ("2", "S2", H["h2"])],
            contents={"1": '{"regular_price":{"$decimal":"9.90"}}'},
        )
        assert sent_contents(store, "fr", "product") == {
            "1": '{"regular_price":{"$decimal":"9.90"}}'
        }
        # Sent again: the new content replaces the old one, one row per binding.
        store.bind_many("fr", "product", [("1", "S1", H["h3"])], contents={"1": '{"a":1}'})
        assert sent_contents(store, "fr", "product") == {"1": '{"a":1}'}
        # An import or an adoption (no contents given) leaves the kept one alone...
        store.bind_many("fr", "product", [("1", "S1", H["h3"])])
        assert sent_contents(store, "fr", "product") == {"1": '{"a":1}'}
        # ...an export that binds it without a content drops it: never staler than the hash.
        store.bind_many("fr", "product", [("1", "S1", H["h4"])], contents={})
        assert sent_contents(store, "fr", "product") == {}
        assert sent_contents(store, "fr", "price") == {}


def test_a_kept_content_goes_with_its_binding(tmp_path: object) -> None:
    with Store.open_data_dir(str(tmp_path)) as store:
        store.bind_many("fr", "customer", [("C1", "7", H["h"])], contents={"C1": "{}"})
        store.bind_many("de", "customer", [("C1", "8", H["h"])], contents={"C1": "[]"})
        assert store.unbind("fr", "customer", ["C1"]) == 1
        assert sent_contents(store, "fr", "customer") == {}
        assert sent_contents(store, "de", "customer") == {"C1": "[]"}  # other profiles keep theirs


def test_a_batch_binds_every_kind_in_one_transaction_and_keeps_only_the_records_contents(
    store: Store,
) -> None:
    """On SQLite and PostgreSQL: the ids of the kept contents come from the upsert."""
    store.bind_many("fr", "price", [("1", "S1", H["h"])], contents={"1": '"old price"'})
    store.bind_many("fr", "product", [("2", "S2", H["h"])], contents={"2": '"old"'})
    written = store.bind_many(
        "fr",
        "product",
        [("1", "S1", H["h1"]), ("2", "S2", H["h2"]), ("1", "S1", H["h3"])],
        contents={"1": '{"a":1}'},
        together={"price": [("1", "S1", H["h4"])], "stock": [("1", "S1", H["h2"])]},
    )
    assert written == 2  # the record's own kind, a repeated key counted once
    assert store.bindings("fr", "product")["1"].content_hash == H["h3"]  # the last row wins
    assert store.bindings("fr", "price")["1"].content_hash == H["h4"]
    assert store.bindings("fr", "stock")["1"].remote_id == "S1"
    # The record's content replaces its older one; a product bound without one loses its
    # older one; the kinds bound together keep none (shown with the record's content).
    assert sent_contents(store, "fr", "product") == {"1": '{"a":1}'}
    assert sent_contents(store, "fr", "price") == {}
    # Bound without contents (an adoption): the kept ones stay as they are.
    store.bind_many("fr", "product", [("1", "S9", H["h1"])], together={"stock": []})
    assert sent_contents(store, "fr", "product") == {"1": '{"a":1}'}


def test_a_batch_refused_writes_none_of_its_kinds(store: Store) -> None:
    with pytest.raises(ValueError):
        store.bind_many(
            "fr",
            "product",
            [("1", "S1", H["h1"])],
            contents={"1": "{}"},
            together={"stock": [("1", "S1", "not a hash")]},
        )
    assert store.bindings("fr", "product") == {}
    assert store.bindings("fr", "stock") == {}


def test_contents_are_dropped_for_every_key_of_a_large_batch_and_no_other(store: Store) -> None:
    """On SQLite and PostgreSQL: a kind's keys are dropped a hundred at a time, the last
    hundred partial; the kept contents of keys not written, or of another kind, stay."""
    keys = [f"P{n:03}" for n in range(250)]
    for kind in ("stock", "price"):
        store.bind_many(
            "fr", kind, [(k, "S" + k, H["h"]) for k in keys], contents={k: '"q"' for k in keys}
        )
    store.bind_many(
        "fr",
        "product",
        [(k, "S" + k, H["h1"]) for k in keys[:231]],
        contents={"P000": '"p"'},
        together={"stock": [(k, "S" + k, H["h2"]) for k in keys[:231]]},
    )
    assert sent_contents(store, "fr", "stock") == {k: '"q"' for k in keys[231:]}
    assert sent_contents(store, "fr", "price") == {k: '"q"' for k in keys}
    assert sent_contents(store, "fr", "product") == {"P000": '"p"'}
