"""The Magento sandbox against the docs: bearer auth, searchCriteria paging, limits, errors."""

from __future__ import annotations

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
    client = httpx.Client(base_url=f"{sandbox.url}/rest/default/V1/",
                          verify=_tls(sandbox),
                          headers={"Authorization": f"Bearer {sandbox.token}"})
    yield sandbox, client
    client.close()
    sandbox.stop()


def _tls(sandbox: MagentoSandbox) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(sandbox.ca_bundle))


def _page(client: httpx.Client, path: str, size: int, page: int, **extra: str) -> Any:
    params = {"searchCriteria[pageSize]": size, "searchCriteria[currentPage]": page, **extra}
    return client.get(path, params=params)


def test_no_bearer_token_is_401_with_magento_s_error_shape(shop: Any) -> None:
    sandbox, client = shop
    answer = httpx.get(f"{sandbox.url}/rest/default/V1/orders", verify=_tls(sandbox))
    assert answer.status_code == 401
    assert answer.json() == {"message": "The consumer isn't authorized to access %resources.",
                             "parameters": {"resources": "Magento_Sales::actions_view"}}


def test_a_page_past_the_end_repeats_the_last_page_and_total_count_tells_the_end(
        shop: Any) -> None:
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
    assert answer.json() == {"message": "Maximum SearchCriteria pageSize is %max",
                             "parameters": {"max": 300}}


def test_filter_groups_and_or_filters(shop: Any) -> None:
    _, client = shop
    base = "searchCriteria[filter_groups][0][filters]"
    answer = client.get("orders", params={
        f"{base}[0][field]": "status", f"{base}[0][value]": "holded",
        f"{base}[1][field]": "status", f"{base}[1][value]": "pending",
        "searchCriteria[filter_groups][1][filters][0][field]": "order_currency_code",
        "searchCriteria[filter_groups][1][filters][0][value]": "EUR"}).json()
    assert {o["status"] for o in answer["items"]} == {"holded", "pending"}


def test_source_items_hold_at_most_20_entities(shop: Any) -> None:
    sandbox, client = shop
    skus = sandbox.seed_products(21)
    items = [{"sku": s, "source_code": "default", "quantity": 1, "status": 1} for s in skus]
    refused = client.post("inventory/source-items", json={"sourceItems": items})
    assert refused.status_code == 400
    assert refused.json()["message"] == 'Maximum items of type "%type" is %max'
    assert client.post("inventory/source-items",
                       json={"sourceItems": items[:20]}).status_code == 200


def test_unknown_product_is_404_and_unknown_route_too(shop: Any) -> None:
    _, client = shop
    missing = client.get("products/NOPE")
    assert missing.status_code == 404
    assert missing.json()["message"].startswith("The product that was requested doesn't exist")
    assert client.get("nowhere").json() == {"message": "Request does not match any route."}


def test_an_e_mail_in_use_is_refused(shop: Any) -> None:
    _, client = shop
    answer = client.post("customers", json={"customer": {
        "email": "jeanne.martin@example.org", "firstname": "J", "lastname": "M"}})
    assert answer.status_code == 400
    assert "same email address already exists" in answer.json()["message"]


def test_async_bulk_answers_a_uuid_and_its_status_is_polled(shop: Any) -> None:
    sandbox, client = shop
    accepted = client.post(f"{sandbox.url}/rest/default/async/bulk/V1/products",
                           json=[{"product": {"sku": "B-1", "name": "B", "price": 1,
                                              "attribute_set_id": 4}}])
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
