"""The BigCommerce sandbox against the docs: auth, pages, batch limits, error shapes, quota,
and every exchange of the connector's flows checked against the official OpenAPI files."""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from passerelle.connectors.base import CategoryWrite, CustomerWrite, ProductWrite
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.http import HttpOptions
from passerelle.model import Customer, ProductDraft, ShopCategory
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.bigcommerce.server import Exchange

TOKEN = "bc_demo_token"


def _ca(sandbox: BigCommerceSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sandbox.ca_bundle))


@pytest.fixture
def box(tmp_path: Path) -> Iterator[BigCommerceSandbox]:
    sandbox = BigCommerceSandbox(tmp_path / "bc.json", token=TOKEN, cert_dir=tmp_path / "tls")
    sandbox.start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def http(box: BigCommerceSandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{box.url}/stores/{box.store_hash}",
                      verify=_ca(box), headers={"X-Auth-Token": TOKEN}) as client:
        yield client


def test_a_request_without_the_token_is_refused(box: BigCommerceSandbox) -> None:
    with httpx.Client(verify=_ca(box)) as client:
        answer = client.get(f"{box.url}/stores/{box.store_hash}/v3/customers")
    assert answer.status_code == 401
    assert set(answer.json()) == {"status", "title", "type", "errors"}


def test_v2_errors_are_a_list_of_status_and_message(http: httpx.Client) -> None:
    answer = http.get("/v2/orders/99999")
    assert answer.status_code == 404
    assert answer.json() == [{"status": 404, "message": "The requested resource was not found."}]


def test_every_answer_tells_the_quota(http: httpx.Client) -> None:
    answer = http.get("/v3/customers")
    for name in ("Time-Window-Ms", "Time-Reset-Ms", "Requests-Quota", "Requests-Left"):
        assert f"x-rate-limit-{name.lower()}" in {k.lower() for k in answer.headers}
    assert answer.headers["X-Rate-Limit-Time-Window-Ms"] == "30000"


def test_past_the_quota_the_store_answers_429_until_the_window_resets(tmp_path: Path) -> None:
    sandbox = BigCommerceSandbox(None, token=TOKEN, cert_dir=tmp_path / "tls", quota=2,
                                 window_ms=60_000, seed=False)
    sandbox.start()
    try:
        with httpx.Client(verify=_ca(sandbox),
                          headers={"X-Auth-Token": TOKEN}) as client:
            url = f"{sandbox.url}/stores/{sandbox.store_hash}/v3/customers"
            codes = [client.get(url).status_code for _ in range(3)]
            last = client.get(url)
        assert codes == [200, 200, 429]
        assert last.headers["X-Rate-Limit-Requests-Left"] == "0"
        assert int(last.headers["X-Rate-Limit-Time-Reset-Ms"]) > 0
    finally:
        sandbox.stop()


def test_v3_lists_page_with_meta_pagination(http: httpx.Client) -> None:
    first = http.get("/v3/customers", params={"limit": 4, "page": 1}).json()
    last = http.get("/v3/customers", params={"limit": 4, "page": 3}).json()
    assert first["meta"]["pagination"]["total"] == 10
    assert first["meta"]["pagination"]["total_pages"] == 3
    assert len(first["data"]) == 4 and len(last["data"]) == 2


def test_v2_orders_answer_204_past_the_last_page(http: httpx.Client) -> None:
    assert len(http.get("/v2/orders", params={"limit": 250}).json()) == 30
    assert http.get("/v2/orders", params={"limit": 250, "page": 2}).status_code == 204
    assert len(http.get("/v2/orders", params={"is_deleted": "true"}).json()) == 1


@pytest.mark.parametrize(("path", "size"), [("/v3/catalog/products", 11),
                                            ("/v3/catalog/variants", 51),
                                            ("/v3/customers", 11)])
def test_batches_over_the_documented_limit_are_refused(http: httpx.Client, path: str,
                                                       size: int) -> None:
    answer = http.put(path, json=[{"id": 1}] * size)
    assert answer.status_code == 413


def test_inventory_adjustments_take_at_most_2000_items(http: httpx.Client) -> None:
    items = [{"location_id": 1, "product_id": 1, "quantity": 1}] * 2001
    assert http.put("/v3/inventory/adjustments/absolute", json={"items": items}).status_code \
        == 422


def test_a_multi_address_order_has_one_consignment_per_address(http: httpx.Client) -> None:
    order = http.get("/v2/orders/724", params={"include": "consignments.line_items",
                                               "consignment_structure": "object"}).json()
    shipping = order["consignments"]["shipping"]
    assert [c["city"] for c in shipping] == ["Toulouse", "Annecy"]
    assert [[p["sku"] for p in c["line_items"]] for c in shipping] == [["TWL-001"],
                                                                      ["BOK-003"]]


def test_compound_taxes_have_a_higher_priority(http: httpx.Client) -> None:
    taxes = http.get("/v2/orders/719/taxes").json()
    assert {t["name"]: t["priority"] for t in taxes} == {"GST": 1, "PST": 2}


def test_status_ids_are_the_documented_0_to_14(http: httpx.Client) -> None:
    statuses = http.get("/v2/order_statuses").json()
    assert [s["id"] for s in statuses] == list(range(15))
    assert http.put("/v2/orders/703", json={"status_id": 15}).status_code == 400
    assert http.put("/v2/orders/703", json={"status_id": 10}).json()["status"] == "Completed"


def test_a_shipment_needs_its_address_and_items_and_ships_them(
        box: BigCommerceSandbox, http: httpx.Client) -> None:
    """orderShipment_Post: order_address_id and items required, tracking_number <= 50."""
    oid = next(iter(box.data["orders"]))
    address = box.data["shipping_addresses"][oid][0]["id"]
    lines = [p for p in box.data["order_products"][oid] if p["order_address_id"] == address]
    url = f"/v2/orders/{oid}/shipments"
    assert http.post(url, json={"order_address_id": address}).status_code == 400
    too_long = {"order_address_id": address, "tracking_number": "X" * 51,
                "items": [{"order_product_id": lines[0]["id"], "quantity": 1}]}
    assert http.post(url, json=too_long).status_code == 400
    assert http.get(url).status_code == 204
    items = [{"order_product_id": p["id"], "quantity": p["quantity"]} for p in lines]
    made = http.post(url, json={"order_address_id": address, "items": items,
                                "tracking_number": "1Z1", "shipping_provider": "ups"})
    assert made.status_code == 201
    assert made.json()["items"][0]["order_product_id"] == lines[0]["id"]
    assert http.post(url, json={"order_address_id": address,
                                "items": items}).status_code == 400  # nothing left
    assert [s["id"] for s in http.get(url).json()] == [made.json()["id"]]

# ------------------------------------------------------------------ OpenAPI validation
# Every exchange of the connector's flows with the sandbox, checked against BigCommerce's spec.
#
# The OpenAPI files are the official ones from the bigcommerce/docs repository
# (``reference/``), kept as extracts in tests/data/openapi/bigcommerce (the
# README there names the source commit and how they were cut). The flows are
# driven through the connector, the way the conformance suite drives them:
# catalogue (categories, products, variants, prices, stock), customers (create,
# update, find), orders (list with consignments, taxes, coupons, products) and
# the status/number write-back. The sandbox records every request it answered
# (``BigCommerceSandbox.exchanges``); each is replayed through openapi-core's
# request and response validators against the spec describing its path.

SPECS = Path(__file__).parents[1] / "data" / "openapi" / "bigcommerce"
HOST = "https://api.bigcommerce.com"

# Endpoints the flows use whose operation is not extracted yet: none left; kept so that an
# endpoint added to the connector without its spec fails here.
NOT_YET_COVERED: set[tuple[str, str]] = set()

# Disagreements inside the official spec itself, not between the spec and the sandbox:
# (method, path, part of the validator's message, why it is accepted).
KNOWN_SPEC_DEFECTS = [
    ("PUT", "/v3/catalog/trees/categories", "Tried to write read-only property",
     "UpdateCategories requires category_id, which the Category schema marks readOnly; "
     "the operation's own text says to provide the category id to update"),
    ("PUT", "/v3/catalog/products", "Tried to write read-only property",
     "product_Put_Collection requires id, which it marks readOnly"),
    ("PUT", "/v3/catalog/products", "is a required property",
     "product_Put_Collection is allOf(id readOnly+required, product_Base), and product_Base "
     "requires name/type/weight/price; the operation's own text says only id is required "
     "for a batch update"),
    ("GET", "/v3/catalog/products", "base_variant_id: None",
     "product_Full.base_variant_id 'is `null` for complex products' by its own description, "
     "but its schema is a non-nullable integer"),
    ("POST", "/v3/catalog/products", "base_variant_id: None",
     "the same base_variant_id contradiction, on the created product with variants"),
    ("GET", "/v2/orders/{id}/taxes", "order_product_id: None",
     "orderTaxes_Base.order_product_id 'will return as null' for shipping and gift-wrapping "
     "taxes by its own description, but its schema is a non-nullable string"),
]


# Official files that fail the OpenAPI 3.0 meta-schema themselves, loaded without that check
# (their operations are still validated): tax_classes.v2.yml gives its page/limit query
# parameters ``exclusiveMinimum`` without ``minimum``.
INVALID_OFFICIAL_FILES = {"tax_classes.v2.yml"}


def _specs() -> list[tuple[str, object]]:
    openapi_core = pytest.importorskip("openapi_core")
    unchecked = openapi_core.Config(spec_validator_cls=None)
    return [(path.name, openapi_core.OpenAPI.from_path(
                path, config=unchecked if path.name in INVALID_OFFICIAL_FILES else None))
            for path in sorted(SPECS.glob("*.yml"))]


def _drive(shop: BigCommerceShop) -> None:
    """What the conformance flows ask of the shop, in their order."""
    assert shop.test_connection().ok
    made = shop.write_categories([CategoryWrite("c1", ShopCategory(name="Chaises"))])
    cid = made[0].shop_id
    shop.write_categories([CategoryWrite("c1", ShopCategory(name="Sièges"), cid)])
    shop.list_categories()
    simple = ProductDraft(sku="CHAIR", name="Chaise", regular_price=Decimal("49.90"),
                          category_ids=(str(cid),), weight=Decimal("3.5"),
                          stock_quantity=12, description="<p>Chêne</p>",
                          tax_class="reduced-rate")
    parent = ProductDraft(sku="TSHIRT", name="T-shirt", regular_price=Decimal("15"),
                          kind="variable")
    outcomes = shop.write_products([ProductWrite("p1", simple), ProductWrite("p2", parent)])
    pid, tid = (o.shop_id for o in outcomes)
    variant = ProductDraft(sku="TSHIRT-M", name="T-shirt M", regular_price=Decimal("15"),
                           kind="variation", variation_options=(("Size", "M"),),
                           stock_quantity=4)
    vid = shop.write_variations(str(tid), [ProductWrite("v1", variant)])[0].shop_id
    shop.find_products_by_sku(["CHAIR", "TSHIRT-M"])
    shop.write_products([
        ProductWrite("p1", replace(simple, stock_quantity=7, regular_price=Decimal("45")),
                     str(pid), frozenset({"regular_price", "stock_quantity", "manage_stock"})),
        ProductWrite("v1", replace(variant, stock_quantity=9),
                     str(vid), frozenset({"stock_quantity", "manage_stock"}))])
    list(shop.iter_products())
    customer = Customer(source_id="k1", name="Anne N", first_name="Anne", last_name="N",
                        email="anne.openapi@example.org", code="C0001")
    kid = shop.write_customers([CustomerWrite("k1", customer)])[0].shop_id
    shop.write_customers([CustomerWrite("k1", customer, kid)])
    shop.find_customers_by_email(["anne.openapi@example.org"])
    list(shop.iter_customers())
    orders = [o for o in shop.iter_orders() if not isinstance(o, Exception)]
    first = orders[0]
    shop.get_order(first.source_id)
    shop.write_order_result(first.source_id, document_number="SO0001", status="Completed")
    shop.write_shipment(orders[1].source_id, carrier="UPS", tracking_number="1Z999AA1",
                        shipped_at=None, notify_customer=True, status=None)
    shop.write_shipment(orders[2].source_id, carrier="Colissimo", tracking_number="6A123",
                        shipped_at=None, notify_customer=False, status="Completed")


@pytest.fixture(scope="module")
def openapi_exchanges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Exchange]]:
    root = tmp_path_factory.mktemp("bc-openapi")
    box = BigCommerceSandbox(root / "bc.json", token=TOKEN, cert_dir=root / "tls")
    box.start()
    try:
        with BigCommerceShop(box.url, box.store_hash, TOKEN,
                             options=HttpOptions(verify=box.ca_bundle)) as shop:
            _drive(shop)
        yield list(box.exchanges)
    finally:
        box.stop()


def _request(exchange: Exchange) -> object:
    from openapi_core.testing import MockRequest

    body = None if exchange.request_body is None else json.dumps(exchange.request_body)
    return MockRequest(HOST, exchange.method.lower(), f"/stores/sandbox{exchange.path}",
                       args=_args(exchange.query),
                       headers={"Accept": "application/json", "X-Auth-Token": TOKEN,
                                "Content-Type": "application/json"},
                       data=body.encode() if body else None)


def _args(query: dict[str, list[str]]) -> dict[str, str]:
    return {k: v[-1] for k, v in query.items()}


def _response(exchange: Exchange) -> object:
    from openapi_core.testing import MockResponse

    data = b"" if exchange.status == 204 else json.dumps(exchange.response_body).encode()
    return MockResponse(data, status_code=exchange.status,
                        headers={"Content-Type": exchange.content_type},
                        content_type=exchange.content_type)


def _leaves(errors: object) -> list:
    """The innermost schema errors (allOf/oneOf wrap the useful ones in ``context``)."""
    out = []
    for error in errors:  # type: ignore[attr-defined]
        out.extend(_leaves(error.context) if error.context else [error])
    return out


def _spec_for(specs: list[tuple[str, object]], exchange: Exchange) -> tuple[str, object] | None:
    from openapi_core.templating.paths.exceptions import PathNotFound

    for name, spec in specs:
        try:
            spec.validate_request(_request(exchange))  # type: ignore[attr-defined]
        except PathNotFound:
            continue
        except Exception:  # noqa: BLE001 - found the path; the test reports the error
            return name, spec
        return name, spec
    return None


def test_every_endpoint_used_is_described_by_an_official_spec(
        openapi_exchanges: list[Exchange]) -> None:
    exchanges = openapi_exchanges
    specs = _specs()
    missing = {(e.method, re.sub(r"/\d+", "/{id}", e.path))
               for e in exchanges if _spec_for(specs, e) is None}
    assert missing == NOT_YET_COVERED


def test_every_request_and_answer_follows_the_official_spec(
        openapi_exchanges: list[Exchange]) -> None:
    exchanges = openapi_exchanges
    specs = _specs()
    problems = []
    for exchange in exchanges:
        found = _spec_for(specs, exchange)
        if found is None:
            continue
        name, spec = found
        request, response = _request(exchange), _response(exchange)
        for what, check in (("request", lambda: spec.validate_request(request)),  # type: ignore[attr-defined]  # noqa: B023
                            ("response", lambda: spec.validate_response(request, response))):  # type: ignore[attr-defined]  # noqa: B023,E501
            try:
                check()
            except Exception as exc:  # noqa: BLE001 - collect every disagreement
                detail = getattr(exc, "__cause__", None) or exc
                sub = getattr(detail, "schema_errors", None) or []
                errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:200]
                          for e in _leaves(sub)] or [str(detail)[:300]]
                template = re.sub(r"/\d+", "/{id}", exchange.path)
                errors = [e for e in errors if not any(
                    m == exchange.method and p == template and part in e
                    for m, p, part, _why in KNOWN_SPEC_DEFECTS)]
                if errors:
                    problems.append(f"{exchange.method} {exchange.path} {what} ({name}): "
                                    f"{sorted(set(errors))[:6]}")
    assert not problems, "\n".join(problems)
