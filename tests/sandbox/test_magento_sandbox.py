"""The Magento sandbox against the docs: bearer auth, searchCriteria paging, limits, errors."""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox.magento import MagentoSandbox


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[tuple[MagentoSandbox, httpx.Client]]:
    sandbox = MagentoSandbox(None, cert_dir=tmp_path / "tls").start()
    client = httpx.Client(
        base_url=f"{sandbox.url}/rest/default/V1/",
        verify=_tls(sandbox),
        headers={"Authorization": f"Bearer {sandbox.token}"},
    )
    yield sandbox, client
    client.close()
    sandbox.stop()


def _tls(sandbox: MagentoSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sandbox.ca_bundle))


def _page(client: httpx.Client, path: str, size: int, page: int, **extra: str) -> Any:
    params = {"searchCriteria[pageSize]": size, "searchCriteria[currentPage]": page, **extra}
    return client.get(path, params=params)


def test_no_bearer_token_is_401_with_magento_s_error_shape(shop: Any) -> None:
    """``parameters`` as the OpenAPI ``error-parameters``: a list of item objects."""
    sandbox, client = shop
    answer = httpx.get(f"{sandbox.url}/rest/default/V1/orders", verify=_tls(sandbox))
    assert answer.status_code == 401
    assert answer.json() == {
        "message": "The consumer isn't authorized to access %resources.",
        "parameters": [{"resources": "Magento_Sales::actions_view"}],
    }


def test_a_page_past_the_end_repeats_the_last_page_and_total_count_tells_the_end(shop: Any) -> None:
    _, client = shop
    first = _page(client, "orders", 20, 1).json()
    assert first["total_count"] == 30 and len(first["items"]) == 20
    second = _page(client, "orders", 20, 2).json()
    past = _page(client, "orders", 20, 3).json()
    assert [o["entity_id"] for o in past["items"]] == [o["entity_id"] for o in second["items"]]
    assert past["search_criteria"]["current_page"] == 3


def test_page_size_above_300_is_refused(shop: Any) -> None:
    _, client = shop
    answer = _page(client, "products", 301, 1)
    assert answer.status_code == 400
    assert answer.json() == {
        "message": "Maximum SearchCriteria pageSize is %max",
        "parameters": [{"max": 300}],
    }


def test_filter_groups_and_or_filters(shop: Any) -> None:
    _, client = shop
    base = "searchCriteria[filter_groups][0][filters]"
    answer = client.get(
        "orders",
        params={
            f"{base}[0][field]": "status",
            f"{base}[0][value]": "holded",
            f"{base}[1][field]": "status",
            f"{base}[1][value]": "pending",
            "searchCriteria[filter_groups][1][filters][0][field]": "order_currency_code",
            "searchCriteria[filter_groups][1][filters][0][value]": "EUR",
        },
    ).json()
    assert {o["status"] for o in answer["items"]} == {"holded", "pending"}


def test_source_items_hold_at_most_20_entities(shop: Any) -> None:
    sandbox, client = shop
    skus = sandbox.seed_products(21)
    items = [{"sku": s, "source_code": "default", "quantity": 1, "status": 1} for s in skus]
    refused = client.post("inventory/source-items", json={"sourceItems": items})
    assert refused.status_code == 400
    assert refused.json()["message"] == 'Maximum items of type "%type" is %max'
    assert (
        client.post("inventory/source-items", json={"sourceItems": items[:20]}).status_code == 200
    )


def test_unknown_product_is_404_and_unknown_route_too(shop: Any) -> None:
    _, client = shop
    missing = client.get("products/NOPE")
    assert missing.status_code == 404
    assert missing.json()["message"].startswith("The product that was requested doesn't exist")
    assert client.get("nowhere").json() == {"message": "Request does not match any route."}


def test_an_e_mail_in_use_is_refused(shop: Any) -> None:
    _, client = shop
    answer = client.post(
        "customers",
        json={
            "customer": {"email": "jeanne.martin@example.org", "firstname": "J", "lastname": "M"}
        },
    )
    assert answer.status_code == 400
    assert "same email address already exists" in answer.json()["message"]


def test_async_bulk_answers_a_uuid_and_its_status_is_polled(shop: Any) -> None:
    sandbox, client = shop
    accepted = client.post(
        f"{sandbox.url}/rest/default/async/bulk/V1/products",
        json=[{"product": {"sku": "B-1", "name": "B", "price": 1, "attribute_set_id": 4}}],
    )
    assert accepted.status_code == 202 and accepted.json()["errors"] is False
    uuid = accepted.json()["bulk_uuid"]
    first = client.get(f"bulk/{uuid}/detailed-status").json()
    assert first["operations_list"][0]["status"] == 4  # open
    done = client.get(f"bulk/{uuid}/detailed-status").json()
    assert done["operations_list"][0]["status"] == 1
    assert client.get("products/B-1").json()["name"] == "B"


def test_the_state_file_survives_a_restart(tmp_path: Path) -> None:
    sandbox = MagentoSandbox(tmp_path / "magento.json", cert_dir=tmp_path / "tls").start()
    sandbox.seed_products(2)
    sandbox.stop()
    again = MagentoSandbox(tmp_path / "magento.json", cert_dir=tmp_path / "tls")
    assert "BENCH-00002" in again.data["products"]


# ------------------------------------------------------------------ OpenAPI replay
_SPEC_FILE = (
    Path(__file__).parent.parent
    / "data"
    / "openapi"
    / "magento"
    / "admin-schema-2.4.9.extract.yaml"
)


class _Spec:
    """The official Swagger 2.0 extract: operations by (method, path) and their schemas.

    Swagger 2.0 schema objects are JSON Schema draft 4 (the Swagger 2.0 spec, "Schema
    Object"), so ``jsonschema``'s Draft4Validator checks them as written, with every
    ``#/definitions/...`` resolved inside the extract: no conversion to OpenAPI 3.
    """

    def __init__(self) -> None:
        import yaml

        self.doc = yaml.safe_load(_SPEC_FILE.read_text())
        self.base = self.doc["basePath"]
        self.routes = []
        for template, operations in self.doc["paths"].items():
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
            literal = "{" not in template
            self.routes.append((not literal, re.compile(f"^{pattern}$"), template, operations))
        self.routes.sort(key=lambda route: route[0])  # literal paths win

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        if not path.startswith(self.base + "/"):
            return None
        rest = path[len(self.base) :]
        for _, pattern, template, operations in self.routes:
            if pattern.match(rest) and method.lower() in operations:
                return template, operations[method.lower()]
        return None

    def errors(self, schema: dict[str, Any], value: Any, *, request: bool = False) -> list[str]:
        """Draft 4 errors of ``value``, with two readings the docs themselves make:

        - the generator writes no nullability, yet Magento's documented answers carry
          ``null`` for unset values (``"low_stock_date": null`` in the REST tutorial
          "Create the simple products"): a typed property may also be null;
        - the definitions' ``required`` lists are what an answer carries; a request may
          send part of an object (the same tutorial saves ``stock_item`` with only
          ``qty`` and ``is_in_stock``), so in a request only the body wrapper's
          ``required`` holds.
        """
        from jsonschema import Draft4Validator

        definitions = {name: _relax(d, request) for name, d in self.doc["definitions"].items()}
        root = dict(_relax(schema, False), definitions=definitions)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in Draft4Validator(root).iter_errors(value)
        ]


def _relax(schema: Any, drop_required: bool) -> Any:
    if isinstance(schema, list):
        return [_relax(s, drop_required) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "properties":
            out[key] = {name: _nullable(_relax(p, drop_required)) for name, p in value.items()}
        elif key == "required" and drop_required:
            continue
        else:
            out[key] = _relax(value, drop_required)
    return out


def _nullable(schema: Any) -> Any:
    if isinstance(schema, dict) and isinstance(schema.get("type"), str):
        return dict(schema, type=[schema["type"], "null"])
    if isinstance(schema, dict) and "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _query_value(raw: str, kind: str) -> Any:
    if kind == "integer":
        return int(raw) if raw.lstrip("-").isdigit() else raw
    if kind == "boolean":
        return {"true": True, "false": False, "1": True, "0": False}.get(raw, raw)
    return raw


def _check(spec: _Spec, exchange: dict[str, Any]) -> list[str]:
    """What in one recorded exchange disagrees with the official operation."""
    from urllib.parse import parse_qsl

    found = spec.operation(exchange["method"], exchange["path"])
    assert found is not None
    template, operation = found
    where = f"{exchange['method']} {template}"
    problems: list[str] = []
    params = operation.get("parameters") or []
    query = dict(parse_qsl(exchange["query"], keep_blank_values=True))
    for param in params:
        if param["in"] == "query" and param["name"] in query:
            value = _query_value(query[param["name"]], param["type"])
            problems += [
                f"{where} query {param['name']}: {p}"
                for p in spec.errors({"type": param["type"]}, value)
            ]
        if param["in"] == "query" and param.get("required") and param["name"] not in query:
            problems.append(f"{where}: query {param['name']} is required")
        if param["in"] == "body" and exchange["status"] < 400:  # a refusal may be asked for
            if exchange["body"] is None:
                problems.append(f"{where}: no request body")
            else:
                problems += [
                    f"{where} request {p}"
                    for p in spec.errors(param["schema"], exchange["body"], request=True)
                ]
    responses = operation["responses"]
    status = str(exchange["status"])
    declared = responses.get(status) or (
        None if status.startswith("2") else responses.get("default")
    )
    if declared is not None and "schema" in declared:
        problems += [
            f"{where} answer {status} {p}"
            for p in spec.errors(declared["schema"], exchange["answer"])
        ]
    return problems


# The answer of an async bulk request as ``use-rest/bulk-endpoints.md`` shows it (the admin
# OpenAPI file holds no async operation): its keys and each request item's keys.
_BULK_ANSWER_KEYS = {"bulk_uuid", "request_items", "errors"}
_BULK_ITEM_KEYS = {"id", "data_hash", "status"}


def _check_bulk(spec: _Spec, exchange: dict[str, Any]) -> list[str]:
    """An async bulk request: each item is a body of the synchronous operation."""
    from passerelle.connectors.magento.endpoints import ASYNC_BULK

    method, path = ASYNC_BULK[(exchange["method"], _bulk_template(exchange["path"]))]
    found = spec.operation(method, spec.base + path)
    assert found is not None, path
    body = next(p["schema"] for p in found[1]["parameters"] if p["in"] == "body")
    problems = [
        f"bulk item {i}: {p}"
        for i, item in enumerate(exchange["body"] or [])
        for p in spec.errors(body, item, request=True)
    ]
    answer = exchange["answer"]
    if exchange["status"] == 202:
        if set(answer) != _BULK_ANSWER_KEYS or any(
            set(item) != _BULK_ITEM_KEYS or item["status"] != "accepted"
            for item in answer["request_items"]
        ):
            problems.append(f"bulk answer {answer}")
    return problems


def _bulk_template(path: str) -> str:
    return re.sub(r"^/rest/[a-z0-9_]+", "", path)


def _drive(sandbox: MagentoSandbox) -> None:
    """What the conformance flows ask of the shop, in their order: catalogue (categories,
    simple products one by one and in an async bulk, a configurable product and its
    children, stock), customers and their groups, orders read, commented and shipped."""
    from dataclasses import replace
    from decimal import Decimal

    from passerelle.connectors.base import CategoryWrite, CustomerWrite, GroupWrite, ProductWrite
    from passerelle.connectors.http import HttpOptions
    from passerelle.connectors.magento.connector import BULK_THRESHOLD, MagentoShop
    from passerelle.model import Address, Customer, ProductDraft, ShopCategory
    from passerelle.model.catalogue import CustomerGroup, ProductAttribute

    shop = MagentoShop(sandbox.url, sandbox.token, options=HttpOptions(verify=sandbox.ca_bundle))
    shop.client.sleep = lambda _s: None
    try:
        assert shop.test_connection().ok
        cid = shop.write_categories([CategoryWrite("c1", ShopCategory(name="Chaises"))])[0]
        shop.write_categories([CategoryWrite("c1", ShopCategory(name="Sièges"), cid.shop_id)])
        categories = [c for c, _ in shop.list_categories()]
        drafts = [
            ProductDraft(
                sku=f"OAS-{i}",
                name=f"Produit {i}",
                regular_price=Decimal("9.90"),
                description="<p>Texte</p>",
                weight=Decimal("0.5"),
                manage_stock=True,
                stock_quantity=3 + i,
                tax_class="reduced-rate" if i == 0 else "",
                category_ids=tuple(categories[:1]),
            )
            for i in range(3)
        ]
        created = shop.write_products([ProductWrite(d.sku, d) for d in drafts])
        assert all(o.ok for o in created)
        shop.write_products(
            [
                ProductWrite(
                    d.sku,
                    replace(d, regular_price=Decimal("8")),
                    d.sku,
                    frozenset({"regular_price"}),
                )
                for d in drafts
            ]
        )
        fields = frozenset({"manage_stock", "stock_quantity"})
        shop.write_products(
            [ProductWrite(d.sku, replace(d, stock_quantity=40), d.sku, fields) for d in drafts]
        )
        many = [
            ProductDraft(sku=f"BULK-{i}", name=f"Lot {i}", regular_price=Decimal("2"))
            for i in range(BULK_THRESHOLD + 1)
        ]
        assert all(o.ok for o in shop.write_products([ProductWrite(d.sku, d) for d in many]))
        axis = ProductAttribute("Scent", ("Lavande", "Vanille"), variation=True)
        parent = ProductDraft(
            sku="CND",
            name="Bougie",
            regular_price=Decimal("12.50"),
            kind="variable",
            attributes=(axis,),
            manage_stock=False,
        )
        made = shop.write_products([ProductWrite("cnd", parent)])[0]
        assert made.ok, made.error
        children = [
            ProductDraft(
                sku=f"CND-{label[:3].upper()}",
                name="Bougie",
                regular_price=Decimal("12.50"),
                kind="variation",
                variation_options=(("Scent", label),),
                stock_quantity=4,
            )
            for label in axis.options
        ]
        assert all(
            o.ok
            for o in shop.write_variations(
                str(made.shop_id), [ProductWrite(d.sku, d) for d in children]
            )
        )
        assert set(shop.find_products_by_sku([d.sku for d in drafts])) == {d.sku for d in drafts}
        assert shop.missing_references("tax_class", ["reduced-rate", "Luxe"]) == {"Luxe"}
        assert {p.sku for p in shop.iter_products()} >= {"CND-LAV", "CND-VAN", "OAS-0"}
        group = shop.write_customer_groups([GroupWrite("g", CustomerGroup("g", "Revendeurs"))])
        assert group[0].ok
        customer = Customer(
            source_id="k1",
            name="Anne N",
            first_name="Anne",
            last_name="N",
            email="anne.openapi@example.org",
            code="C0001",
            group="Revendeurs",
            addresses=(
                Address(
                    first_name="Anne",
                    last_name="N",
                    street="1 rue Haute",
                    postal_code="75001",
                    city="Paris",
                    country_code="FR",
                ),
            ),
        )
        kid = shop.write_customers([CustomerWrite("k1", customer)])[0]
        assert kid.ok, kid.error
        shop.write_customers([CustomerWrite("k1", customer, kid.shop_id)])
        assert shop.find_customers_by_email([customer.email])
        assert list(shop.iter_customers())
        renamed = CustomerGroup("g", "Revendeurs agréés")  # renamed in the back-office
        assert shop.write_customer_groups([GroupWrite("g", renamed, group[0].shop_id)])[0].ok
        orders = [
            o
            for o in shop.iter_orders(statuses=["processing", "complete"])
            if not isinstance(o, Exception)
        ]
        shop.get_order(orders[0].source_id)
        shop.write_order_result(orders[0].source_id, document_number="SO0001", status="complete")
        shop.write_shipment(
            orders[1].source_id,
            carrier="Colissimo",
            tracking_number="6A123",
            shipped_at=None,
            notify_customer=True,
            status="complete",
        )
    finally:
        shop.close()


def _refusals(sandbox: MagentoSandbox) -> None:
    """Refusals asked directly: their error bodies are replayed too."""
    with httpx.Client(
        base_url=f"{sandbox.url}/rest/default/V1/",
        verify=_tls(sandbox),
        headers={"Authorization": f"Bearer {sandbox.token}"},
    ) as client:
        assert client.get("products/NO-SUCH-SKU").status_code == 404
        too_many = [{"sku": "OAS-0", "source_code": "default", "quantity": 1, "status": 1}] * 21
        assert (
            client.post("inventory/source-items", json={"sourceItems": too_many}).status_code == 400
        )
        assert client.post("products", json={"product": {"name": "no sku"}}).status_code == 400
        assert (
            client.post("configurable-products/CND/child", json={"childSku": "OAS-0"}).status_code
            == 400
        )
    assert (
        httpx.get(f"{sandbox.url}/rest/default/V1/products", verify=_tls(sandbox)).status_code
        == 401
    )


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    """The exchanges of the connector's drive, then those of the refusals asked directly."""
    root = tmp_path_factory.mktemp("magento-openapi")
    sandbox = MagentoSandbox(None, cert_dir=root / "tls").start()
    sandbox.record_exchanges = True
    try:
        _drive(sandbox)
        connector = list(sandbox.exchanges)
        _refusals(sandbox)
    finally:
        sandbox.stop()
    return {"connector": connector, "all": list(sandbox.exchanges)}


def test_every_exchange_of_the_flows_conforms_to_the_official_openapi(
    replay: dict[str, list[dict[str, Any]]],
) -> None:
    """Replays what the sandbox recorded against ``admin-schema-2.4.9`` (the extract);
    async bulk items against the synchronous operation they are bodies of."""
    spec = _Spec()
    exchanges = replay["all"]
    bulk = [e for e in exchanges if "/async/bulk/" in e["path"]]
    problems = [p for e in exchanges if e not in bulk for p in _check(spec, e)]
    problems += [p for e in bulk for p in _check_bulk(spec, e)]
    assert problems == []
    statuses = {(e["method"], e["status"]) for e in exchanges}
    assert {("GET", 401), ("GET", 404), ("POST", 400), ("POST", 202)} <= statuses


def test_the_endpoints_replayed_are_exactly_those_the_connector_uses(
    replay: dict[str, list[dict[str, Any]]],
) -> None:
    """Every endpoint used is in the extract, and the replay drives every one of them."""
    from passerelle.connectors.magento.endpoints import ASYNC_BULK, ENDPOINTS

    spec = _Spec()
    covered = set()
    for exchange in replay["connector"]:
        if "/async/bulk/" in exchange["path"]:
            covered.add((exchange["method"], _bulk_template(exchange["path"])))
            continue
        found = spec.operation(exchange["method"], exchange["path"])
        assert found is not None, (exchange["method"], exchange["path"])
        covered.add((exchange["method"], found[0]))
    assert covered == ENDPOINTS | set(ASYNC_BULK)
    assert all(spec.operation(m, spec.base + t) for m, t in ENDPOINTS)


# What the test hooks do as a buyer (guest checkout) and as the merchant (invoice, hold,
# release, cancel, ship, refund, delete), and MSI's quantities, replayed too.
_MERCHANT = {
    ("POST", "/V1/guest-carts"),
    ("POST", "/V1/guest-carts/{cartId}/items"),
    ("POST", "/V1/guest-carts/{cartId}/shipping-information"),
    ("POST", "/V1/guest-carts/{cartId}/payment-information"),
    ("POST", "/V1/order/{orderId}/invoice"),
    ("POST", "/V1/order/{orderId}/refund"),
    ("POST", "/V1/order/{orderId}/ship"),
    ("POST", "/V1/orders/{id}/cancel"),
    ("POST", "/V1/orders/{id}/hold"),
    ("POST", "/V1/orders/{id}/unhold"),
    ("GET", "/V1/inventory/get-product-salable-quantity/{sku}/{stockId}"),
    ("GET", "/V1/inventory/is-product-salable/{sku}/{stockId}"),
    ("DELETE", "/V1/products/{sku}"),
}


def test_the_test_hooks_checkout_and_order_actions_conform_to_the_official_openapi(
    tmp_path: Path,
) -> None:
    from passerelle.sandbox.magento.platform import MagentoPlatform

    sandbox = MagentoSandbox(None, cert_dir=tmp_path / "tls").start()
    platform = MagentoPlatform(sandbox)
    try:
        sandbox.seed_products(1)
        sandbox.call(
            "POST",
            "inventory/source-items",
            {
                "sourceItems": [
                    {"sku": "BENCH-00001", "source_code": "default", "quantity": 20, "status": 1}
                ]
            },
        )
        sandbox.record_exchanges = True
        orders = [
            platform.place_order({"BENCH-00001": 2}, state=state)
            for state in ("paid", "on_hold", "pending", "paid")
        ]
        platform.set_order_state(orders[0], "shipped")
        platform.set_order_state(orders[1], "cancelled")
        platform.set_order_state(orders[2], "cancelled")
        platform.set_order_state(orders[3], "refunded")
        sandbox.call("GET", "inventory/get-product-salable-quantity/BENCH-00001/1")
        sandbox.call("GET", "inventory/is-product-salable/BENCH-00001/1")
        with pytest.raises(Exception, match="does not allow an invoice"):
            sandbox.call("POST", f"order/{orders[0]}/invoice", {"capture": True})
        platform.delete_product("BENCH-00001")
    finally:
        sandbox.stop()
    spec = _Spec()
    replayed = sandbox.exchanges
    assert [p for e in replayed for p in _check(spec, e)] == []
    covered = {
        (e["method"], found[0])
        for e in replayed
        if (found := spec.operation(e["method"], e["path"]))
    }
    assert covered == _MERCHANT
