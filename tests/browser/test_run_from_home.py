"""Running a flow from the home page, watching its journal arrive, and a viewer refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.browser.conftest import OPERATOR, VIEWER, Merchant
from tests.browser.pages import sign_in

FLOW = "export-categories"


@pytest.fixture
def serve_schedules() -> bool:
    """The flow is run by hand: the server's worker runs that job only."""
    return False


def test_run_now_from_home_shows_the_journal_live(merchant: Merchant, chromium: Any) -> None:
    page = chromium.new_page()
    sign_in(page, merchant.url, *OPERATOR)
    row = page.locator("tr", has=page.locator(f"a[href='/flows/{merchant.profile}/{FLOW}']"))
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert f"/flows/{merchant.profile}/{FLOW}" in page.url
    # Lines are added by the page's script as the serve's worker writes them, until the
    # stream's end event names the outcome: nothing here reloads the page.
    page.wait_for_selector(".live-status.outcome", timeout=120_000)
    live_lines = page.locator("ol.journal li[data-live-line]")
    assert live_lines.count() > 0
    # The run really wrote to the shop: its categories are there, read back through the
    # shop's own endpoint, and the journal names them.
    categories = merchant.sandbox.call(
        "GET", "/wc/v3/products/categories", query={"per_page": "100"}
    )
    created = [c["name"] for c in categories if c["name"] != "Uncategorized"]
    assert created
    assert any(name in page.inner_text("ol.journal") for name in created)


def test_a_viewer_cannot_run_a_flow(merchant: Merchant, chromium: Any) -> None:
    page = chromium.new_page()
    sign_in(page, merchant.url, *VIEWER)
    page.goto(f"{merchant.url}/flows/{merchant.profile}/{FLOW}")
    assert page.locator("button", has_text="Run now").count() == 0
    # Posting the form anyway, with the session's own CSRF token: refused.
    token = page.eval_on_selector("form[action='/logout'] input[type=hidden]", "e => e.value")
    field = page.eval_on_selector("form[action='/logout'] input[type=hidden]", "e => e.name")
    status = page.evaluate(
        """async ([url, field, token]) => {
            const body = new URLSearchParams({[field]: token});
            const answer = await fetch(url, {method: 'POST', body, redirect: 'manual'});
            return answer.status;
        }""",
        [f"{merchant.url}/flows/{merchant.profile}/{FLOW}/run", field, token],
    )
    assert status == 403
    jobs = json.loads(merchant.passerelle("jobs", "--json").stdout)["jobs"]
    assert not [job for job in jobs if job["source"] == "manual"]  # nothing was queued by hand
