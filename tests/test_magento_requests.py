"""The Magento connector against its sandbox: request counts of stock, bulk saves, paging."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.magento.client import PAGE_SIZE
from passerelle.connectors.magento.connector import BULK_THRESHOLD, MagentoShop
from passerelle.connectors.magento.translate_customers import customer_from_wire
from passerelle.connectors.magento.translate_products import product_from_wire
from passerelle.connectors.memory import MemoryBackOffice
from passerelle.model import Item, ProductDraft
from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.sandbox.magento import MagentoSandbox
from passerelle.store import Store
from tests.test_profiles import VALID

_OPEN: list[MagentoShop] = []


def stock_writes(skus: list[str]) -> list[ProductWrite]:
    """What update-stock hands the connector: stock fields only, by bound SKU."""
    fields = frozenset({"manage_stock", "stock_quantity"})
    return [
        ProductWrite(
            sku,
            ProductDraft(
                sku=sku, name=sku, regular_price=Decimal("1"), stock_quantity=(i * 7) % 50
            ),
            sku,
            fields,
        )
        for i, sku in enumerate(skus)
    ]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[MagentoSandbox]:
    shop = MagentoSandbox(None, cert_dir=tmp_path / "tls").start()
    yield shop
    while _OPEN:
        _OPEN.pop().close()
    shop.stop()


def _shop(sandbox: MagentoSandbox, **kwargs: object) -> MagentoShop:
    shop = MagentoShop(
        sandbox.url, sandbox.token, options=HttpOptions(verify=sandbox.ca_bundle), **kwargs
    )  # type: ignore[arg-type]
    _OPEN.append(shop)
    return shop


def test_stock_of_many_items_costs_the_floor_of_source_item_requests(
    sandbox: MagentoSandbox,
) -> None:
    skus = sandbox.seed_products(230)
    shop = _shop(sandbox)
    outcomes = shop.write_products(stock_writes(skus))
    assert all(o.ok for o in outcomes)
    floor = math.ceil(230 / 20)
    writes = sandbox.requests.count(("POST", "/rest/default/V1/inventory/source-items"))
    assert writes == floor
    # Besides the writes, only the look-up of the SKUs still in the catalogue (MSI
    # would take a deleted product's stock without a word): one ``in`` search per
    # 2,000 characters of SKUs.
    reads = [r for r in sandbox.requests if r[0] == "GET"]
    assert set(reads) == {("GET", "/rest/default/V1/products")}
    assert len(reads) == math.ceil(230 * len("BENCH-00001,") / 2000)
    assert shop.request_count == writes + len(reads)
    item = sandbox.data["source_items"][f"default|{skus[3]}"]
    assert item["quantity"] == 21 and item["status"] == 1


def test_update_stock_flow_reaches_the_floor_of_source_item_requests(
    sandbox: MagentoSandbox, tmp_path: Path
) -> None:
    """The flow (batch_size) and the connector (input_list_limit) together: ⌈n / 20⌉."""
    skus = sandbox.seed_products(1010, prefix="CNT-")
    backoffice = MemoryBackOffice()
    for index, sku in enumerate(skus):
        backoffice.items[str(index)] = Item(str(index), sku, sku, Decimal("1.00"))
        backoffice.set_stock(str(index), "WH", Decimal(index % 7))
    profile = ProfileRepository(tmp_path).validate(dict(VALID, name="count"))
    shop = _shop(sandbox)
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))

        def run() -> list[tuple[str, str]]:
            sandbox.reset_requests()
            assert (
                runner.run(profile, "update-stock", backoffice=backoffice, shop=shop).status
                == "succeeded"
            )
            # The open orders the flow reads (their demand is not offered) are not writes.
            return [r for r in sandbox.requests if r != ("GET", "/rest/default/V1/orders")]

        writes = ("POST", "/rest/default/V1/inventory/source-items")
        first = run()
        assert shop.batch_size("stock") % shop.list_limit == 0
        assert first.count(writes) == math.ceil(1010 / 20)  # 51, whatever the flow's batches
        reads = [r for r in first if r != writes]
        assert set(reads) == {("GET", "/rest/default/V1/products")}  # SKUs found by ``in`` searches
        assert sandbox.data["source_items"][f"default|{skus[10]}"]["quantity"] == 3
        assert run() == []  # nothing changed: not one request
        for item_id in list(backoffice.items)[:25]:
            backoffice.set_stock(item_id, "WH", Decimal(500))
        lookup = ("GET", "/rest/default/V1/products")
        assert run() == [lookup, writes, writes]  # 25 levels: ⌈25 / 20⌉, one look-up


def test_a_raised_input_limit_sends_fewer_requests(sandbox: MagentoSandbox) -> None:
    sandbox.list_limit = 100
    skus = sandbox.seed_products(250)
    shop = _shop(sandbox, list_limit=100)
    assert all(o.ok for o in shop.write_products(stock_writes(skus)))
    assert sandbox.requests.count(("POST", "/rest/default/V1/inventory/source-items")) == 3


def test_many_product_saves_go_through_one_async_bulk_and_its_polls(
    sandbox: MagentoSandbox,
) -> None:
    writes = [
        ProductWrite(
            f"k{i}",
            ProductDraft(
                sku=f"NEW-{i:03d}", name=f"New {i}", regular_price=Decimal("9.90"), stock_quantity=i
            ),
        )
        for i in range(BULK_THRESHOLD + 5)
    ]
    shop = _shop(sandbox)
    shop.client.sleep = lambda _s: None
    outcomes = shop.write_products(writes)
    assert [o.shop_id for o in outcomes] == [w.draft.sku for w in writes]
    assert all(o.created for o in outcomes)
    posts = [r for r in sandbox.requests if r[0] == "POST"]
    assert posts == [("POST", "/rest/default/async/bulk/V1/products")]
    assert shop.request_count == 3  # the bulk, a poll seeing "open", a poll seeing done
    assert sandbox.data["products"]["NEW-004"]["price"] == 9.9


def test_a_refused_bulk_operation_is_that_record_s_error(sandbox: MagentoSandbox) -> None:
    writes = [
        ProductWrite(
            f"k{i}",
            ProductDraft(
                sku=f"NEW-{i:03d}",
                name=f"New {i}",
                regular_price=Decimal("1"),
                category_ids=("999",) if i == 3 else (),
            ),
        )
        for i in range(BULK_THRESHOLD + 1)
    ]
    shop = _shop(sandbox)
    shop.client.sleep = lambda _s: None
    outcomes = shop.write_products(writes)
    assert [o.ok for o in outcomes].count(False) == 1
    assert "category 999" in (outcomes[3].error or "")


def test_paging_stops_on_total_count_though_magento_repeats_the_last_page(
    sandbox: MagentoSandbox,
) -> None:
    sandbox.seed_products(PAGE_SIZE + 10)
    shop = _shop(sandbox)
    skus = [p.sku for p in shop.iter_products()]
    assert len(skus) == len(set(skus)) == PAGE_SIZE + 10
    gets = [r for r in sandbox.requests if r[1].endswith("/V1/products")]
    assert len(gets) == 2


def test_orders_are_read_by_entity_id_with_the_increment_id_as_number(
    sandbox: MagentoSandbox,
) -> None:
    shop = _shop(sandbox)
    orders = [o for o in shop.iter_orders(statuses=["processing"])]
    assert orders and all(o.shop_status == "processing" for o in orders)  # type: ignore[union-attr]
    order = shop.get_order("703")
    assert (order.source_id, order.number, order.total) == ("703", "703", Decimal("84.83"))
    shop.write_order_result("703", document_number="SO042", status="complete")
    raw = sandbox.data["orders"]["703"]
    assert raw["status"] == "complete"
    assert raw["status_histories"][0]["comment"].endswith("SO042")
    shop.write_shipment(
        "703",
        carrier="Colissimo",
        tracking_number="6A123",
        shipped_at=None,
        notify_customer=True,
        status=None,
    )
    shop.write_shipment(
        "703",
        carrier="Colissimo",
        tracking_number="6A123",
        shipped_at=None,
        notify_customer=True,
        status=None,
    )
    assert len(sandbox.data["shipments"]) == 1


# ------------------------------------------------------------ configurable products
_SCENTS = (
    ("CND-LAV", "Lavande", "12.50", 5),
    ("CND-VAN", "Vanille", "12.50", 6),
    ("CND-FIG", "Figue", "14.90", 0),
)


def _candles() -> MemoryBackOffice:
    """One back-office template with three variants told apart by their scent (C6)."""
    backoffice = MemoryBackOffice()
    for n, (code, scent, price, stock) in enumerate(_SCENTS):
        backoffice.items[str(n)] = Item(
            str(n),
            code,
            "Bougie parfumée",
            Decimal(price),
            template_id="T1",
            variant_count=len(_SCENTS),
            attributes={"scent": scent},
        )
        backoffice.set_stock(str(n), "WH", Decimal(stock))
    return backoffice


def test_a_variant_family_becomes_a_configurable_product_with_its_children_linked(
    sandbox: MagentoSandbox, tmp_path: Path
) -> None:
    """export-products: the parent is configurable with a Scent option listing the three
    values, each child is a simple product carrying its value, linked, with its price
    and stock; a second run writes nothing."""
    backoffice = _candles()
    profile = ProfileRepository(tmp_path).validate(
        dict(VALID, name="candles", catalogue={"default_tax_class": "Taxable Goods"})
    )
    shop = _shop(sandbox)
    with Store.open_data_dir(tmp_path) as store:
        runner = Runner(tmp_path, store=store, console=Console(quiet=True))
        first = runner.run(profile, "export-products", backoffice=backoffice, shop=shop)
        assert first.status == "succeeded" and first.counts["created"] == 4, first.counts
        sandbox.reset_requests()
        again = runner.run(profile, "export-products", backoffice=backoffice, shop=shop)
        assert again.status == "succeeded"
        assert [r for r in sandbox.requests if r[0] != "GET"] == []
    data = sandbox.data
    parent = data["products"]["CND"]
    assert parent["type_id"] == "configurable"
    scent = data["attributes"]["scent"]
    value_of = {o["label"]: o["value"] for o in scent["options"] if o["value"]}
    assert set(value_of) == {"Lavande", "Vanille", "Figue"}
    [option] = data["options"]["CND"]
    assert (option["attribute_id"], option["label"]) == (str(scent["attribute_id"]), "Scent")
    assert sorted(v["value_index"] for v in option["values"]) == sorted(
        int(v) for v in value_of.values()
    )
    assert data["children"]["CND"] == ["CND-LAV", "CND-VAN", "CND-FIG"]
    for sku, label, price, stock in _SCENTS:
        child = data["products"][sku]
        assert child["type_id"] == "simple" and child["visibility"] == 1
        assert {"attribute_code": "scent", "value": value_of[label]} in child["custom_attributes"]
        assert Decimal(str(child["price"])) == Decimal(price)
        item = data["source_items"][f"default|{sku}"]
        assert (item["quantity"], item["status"]) == (stock, int(stock > 0))
    answer = sandbox.catalog.render(parent)["extension_attributes"]
    assert answer["configurable_product_links"] == [
        data["products"][sku]["id"] for sku, *_ in _SCENTS
    ]


def test_a_variation_axis_without_its_attribute_is_that_product_s_error(
    sandbox: MagentoSandbox,
) -> None:
    """Magento makes configurable products only of existing dropdown attributes."""
    from passerelle.model.catalogue import ProductAttribute

    parent = ProductDraft(
        sku="TAB",
        name="Tablier",
        regular_price=Decimal("22.50"),
        kind="variable",
        attributes=(ProductAttribute("Coloris", ("Rouge",), variation=True),),
    )
    [outcome] = _shop(sandbox).write_products([ProductWrite("tab", parent)])
    assert not outcome.ok
    assert "no product attribute 'coloris'" in (outcome.error or "")
    assert "TAB" not in sandbox.data["options"]


def test_linking_follows_magento_s_rules_and_their_messages_come_filled_in(
    sandbox: MagentoSandbox,
) -> None:
    """LinkManagement::addChild: no option → refused; a child without the option's value →
    refused, its ``%1`` filled in by the connector; an unknown child → 404."""
    from passerelle.connectors.errors import NotFoundError, RecordError

    shop = _shop(sandbox)
    sandbox.seed_products(1, prefix="PLAIN-")
    base = {"attribute_set_id": 4, "type_id": "configurable", "name": "P"}
    shop.client.call("POST", "products", {"product": {**base, "sku": "P"}})
    with pytest.raises(RecordError, match="doesn't have configurable product options"):
        shop.client.call("POST", "configurable-products/P/child", {"childSku": "PLAIN-00001"})
    shop.client.call(
        "POST",
        "configurable-products/P/options",
        {"option": {"attribute_id": "93", "label": "Color", "values": [{"value_index": 7}]}},
    )
    with pytest.raises(RecordError, match='doesn\'t have the "color" attribute value'):
        shop.client.call("POST", "configurable-products/P/child", {"childSku": "PLAIN-00001"})
    with pytest.raises(NotFoundError):
        shop.client.call("POST", "configurable-products/P/child", {"childSku": "NOPE"})


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ([{"fieldName": "sku", "fieldValue": "A-1"}], "No such entity with sku = A-1"),  # OpenAPI
        ({"fieldName": "sku", "fieldValue": "A-1"}, "No such entity with sku = A-1"),  # named
        (["sku", "A-1"], "No such entity with sku = A-1"),  # positional
    ],
)
def test_error_parameters_are_read_as_an_object_or_a_list(
    parameters: object, expected: str
) -> None:
    """The OpenAPI ``error-parameters`` is a list of items; Magento itself answers an
    object for named placeholders and a list for positional ones."""
    from passerelle.connectors.magento.client import fill_placeholders

    message = (
        "No such entity with %1 = %2"
        if isinstance(parameters, list) and isinstance(parameters[0], str)
        else "No such entity with %fieldName = %fieldValue"
    )
    assert fill_placeholders(message, parameters) == expected


def test_a_product_read_with_a_malformed_field_is_its_error_naming_the_field() -> None:
    raw = {"sku": "POT-1", "name": "Pot", "status": 1, "weight": 0.5}
    read = product_from_wire({**raw, "price": 12.5}, {})
    assert (read.shop_id, read.regular_price, read.active) == ("POT-1", Decimal("12.50"), True)

    with pytest.raises(RecordError) as caught:
        product_from_wire({**raw, "price": "douze"}, {})
    assert caught.value.record_id == "POT-1"
    assert "'price'" in str(caught.value), str(caught.value)


def test_a_customer_read_with_a_malformed_field_is_its_error_naming_the_field() -> None:
    raw = {"id": 7, "email": "a@example.com", "firstname": "Ada"}
    read = customer_from_wire({**raw, "created_at": "2026-03-01 10:00:00"})
    assert (read.shop_id, read.first_name, read.address) == ("7", "Ada", None)

    with pytest.raises(RecordError) as caught:
        customer_from_wire({**raw, "created_at": "le 1er mars"})
    assert caught.value.record_id == "7"
    assert "'created_at'" in str(caught.value), str(caught.value)
