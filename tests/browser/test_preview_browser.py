"""The Preview page in a real browser: a price changed in Tryton, previewed, nothing sent."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from typing import Any

from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.demo import DEMO_KEY, DEMO_SECRET, KEY_ENV, SECRET_ENV
from passerelle.demo_data import ITEMS
from tests.browser.conftest import VIEWER, Merchant
from tests.browser.pages import sign_in


def _run_export(merchant: Merchant) -> None:
    """``passerelle run export-products`` as the merchant runs it, in its own process."""
    env = {**os.environ, KEY_ENV: DEMO_KEY, SECRET_ENV: DEMO_SECRET, "PASSERELLE_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "passerelle", "run", "export-products"]
        + ["--profile", merchant.profile, "--data-dir", str(merchant.data_dir)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _set_price(merchant: Merchant, code: str, price: Decimal) -> None:
    """The list price of the Tryton product ``code``, as a merchant edits it in Tryton."""
    from trytond.pool import Pool

    with session(TrytonTarget(merchant.database, path=merchant.tryton_dir)):
        (product,) = Pool().get("product.product").search([("code", "=", code)])
        product.template.list_price = price
        product.template.save()


def _shop_price(merchant: Merchant, sku: str) -> str:
    (product,) = [p for p in merchant.sandbox.data.products.values() if p["sku"] == sku]
    return str(product["regular_price"])


def test_preview_after_a_price_change(merchant: Merchant, chromium: Any) -> None:
    _run_export(merchant)
    item = ITEMS[0]
    old = _shop_price(merchant, item.code)
    new = item.price + Decimal("1.15")
    _set_price(merchant, item.code, new)
    merchant.sandbox.reset_requests()

    page = chromium.new_page()
    sign_in(page, merchant.url, *VIEWER)  # looking writes nothing: a viewer may preview
    page.goto(f"{merchant.url}/preview/{merchant.profile}")
    with page.expect_navigation():
        page.click(f"form[action='/preview/{merchant.profile}/export-products'] button")

    assert f"/preview/{merchant.profile}/export-products" in page.url  # a GET, flow in the path
    assert page.inner_text("dd.updated") == "1"
    row = page.locator("tr.update", has_text=item.code)
    assert row.count() == 1
    assert row.locator(".before").first.inner_text() == old
    assert row.locator(".after").first.inner_text() == str(new)
    assert [r for r in merchant.sandbox.requests if r[0] != "GET"] == []  # the request log
    assert _shop_price(merchant, item.code) == old
