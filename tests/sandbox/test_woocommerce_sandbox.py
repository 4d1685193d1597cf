"""The WooCommerce sandbox against the behaviours the official v3 docs describe."""

from __future__ import annotations

import ssl
import threading
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle import demo_data
from passerelle.sandbox.woocommerce import Faults, WooSandbox

API = "/wp-json/wc/v3"
AUTH = ("ck_demo", "cs_demo")
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def cert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("woo-certs")


@pytest.fixture(scope="module")
def sandbox(cert_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    state = tmp_path_factory.mktemp("woo-state") / "shop.json"
    with WooSandbox(state, cert_dir=cert_dir) as sb:
        yield sb


@pytest.fixture()
def client(sandbox: WooSandbox):
    sandbox.faults = None
    sandbox.rate_limit = None
    sandbox.latency = 0.0
    with httpx.Client(
        base_url=sandbox.url + API, auth=AUTH, verify=trust(sandbox), timeout=10
    ) as c:
        yield c
    sandbox.faults = None
    sandbox.rate_limit = None


def trust(sb: WooSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sb.ca_bundle))


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- authentication -------------------------------------------------------------------------


def test_bad_keys_are_rejected_in_both_styles(sandbox: WooSandbox, client: httpx.Client) -> None:
    verify = trust(sandbox)
    base = sandbox.url + API
    basic = httpx.get(f"{base}/products", auth=("ck_demo", "wrong"), verify=verify)
    assert basic.status_code == 401
    assert basic.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Consumer secret is invalid.",
        "data": {"status": 401},
    }
    query = httpx.get(
        f"{base}/orders",
        params={"consumer_key": "ck_nope", "consumer_secret": "cs_demo"},
        verify=verify,
    )
    assert query.status_code == 401  # an unknown key leaves the request anonymous
    assert query.json()["code"] == "woocommerce_rest_cannot_view"
    anonymous = httpx.get(f"{base}/orders", verify=verify)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "woocommerce_rest_cannot_view"
    ok = httpx.get(
        f"{base}/orders",
        params={"consumer_key": "ck_demo", "consumer_secret": "cs_demo"},
        verify=verify,
    )
    assert ok.status_code == 200
    # The namespace index is public (connection tests), and TLS is verified with our CA.
    assert httpx.get(base, verify=verify).json()["namespace"] == "wc/v3"
    with pytest.raises(httpx.ConnectError):
        httpx.get(base, verify=True)


# -- pagination -------------------------------------------------------------------------------


def test_pagination_headers_and_walking(sandbox: WooSandbox, client: httpx.Client) -> None:
    created = sandbox.seed_products(150, prefix="PAGE-")
    assert len(created) == 150 and created[0]["stock_quantity"] is not None
    total = len([p for p in sandbox.data.products.values() if p["status"] != "trash"])
    first = client.get("/products", params={"per_page": 40})
    assert first.headers["X-WP-Total"] == str(total)
    assert first.headers["X-WP-TotalPages"] == str(-(-total // 40))
    assert 'rel="next"' in first.headers["Link"] and 'rel="prev"' not in first.headers["Link"]
    seen: list[int] = []
    url: str | None = f"{sandbox.url}{API}/products?per_page=40&orderby=id&order=asc"
    while url:
        page = client.get(url)
        seen += [p["id"] for p in page.json()]
        url = page.links.get("next", {}).get("url")
    assert len(seen) == total == len(set(seen)) and seen == sorted(seen)
    last = client.get("/products", params={"per_page": 100, "page": 2})
    assert 'rel="prev"' in last.headers["Link"]
    default = client.get("/products")
    assert len(default.json()) == 10
    too_big = client.get("/products", params={"per_page": 101})
    assert too_big.status_code == 400
    assert too_big.json()["code"] == "rest_invalid_param"
    assert too_big.json()["data"]["params"]["per_page"].startswith("per_page must be between 1")
    beyond = client.get("/products", params={"per_page": 100, "page": 99})
    assert beyond.status_code == 200 and beyond.json() == []


# -- batches ------------------------------------------------------------------------------------


def test_batch_limit_and_per_item_errors(client: httpx.Client) -> None:
    over = client.post(
        "/products/batch",
        json={"create": [{"name": f"x{i}"} for i in range(60)], "delete": list(range(1, 42))},
    )
    assert over.status_code == 413
    assert over.json()["code"] == "woocommerce_rest_request_entity_too_large"

    made = client.post(
        "/products/batch",
        json={
            "create": [
                {
                    "name": "Casserole",
                    "sku": "BATCH-1",
                    "regular_price": "24.90",
                    "manage_stock": True,
                    "stock_quantity": 5,
                },
                {"name": "Poêle", "sku": "BATCH-2", "regular_price": "29.95"},
                {"name": "Doublon", "sku": "BATCH-1", "regular_price": "1.00"},
            ]
        },
    )
    assert made.status_code == 200
    created = made.json()["create"]
    assert created[0]["sku"] == "BATCH-1" and created[0]["price"] == "24.90"
    assert created[0]["stock_quantity"] == 5 and created[1]["stock_quantity"] is None
    assert created[2]["id"] == 0
    assert created[2]["error"]["code"] == "product_invalid_sku"
    assert created[2]["error"]["data"]["resource_id"] == created[0]["id"]

    first, second = created[0]["id"], created[1]["id"]
    changed = client.post(
        "/products/batch",
        json={
            "update": [{"id": first, "stock_quantity": 0}, {"id": 999999, "name": "nope"}],
            "delete": [second, 999998],
        },
    ).json()
    assert changed["update"][0]["stock_status"] == "outofstock"
    assert changed["update"][0]["name"] == "Casserole"  # partial update keeps other fields
    assert changed["update"][1]["id"] == 999999
    assert changed["update"][1]["error"]["code"] == "woocommerce_rest_product_invalid_id"
    # update_item answers an unknown id with 400 (WC_REST_CRUD_Controller::update_item)
    assert changed["update"][1]["error"]["data"] == {"status": 400}
    assert changed["delete"][0]["id"] == second
    assert changed["delete"][1]["error"]["code"] == "woocommerce_rest_product_invalid_id"
    assert client.get(f"/products/{second}").status_code == 404  # batch deletes are forced
    assert client.get("/products", params={"sku": "BATCH-1,BATCH-2"}).headers["X-WP-Total"] == "1"


def test_variations_and_categories(client: httpx.Client) -> None:
    parent = client.post("/products", json={"name": "Tablier", "type": "variable", "sku": "VAR-P"})
    assert parent.status_code == 201 and "Location" in parent.headers
    pid = parent.json()["id"]
    var = client.post(
        f"/products/{pid}/variations",
        json={
            "sku": "VAR-P-S",
            "regular_price": "24.13",
            "attributes": [{"name": "Taille", "option": "S"}],
        },
    ).json()
    assert var["parent_id"] == pid
    assert client.get(f"/products/{pid}").json()["variations"] == [var["id"]]
    by_sku = client.get("/products", params={"sku": "VAR-P-S"}).json()
    assert by_sku[0]["type"] == "variation" and by_sku[0]["id"] == var["id"]
    assert (
        client.get(f"/products/{pid}/variations/999999").json()["code"]
        == "woocommerce_rest_product_variation_invalid_id"
    )
    kitchen = client.post("/products/categories", json={"name": "Cuisine équipée"}).json()
    assert kitchen["slug"] == "cuisine-equipee" and kitchen["count"] == 0
    child = client.post(
        "/products/categories", json={"name": "Poêles", "parent": kitchen["id"]}
    ).json()
    assert child["parent"] == kitchen["id"]
    dup = client.post("/products/categories", json={"name": "Cuisine équipée"})
    assert dup.status_code == 400 and dup.json()["code"] == "term_exists"
    client.put(f"/products/{pid}", json={"categories": [{"id": child["id"]}]})
    assert client.get(f"/products/categories/{child['id']}").json()["count"] == 1
    assert client.delete(f"/products/categories/{child['id']}").status_code == 501


def test_unknown_ids_and_routes(client: httpx.Client) -> None:
    cases = {
        "/products/999999": "woocommerce_rest_product_invalid_id",
        "/orders/999999": "woocommerce_rest_shop_order_invalid_id",
        "/customers/999999": "woocommerce_rest_invalid_id",
        "/products/categories/999999": "woocommerce_rest_term_invalid",
        "/taxes/999999": "woocommerce_rest_invalid_id",
        "/nothing-here": "rest_no_route",
    }
    for path, code in cases.items():
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == code, path
        assert response.json()["data"]["status"] == 404


def test_customers(client: httpx.Client) -> None:
    seeded = client.get("/customers", params={"email": "jeanne.martin@example.org"}).json()
    assert len(seeded) == 1 and seeded[0]["id"] >= 530
    again = client.post("/customers", json={"email": "jeanne.martin@example.org"})
    assert again.status_code == 400
    assert again.json()["code"] == "registration-error-email-exists"
    missing = client.post("/customers", json={"first_name": "Anne"})
    assert missing.status_code == 400 and missing.json()["code"] == "rest_missing_callback_param"
    new = client.post(
        "/customers", json={"email": "anne.nouvelle@example.org", "billing": {"city": "Dijon"}}
    ).json()
    assert new["username"] == "anne.nouvelle" and new["billing"]["city"] == "Dijon"


# -- orders ----------------------------------------------------------------------------------------

Rates = dict[int, dict[str, Any]]


def expected_taxes(
    amount: Decimal, rate_ids: list[int], rates: Rates, *, inclusive: bool = False
) -> dict[int, Decimal]:
    """Taxes of one amount as ``_taxes.md`` describes them, rounded per line.

    Exclusive: regular rates on the amount, compound ones on the amount plus
    the taxes before them. Inclusive (gross amount): compound rates taken out
    last-first, then the regular ones share what is left.
    """
    chosen = sorted((rates[i] for i in rate_ids), key=lambda r: r["priority"])
    taxes: dict[int, Decimal] = {}
    if inclusive:
        price = amount
        for rate in reversed([r for r in chosen if r["compound"]]):
            taxes[rate["id"]] = price - price / (1 + Decimal(rate["rate"]) / 100)
            price -= taxes[rate["id"]]
        regular = [r for r in chosen if not r["compound"]]
        share = 1 + sum(Decimal(r["rate"]) for r in regular) / 100
        for rate in regular:
            taxes[rate["id"]] = Decimal(rate["rate"]) / 100 / share * price
    else:
        for rate in chosen:
            if not rate["compound"]:
                taxes[rate["id"]] = amount * Decimal(rate["rate"]) / 100
        base = amount + sum(taxes.values(), Decimal(0))
        for rate in chosen:
            if rate["compound"]:
                taxes[rate["id"]] = base * Decimal(rate["rate"]) / 100
                base += taxes[rate["id"]]
    return {rate_id: q2(tax) for rate_id, tax in taxes.items()}


def _check_totals(order: dict[str, Any], rates: Rates) -> None:
    """Recompute an order's totals from its lines, independently of the sandbox."""
    by_rate: dict[int, Decimal] = defaultdict(Decimal)
    ship_by_rate: dict[int, Decimal] = defaultdict(Decimal)
    lines_total = lines_subtotal = sub_tax = tot_tax = Decimal(0)
    inclusive = order["prices_include_tax"]
    for line in order["line_items"]:
        subtotal, total = Decimal(line["subtotal"]), Decimal(line["total"])
        ids = [t["id"] for t in line["taxes"]]
        gross = total + Decimal(line["total_tax"])
        expected = expected_taxes(gross if inclusive else total, ids, rates, inclusive=inclusive)
        expected_sub = expected_taxes(
            subtotal + Decimal(line["subtotal_tax"]) if inclusive else subtotal,
            ids,
            rates,
            inclusive=inclusive,
        )
        for tax in line["taxes"]:
            assert Decimal(tax["subtotal"]) == expected_sub[tax["id"]]
            assert Decimal(tax["total"]) == expected[tax["id"]]
            by_rate[tax["id"]] += Decimal(tax["total"])
        assert Decimal(line["subtotal_tax"]) == sum(Decimal(t["subtotal"]) for t in line["taxes"])
        assert Decimal(line["total_tax"]) == sum(Decimal(t["total"]) for t in line["taxes"])
        assert Decimal(str(line["price"])) * line["quantity"] == pytest.approx(total)
        lines_total += total
        lines_subtotal += subtotal
        sub_tax += Decimal(line["subtotal_tax"])
        tot_tax += Decimal(line["total_tax"])
    fees = Decimal(0)
    for fee in order["fee_lines"]:
        fees += Decimal(fee["total"])
        expected = expected_taxes(Decimal(fee["total"]), [t["id"] for t in fee["taxes"]], rates)
        for tax in fee["taxes"]:
            assert Decimal(tax["total"]) == expected[tax["id"]]
            by_rate[tax["id"]] += Decimal(tax["total"])
    shipping = Decimal(0)
    for ship in order["shipping_lines"]:
        shipping += Decimal(ship["total"])
        expected = expected_taxes(Decimal(ship["total"]), [t["id"] for t in ship["taxes"]], rates)
        for tax in ship["taxes"]:
            assert Decimal(tax["total"]) == expected[tax["id"]]
            ship_by_rate[tax["id"]] += Decimal(tax["total"])
    for tax_line in order["tax_lines"]:
        assert Decimal(tax_line["tax_total"]) == by_rate.pop(tax_line["rate_id"], Decimal(0))
        assert Decimal(tax_line["shipping_tax_total"]) == ship_by_rate.pop(
            tax_line["rate_id"], Decimal(0)
        )
    assert not any(by_rate.values()) and not any(ship_by_rate.values())
    cart_tax = sum((Decimal(t["tax_total"]) for t in order["tax_lines"]), Decimal(0))
    ship_tax = sum((Decimal(t["shipping_tax_total"]) for t in order["tax_lines"]), Decimal(0))
    assert Decimal(order["cart_tax"]) == cart_tax
    assert Decimal(order["shipping_tax"]) == ship_tax
    assert Decimal(order["total_tax"]) == cart_tax + ship_tax
    assert Decimal(order["shipping_total"]) == shipping
    assert Decimal(order["discount_total"]) == lines_subtotal - lines_total
    assert Decimal(order["discount_tax"]) == sub_tax - tot_tax
    assert sum((Decimal(c["discount"]) for c in order["coupon_lines"]), Decimal(0)) == Decimal(
        order["discount_total"]
    )
    gift_cards = sum((Decimal(g["amount"]) for g in order["gift_cards"]), Decimal(0))
    assert (
        Decimal(order["total"]) + gift_cards == lines_total + fees + shipping + cart_tax + ship_tax
    )
    for amount in ("total", "total_tax", "cart_tax", "shipping_total", "discount_total"):
        assert order[amount] == f"{Decimal(order[amount]):.2f}"  # two-decimal strings


def _all_orders(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    out, page = [], 1
    while True:
        response = client.get("/orders", params={"per_page": 100, "page": page, **params})
        out += response.json()
        if page >= int(response.headers["X-WP-TotalPages"]):
            return out
        page += 1


def tax_rates(client: httpx.Client) -> Rates:
    return {r["id"]: r for r in client.get("/taxes").json()}


def test_seed_covers_every_case_with_consistent_totals(client: httpx.Client) -> None:
    rates = tax_rates(client)
    assert sorted(Decimal(r["rate"]) for r in rates.values()) == [
        Decimal(5),
        Decimal("5.5"),
        Decimal(8),
        Decimal(10),
        Decimal(20),
    ]
    canada = sorted(
        (r for r in rates.values() if r["country"] == "CA"), key=lambda r: r["priority"]
    )
    assert [(r["name"], r["priority"], r["compound"]) for r in canada] == [
        ("GST", 1, False),
        ("PST", 2, True),
    ]
    classes = {c["slug"] for c in client.get("/taxes/classes").json()}
    assert {"standard", "reduced-rate", "zero-rate", "intermediate-rate"} <= classes
    gateways = {g["id"] for g in client.get("/payment_gateways").json()}
    assert {"bacs", "cheque", "cod", "paypal", "stripe", "amazon_payments_advanced"} <= gateways
    seeded = [
        o
        for o in _all_orders(client) + _all_orders(client, status="trash")
        if o["created_via"] in ("checkout", "amazon", "pos") and o["id"] <= 735
    ]
    orders = [o for o in seeded if o["created_via"] == "checkout"]
    known = {i.code for i in demo_data.ITEMS} | {demo_data.RETIRED_ITEM.code}
    for order in seeded:
        _check_totals(order, rates)
    statuses = {o["status"] for o in seeded}
    assert {"processing", "completed", "pending", "cancelled", "on-hold", "trash"} <= statuses
    for order in seeded:
        paid = order["status"] in ("processing", "completed", "refunded", "trash")
        assert (order["date_paid"] is not None) == paid, order["id"]
        assert order["prices_include_tax"] is (order["id"] == 734), order["id"]
    assert any(o["customer_id"] == 0 for o in orders)
    assert any(
        o["coupon_lines"] and any(li["subtotal"] != li["total"] for li in o["line_items"])
        for o in orders
    )
    assert any(len({t["rate_id"] for t in o["tax_lines"]}) == 3 for o in orders)
    skus = {li["sku"] for o in seeded for li in o["line_items"]}
    assert "ZZZ-404" in skus and (skus - {"ZZZ-404"}) <= known
    assert all(li["product_id"] == 0 for o in seeded for li in o["line_items"])
    shipping = {o["shipping_total"] == "0.00" for o in orders}
    assert shipping == {True, False}
    assert {"bacs", "paypal", "stripe", "cod", "amazon_payments_advanced"} <= {
        o["payment_method"] for o in seeded
    }
    registered = {c["email"] for c in client.get("/customers", params={"per_page": 100}).json()}
    assert {c.email for c in demo_data.CUSTOMERS if c.email} <= registered


def test_order_filters_by_status_and_date(client: httpx.Client) -> None:
    everything = _all_orders(client)
    paid = _all_orders(client, status="processing,completed")
    assert paid and all(o["status"] in ("processing", "completed") for o in paid)
    assert len(paid) == sum(o["status"] in ("processing", "completed") for o in everything)
    bad = client.get("/orders", params={"status": "shipped"})
    assert bad.status_code == 400 and bad.json()["code"] == "rest_invalid_param"
    dates = sorted(o["date_created_gmt"] for o in everything)
    middle = dates[len(dates) // 2]
    after = _all_orders(client, after=middle + "Z")
    assert after and all(o["date_created_gmt"] > middle for o in after)
    before = _all_orders(client, before=middle, dates_are_gmt="true")
    assert all(o["date_created_gmt"] < middle for o in before)
    assert len(after) + len(before) == len(everything) - 1
    newest_first = [o["date_created_gmt"] for o in everything]
    assert newest_first == sorted(newest_first, reverse=True)
    assert client.get("/orders", params={"after": "yesterday"}).status_code == 400


def test_create_order_computes_totals(sandbox: WooSandbox, client: httpx.Client) -> None:
    rates = tax_rates(client)
    body = {
        "payment_method": "bacs",
        "payment_method_title": "Virement bancaire",
        "set_paid": True,
        "billing": {"first_name": "A", "country": "FR", "email": "a@example.org"},
        "line_items": [
            {"sku": "X-1", "name": "Un", "quantity": 3, "subtotal": "10.01"},
            {
                "sku": "X-2",
                "name": "Deux",
                "quantity": 1,
                "subtotal": "7.63",
                "tax_class": "reduced-rate",
            },
            {
                "sku": "X-3",
                "name": "Trois",
                "quantity": 2,
                "subtotal": "8.25",
                "tax_class": "intermediate-rate",
            },
        ],
        "shipping_lines": [
            {"method_id": "flat_rate", "method_title": "Colissimo", "total": "5.90"}
        ],
        "coupon_lines": [{"code": "bienvenue10"}],
    }
    direct = sandbox.create_order(body)
    _check_totals(direct, rates)
    assert direct["status"] == "processing" and direct["date_paid"]
    over_http = client.post("/orders", json=body)
    assert over_http.status_code == 201
    _check_totals(over_http.json(), rates)
    assert over_http.json()["total"] == direct["total"]
    no_ref = client.post("/orders", json={"line_items": [{"quantity": 1}]})
    assert no_ref.json()["code"] == "woocommerce_rest_required_product_reference"
    # A product that exists gives its price and SKU; updates keep what is not sent.
    product = client.post(
        "/products", json={"name": "Moulin", "sku": "MOULIN-1", "regular_price": "29.08"}
    ).json()
    order = client.post(
        "/orders", json={"line_items": [{"product_id": product["id"], "quantity": 2}]}
    ).json()
    assert order["line_items"][0]["subtotal"] == "58.16"
    assert order["line_items"][0]["sku"] == "MOULIN-1" and order["status"] == "pending"
    updated = client.put(
        f"/orders/{order['id']}",
        json={"status": "completed", "meta_data": [{"key": "_erp_ref", "value": "SO-1"}]},
    ).json()
    assert updated["status"] == "completed" and updated["date_completed"]
    assert updated["meta_data"][0]["key"] == "_erp_ref" and updated["total"] == order["total"]
    notes = client.get(f"/orders/{order['id']}/notes").json()
    assert "Completed" in notes[0]["note"]
    note = client.post(f"/orders/{order['id']}/notes", json={"note": "Importé"})
    assert note.status_code == 201


# -- switches ------------------------------------------------------------------------------


def test_faults_and_rate_limit(sandbox: WooSandbox, client: httpx.Client) -> None:
    sandbox.faults = Faults(rate=1.0, kinds=("500",), seed=1)
    crash = client.get("/orders")
    assert crash.status_code == 500 and crash.json()["code"] == "internal_server_error"
    sandbox.faults = Faults(rate=1.0, kinds=("429",), retry_after=2, seed=1)
    busy = client.get("/orders")
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "2"
    assert busy.json()["data"]["status"] == 429
    sandbox.faults = Faults(rate=1.0, kinds=("malformed",), seed=1)
    broken = client.get("/orders")
    assert broken.status_code == 200
    with pytest.raises(ValueError):
        broken.json()
    sandbox.faults = Faults(rate=1.0, kinds=("timeout",), timeout_after=0.5, seed=1)
    with pytest.raises(httpx.TimeoutException):
        client.get("/orders", timeout=0.2)
    with pytest.raises(httpx.TransportError):
        client.get("/orders", timeout=2)
    sandbox.faults = Faults(rate=0.5, kinds=("500", "429"), seed=7)
    first = [client.get("/system_status").status_code for _ in range(12)]
    sandbox.faults = Faults(rate=0.5, kinds=("500", "429"), seed=7)
    assert [client.get("/system_status").status_code for _ in range(12)] == first
    assert set(first) == {200, 429, 500}
    sandbox.faults = None
    sandbox.rate_limit = 2
    codes = [client.get("/taxes").status_code for _ in range(6)]
    assert 429 in codes and codes[0] == 200
    limited = client.get("/taxes")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    sandbox.rate_limit = None
    # The latency switch holds each request on the sandbox's stop event for that
    # long: record the waits instead of timing the answer (no clock in the suite).
    waits: list[float | None] = []
    stopping = sandbox._stopping

    class _Recording(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waits.append(timeout)
            return stopping.is_set()

    sandbox._stopping = _Recording()
    sandbox.latency = 0.1
    try:
        client.get("/taxes")
    finally:
        sandbox._stopping = stopping
    assert waits == [0.1]
    sandbox.latency = 0.0
    sandbox.reset_requests()
    client.get("/taxes", params={"page": 1})
    assert sandbox.requests == [("GET", f"{API}/taxes")]


def test_state_survives_restart(tmp_path: Path, cert_dir: Path) -> None:
    state = tmp_path / "shop.json"
    with WooSandbox(state, cert_dir=cert_dir) as sb:
        seeded_orders = len(sb.data.orders)
        with httpx.Client(base_url=sb.url + API, auth=AUTH, verify=trust(sb)) as c:
            made = c.post(
                "/products", json={"name": "Persistant", "sku": "KEEP-1", "regular_price": "9.90"}
            ).json()
    assert state.exists()
    with WooSandbox(state, cert_dir=cert_dir) as sb:
        assert len(sb.data.orders) == seeded_orders  # not seeded twice
        with httpx.Client(base_url=sb.url + API, auth=AUTH, verify=trust(sb)) as c:
            again = c.get(f"/products/{made['id']}").json()
            assert again["sku"] == "KEEP-1"
            newer = c.post("/products", json={"name": "Suivant"}).json()
            assert newer["id"] > made["id"]  # id sequences persisted too
