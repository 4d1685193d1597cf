"""The console in a real browser against a real ``passerelle serve``, Tryton and a shop."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from passerelle.connectors.tryton.database import session
from passerelle.demo_data import ITEMS
from passerelle.profiles import ProfileRepository
from tests.browser.conftest import OPERATOR, VIEWER, Merchant
from tests.browser.pages import sign_in, visible_texts
from tests.same_in_french import same_in_french

# A text with a word of three letters or more: what could be an untranslated sentence
# (numbers, dates, arrows and symbols are the same in both languages).
_WORDY = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
#: How long a page may take to show its rows (the Status page reads both sides first,
#: saying so, and reloads itself once it has them).
ROWS_WITHIN_MS = 90_000


def _untranslated(english: list[str], french: list[str]) -> list[str]:
    """Texts of the French page left as they are on the English one."""
    same = set(english) & set(french) - same_in_french()
    return sorted(text for text in same if _WORDY.search(text))


def _choose_language(page: Any, code: str) -> None:
    page.select_option("select#language", code)
    with page.expect_navigation():
        page.click("form[action='/language'] button[type=submit]")


def test_signing_in_shows_each_profile_with_both_sides(merchant: Merchant, chromium: Any) -> None:
    page = chromium.new_page()
    page.goto(merchant.url)
    assert "/login" in page.url  # nobody is signed in yet
    sign_in(page, merchant.url, *OPERATOR)
    assert page.url.rstrip("/") == merchant.url
    body = page.inner_text("main")
    assert merchant.profile in body
    assert "woocommerce" in body and "tryton" in body


def test_a_wrong_password_is_refused_in_the_page(merchant: Merchant, chromium: Any) -> None:
    page = chromium.new_page()
    page.goto(f"{merchant.url}/login")
    page.fill("input[name=name]", OPERATOR[0])
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "/login" in page.url
    assert page.locator(".error").count() == 1


def _give_every_page_something_to_show(merchant: Merchant) -> None:
    """Runs, records, staged orders, stock differences and a price to preview, as a
    merchant's day leaves them: each page then shows its rows, not only its empty state."""
    repository = ProfileRepository(merchant.data_dir)
    profile = repository.load(merchant.profile)
    profile.orders.auto_validate = False  # imported orders wait in the staging grid
    # The last days' orders are enough to fill the grid: each import writes a Tryton sale.
    profile.orders.period_days = 3
    repository.save(profile)
    for command in (
        ("run", "export-categories"),
        ("run", "import-orders"),
        ("stock", "check"),  # before the products are in the shop: each one differs
        ("run", "export-products"),
    ):
        done = merchant.passerelle(*command)
        assert done.returncode in (0, 1, 3), done.stdout + done.stderr
    from trytond.pool import Pool

    with session(merchant.target):  # a price changed since: the preview has an update
        (product,) = Pool().get("product.product").search([("code", "=", ITEMS[0].code)])
        product.template.list_price = ITEMS[0].price + Decimal("1.15")
        product.template.save()


def _first_link(page: Any, url: str, selector: str) -> str:
    page.goto(url)
    page.wait_for_selector(selector, timeout=ROWS_WITHIN_MS)
    href: str | None = page.get_attribute(selector, "href")
    assert href, f"{url} has no {selector}"
    return href


def _pages_to_read(page: Any, merchant: Merchant) -> dict[str, str | None]:
    """Every page the browser tests open (the menu's, and those one or two clicks below),
    each with what it must show for its rows to be read too (None: nothing in particular)."""
    name, url = merchant.profile, merchant.url
    flow = f"/flows/{name}/export-products"
    records = f"/status/{name}/products"
    pages: dict[str, str | None] = dict.fromkeys(["/", *_menu_paths(page)])
    pages |= {
        flow: "a[href^='/runs/']",
        _first_link(page, url + flow, "a[href^='/runs/']"): "ol.journal li",
        f"/profiles/{name}": "#grid-payments select",
        f"/orders?profile={name}": "table.staged tbody tr",
        f"/status/{name}": None,
        records: "td a",
        _first_link(page, url + records, f"td a[href^='{records}/']"): "table tbody tr",
        f"/stock/{name}": "table.stock tbody tr",
        f"/preview/{name}/export-products": "tr.update .before",
        "/jobs": "section.jobs table",
    }
    return pages


# No worker in the server: its schedules would import the orders (and export the products)
# before the profile stages orders and the stock check finds the shop without them.
@pytest.mark.parametrize("serve_workers", [0])
def test_in_french_no_english_text_remains(merchant: Merchant, chromium: Any) -> None:
    _give_every_page_something_to_show(merchant)
    page = chromium.new_page()
    sign_in(page, merchant.url, *VIEWER)
    visited = _pages_to_read(page, merchant)
    english: dict[str, list[str]] = {}
    empty: list[str] = []  # pages that do not show the rows they were set up to show
    for path, shows in visited.items():
        english[path] = _texts_of(page, merchant.url + path, shows)
        if shows is not None and page.locator(shows).count() == 0:
            empty.append(f"{path} shows no {shows}")
    _choose_language(page, "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    left: dict[str, list[str]] = {}
    for path, shows in visited.items():
        french = _texts_of(page, merchant.url + path, shows)
        untranslated = _untranslated(english[path], french)
        if untranslated:
            left[path] = untranslated
    # The review of a profile change, which only an operator reaches (by a post).
    operator = chromium.new_page()
    sign_in(operator, merchant.url, *OPERATOR)
    english_review = _review_texts(operator, merchant)
    _choose_language(operator, "fr")
    untranslated = _untranslated(english_review, _review_texts(operator, merchant))
    if untranslated:
        left["review of a profile change"] = untranslated
    assert not empty and not left, (empty, left)


def _review_texts(page: Any, merchant: Merchant) -> list[str]:
    """The texts of the page reviewing a change made in the profile editor (nothing saved)."""
    page.goto(f"{merchant.url}/profiles/{merchant.profile}")
    page.select_option("select[name='statuses:processing']", "quotation")
    with page.expect_navigation():
        page.click("button.primary")  # Review the changes
    assert page.locator("pre.diff").count() == 1, page.url
    return visible_texts(page)


def _menu_paths(page: Any) -> list[str]:
    paths: list[str] = page.eval_on_selector_all(
        "nav.pages a", "links => links.map(a => a.getAttribute('href'))"
    )
    return paths


def _texts_of(page: Any, url: str, shows: str | None = None) -> list[str]:
    """The page's texts, read once it shows ``shows`` (or once that took too long)."""
    answer = page.goto(url)
    assert answer is not None and answer.status == 200, url
    if shows is not None:
        try:
            page.wait_for_selector(shows, timeout=ROWS_WITHIN_MS)
        except PlaywrightTimeout:
            pass  # the caller says which page lacks its rows
    return visible_texts(page)
