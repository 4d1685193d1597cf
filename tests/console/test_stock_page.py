"""The Stock check page against real data: the WooCommerce sandbox and the memory back-office.

A quantity changed in the shop shows as a difference; *Fix selected* sends
the back-office quantity of the chosen item only (read back through the
shop's own product endpoint); a viewer sees the page and is refused the fix.
"""

from __future__ import annotations

import html
import re
import ssl
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.store import Store

from .conftest import VIEWER, TestClient, csrf_of, sign_in
from .shop_scene import PROFILE, Scene, shop_scene

PAGE = f"/stock/{PROFILE}"
API = "/wp-json/wc/v3/products"
ENGLISH = re.compile(
    r"\b(the|and|of|is|Stock check|Check now|Fix selected|Fix all|Differences|Item|Shop|"
    r"differs|fixed|missing|difference|differences|No difference)\b"
)


@pytest.fixture
def scene(data_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> Scene:
    with shop_scene(data_dir, monkeypatch) as made:
        made.add_item("1", "TSH-RED", "T-shirt rouge", quantity=5)
        made.add_item("2", "TSH-BLU", "T-shirt bleu", quantity=8)
        profile = ProfileRepository(data_dir).load(PROFILE)
        runner = Runner(data_dir, store=store, console=Console(quiet=True))
        assert runner.run(profile, "export-products").counts["created"] == 2
        yield made


def _shop(scene: Scene) -> httpx.Client:
    return httpx.Client(
        base_url=scene.sandbox.url + API,
        auth=("ck_demo", "cs_demo"),
        verify=ssl.create_default_context(cafile=str(scene.sandbox.ca_bundle)),
    )


def _shop_id(shop: httpx.Client, sku: str) -> int:
    found = shop.get("", params={"sku": sku}).json()
    assert len(found) == 1, found
    return int(found[0]["id"])


def _quantity(shop: httpx.Client, product_id: int) -> int:
    return int(shop.get(f"/{product_id}").json()["stock_quantity"])


def _set_in_shop(scene: Scene, sku: str, quantity: int) -> int:
    with _shop(scene) as shop:
        product_id = _shop_id(shop, sku)
        answer = shop.put(f"/{product_id}", json={"stock_quantity": quantity})
        assert answer.status_code == 200, answer.text
        return product_id


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.split("<main>", 1)[1]))


def _check(client: TestClient) -> str:
    answer = client.post(f"{PAGE}/check", data={"csrf_token": csrf_of(client, PAGE)})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"].startswith(f"{PAGE}?")
    return client.get(answer.headers["location"]).text


def test_fix_selected_corrects_the_chosen_difference_only(scene: Scene, client: TestClient) -> None:
    red = _set_in_shop(scene, "TSH-RED", 2)
    blue = _set_in_shop(scene, "TSH-BLU", 1)
    sign_in(client)
    page = _check(client)
    assert 'name="code" value="TSH-RED"' in page
    assert 'name="code" value="TSH-BLU"' in page
    text = " ".join(_text(page).split())
    assert "TSH-RED 2 5 differs" in text
    assert "TSH-BLU 1 8 differs" in text
    answer = client.post(
        f"{PAGE}/fix",
        data={"csrf_token": csrf_of(client, PAGE), "code": ["TSH-RED"], "scope": "selected"},
    )
    assert answer.status_code == 303
    report = " ".join(_text(client.get(answer.headers["location"]).text).split())
    assert "TSH-RED 2 5 fixed" in report
    assert "TSH-BLU 1 8 differs" in report
    with _shop(scene) as shop:
        assert _quantity(shop, red) == 5  # the back-office's
        assert _quantity(shop, blue) == 1  # not chosen: left as it was
    # Fix all takes the rest.
    answer = client.post(f"{PAGE}/fix", data={"csrf_token": csrf_of(client, PAGE), "scope": "all"})
    assert answer.status_code == 303
    with _shop(scene) as shop:
        assert _quantity(shop, blue) == 8
    after = _text(_check(client))
    assert "No difference" in after


def test_a_viewer_sees_the_differences_and_cannot_fix(scene: Scene, client: TestClient) -> None:
    red = _set_in_shop(scene, "TSH-RED", 3)
    sign_in(client)
    _check(client)
    client.post("/logout", data={"csrf_token": csrf_of(client, PAGE)})
    sign_in(client, VIEWER)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "TSH-RED" in page.text
    assert "Fix selected" not in page.text  # no button for what would be refused
    token = csrf_of(client, PAGE)
    refused = client.post(f"{PAGE}/fix", data={"csrf_token": token, "scope": "all"})
    assert refused.status_code == 403
    assert client.post(f"{PAGE}/check", data={"csrf_token": token}).status_code == 403
    with _shop(scene) as shop:
        assert _quantity(shop, red) == 3


def test_nothing_chosen_fixes_nothing(scene: Scene, client: TestClient) -> None:
    red = _set_in_shop(scene, "TSH-RED", 4)
    sign_in(client)
    _check(client)
    answer = client.post(
        f"{PAGE}/fix", data={"csrf_token": csrf_of(client, PAGE), "scope": "selected"}
    )
    assert answer.status_code == 303
    assert "done=none" in answer.headers["location"]
    with _shop(scene) as shop:
        assert _quantity(shop, red) == 4


def test_the_french_page_has_no_english_sentence(scene: Scene, client: TestClient) -> None:
    _set_in_shop(scene, "TSH-RED", 2)
    sign_in(client)
    client.headers["accept-language"] = "fr"
    text = _text(_check(client))
    assert not ENGLISH.search(text), (ENGLISH.search(text), text)
    assert "Corriger la sélection" in text


def test_fixing_is_refused_in_test_mode(scene: Scene, client: TestClient) -> None:
    repo = ProfileRepository(scene.data_dir)
    repo.save(repo.load(PROFILE).model_copy(update={"mode": "test"}))
    red = _set_in_shop(scene, "TSH-RED", 2)
    sign_in(client)
    page = _check(client)  # comparing only reads: allowed in test mode
    assert "TSH-RED" in page
    assert "Fix selected" not in page
    answer = client.post(f"{PAGE}/fix", data={"csrf_token": csrf_of(client, PAGE), "scope": "all"})
    assert "done=test" in answer.headers["location"]
    assert "test mode" in client.get(answer.headers["location"]).text
    with _shop(scene) as shop:
        assert _quantity(shop, red) == 2
