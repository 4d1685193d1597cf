"""The Preview page against the WooCommerce sandbox and the memory back-office.

A product export has run; then a price changes in the back-office. The page
shows that product with its price before and after, counts the rest as
unchanged, and leaves the shop and the store exactly as they were: a viewer
may look too, since nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from passerelle.connectors.memory import MemoryBackOffice
from passerelle.console.pages import preview as preview_page
from passerelle.model import Item
from passerelle.profiles import ProfileRepository
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store
from tests.console.conftest import OPERATOR, VIEWER, TestClient, sign_in
from tests.preview_scene import exported_shop
from tests.test_profiles import VALID

PROFILE = "atelier"
_TABLES = ("bindings", "sent_contents", "bookmarks", "runs", "journal_lines", "parked")


@dataclass
class Shop:
    sandbox: WooSandbox
    backoffice: MemoryBackOffice

    def price(self, sku: str) -> str:
        (product,) = [p for p in self.sandbox.data.products.values() if p["sku"] == sku]
        return str(product["regular_price"])


@pytest.fixture
def shop(data_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shop]:
    """Three items exported once to an empty sandbox shop."""
    items = [
        Item(str(n), f"TEA-{n}", f"Thé n°{n}", Decimal(price))
        for n, price in enumerate(("24.90", "9.50", "120.00"), start=1)
    ]
    with exported_shop(data_dir, store, monkeypatch, PROFILE, items) as (sandbox, backoffice):
        yield Shop(sandbox, backoffice)


def _store_rows(store: Store) -> dict[str, list[Any]]:
    with store.engine.connect() as connection:
        return {
            table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table}"))]
            for table in _TABLES
        }


class _Texts(HTMLParser):
    """The page's text outside elements marked translate="no" (data) and its head."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._stack: list[bool] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "input", "br", "img"):
            return
        skipped = ("translate", "no") in attrs or tag in ("head", "script", "style")
        self._stack.append(skipped)
        self._skip += skipped

    def handle_endtag(self, tag: str) -> None:
        if self._stack and tag not in ("meta", "link", "input", "br", "img"):
            self._skip -= self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def test_a_price_change_shows_old_and_new_price_and_writes_nothing(
    client: TestClient, store: Store, shop: Shop
) -> None:
    old = shop.price("TEA-1")
    item = shop.backoffice.items["1"]
    shop.backoffice.items["1"] = replace(item, sale_price=Decimal("26.40"))
    before = _store_rows(store)
    shop.sandbox.reset_requests()
    sign_in(client, VIEWER)  # a viewer may look: a preview writes nothing

    page = client.get(f"/preview/{PROFILE}/export-products")

    assert page.status_code == 200, page.text
    assert re.search(r'class="updated">1<', page.text)
    assert re.search(r'class="created">0<', page.text)
    assert re.search(r'class="unchanged">2<', page.text)
    (row,) = re.findall(r'<tr class="update">.*?</tr>', page.text, re.S)
    assert 'translate="no">TEA-1<' in row
    assert re.search(
        rf'Price:</span> <span class="before" translate="no">{re.escape(old)}</span> → '
        r'<span class="after" translate="no">26.40</span>',
        row,
    )
    assert "TEA-2" not in page.text  # unchanged records are counted, not listed
    assert [r for r in shop.sandbox.requests if r[0] != "GET"] == []  # the request log
    assert _store_rows(store) == before
    assert shop.price("TEA-1") == old


def test_the_page_in_french_has_no_english_sentence(
    client: TestClient, store: Store, shop: Shop
) -> None:
    shop.backoffice.items["2"] = replace(shop.backoffice.items["2"], sale_price=Decimal("9.90"))
    sign_in(client, OPERATOR)
    pages = (
        "/preview",
        f"/preview/{PROFILE}",
        f"/preview/{PROFILE}/export-products",
        f"/preview/{PROFILE}/update-stock",
    )
    english = {path: _texts(client.get(path, follow_redirects=True).text) for path in pages}
    french = {
        path: _texts(
            client.get(path, headers={"accept-language": "fr"}, follow_redirects=True).text
        )
        for path in pages
    }
    assert "Prix :" in french[f"/preview/{PROFILE}/export-products"]
    for path in pages:
        left = set(english[path]) & set(french[path])
        # What reads the same in both languages: arrows, numbers, the brand, the menu's
        # words that are French too ("Stock", "Type"), and what the layout marks as data.
        wordy = {t for t in left if re.search(r"[A-Za-z]{3,}", t)}
        assert wordy <= {"passerelle", "Stock", "Type", "Action", "Notes"}, (path, wordy)


def test_records_are_paged(client: TestClient, shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    for item in list(shop.backoffice.items.values()):
        shop.backoffice.items[item.source_id] = replace(item, sale_price=Decimal("1.00"))
    monkeypatch.setattr(preview_page, "PAGE_SIZE", 2)
    sign_in(client, OPERATOR)
    first = client.get(f"/preview/{PROFILE}/export-products")
    second = client.get(f"/preview/{PROFILE}/export-products?page=2")
    assert first.text.count('<tr class="update">') == 2
    assert second.text.count('<tr class="update">') == 1
    assert "Records 1 to 2 of 3" in first.text and 'rel="next"' in first.text
    assert "Records 3 to 3 of 3" in second.text and 'rel="prev"' in second.text


def test_only_exports_of_known_profiles_are_previewed(client: TestClient, shop: Shop) -> None:
    sign_in(client, VIEWER)
    exports = client.get(f"/preview/{PROFILE}")
    assert exports.status_code == 200
    assert f'action="/preview/{PROFILE}/export-customers"' in exports.text
    assert 'method="get"' in exports.text  # no form post: viewers may press Preview
    assert client.get(f"/preview/{PROFILE}/import-orders").status_code == 404
    assert client.get("/preview/nobody/export-products").status_code == 404


def test_a_shop_that_cannot_be_read_is_said_in_the_page(
    client: TestClient, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREVIEW_WC_KEY", "ck_demo")
    monkeypatch.setenv("PREVIEW_WC_SECRET", "cs_demo")
    repo = ProfileRepository(data_dir)
    shop = {
        "url": "https://127.0.0.1:9",  # nothing listens there
        "consumer_key": "env:PREVIEW_WC_KEY",
        "consumer_secret": "env:PREVIEW_WC_SECRET",
        "http": {"timeout": 2, "max_tries": 1},
    }
    repo.save(repo.validate(dict(VALID, name="closed", backoffice={"kind": "memory"}, shop=shop)))
    sign_in(client, VIEWER)
    page = client.get("/preview/closed/update-stock", headers={"accept-language": "fr"})
    assert page.status_code == 200
    assert "pas pu lire la boutique ou la gestion commerciale" in page.text
