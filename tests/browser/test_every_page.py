"""Every page of the menu answers, in English and in French, on a shop with real activity.

With ``PASSERELLE_SCREENSHOTS=DIR`` it also saves each page as ``DIR/<page>-<lang>.png``:
``scripts/console-screenshots`` makes the README's pictures that way, from this test,
so they show what the tests see.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.browser.conftest import OPERATOR, Merchant
from tests.browser.pages import sign_in


def _menu(page: Any) -> list[str]:
    paths: list[str] = page.eval_on_selector_all(
        "nav.pages a", "links => links.map(a => a.getAttribute('href'))"
    )
    return paths


def _slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"


def test_every_page_answers_in_both_languages(merchant: Merchant, chromium: Any) -> None:
    for flow in ("export-categories", "export-products", "import-orders"):
        done = merchant.passerelle("run", flow)
        assert done.returncode in (0, 3), done.stdout + done.stderr
    shots = os.environ.get("PASSERELLE_SCREENSHOTS")
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    sign_in(page, merchant.url, *OPERATOR)
    paths = ["/", *_menu(page)]
    assert len(paths) > 1  # the menu lists the pages
    # Beyond the menu: a flow with its history, and the profile editor.
    paths += [f"/flows/{merchant.profile}/import-orders", f"/profiles/{merchant.profile}"]
    for language in ("en", "fr"):
        page.select_option("select#language", language)
        with page.expect_navigation():
            page.click("form[action='/language'] button[type=submit]")
        for path in paths:
            response = page.goto(merchant.url + path)
            assert response is not None and response.status == 200, (path, language)
            assert page.locator("html").get_attribute("lang") == language
            if shots:
                target = Path(shots) / f"{_slug(path)}-{language}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(target), full_page=True)
