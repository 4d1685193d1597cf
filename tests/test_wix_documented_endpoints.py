"""Every Wix endpoint the connector uses, checked against Wix's documentation.

Wix publishes no OpenAPI files for these APIs, so ``tests/data/openapi/wix/endpoints.json``
holds, for each endpoint of ``passerelle.connectors.wix.endpoints``, a JSON Schema of its
request and answer written from the property tables of its page on dev.wix.com (types,
required fields, documented enums and limits), and the examples those pages publish.
Here: the examples are checked against the schemas (the schemas say what the pages
show), then the connector is driven against the Wix sandbox on both catalog versions
(categories, products with variants, a stock update, customers, orders with their
payments, the sale number and a shipment); every request it sent and every answer it
got goes through the schema of its endpoint, and the endpoints met must be exactly the
listed ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from passerelle.connectors.base import CategoryWrite, CustomerWrite, ProductWrite
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.site_access import tls_verify
from passerelle.connectors.wix import endpoints
from passerelle.connectors.wix.connector import WixShop
from passerelle.connectors.wix.endpoints import ENDPOINTS, template
from passerelle.model import Customer, ProductDraft, ShopCategory
from passerelle.sandbox.wix.platform import start
from tests.test_wix_variants import _PARENT, _variation

ROOT = Path(__file__).parents[1]
SPEC = json.loads((ROOT / "tests/data/openapi/wix/endpoints.json").read_text(encoding="utf-8"))
# "About Errors": every error answer is {message, details: {applicationError | validationError}}
# (tests/data/openapi/wix/documented_examples.json).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["message", "details"],
    "properties": {
        "message": {"type": "string"},
        "details": {
            "type": "object",
            "properties": {
                "applicationError": {
                    "type": "object",
                    "required": ["code"],
                    "properties": {
                        "code": {"type": "string"},
                        "description": {"type": "string"},
                        "data": {"type": "object"},
                    },
                },
                "validationError": {
                    "type": "object",
                    "properties": {"fieldViolations": {"type": "array"}},
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request the connector sent and the answer it got, bodies decoded."""

    method: str
    path: str
    request: Any
    status: int
    response: Any


class RecordingTransport(httpx.BaseTransport):
    """The connector's transport, keeping every exchange (the sandbox logs no bodies)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.exchanges: list[Exchange] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        self.exchanges.append(
            Exchange(
                request.method,
                request.url.path,
                json.loads(request.content) if request.content else None,
                response.status_code,
                json.loads(response.content) if response.content else None,
            )
        )
        return response

    def close(self) -> None:
        self.inner.close()


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def _errors(schema: dict[str, Any] | None, body: Any) -> list[str]:
    """What in ``body`` breaks ``schema`` (``None``: the endpoint takes no body)."""
    if schema is None:
        return [] if body is None else ["a body where the page documents none"]
    found = _validator(schema).iter_errors(body)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}" for e in found]


def _drive(shop: WixShop, catalog: str) -> None:
    """What the flows ask of a Wix site, once each (the results are checked by other
    tests; here only what went over the wire matters, but each step must succeed)."""
    assert shop.test_connection().ok
    (category,) = shop.write_categories([CategoryWrite("c", ShopCategory(name="Cuisine"))])
    assert category.ok, category
    if catalog == "v1":
        (renamed,) = shop.write_categories(
            [CategoryWrite("c", ShopCategory(name="Cuisines"), shop_id=category.shop_id)]
        )
        assert renamed.ok, renamed
    names = [c.name for _id, c in shop.list_categories()]
    assert names == (["Cuisines"] if catalog == "v1" else ["Cuisine"])
    mug = ProductDraft(
        sku="MUG",
        name="Mug",
        regular_price=Decimal("5"),
        stock_quantity=3,
        category_ids=(str(category.shop_id),),
    )
    writes = [ProductWrite("m", mug)]
    if catalog == "v3":  # variable products are written on V3 only (connector docstring)
        writes.insert(0, ProductWrite("p", _PARENT))
    made = shop.write_products(writes)
    assert all(o.ok for o in made), made
    if catalog == "v3":
        parent = made[0].shop_id
        variations = shop.write_products(
            [
                ProductWrite("f", _variation("CND-FIG", "Fig", 4), parent_shop_id=parent),
                ProductWrite("a", _variation("CND-AMB", "Amber", 0), parent_shop_id=parent),
            ]
        )
        assert all(o.ok for o in variations), variations
    ids = shop.find_products_by_sku(["MUG"])
    stock = replace(mug, stock_quantity=9)
    fields = frozenset({"manage_stock", "stock_quantity"})
    for write in (
        ProductWrite("m", stock, shop_id=ids["MUG"], fields=fields),
        ProductWrite(
            "m",
            replace(mug, name="Mug 2", regular_price=Decimal("6")),
            shop_id=ids["MUG"],
            fields=frozenset({"name", "regular_price"}),
        ),
    ):
        (outcome,) = shop.write_products([write])
        assert outcome.ok, outcome
    assert list(shop.iter_products())
    customer = Customer(
        "1", "Inès Roy", "ines.roy@example.org", first_name="Inès", last_name="Roy", code="C1"
    )
    (created,) = shop.write_customers([CustomerWrite("1", customer)])
    assert created.ok, created
    assert shop.find_customers_by_email(["ines.roy@example.org"])
    (updated,) = shop.write_customers(
        [CustomerWrite("1", replace(customer, company="ACME"), shop_id=created.shop_id)]
    )
    assert updated.ok, updated
    # A second create of the same e-mail: Wix's documented 409, reported as a refusal
    # (the flows look customers up by e-mail first; "Create Contact", allowDuplicates).
    (again,) = shop.write_customers([CustomerWrite("1", customer)])
    assert not again.ok and "DUPLICATE_CONTACT_EXISTS" in str(again.error), again
    orders = list(
        shop.orders.iter_orders(
            statuses=None,
            created_after=None,
            created_before=None,
            modified_after=None,
            include_archived=False,
        )
    )
    assert orders and list(shop.orders.iter_open_orders())
    order_id = orders[0].source_id
    shop.orders.write_order_result(order_id, document_number="SO1", status=None)
    shop.orders.write_shipment(
        order_id,
        carrier="UPS",
        tracking_number="1Z",
        shipped_at=None,
        notify_customer=False,
        status=None,
    )


@pytest.fixture(scope="module")
def exchanges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[Exchange]]]:
    """Every exchange of the drive, by catalog version."""
    seen: dict[str, list[Exchange]] = {}
    for catalog in ("v3", "v1"):
        platform = start(tmp_path_factory.mktemp(f"wix-{catalog}"), catalog=catalog)
        box = platform.sandbox
        recorder = RecordingTransport(
            httpx.HTTPTransport(verify=tls_verify(Path(box.ca_bundle), None))
        )
        options = HttpOptions(verify=Path(box.ca_bundle), backoff_base=0, backoff_max=0)
        shop = WixShop(
            box.site_id, box.api_key, api_url=box.url, options=options, transport=recorder
        )
        try:
            _drive(shop, catalog)
        finally:
            shop.close()
            platform.stop()
        seen[catalog] = recorder.exchanges
    yield seen


def test_each_listed_endpoint_has_its_documented_schemas() -> None:
    documented = {tuple(key.split(" ", 1)): entry for key, entry in SPEC["endpoints"].items()}
    assert set(documented) == set(ENDPOINTS)
    for key, entry in documented.items():
        assert entry["doc"] == ENDPOINTS[key], key  # type: ignore[index]
        for side in ("request", "response"):
            if entry[side] is not None:
                Draft202012Validator.check_schema(entry[side])


def test_the_documented_examples_follow_the_schemas() -> None:
    """A self-check: what the pages publish passes the schemas written from them."""
    checked = 0
    for key, entry in SPEC["endpoints"].items():
        for example in entry.get("examples", []):
            assert example["source"].startswith("https://dev.wix.com/"), key
            for side in ("request", "response"):
                body = example.get(side)
                if f"{side}_file" in example:
                    body = json.loads((ROOT / example[f"{side}_file"]).read_text("utf-8"))
                if body is not None:
                    assert _errors(entry[side], body) == [], (key, side, example["source"])
                    checked += 1
    assert checked >= 10


def test_the_schemas_refuse_what_the_pages_refuse() -> None:
    """The documented limits are in the schemas: a batch over them fails."""
    inventory = SPEC["endpoints"]["POST /stores/v3/bulk/inventory-items/update"]["request"]
    item = {"inventoryItem": {"id": "a", "revision": "1", "quantity": 1}}
    assert _errors(inventory, {"inventoryItems": [item] * 1000}) == []
    assert _errors(inventory, {"inventoryItems": [item] * 1001})
    assert _errors(inventory, {"inventoryItems": [{"inventoryItem": {"id": "a"}}]})  # revision
    create = SPEC["endpoints"]["POST /stores/v3/bulk/products-with-inventory/create"]["request"]
    product = {"name": "A", "productType": "PHYSICAL", "variantsInfo": {"variants": []}}
    assert _errors(create, {"products": [product] * 101})
    version = SPEC["endpoints"]["GET /stores/v3/provision/version"]["response"]
    assert _errors(version, {"catalogVersion": "V2_CATALOG"})


def test_the_endpoint_list_names_every_path_the_connector_code_calls() -> None:
    """Each Wix path quoted in the connector's modules is listed (ids as ``{id}``)."""
    quoted = re.compile(r'f?"((?:stores|ecom|contacts|categories)/[^"]*)"')
    paths = {
        "/" + re.sub(r"\{[^}]*\}", "{id}", found)
        for module in Path(endpoints.__file__).parent.glob("*.py")
        for found in quoted.findall(module.read_text(encoding="utf-8"))
    }
    assert paths == {path for _method, path in ENDPOINTS}


def test_the_replay_meets_exactly_the_documented_endpoints(
    exchanges: dict[str, list[Exchange]],
) -> None:
    met = {(e.method, template(e.method, e.path)) for seen in exchanges.values() for e in seen}
    assert met == set(ENDPOINTS)


def test_every_request_and_answer_follows_its_documented_schema(
    exchanges: dict[str, list[Exchange]],
) -> None:
    broken: list[str] = []
    statuses: set[int] = set()
    for catalog, seen in exchanges.items():
        for e in seen:
            key = f"{e.method} {template(e.method, e.path)}"
            entry = SPEC["endpoints"][key]
            statuses.add(e.status)
            found = [f"request {m}" for m in _errors(entry["request"], e.request)]
            answer = entry["response"] if e.status < 400 else ERROR_SCHEMA
            found += [f"answer {e.status} {m}" for m in _errors(answer, e.response)]
            broken += [f"{catalog} {key}: {m}" for m in found]
    assert broken == []
    assert 409 in statuses  # the duplicate contact: the error shape was checked too
