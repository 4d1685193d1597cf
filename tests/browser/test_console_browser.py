"""The console in a real browser against a real ``passerelle serve``, Tryton and a shop."""

from __future__ import annotations

import re
from typing import Any

from babel.messages.pofile import read_po

from passerelle.i18n import LOCALE_DIR
from tests.browser.conftest import OPERATOR, VIEWER, Merchant
from tests.browser.pages import sign_in, visible_texts

# A text with a word of three letters or more: what could be an untranslated sentence
# (numbers, dates, arrows and symbols are the same in both languages).
_WORDY = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
PO_FILE = LOCALE_DIR / "fr" / "LC_MESSAGES" / "passerelle.po"


def _same_in_french() -> set[str]:
    """Messages whose French is the English word itself ("Stock", "production"), as the
    catalogue says: only those may read the same on both pages."""
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    return {message.id for message in catalog if message.id and message.string == message.id}


def _untranslated(english: list[str], french: list[str]) -> list[str]:
    """Texts of the French page left as they are on the English one."""
    same = set(english) & set(french) - _same_in_french()
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


def test_in_french_no_english_text_remains(merchant: Merchant, chromium: Any) -> None:
    page = chromium.new_page()
    sign_in(page, merchant.url, *VIEWER)
    visited = ["/", *[path for path in _menu_paths(page)]]
    english = {path: _texts_of(page, merchant.url + path) for path in visited}
    _choose_language(page, "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    for path in visited:
        french = _texts_of(page, merchant.url + path)
        assert not _untranslated(english[path], french), path


def _menu_paths(page: Any) -> list[str]:
    paths: list[str] = page.eval_on_selector_all(
        "nav.pages a", "links => links.map(a => a.getAttribute('href'))"
    )
    return paths


def _texts_of(page: Any, url: str) -> list[str]:
    page.goto(url)
    return visible_texts(page)
