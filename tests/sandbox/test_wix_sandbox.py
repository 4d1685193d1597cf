"""The Wix sandbox (passerelle/sandbox/wix) against Wix's documentation: authentication,
the Catalog Versioning API, both catalogs, paging, bulk limits, contacts, orders search and
error bodies. The numbers and error shapes come from the documented extracts in
tests/data/openapi/wix/documented_examples.json, not from the sandbox's code."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from passerelle.sandbox import kit
from passerelle.sandbox.wix import WixSandbox

DOCS = json.loads(
    (Path(__file__).parents[1] / "data" / "openapi" / "wix" / "documented_examples.json").read_text(
        encoding="utf-8"
    )
)
LIMITS = DOCS["limits"]


def trusting(box: WixSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(box.ca_bundle))


class Site:
    """An API client of the sandbox, authenticated as "Make API Calls with an API Key" says."""

    def __init__(self, box: WixSandbox) -> None:
        self.box = box
        self.http = httpx.Client(
            base_url=box.url,
            verify=trusting(box),
            headers={"Authorization": box.api_key, "wix-site-id": box.site_id},
        )

    def post(self, path: str, body: Any) -> httpx.Response:
        return self.http.post(path, json=body)

    def ok(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = self.http.request(method, path, json=body)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Any]:
    sites: list[Site] = []

    def start(catalog: str = "v3", **options: Any) -> Site:
        box = WixSandbox(
            tmp_path / f"wix-{len(sites)}.json",
            cert_dir=tmp_path / "tls",
            catalog=catalog,
            **options,
        )
        sites.append(Site(box.start()))
        return sites[-1]

    yield start
    for site in sites:
        site.http.close()
        site.box.stop()


def v3_product(name: str, sku: str, price: str = "10.00", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "productType": "PHYSICAL",
        "physicalProperties": {},
        "variantsInfo": {"variants": [{"sku": sku, "price": {"actualPrice": {"amount": price}}}]},
        **extra,
    }


def shape_of(value: Any) -> Any:
    """The JSON structure of ``value``: keys and types, not the values."""
    if isinstance(value, dict):
        return {k: shape_of(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape_of(value[0])] if value else []
    return type(value).__name__


def covers(actual: Any, documented: Any) -> bool:
    """Every key of the documented structure is in ``actual`` with the same JSON type."""
    if isinstance(documented, dict):
        return isinstance(actual, dict) and all(
            k in actual and covers(actual[k], v) for k, v in documented.items()
        )
    if isinstance(documented, list):
        return isinstance(actual, list) and all(covers(a, documented[0]) for a in actual)
    return actual == documented


def test_a_missing_or_wrong_api_key_is_refused_with_401(started: Any) -> None:
    site = started()
    for headers in ({}, {"Authorization": "not-the-key", "wix-site-id": site.box.site_id}):
        answer = httpx.get(
            f"{site.box.url}/stores/v3/provision/version",
            headers=headers,
            verify=trusting(site.box),
        )
        assert answer.status_code == 401
        assert answer.json()["details"]["applicationError"]["code"] == "UNAUTHENTICATED"


def test_a_site_the_key_does_not_reach_is_refused_with_403(started: Any) -> None:
    site = started()
    for site_id in (None, "00000000-1111-2222-3333-444444444444"):
        headers = {"Authorization": site.box.api_key}
        if site_id:
            headers["wix-site-id"] = site_id
        answer = httpx.get(
            f"{site.box.url}/stores/v3/provision/version",
            headers=headers,
            verify=trusting(site.box),
        )
        assert answer.status_code == 403
        assert answer.json()["details"]["applicationError"]["code"] == "PERMISSION_DENIED"


def test_sending_both_the_account_and_the_site_id_is_refused(started: Any) -> None:
    site = started()
    answer = site.http.get("/stores/v3/provision/version", headers={"wix-account-id": "acc"})
    assert answer.status_code == 400


def test_the_catalog_version_says_which_catalog_the_site_runs(started: Any) -> None:
    documented = DOCS["catalog_version"]["catalogVersion"]
    for catalog, expected in (("v3", "V3_CATALOG"), ("v1", "V1_CATALOG")):
        answer = started(catalog).ok("GET", "/stores/v3/provision/version")
        assert answer == {"catalogVersion": expected}
        assert expected in documented


def test_each_catalog_answers_its_own_endpoints_and_refuses_the_other_with_428(
    started: Any,
) -> None:
    v3, v1 = started("v3"), started("v1")
    assert v3.post("/stores/v3/products/query", {"query": {}}).status_code == 200
    assert v1.post("/stores-reader/v1/products/query", {"query": {}}).status_code == 200
    for site, path in ((v3, "/stores-reader/v1/products/query"), (v1, "/stores/v3/products/query")):
        answer = site.post(path, {"query": {}})
        assert answer.status_code == 428
        assert covers(
            shape_of(answer.json()),
            shape_of(DOCS["application_error"]["example"])
            | {"details": {"applicationError": {"code": "str", "description": "str"}}},
        )


def test_v3_products_page_to_the_end_with_cursors(started: Any) -> None:
    site = started()
    products = [v3_product(f"Bol {n}", f"BOL-{n}") for n in range(7)]
    created = site.ok("POST", "/stores/v3/bulk/products/create", {"products": products})
    assert created["bulkActionMetadata"]["totalSuccesses"] == 7
    seen: list[str] = []
    paging: dict[str, Any] = {"limit": 3}
    while True:
        page = site.ok("POST", "/stores/v3/products/query", {"query": {"cursorPaging": paging}})
        seen += [p["variantsInfo"]["variants"][0]["sku"] for p in page["products"]]
        if not page["pagingMetadata"]["hasNext"]:
            assert "next" not in page["pagingMetadata"]["cursors"]
            break
        paging = {"limit": 3, "cursor": page["pagingMetadata"]["cursors"]["next"]}
    assert sorted(seen) == sorted(f"BOL-{n}" for n in range(7))


def test_v3_query_refuses_a_page_larger_than_documented(started: Any) -> None:
    site = started()
    most = LIMITS["products_v3_query"]["page"]
    assert (
        site.post(
            "/stores/v3/products/query", {"query": {"cursorPaging": {"limit": most}}}
        ).status_code
        == 200
    )
    answer = site.post(
        "/stores/v3/products/query", {"query": {"cursorPaging": {"limit": most + 1}}}
    )
    assert answer.status_code == 400
    assert covers(shape_of(answer.json()), shape_of(DOCS["validation_error"]["shape"]))


def test_v3_bulk_create_takes_at_most_the_documented_products_and_variants(started: Any) -> None:
    site = started()
    limit = LIMITS["products_v3_bulk_create"]
    too_many = [v3_product(f"P{n}", f"P-{n}") for n in range(limit["products"] + 1)]
    assert site.post("/stores/v3/bulk/products/create", {"products": too_many}).status_code == 400
    variants = [
        {
            "sku": f"V-{n}",
            "price": {"actualPrice": {"amount": "1"}},
            "choices": [{"optionChoiceNames": {"optionName": "N", "choiceName": str(n)}}],
        }
        for n in range(limit["variants"] // 2 + 1)
    ]
    option = [
        {
            "name": "N",
            "choicesSettings": {"choices": [{"name": str(n)} for n in range(len(variants))]},
        }
    ]
    two = [
        {**v3_product(f"Big {n}", "x"), "options": option, "variantsInfo": {"variants": variants}}
        for n in range(2)
    ]
    assert site.post("/stores/v3/bulk/products/create", {"products": two}).status_code == 400
    assert site.box.data["products"] == {}


def test_v3_products_need_a_variant_and_choices_the_product_has(started: Any) -> None:
    site = started()
    bare = {**v3_product("Bol", "B"), "variantsInfo": {"variants": []}}
    assert site.post("/stores/v3/products", {"product": bare}).status_code == 400
    wrong = v3_product("Bol", "B")
    wrong["variantsInfo"]["variants"][0]["choices"] = [
        {"optionChoiceNames": {"optionName": "Taille", "choiceName": "XL"}}
    ]
    assert site.post("/stores/v3/products", {"product": wrong}).status_code == 400
    long_name = v3_product("x" * 81, "B")
    assert site.post("/stores/v3/products", {"product": long_name}).status_code == 400


def test_v3_updates_need_the_current_revision(started: Any) -> None:
    site = started()
    product = site.ok("POST", "/stores/v3/products", {"product": v3_product("Bol", "B")})["product"]
    path = f"/stores/v3/products/{product['id']}"
    stale = site.http.patch(path, json={"product": {"revision": "7", "name": "Bol bleu"}})
    assert stale.status_code == 409
    updated = site.ok(
        "PATCH", path, {"product": {"revision": product["revision"], "name": "Bol bleu"}}
    )
    assert updated["product"]["name"] == "Bol bleu"
    assert updated["product"]["revision"] != product["revision"]


def test_the_rate_limit_and_injected_faults_answer_as_wix_does(started: Any) -> None:
    site = started(rate_limit=0.001)
    site.ok("GET", "/stores/v3/provision/version")
    refused = site.http.get("/stores/v3/provision/version")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    assert refused.json()["details"]["applicationError"]["code"] == "RESOURCE_EXHAUSTED"
    failing = started(faults=kit.Faults(rate=1.0, kinds=("500",), seed=1))
    answer = failing.http.get("/stores/v3/provision/version")
    assert answer.status_code == 500
    assert answer.json() == {}  # "System errors … are sent empty by design"
