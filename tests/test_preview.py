"""Previews of exports: what is compared, and that nothing can be written on the way."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.http import HttpOptions
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.flows.exporting import Candidate
from passerelle.flows.preview import NEW_ID, FieldChange, PreviewCollector, shown, untag
from passerelle.flows.sent import sent_json
from passerelle.model import Item, ProductDraft
from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.runner.preview import ReadOnlyShop, ReadOnlyStore, preview_flow
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store
from tests.test_profiles import VALID

PRICES = frozenset({"regular_price", "sale_price"})


def _candidate(key: str, price: str, shop_id: str | None = None) -> Candidate[ProductDraft]:
    draft = ProductDraft(sku=key, name=f"item {key}", regular_price=Decimal(price))
    return Candidate(key, key, draft, "0" * 64, shop_id, PRICES)


def test_only_changed_fields_are_listed_with_the_content_last_sent() -> None:
    kept = {"product": {"A": sent_json(_candidate("A", "9.90").content, PRICES | {"name"})}}
    collector = PreviewCollector("update-prices", lambda kind: kept.get(kind, {}))
    created = collector.would_send(
        "price", [_candidate("A", "10.50", "7"), _candidate("B", "3.00", "8"), _candidate("C", "1")]
    )
    assert created == {"C": NEW_ID}
    a, b, c = collector.preview.records
    # The price binding has no content of its own: the product's, sent with it, stands.
    assert a.changes == (FieldChange("regular_price", {"$decimal": "9.90"}, {"$decimal": "10.50"}),)
    assert [(ch.field, ch.known, untag(ch.after)) for ch in b.changes] == [
        ("regular_price", False, "3.00"),
        ("sale_price", False, None),
    ]
    assert (c.action, c.changes, c.shop_id) == ("create", (), None)
    # A record sent twice by one run shows once, as it was sent last.
    collector.would_send("price", [_candidate("A", "11.00", "7")])
    assert [r.key for r in collector.preview.records] == ["A", "B", "C"]
    assert untag(collector.preview.records[0].changes[0].after) == "11.00"


def test_values_are_shown_untagged() -> None:
    assert untag({"$decimal": "24.90"}) == "24.90"
    assert untag([{"$$price": {"$decimal": "1.10"}}]) == [{"$price": "1.10"}]
    assert shown([["pro", {"$decimal": "20.00"}]]) == "pro, 20.00"
    assert shown(None) == "-"


def test_the_preview_store_and_shop_write_nothing(tmp_path: Path) -> None:
    with Store.open_data_dir(tmp_path) as store:
        read_only = ReadOnlyStore(store)
        read_only.bind_many("p", "product", [("1", "S1", None)], contents={"1": "{}"})
        read_only.park("p", "export-products", "1", "why", "error")
        read_only.set_bookmark("p", "export-products", "2026-01-01T00:00:00+00:00")
        assert store.bindings("p", "product") == {}
        assert store.parked("p", "export-products") == []
        assert store.get_bookmark("p", "export-products") is None
        with pytest.raises(AttributeError):
            read_only.start_run("p", "export-products")  # a use the preview does not expect
    with pytest.raises(AssertionError, match="nothing may be sent"):
        ReadOnlyShop(object()).write_products([])  # type: ignore[arg-type]


def test_stock_preview_with_the_memory_back_office(tmp_path: Path) -> None:
    with WooSandbox(tmp_path / "shop.json", seed=False, cert_dir=tmp_path / "tls") as sandbox:
        backoffice = MemoryBackOffice()
        for product in sandbox.seed_products(3, prefix="PRV-"):
            item_id = str(product["id"])
            backoffice.items[item_id] = Item(
                item_id, product["sku"], product["name"], Decimal("1.00")
            )
            backoffice.set_stock(item_id, "WH", Decimal(4))
        profile = ProfileRepository(tmp_path).validate(dict(VALID, name="preview"))
        with (
            WooCommerceShop(
                sandbox.url, "ck_demo", "cs_demo", options=HttpOptions(verify=sandbox.ca_bundle)
            ) as shop,
            Store.open_data_dir(tmp_path) as store,
        ):

            def preview() -> list[tuple[str, str, object, object]]:
                sandbox.reset_requests()
                found = preview_flow(
                    profile,
                    "update-stock",
                    store=store,
                    data_dir=tmp_path,
                    backoffice=backoffice,
                    shop=shop,
                )
                assert [r for r in sandbox.requests if r[0] != "GET"] == []
                return [
                    (r.key, c.field, untag(c.before) if c.known else "unknown", untag(c.after))
                    for r in found.records
                    for c in r.changes
                ]

            first = preview()  # adopted by SKU: never sent, so nothing known of the shop's
            assert {(field, before) for _k, field, before, _a in first} == {
                ("manage_stock", "unknown"),
                ("stock_quantity", "unknown"),
            }
            assert store.bindings("preview", "product") == {}  # the adoption is not kept
            runner = Runner(tmp_path, store=store, console=Console(quiet=True))
            assert (
                runner.run(profile, "update-stock", backoffice=backoffice, shop=shop).counts[
                    "updated"
                ]
                == 3
            )
            assert preview() == []
            changed = next(iter(backoffice.items))
            backoffice.set_stock(changed, "WH", Decimal(9))
            assert preview() == [(changed, "stock_quantity", 4, 9)]
