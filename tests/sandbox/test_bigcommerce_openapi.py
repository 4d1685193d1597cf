"""Every endpoint the BigCommerce connector uses, replayed through BigCommerce's OpenAPI files.

The OpenAPI files are the official ones from the bigcommerce/docs repository
(``reference/``), kept as extracts in tests/data/openapi/bigcommerce (the README there
names the source commits and how they were cut). The connector is driven the way the
conformance flows drive it — categories, products, their brands, variants, an updated
product's custom fields, stock, customer groups, customers, orders with their
consignments, taxes and coupons, the status and number written back, shipments — and
then made to meet the errors the docs declare and it must handle: a bad field in a
product batch (422), a duplicate SKU (409), an e-mail already used (422 in
``customers.v3.yml``), an unknown variant in a variant batch (422, ``batch_errors``), a
missing order or product (404), another app using up the quota (429 with
``X-Rate-Limit-Time-Reset-Ms``) and batches over the documented sizes (413). The sandbox
records every exchange; each is replayed through openapi-core's request and response validators, and
the endpoints seen must be exactly those of
``passerelle.connectors.bigcommerce.endpoints``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import ssl
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from passerelle.connectors.base import CategoryWrite, CustomerWrite, GroupWrite, ProductWrite
from passerelle.connectors.bigcommerce import endpoints
from passerelle.connectors.bigcommerce.connector import BigCommerceShop
from passerelle.connectors.bigcommerce.endpoints import ENDPOINTS, PAGE_ONLY, template
from passerelle.connectors.errors import ConnectorError, NotFoundError
from passerelle.connectors.http import HttpOptions
from passerelle.demo_data import demo_png
from passerelle.model import (
    Address,
    Customer,
    CustomerGroup,
    MediaRef,
    ProductAttribute,
    ProductDraft,
    ShopCategory,
)
from passerelle.sandbox.bigcommerce import BigCommerceSandbox
from passerelle.sandbox.bigcommerce.server import Exchange
from passerelle.sandbox.bigcommerce.wire import QuotaWindow
from tests.integration.catalogue_helpers import file_server

TOKEN = "bc_demo_token"
SPECS = Path(__file__).parents[1] / "data" / "openapi" / "bigcommerce"
HOST = "https://api.bigcommerce.com"

# Disagreements inside the official spec itself, not between the spec and the sandbox:
# (method, path, part of the validator's message, why it is accepted).
KNOWN_SPEC_DEFECTS = [
    (
        "PUT",
        "/v3/catalog/trees/categories",
        "Tried to write read-only property",
        "UpdateCategories requires category_id, which the Category schema marks readOnly; "
        "the operation's own text says to provide the category id to update",
    ),
    (
        "PUT",
        "/v3/catalog/products",
        "Tried to write read-only property",
        "product_Put_Collection requires id, which it marks readOnly",
    ),
    (
        "PUT",
        "/v3/catalog/products",
        "is a required property",
        "product_Put_Collection is allOf(id readOnly+required, product_Base), and product_Base "
        "requires name/type/weight/price; the operation's own text says only id is required "
        "for a batch update",
    ),
    (
        "GET",
        "/v3/catalog/products",
        "base_variant_id: None",
        "product_Full.base_variant_id 'is `null` for complex products' by its own description, "
        "but its schema is a non-nullable integer",
    ),
    (
        "POST",
        "/v3/catalog/products",
        "base_variant_id: None",
        "the same base_variant_id contradiction, on the created product with variants",
    ),
    (
        "GET",
        "/v2/orders/{id}/taxes",
        "order_product_id: None",
        "orderTaxes_Base.order_product_id 'will return as null' for shipping and gift-wrapping "
        "taxes by its own description, but its schema is a non-nullable string",
    ),
    (
        "PUT",
        "/v3/catalog/variants",
        ": None ",
        "updateVariantsBatch marks a variant's price, weight and dimensions `x-nullable` "
        "(Swagger 2 vocabulary, which OpenAPI 3 ignores) where productVariant_Full says "
        "`nullable`: a variant that takes its product's value answers null",
    ),
    (
        "GET",
        "/v2/orders",
        "status 204 is declared neither",
        "getOrders declares only 200, while a v2 list with nothing to show answers 204 No Content "
        "(the same file declares it for getOrderShipments, 'No Content (No shipments exist)'); "
        "a status filter with no order (the open-order reads) meets it",
    ),
    (
        "GET",
        "/v2/customer_groups",
        "is valid under each of",
        "customerGroup_Full.discount_rules is a oneOf of four array schemas, all of which an "
        "empty list (a group without discounts) satisfies at once",
    ),
    (
        "POST",
        "/v2/customer_groups",
        "is valid under each of",
        "the same discount_rules oneOf, on the created group",
    ),
]

# Official files that fail the OpenAPI 3.0 meta-schema themselves, loaded without that check
# (their operations are still validated): tax_classes.v2.yml and customers.v2.yml give their
# page/limit query parameters ``exclusiveMinimum``/``exclusiveMaximum`` without
# ``minimum``/``maximum``.
INVALID_OFFICIAL_FILES = {
    "tax_classes.v2.yml",
    "customers.v2.yml",
    "methods_payments.v2.yml",
    "shipping.v2.yml",
}

# An error no operation declares because any request can meet it (429: the store's quota,
# docs "API rate limits"), checked against the error schema its API's file declares.
UNDECLARED_ERRORS = {429}
ERROR_SCHEMAS = {
    "customers.v3.yml": "ErrorResponse",
    "products_catalog.v3.yml": "error_Base",
    "inventory.v3.yml": "ErrorResponse",
}

# The errors the replay must have met: (method, path, status).
PROVOKED = {
    ("PUT", "/v3/catalog/products", 422),
    ("PUT", "/v3/catalog/products", 409),
    ("POST", "/v3/catalog/products", 409),
    ("PUT", "/v3/catalog/products", 413),
    ("PUT", "/v3/catalog/variants", 422),
    ("PUT", "/v3/catalog/variants", 413),
    ("POST", "/v3/catalog/products/{id}/variants", 404),
    ("POST", "/v3/customers", 422),
    ("PUT", "/v3/customers", 413),
    ("GET", "/v2/orders/{id}", 404),
    ("GET", "/v3/customers", 429),
}


def make_digital(box: BigCommerceSandbox, order_id: str) -> list[dict[str, Any]]:
    """Turn a seeded order into one for downloaded products (no shipping address)."""
    products = box.data["order_products"][order_id]
    for product in products:
        product.update(type="digital", order_address_id=0)
    box.data["shipping_addresses"][order_id] = []
    box.data["orders"][order_id].update(order_is_digital=True, shipping_address_count=0)
    return products


@dataclass
class Replay:
    exchanges: list[Exchange]
    errors: dict[str, str]  # case → what the connector reported
    rate_limited: int  # 429 answers the connector received
    waits: int  # times it waited for the quota window


def _drive(shop: BigCommerceShop) -> dict[str, Any]:
    """What the conformance flows ask of the shop, in their order; the ids made."""
    assert shop.test_connection().ok
    made = shop.write_categories([CategoryWrite("c1", ShopCategory(name="Chaises"))])
    cid = made[0].shop_id
    shop.write_categories([CategoryWrite("c1", ShopCategory(name="Sièges"), cid)])
    shop.list_categories()
    simple = ProductDraft(
        sku="CHAIR",
        name="Chaise",
        regular_price=Decimal("49.90"),
        category_ids=(str(cid),),
        weight=Decimal("3.5"),
        stock_quantity=12,
        description="<p>Chêne</p>",
        tax_class="reduced-rate",
        brand="Revol",  # looked up by name, then made (GET, POST /catalog/brands)
    )
    parent = ProductDraft(
        sku="TSHIRT", name="T-shirt", regular_price=Decimal("15"), kind="variable"
    )
    outcomes = shop.write_products([ProductWrite("p1", simple), ProductWrite("p2", parent)])
    pid, tid = (o.shop_id for o in outcomes)
    variant = ProductDraft(
        sku="TSHIRT-M",
        name="T-shirt M",
        regular_price=Decimal("15"),
        kind="variation",
        variation_options=(("Size", "M"),),
        stock_quantity=4,
    )
    vid = shop.write_variations(str(tid), [ProductWrite("v1", variant)])[0].shop_id
    shop.find_products_by_sku(["CHAIR", "TSHIRT-M"])
    shop.write_products(
        [
            ProductWrite(
                "p1",
                replace(simple, stock_quantity=7, regular_price=Decimal("45")),
                str(pid),
                frozenset({"regular_price", "stock_quantity", "manage_stock"}),
            ),
            ProductWrite(
                "v1",
                replace(variant, stock_quantity=9, regular_price=Decimal("17")),
                str(vid),
                frozenset({"regular_price", "stock_quantity", "manage_stock"}),
            ),
        ]
    )
    # An updated product's features: its custom field made, then changed.
    for wood in ("Chêne", "Hêtre"):
        featured = replace(simple, attributes=(ProductAttribute("Bois", (wood,)),))
        written = shop.write_products(
            [ProductWrite("p1", featured, str(pid), frozenset({"attributes"}))]
        )
        assert written[0].ok, written[0].error
    _drive_images(shop, simple, str(pid), str(vid), variant)
    list(shop.iter_products())
    group = shop.write_customer_groups([GroupWrite("g1", CustomerGroup("g1", "Revendeurs"))])
    assert group[0].ok and group[0].created
    # C10: the group's price list made, assigned and given the product's price; then dropped.
    for prices in ((("Revendeurs", Decimal("40")),), ()):
        priced = replace(simple, group_prices=prices)
        written = shop.write_products(
            [ProductWrite("p1", priced, str(pid), frozenset({"group_prices"}))]
        )
        assert written[0].ok, written[0].error
    customer = Customer(
        source_id="k1",
        name="Anne N",
        first_name="Anne",
        last_name="N",
        email="anne.openapi@example.org",
        code="C0001",
        group="Revendeurs",
        addresses=(
            Address(street="3 rue Haute", postal_code="69001", city="Lyon", country_code="FR"),
        ),
    )
    kid = shop.write_customers([CustomerWrite("k1", customer)])[0].shop_id
    shop.write_customers([CustomerWrite("k1", customer, kid)])
    moved = replace(
        customer,
        addresses=(
            Address(street="8 quai Sud", postal_code="69002", city="Lyon", country_code="FR"),
        ),
    )
    shop.write_customers([CustomerWrite("k1", moved, kid, frozenset({"addresses"}))])
    shop.find_customers_by_email(["anne.openapi@example.org"])
    list(shop.iter_customers())
    orders = [o for o in shop.iter_orders() if not isinstance(o, Exception)]
    first = orders[0]
    shop.get_order(first.source_id)
    shop.write_order_result(first.source_id, document_number="SO0001", status="Completed")
    shop.write_shipment(
        orders[1].source_id,
        carrier="UPS",
        tracking_number="1Z999AA1",
        shipped_at=None,
        notify_customer=True,
        status=None,
    )
    shop.write_shipment(
        orders[2].source_id,
        carrier="Colissimo",
        tracking_number="6A123",
        shipped_at=None,
        notify_customer=False,
        status="Completed",
    )
    assert [o for o in shop.iter_open_orders() if isinstance(o, Exception)] == []
    assert shop.missing_references("payment_method", ["Stripe", "Bitcoin"]) == {"Bitcoin"}
    assert shop.missing_references("shipping_method", ["Flat Rate", "Drone"]) == {"Drone"}
    assert shop.missing_references("order_status", ["Completed", "Lost"]) == {"Lost"}
    assert shop.missing_references("tax_class", ["reduced-rate", "luxury"]) == {"luxury"}
    return {
        "simple": simple,
        "parent": parent,
        "variant": variant,
        "pid": pid,
        "tid": tid,
        "customer": customer,
    }


def _drive_images(
    shop: BigCommerceShop, simple: ProductDraft, pid: str, vid: str, variant: ProductDraft
) -> None:
    """C7: a product's two images sent, then swapped and one dropped; a variant's image."""
    with tempfile.TemporaryDirectory() as folder, file_server(Path(folder)) as url:
        refs = []
        for name, colour in (("a.png", (1, 2, 3)), ("b.png", (4, 5, 6))):
            data = demo_png(colour)
            (Path(folder) / name).write_bytes(data)
            refs.append(MediaRef(name, url + name, hashlib.sha256(data).hexdigest()))
        for images in ((refs[0], refs[1]), (refs[1],)):
            written = shop.write_products(
                [ProductWrite("p1", replace(simple, images=images), pid, frozenset({"images"}))]
            )
            assert written[0].ok, written[0].error
        dressed = replace(variant, images=(refs[0],))
        written = shop.write_products([ProductWrite("v1", dressed, vid, frozenset({"images"}))])
        assert written[0].ok, written[0].error


def _error_of(call: Any) -> str:
    """The message of the error a connector call raised (empty when it raised none)."""
    try:
        call()
    except ConnectorError as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


def _provoke(
    shop: BigCommerceShop, box: BigCommerceSandbox, raw: httpx.Client, made: dict[str, Any]
) -> dict[str, str]:
    """The documented errors, met through the connector where it can meet them."""
    simple, parent, variant = made["simple"], made["parent"], made["variant"]
    pid, tid = str(made["pid"]), str(made["tid"])

    def first_error(writes: list[ProductWrite]) -> str:
        return shop.write_products(writes)[0].error or ""

    errors = {
        "bad field in a product batch": first_error(
            [
                ProductWrite(
                    "p1", replace(simple, category_ids=("99999",)), pid, frozenset({"category_ids"})
                )
            ]
        ),
        "duplicate SKU on create": first_error(
            [ProductWrite("p3", replace(simple, name="Chaise bis"))]
        ),
        "duplicate SKU in a batch": first_error(
            [ProductWrite("p2", replace(parent, sku="CHAIR"), tid, frozenset({"sku"}))]
        ),
        "unknown variant in a batch": first_error(
            [ProductWrite("v9", variant, f"{tid}/99999", frozenset({"regular_price"}))]
        ),
        "variation of a missing product": shop.write_variations(
            "99999",
            [
                ProductWrite(
                    "v2", replace(variant, sku="TSHIRT-L", variation_options=(("Size", "L"),))
                )
            ],
        )[0].error
        or "",
        "e-mail already used": shop.write_customers(
            [CustomerWrite("k2", replace(made["customer"], source_id="k2", code="C0002"))]
        )[0].error
        or "",
        "missing order": _error_of(lambda: shop.get_order("99999")),
        "shipment of a missing order": _error_of(
            lambda: shop.write_shipment(
                "99999",
                carrier="UPS",
                tracking_number="1Z",
                shipped_at=None,
                notify_customer=False,
                status=None,
            )
        ),
    }
    # Another app on the same store uses up the quota: the connector meets a 429, waits
    # for the window to reset (X-Rate-Limit-Time-Reset-Ms) and gets its answer.
    quota = box.quota
    box.quota = QuotaWindow(2, 2000)
    try:
        for _ in range(2):
            assert raw.get("/v3/customers").status_code == 200
        found = shop.find_customers_by_email(["anne.openapi@example.org"])
        errors["quota used up by another app"] = "" if found else "not found after the 429"
    finally:
        box.quota = quota
    # Batches over the documented sizes: the connector never sends one, so they are sent
    # here, to check the 413 the store answers against the spec.
    for path, size in (
        ("/v3/catalog/products", 11),
        ("/v3/catalog/variants", 51),
        ("/v3/customers", 11),
    ):
        assert raw.put(path, json=[{"id": 1}] * size).status_code == 413
    return errors


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replay]:
    root = tmp_path_factory.mktemp("bc-openapi")
    box = BigCommerceSandbox(root / "bc.json", token=TOKEN, cert_dir=root / "tls", quota=10_000)
    make_digital(box, sorted(box.data["orders"], key=int)[-2])
    box.start()
    try:
        with (
            BigCommerceShop(
                box.url,
                box.store_hash,
                TOKEN,
                options=HttpOptions(verify=box.ca_bundle, backoff_base=0.05),
            ) as shop,
            httpx.Client(
                base_url=f"{box.url}/stores/{box.store_hash}",
                headers={"X-Auth-Token": TOKEN},
                verify=ssl.create_default_context(cafile=str(box.ca_bundle)),
            ) as raw,
        ):
            made = _drive(shop)
            errors = _provoke(shop, box, raw, made)
            yield Replay(
                list(box.exchanges), errors, shop.client.pacer.rate_limited, shop.client.pacer.waits
            )
    finally:
        box.stop()


def _specs() -> list[tuple[str, Any]]:
    openapi_core = pytest.importorskip("openapi_core")
    unchecked = openapi_core.Config(spec_validator_cls=None)
    return [
        (
            path.name,
            openapi_core.OpenAPI.from_path(
                path, config=unchecked if path.name in INVALID_OFFICIAL_FILES else None
            ),
        )
        for path in sorted(SPECS.rglob("*.yml"))
    ]


def _request(exchange: Exchange) -> Any:
    from openapi_core.testing import MockRequest

    body = None if exchange.request_body is None else json.dumps(exchange.request_body)
    return MockRequest(
        HOST,
        exchange.method.lower(),
        f"/stores/sandbox{exchange.path}",
        args={k: v[-1] for k, v in exchange.query.items()},
        headers={
            "Accept": "application/json",
            "X-Auth-Token": TOKEN,
            "Content-Type": "application/json",
        },
        data=body.encode() if body else None,
    )


def _response(exchange: Exchange) -> Any:
    from openapi_core.testing import MockResponse

    data = b"" if exchange.status == 204 else json.dumps(exchange.response_body).encode()
    return MockResponse(
        data,
        status_code=exchange.status,
        headers={"Content-Type": exchange.content_type},
        content_type=exchange.content_type,
    )


def _leaves(errors: Any) -> list[Any]:
    """The innermost schema errors (allOf/oneOf wrap the useful ones in ``context``)."""
    out = []
    for error in errors:
        out.extend(_leaves(error.context) if error.context else [error])
    return out


def _spec_for(specs: list[tuple[str, Any]], exchange: Exchange) -> tuple[str, Any] | None:
    from openapi_core.templating.paths.exceptions import PathNotFound

    for name, spec in specs:
        try:
            spec.validate_request(_request(exchange))
        except PathNotFound:
            continue
        except Exception:  # noqa: BLE001 - found the path; the test reports the error
            return name, spec
        return name, spec
    return None


def _messages(exc: Exception) -> list[str]:
    detail = exc.__cause__ or exc
    sub = getattr(detail, "schema_errors", None) or []
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:200] for e in _leaves(sub)] or [
        str(detail)[:300]
    ]


def _undeclared_error(name: str, exchange: Exchange) -> list[str]:
    """A status no operation declares, checked against its API's declared error schema."""
    from openapi_schema_validator import OAS30Validator

    schema_name = ERROR_SCHEMAS.get(name)
    if exchange.status not in UNDECLARED_ERRORS or schema_name is None:
        return [
            f"status {exchange.status} is declared neither by the operation nor as an "
            f"error any request may meet"
        ]
    components = yaml.safe_load((SPECS / name).read_text(encoding="utf-8"))["components"]
    validator = OAS30Validator(
        {"$ref": f"#/components/schemas/{schema_name}", "components": components}
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(exchange.response_body)
    ]


def test_the_replay_uses_exactly_the_endpoints_of_the_connector_each_from_its_spec(
    replay: Replay,
) -> None:
    specs = _specs()
    seen: dict[tuple[str, str], set[str]] = {}
    for exchange in replay.exchanges:
        if (exchange.method, template(exchange.path)) in PAGE_ONLY:
            seen.setdefault((exchange.method, template(exchange.path)), set()).add(
                Path(ENDPOINTS[(exchange.method, template(exchange.path))]).name
            )
            continue
        found = _spec_for(specs, exchange)
        seen.setdefault((exchange.method, template(exchange.path)), set()).add(
            found[0] if found else "no spec"
        )
    assert set(seen) == set(ENDPOINTS)
    assert {key: names for key, names in seen.items()} == {
        key: {Path(source).name} for key, source in ENDPOINTS.items()
    }


def test_the_endpoint_list_names_every_path_the_connector_code_calls() -> None:
    """Each ``v2/…``/``v3/…`` path written in the connector's modules is in ENDPOINTS."""
    package = Path(endpoints.__file__).parent
    paths: set[str] = set()
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        inside = {
            id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value if isinstance(v, ast.Constant) else "{id}" for v in node.values
                )
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in inside
            ):
                text = node.value
            else:
                continue
            if text[:3] in ("v2/", "v3/"):
                paths.add("/" + text)
    assert paths == {path for _method, path in ENDPOINTS}


def test_every_documented_error_was_met_and_handled_by_the_connector(replay: Replay) -> None:
    met = {(e.method, template(e.path), e.status) for e in replay.exchanges if e.status >= 400}
    assert PROVOKED <= met
    errors = replay.errors
    assert "Category 99999 does not exist" in errors["bad field in a product batch"]
    assert "sku is a duplicate: CHAIR" in errors["duplicate SKU on create"]
    assert "sku is a duplicate: CHAIR" in errors["duplicate SKU in a batch"]
    # The 422 of the variants batch is looked into: the variant is gone (deleted in the shop).
    assert "no longer has it" in errors["unknown variant in a batch"]
    assert "product was not found" in errors["variation of a missing product"]
    assert "already in use" in errors["e-mail already used"]
    assert errors["missing order"].startswith(NotFoundError.__name__)
    assert errors["shipment of a missing order"].startswith(NotFoundError.__name__)
    assert "order 99999 no longer exists" in errors["shipment of a missing order"]
    assert errors["quota used up by another app"] == ""
    assert replay.rate_limited == 1 and replay.waits >= 1
    limited = [e for e in replay.exchanges if e.status == 429]
    assert [int(e.headers["X-Rate-Limit-Time-Reset-Ms"]) > 0 for e in limited] == [True]


def test_every_request_and_answer_follows_the_official_spec(replay: Replay) -> None:
    from openapi_core.templating.responses.exceptions import ResponseNotFound

    specs = _specs()
    problems = []
    for exchange in replay.exchanges:
        if (exchange.method, template(exchange.path)) in PAGE_ONLY:
            continue  # test_the_inventory_settings_answer_the_fields_of_their_page
        found = _spec_for(specs, exchange)
        assert found is not None, exchange  # the endpoint test names it
        name, spec = found
        request, response = _request(exchange), _response(exchange)
        for what, check in (
            ("request", lambda: spec.validate_request(request)),  # noqa: B023
            ("response", lambda: spec.validate_response(request, response)),  # noqa: B023
        ):
            try:
                check()
                continue
            except ResponseNotFound:
                errors = _undeclared_error(name, exchange)
            except Exception as exc:  # noqa: BLE001 - collect every disagreement
                errors = _messages(exc)
            template_path = template(exchange.path)
            errors = [
                e
                for e in errors
                if not any(
                    m == exchange.method and p == template_path and part in e
                    for m, p, part, _why in KNOWN_SPEC_DEFECTS
                )
            ]
            if errors:
                problems.append(
                    f"{exchange.method} {exchange.path} {exchange.status} {what} "
                    f"({name}): {sorted(set(errors))[:6]}"
                )
    assert not problems, "\n".join(problems)


# The fields and allowed values of the Settings API's inventory page (endpoints.PAGE_ONLY).
INVENTORY_SETTINGS_FIELDS: dict[str, tuple[type, tuple[object, ...]]] = {
    "product_out_of_stock_behavior": (
        str,
        ("do_nothing", "hide_product", "hide_product_and_accessible", "hide_product_and_redirect"),
    ),
    "option_out_of_stock_behavior": (str, ("do_nothing", "hide_option", "label_option")),
    "update_stock_behavior": (str, ("order_placed", "order_completed_or_shipped")),
    "edit_order_stock_adjustment": (bool, ()),
    "refund_order_stock_adjustment": (bool, ()),
    "stock_level_display": (str, ("dont_show", "show", "show_when_low")),
    "default_out_of_stock_message": (str, ()),
    "hide_in_product_filtering": (bool, ()),
    "show_pre_order_stock_levels": (bool, ()),
    "show_out_of_stock_message": (bool, ()),
}


def test_the_inventory_settings_answer_the_fields_of_their_page(replay: Replay) -> None:
    answers = [e for e in replay.exchanges if e.path == "/v3/settings/inventory"]
    assert answers and all(e.status == 200 for e in answers)
    for exchange in answers:
        assert set(exchange.response_body) == {"data", "meta"}
        data = exchange.response_body["data"]
        assert set(data) == set(INVENTORY_SETTINGS_FIELDS)
        for name, (kind, allowed) in INVENTORY_SETTINGS_FIELDS.items():
            assert isinstance(data[name], kind), name
            assert not allowed or data[name] in allowed, name
