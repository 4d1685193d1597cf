"""The Status page against real data: the WooCommerce sandbox and the memory back-office.

A product exported shows synced; changed in the back-office after, changed;
never exported, not linked; set aside by the export, error. Filters, search,
paging and a record's history (its journal lines across runs) are read back.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from starlette.applications import Starlette

from passerelle.profiles import ProfileRepository
from passerelle.runner import Runner
from passerelle.runner.status import RecordStatus
from passerelle.runner.status_snapshots import StatusSnapshots
from passerelle.runner.status_view import page_of
from passerelle.store import Store

from .conftest import VIEWER, TestClient, sign_in
from .shop_scene import PROFILE, Scene, shop_scene

PAGE = f"/status/{PROFILE}/products"
ROW = re.compile(
    r"<tr>\s*<td translate=\"no\"><a href=\"[^\"]+\">([^<]+)</a></td>\s*"
    r"<td><span class=\"state [^\"]+\">([^<]+)</span>"
)
#: Words of the English pages that no French page may show (data aside).
ENGLISH = re.compile(
    r"\b(the|and|of|is|was|not linked|synced|changed|error|record|records|Search|Filter|"
    r"Products|Orders|Customers|History|Link|Open problems|Previous|Next|page|Detail|"
    r"Reference|never|shop id|last written|Show all)\b"
)


@pytest.fixture
def scene(data_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scene]:
    with shop_scene(data_dir, monkeypatch) as made:
        made.add_item("1", "TSH-RED", "T-shirt rouge")
        made.add_item("2", "TSH-BLU", "T-shirt bleu")
        made.add_item("4", "CAP-GRN", "Casquette verte")
        profile = ProfileRepository(data_dir).load(PROFILE)
        summary = Runner(data_dir, store=store, console=Console(quiet=True)).run(
            profile, "export-products"
        )
        assert summary.counts["created"] == 3
        # Changed in the back-office after it was sent.
        blue = made.backoffice.items["2"]
        made.backoffice.items["2"] = replace(
            blue, name="T-shirt bleu nuit", modified_at=datetime.now(UTC) + timedelta(minutes=5)
        )
        # Never exported.
        made.add_item("3", "MUG", "Mug")
        # Set aside by the export for a person, as the flow parks a record.
        store.park(PROFILE, "export-products", "4", "no picture for the shop", "error")
        yield made


@pytest.fixture(autouse=True)
def patient(app: Starlette, data_dir: Path, store: Store) -> None:
    """Pages that wait for the whole read (a few records): each shows its records at once.
    Waiting, reloading and reading once are tests/console/test_status_snapshot.py's."""
    app.state.status_snapshots = StatusSnapshots(data_dir, store, patience=120)


def _rows(page: str) -> dict[str, str]:
    return {html.unescape(label): state for label, state in ROW.findall(page)}


def _text(page: str) -> str:
    """What a reader sees: the page's text without tags, scripts or attribute values."""
    body = page.split("<main>", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_each_product_shows_its_sync_state(scene: Scene, client: TestClient) -> None:
    sign_in(client)
    answer = client.get(PAGE)
    assert answer.status_code == 200, answer.text
    assert _rows(answer.text) == {
        "TSH-RED": "synced",
        "TSH-BLU": "changed",
        "MUG": "not linked",
        "CAP-GRN": "error",
    }
    assert "no picture for the shop" in answer.text


def test_filter_by_state_and_search(scene: Scene, client: TestClient) -> None:
    sign_in(client, VIEWER)  # reading needs no operator
    changed = client.get(PAGE, params={"state": ["changed", "not linked"]})
    assert _rows(changed.text) == {"TSH-BLU": "changed", "MUG": "not linked"}
    found = client.get(PAGE, params={"q": "tsh"})
    assert set(_rows(found.text)) == {"TSH-RED", "TSH-BLU"}
    by_key = client.get(PAGE, params={"q": "3"})  # the back-office id finds it too
    assert set(_rows(by_key.text)) == {"MUG"}
    none = client.get(PAGE, params={"q": "nothing-like-it"})
    assert _rows(none.text) == {}


def test_history_lists_the_records_journal_lines(
    scene: Scene, store: Store, data_dir: Path, client: TestClient
) -> None:
    profile = ProfileRepository(data_dir).load(PROFILE)
    Runner(data_dir, store=store, console=Console(quiet=True)).run(profile, "export-products")
    sign_in(client)
    answer = client.get(f"{PAGE}/2")
    assert answer.status_code == 200
    text = _text(answer.text)
    assert "TSH-BLU" in text
    assert text.count("created (shop id") == 1  # the first run
    assert "updated" in text  # the second run sent the change
    assert "Products to the shop" in text  # the flow of each line, in words
    assert "TSH-RED" not in text  # only this record's lines
    parked = _text(client.get(f"{PAGE}/4").text)
    assert "no picture for the shop" in parked
    assert client.get(f"/status/{PROFILE}/products/no-such-thing").status_code == 404
    assert client.get(f"/status/{PROFILE}/nothing").status_code == 404
    assert client.get("/status/nobody/products").status_code == 404


def test_the_french_page_has_no_english_sentence(scene: Scene, client: TestClient) -> None:
    sign_in(client)
    client.headers["accept-language"] = "fr"
    for path in (PAGE, f"{PAGE}?state=changed", f"{PAGE}/1", f"{PAGE}/3"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        text = _text(answer.text)
        # Data (codes, names, the journal's flow names, reasons the test wrote) aside.
        for data in ("export-products", "no picture for the shop", "T-shirt"):
            text = text.replace(data, "")
        assert not ENGLISH.search(text), (path, ENGLISH.search(text), text)
    assert "synchronisé" in _text(client.get(PAGE).text)


def test_pages_cut_a_large_list() -> None:
    records = [RecordStatus(str(n), f"SKU-{n:04d}", "synced", "") for n in range(120)]
    first = page_of(records, size=50)
    assert (len(first.records), first.pages, first.matching) == (50, 3, 120)
    last = page_of(records, page=9, size=50)  # past the end: the last page
    assert (last.page, [r.label for r in last.records][:1]) == (3, ["SKU-0100"])
    assert page_of(records, states=["error"]).matching == 0


def test_orders_and_customers_tabs_and_the_menu_entry(scene: Scene, client: TestClient) -> None:
    sign_in(client, VIEWER)
    for kind in ("orders", "customers"):
        answer = client.get(f"/status/{PROFILE}/{kind}")
        assert answer.status_code == 200, kind
        assert "No record to show." in answer.text  # an empty shop, no customer yet
    menu = client.get("/status")  # one profile: opened at once
    assert (menu.status_code, menu.headers["location"]) == (303, PAGE)
    assert client.get("/stock").headers["location"] == f"/stock/{PROFILE}"
