"""The BigCommerce connector against its sandbox: how many requests each write costs.

Floors from the docs: stock 2,000 items a request (inventory absolute
adjustments), products 10 per batch update, variants 50, customers 10; the
quota read from ``X-Rate-Limit-*`` is waited for instead of running into 429.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from passerelle.connectors.base import CustomerWrite, ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.bigcommerce.products import shop_products
from passerelle.connectors.bigcommerce.translate_customers import shop_customer
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.model import Customer, ProductDraft
from passerelle.sandbox.bigcommerce import BigCommerceSandbox

TOKEN = "bc_demo_token"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[BigCommerceSandbox]:
    # Standard plan (150 requests / 30 s): the quota the connector paces itself by.
    box = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", plan="standard"
    )
    box.start()
    try:
        yield box
    finally:
        box.stop()


def _shop(box: BigCommerceSandbox) -> BigCommerceShop:
    return BigCommerceShop(
        box.url, box.store_hash, TOKEN, options=HttpOptions(verify=box.ca_bundle, max_tries=3)
    )


def _writes(products: list[dict], quantity: int) -> list[ProductWrite]:
    return [
        ProductWrite(
            str(p["id"]),
            ProductDraft(
                sku=p["sku"], name=p["name"], regular_price=Decimal(1), stock_quantity=quantity
            ),
            shop_id=str(p["id"]),
            fields=frozenset({"manage_stock", "stock_quantity"}),
        )
        for p in products
    ]


def test_stock_of_2500_items_costs_two_inventory_requests(sandbox: BigCommerceSandbox) -> None:
    products = sandbox.seed_products(2500)
    shop = _shop(sandbox)
    outcomes = shop.write_products(_writes(products, 42))
    assert all(o.ok for o in outcomes)
    writes = [r for r in sandbox.requests if r[0] != "GET"]
    assert writes == [("PUT", "/stores/sandbox/v3/inventory/adjustments/absolute")] * math.ceil(
        2500 / 2000
    )
    assert {p["inventory_level"] for p in sandbox.data["products"].values()} == {42}
    shop.close()


def test_price_updates_go_10_products_a_request(sandbox: BigCommerceSandbox) -> None:
    products = sandbox.seed_products(25)
    shop = _shop(sandbox)
    writes = [
        ProductWrite(
            str(p["id"]),
            ProductDraft(sku=p["sku"], name=p["name"], regular_price=Decimal("3.50")),
            shop_id=str(p["id"]),
            fields=frozenset({"regular_price"}),
        )
        for p in products
    ]
    assert all(o.ok for o in shop.write_products(writes))
    assert sandbox.requests == [("PUT", "/stores/sandbox/v3/catalog/products")] * 3
    assert {p["price"] for p in sandbox.data["products"].values()} == {3.5}
    shop.close()


def test_customers_are_created_10_a_request_with_their_account_code(
    sandbox: BigCommerceSandbox,
) -> None:
    shop = _shop(sandbox)
    writes = [
        CustomerWrite(
            f"k{n}",
            Customer(
                source_id=f"k{n}",
                name=f"C {n}",
                first_name="Anne",
                last_name=f"N{n}",
                email=f"anne{n}@example.org",
                code=f"C{n:04d}",
            ),
        )
        for n in range(23)
    ]
    outcomes = shop.write_customers(writes)
    assert all(o.ok and o.created for o in outcomes)
    assert sandbox.requests == [("POST", "/stores/sandbox/v3/customers")] * 3
    made = {c["email"]: c for c in sandbox.data["customers"].values()}
    assert made["anne7@example.org"]["notes"] == "Account code: C0007"
    shop.close()


def test_orders_page_250_at_a_time(sandbox: BigCommerceSandbox) -> None:
    shop = _shop(sandbox)
    orders = [o for o in shop.iter_orders() if not isinstance(o, Exception)]
    assert len(orders) == 30  # the trashed order is left out
    pages = [r for r in sandbox.requests if r[1].endswith("/v2/orders")]
    assert len(pages) == 1
    shop.close()


def test_the_connector_waits_for_the_quota_window_instead_of_getting_429(tmp_path: Path) -> None:
    box = BigCommerceSandbox(
        tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls", quota=5, window_ms=1500
    )  # long enough for a busy machine
    box.start()
    shop = _shop(box)
    try:
        for _ in range(12):
            shop.test_connection()
        assert box.quota.refused == 0
        assert shop.client.pacer.waits >= 2
        assert shop.client.pacer.rate_limited == 0
    finally:
        shop.close()
        box.stop()


def test_the_stock_flow_sends_4001_levels_in_3_inventory_requests(tmp_path: Path) -> None:
    """The 2,000-levels-a-request floor through ``update-stock`` itself: the flow asks
    ``batch_size("stock")``. 4,001 levels cross two batch boundaries; the 10,000-level
    figure is ``benchmarks/stock_update_bigcommerce.py``'s, kept out of the suite for time."""
    from rich.console import Console

    from passerelle.connectors.memory import MemoryBackOffice
    from passerelle.model import Item
    from passerelle.profiles import ProfileRepository
    from passerelle.runner import Runner
    from passerelle.store import Store
    from tests.test_profiles import VALID

    box = BigCommerceSandbox(None, token=TOKEN, seed=False, cert_dir=tmp_path / "tls")
    box.start()
    try:
        backoffice = MemoryBackOffice()
        for index, product in enumerate(box.seed_products(4_001, prefix="CNT-")):
            item_id = str(product["id"])
            backoffice.items[item_id] = Item(
                item_id, product["sku"], product["name"], Decimal("1.00")
            )
            backoffice.set_stock(item_id, "WH", Decimal(100 + index % 7))
        profile = ProfileRepository(tmp_path).validate(dict(VALID, name="count"))
        with Store.open_data_dir(tmp_path) as store:
            shop = _shop(box)
            runner = Runner(tmp_path, store=store, console=Console(quiet=True))

            # Reading what holds stock (the inventory setting, order lists) is the flow's
            # choice: counted in test_open_orders_cost_the_setting_and_one_list_per_status.
            order_reads = {
                ("GET", "/stores/sandbox/v3/settings/inventory"),
                ("GET", "/stores/sandbox/v2/orders"),
            }

            def run() -> list[tuple[str, str]]:
                """The catalogue and stock requests of one run."""
                box.reset_requests()
                assert (
                    runner.run(profile, "update-stock", backoffice=backoffice, shop=shop).status
                    == "succeeded"
                )
                return [r for r in box.requests if r not in order_reads]

            first = run()
            inventory = ("PUT", "/stores/sandbox/v3/inventory/adjustments/absolute")
            assert first.count(inventory) == 3  # ceil(4,001 / 2,000)
            # The rest is reading the catalogue once to find the products by SKU.
            assert first.count(("GET", "/stores/sandbox/v3/catalog/products")) == 17  # 250 a page
            assert len(first) == 20
            assert {p["inventory_level"] for p in box.data["products"].values()} == set(
                range(100, 107)
            )
            assert run() == []  # nothing changed: not one request
            for item_id in list(backoffice.items)[:10]:
                backoffice.set_stock(item_id, "WH", Decimal(500))
            assert run() == [inventory]
            shop.close()
    finally:
        box.stop()


def test_a_shipment_costs_one_read_and_one_post_and_is_not_sent_twice(
    sandbox: BigCommerceSandbox,
) -> None:
    """O20: ``POST /v2/orders/{id}/shipments`` per address; the order becomes Shipped."""
    shop = _shop(sandbox)
    order = next(o for o in shop.iter_orders() if not isinstance(o, Exception))
    sandbox.reset_requests()
    oid = order.source_id
    shop.write_shipment(
        oid,
        carrier="UPS",
        tracking_number="1Z999AA1",
        shipped_at=None,
        notify_customer=True,
        status=None,
    )
    assert sandbox.requests == [
        ("GET", f"/stores/sandbox/v2/orders/{oid}"),
        ("POST", f"/stores/sandbox/v2/orders/{oid}/shipments"),
    ]
    shipment = sandbox.data["shipments"][oid][0]
    assert (shipment["tracking_number"], shipment["shipping_provider"]) == ("1Z999AA1", "ups")
    assert sandbox.data["orders"][oid]["status_id"] == 2  # Shipped
    sandbox.reset_requests()
    shop.write_shipment(
        oid,
        carrier="UPS",
        tracking_number="1Z999AA1",
        shipped_at=None,
        notify_customer=True,
        status="Completed",
    )  # a retry, asking Completed
    assert sandbox.requests == [
        ("GET", f"/stores/sandbox/v2/orders/{oid}"),
        ("PUT", f"/stores/sandbox/v2/orders/{oid}"),
    ]
    assert len(sandbox.data["shipments"][oid]) == 1
    assert sandbox.data["orders"][oid]["status_id"] == 10
    shop.close()


def test_tax_classes_are_found_by_name_with_one_read(sandbox: BigCommerceSandbox) -> None:
    """``GET /v2/tax_classes`` once, when a class is named; ids and "" need no request."""
    shop = _shop(sandbox)
    drafts = [
        ProductDraft(
            sku=f"TX-{n}",
            name=f"Taxed {n}",
            regular_price=Decimal(2),
            weight=Decimal(1),
            tax_class=cls,
        )
        for n, cls in enumerate(["reduced-rate", "Intermediate rate", "", "2"])
    ]
    outcomes = shop.write_products([ProductWrite(d.sku, d) for d in drafts])
    assert all(o.ok for o in outcomes)
    assert sandbox.requests.count(("GET", "/stores/sandbox/v2/tax_classes")) == 1
    made = {p["sku"]: p["tax_class_id"] for p in sandbox.data["products"].values()}
    assert made == {"TX-0": 4, "TX-1": 5, "TX-2": 0, "TX-3": 2}
    unknown = shop.write_products(
        [
            ProductWrite(
                "u",
                ProductDraft(
                    sku="TX-U", name="Unknown", regular_price=Decimal(1), tax_class="luxury"
                ),
            )
        ]
    )
    assert not unknown[0].ok and "luxury" in (unknown[0].error or "")
    assert sandbox.requests.count(("GET", "/stores/sandbox/v2/tax_classes")) == 1
    shop.close()


def test_an_order_carries_the_buyers_message_as_its_note(sandbox: BigCommerceSandbox) -> None:
    """O16: ``customer_message`` (the checkout's "Order Comments") is the canonical note;
    ``staff_notes``, where the sale number goes, is not the buyer's."""
    shop = _shop(sandbox)
    sandbox.data["orders"]["733"]["staff_notes"] = "Back-office sale: SO0042"
    order = shop.get_order("733")
    assert order.customer_note == "Merci de livrer après 18 h, digicode 4512B."
    assert shop.with_notes(order).customer_note == order.customer_note
    assert shop.get_order("703").customer_note == ""
    shop.close()


def test_digital_products_come_from_the_downloads_consignment_without_a_request(
    sandbox: BigCommerceSandbox,
) -> None:
    """An order of downloaded products has no shipping consignment: its lines are read
    from ``consignments.downloads``, the order's products are not asked for."""
    from tests.sandbox.test_bigcommerce_openapi import make_digital

    oid = sorted(sandbox.data["orders"], key=int)[-2]
    expected = {p["sku"]: Decimal(p["quantity"]) for p in make_digital(sandbox, oid)}
    shop = _shop(sandbox)
    order = shop.get_order(oid)
    assert {line.reference: line.quantity for line in order.lines} == expected
    assert order.shipping_lines == ()
    assert sandbox.requests == [
        ("GET", f"/stores/sandbox/v2/orders/{oid}"),
        ("GET", f"/stores/sandbox/v2/orders/{oid}/taxes"),
    ]
    shop.close()


def test_customer_groups_are_made_once_and_customers_join_them(sandbox: BigCommerceSandbox) -> None:
    """K1: ``/v2/customer_groups`` read once, a group created only when its name is new;
    a customer's group is its ``customer_group_id``."""
    from passerelle.connectors.base import GroupWrite
    from passerelle.model import CustomerGroup

    shop = _shop(sandbox)
    groups = [
        GroupWrite("g1", CustomerGroup("g1", "Revendeurs")),
        GroupWrite("g2", CustomerGroup("g2", "Grands comptes")),
    ]
    made = shop.write_customer_groups(groups)
    assert [o.created for o in made] == [True, True]
    assert (
        sandbox.requests
        == [("GET", "/stores/sandbox/v2/customer_groups")]
        + [("POST", "/stores/sandbox/v2/customer_groups")] * 2
    )
    by_name = {g["name"]: g["id"] for g in sandbox.data["customer_groups"].values()}
    assert [o.shop_id for o in made] == [str(by_name["Revendeurs"]), str(by_name["Grands comptes"])]
    sandbox.reset_requests()
    with _shop(sandbox) as other:  # another run, the same group
        again = other.write_customer_groups([GroupWrite("g1", CustomerGroup("g1", "revendeurs"))])
    assert again[0].shop_id == made[0].shop_id and not again[0].created
    assert sandbox.requests == [("GET", "/stores/sandbox/v2/customer_groups")]

    anne = Customer(
        source_id="k1",
        name="Anne N",
        first_name="Anne",
        last_name="N",
        email="anne.group@example.org",
        code="C0001",
        group="Revendeurs",
    )
    kid = shop.write_customers([CustomerWrite("k1", anne)])[0].shop_id
    assert sandbox.data["customers"][kid]["customer_group_id"] == by_name["Revendeurs"]
    shop.write_customers(
        [CustomerWrite("k1", replace(anne, group=""), kid, fields=frozenset({"group"}))]
    )
    assert sandbox.data["customers"][kid]["customer_group_id"] == 0  # left the group
    shop.close()


def test_open_orders_cost_the_setting_and_one_list_per_status(sandbox: BigCommerceSandbox) -> None:
    """1 read of ``/v3/settings/inventory``, then one ``/v2/orders?status_id=`` list per
    status holding stock under it: 7 with ``order_placed``, 5 with
    ``order_completed_or_shipped``."""
    shop = _shop(sandbox)
    for behavior, lists in (("order_placed", 7), ("order_completed_or_shipped", 5)):
        sandbox.call("PUT", "/v3/settings/inventory", {"update_stock_behavior": behavior})
        sandbox.reset_requests()
        list(shop.iter_open_orders())
        reads = [(m, p.rsplit("/stores/sandbox", 1)[-1]) for m, p in sandbox.requests]
        assert reads[0] == ("GET", "/v3/settings/inventory")
        assert reads[1 : lists + 1] == [("GET", "/v2/orders")] * lists
        # Then each open order's taxes (and coupons when it has a coupon discount).
        assert [p for _m, p in reads[lists + 1 :] if p.endswith("/taxes")] == [
            f"/v2/orders/{o}/taxes" for o in _open_ids(sandbox, behavior)
        ]
        assert all(p.endswith(("/taxes", "/coupons")) for _m, p in reads[lists + 1 :])
    shop.close()


def _open_ids(sandbox: BigCommerceSandbox, behavior: str) -> list[str]:
    """The seeded orders in the open statuses, oldest first (their taxes are read)."""
    from email.utils import parsedate_to_datetime

    from passerelle.connectors.bigcommerce.open_orders import OPEN_STATUS_IDS

    rows = [
        o
        for o in sandbox.data["orders"].values()
        if o["status_id"] in OPEN_STATUS_IDS[behavior] and not o["is_deleted"]
    ]
    rows.sort(key=lambda o: (parsedate_to_datetime(o["date_created"]), o["id"]))
    return [str(o["id"]) for o in rows]


def test_a_customer_read_with_a_malformed_field_is_its_error_naming_the_field() -> None:
    raw = {"id": 12, "email": "a@example.com", "addresses": [{"city": "Lyon", "phone": ""}]}
    read = shop_customer({**raw, "date_created": "2026-03-01T10:00:00+00:00"})
    assert (read.shop_id, read.address and read.address.city) == ("12", "Lyon")

    with pytest.raises(RecordError) as caught:
        shop_customer({**raw, "date_created": "le 1er mars"})
    assert caught.value.record_id == "12"
    assert "'date_created'" in str(caught.value), str(caught.value)


def test_a_variant_read_with_a_malformed_field_is_its_error_naming_the_field() -> None:
    variant = {"id": 3, "sku": "POT-1-B", "option_values": [{"label": "Bleu"}]}
    raw = {"id": 12, "sku": "POT-1", "name": "Pot", "inventory_tracking": "variant"}
    read = shop_products({**raw, "variants": [{**variant, "inventory_level": 4}]}, {})
    assert [(p.shop_id, p.parent_sku, p.stock_quantity) for p in read] == [
        ("12", "", None),
        ("12/3", "POT-1", 4),
    ]

    with pytest.raises(RecordError) as caught:
        shop_products({**raw, "variants": [{**variant, "price": "douze"}]}, {})
    assert caught.value.record_id == "12/3"
    assert "'price'" in str(caught.value), str(caught.value)
