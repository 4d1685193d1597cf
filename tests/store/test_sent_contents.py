"""The content an export last sent, kept with its binding (for the preview of a run)."""

from __future__ import annotations

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
