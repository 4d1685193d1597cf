"""A secret set in the environment never appears in a rendered page, in any language."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.cli.serve import build_app
from passerelle.store import Store

from .conftest import client_of, sign_in
from .support import PROFILE, write_profile
from .test_route_walk import _get_pages

SECRETS = {
    "CONSOLE_TEST_WC_KEY": "ck_9f8e7d6c5b4a39281706f5e4d3c2b1a0",
    "CONSOLE_TEST_WC_SECRET": "cs_0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "CONSOLE_TEST_WEBHOOK_SECRET": "whsec_Zq8pL2mN5vX7cR1t",
}


def test_no_page_shows_a_secret(
    data_dir: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    write_profile(data_dir)
    run_id = store.start_run(PROFILE, "import-orders")
    store.finish_run(run_id, "with_problems", {"created": 2, "parked": 1})
    store.park(PROFILE, "import-orders", "1234", "no payment mapping for 'stripe'", "error")
    app = build_app(data_dir, store, health_timeout=0.2)
    for language in ("en", "fr"):
        client = client_of(app, headers={"Accept-Language": language})
        pages = [path for path, _ in _get_pages(list(app.routes))]
        for path in pages:  # signed out
            _assert_clean(client.get(path).text, path)
        sign_in(client)
        shown = ""
        for path in pages:
            text = client.get(path).text
            _assert_clean(text, path)
            shown += text
        assert PROFILE in shown and "woocommerce" in shown  # the home page did show the profile


def _assert_clean(text: str, path: str) -> None:
    for name, value in SECRETS.items():
        assert value not in text, f"{path} shows the value of {name}"
