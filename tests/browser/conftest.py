"""A real ``passerelle serve`` and a real browser: the console as a merchant meets it.

Each test gets its own merchant (a copy of the Tryton demo database, a seeded
WooCommerce sandbox, a data directory with the demo profile and two users)
and its own ``passerelle serve`` process, driven by Playwright on Debian's
Chromium. Playwright's own browser download cannot work on this machine;
``scripts/install-system-packages`` installs Chromium, and a missing one
fails these tests rather than skipping them, so CI cannot pass without them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.demo import DEMO_KEY, DEMO_SECRET, KEY_ENV, SECRET_ENV, demo_profile
from passerelle.profiles import ProfileRepository
from passerelle.profiles.schedule_options import DEFAULT_SCHEDULES
from passerelle.sandbox.woocommerce import WooSandbox
from tests.waiting import end_process, wait_for

CHROMIUM = Path("/usr/bin/chromium")
OPERATOR = ("olivia", "operator-password-1")
VIEWER = ("victor", "viewer-password-1")


@dataclass
class Merchant:
    """What one browser test works with: the console's address and both sides."""

    url: str
    data_dir: Path
    tryton_dir: Path
    database: str
    sandbox: WooSandbox
    profile: str
    env: dict[str, str]
    target: TrytonTarget

    def sales_by_key(self) -> Counter[str]:
        """How many Tryton sales carry each order key (an order imported twice shows 2)."""
        from trytond.pool import Pool

        with session(self.target, readonly=True):
            Sale = Pool().get("sale.sale")
            return Counter(sale.web_id for sale in Sale.search([]) if sale.web_id)

    def sale_key(self, order_id: str) -> str:
        return f"{self.sandbox.url.split('://', 1)[1]}#{order_id}"

    def passerelle(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A CLI command on this merchant's data, as they would type it (not checked:
        a run with problems exits 3, and that is an answer too)."""
        return subprocess.run(
            [sys.executable, "-m", "passerelle", *args, "--data-dir", str(self.data_dir)],
            text=True,
            env=self.env,
            capture_output=True,
            check=False,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _passerelle(*args: str, env: dict[str, str], stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "passerelle", *args],
        input=stdin,
        text=True,
        env=env,
        check=True,
        capture_output=True,
    )


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/login", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture
def serve_workers() -> int:
    """Workers ``passerelle serve`` runs in its process (they also run the schedules: a
    test that sets its shop up first asks for none, by overriding this fixture)."""
    return 1


@pytest.fixture
def serve_schedules() -> bool:
    """Whether the profile keeps its default schedules (a test about a flow run by hand
    turns them off: the worker would otherwise import every order of the shop first, and
    the server, stopped, would finish that job before it ends)."""
    return True


@pytest.fixture
def merchant(
    request: pytest.FixtureRequest,
    serve_workers: int,
    serve_schedules: bool,
    tryton_demo_template: Path,  # noqa: F811
    tmp_path: Path,
) -> Iterator[Merchant]:
    env = {**os.environ, KEY_ENV: DEMO_KEY, SECRET_ENV: DEMO_SECRET, "PASSERELLE_LANG": "en"}
    tryton_dir = tmp_path / "tryton"
    target = copy_demo_database(
        tryton_demo_template.parent, tryton_dir, unique_database_name(request.node.name)
    )
    sandbox = WooSandbox(
        tmp_path / "shop.json",
        consumer_key=DEMO_KEY,
        consumer_secret=DEMO_SECRET,
        cert_dir=tmp_path / "tls",
    )
    sandbox.start()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    profile = demo_profile(sandbox.url, sandbox.ca_bundle, tryton_dir, target.database)
    if not serve_schedules:
        profile.schedules.jobs = dict.fromkeys(DEFAULT_SCHEDULES, "off")
    ProfileRepository(data_dir).save(profile)
    for (name, password), role in ((OPERATOR, "operator"), (VIEWER, "viewer")):
        _passerelle(
            "user",
            "add",
            name,
            "--role",
            role,
            "--password-stdin",
            "--data-dir",
            str(data_dir),
            env=env,
            stdin=password + "\n",
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "passerelle",
            "serve",
            "--workers",
            str(serve_workers),
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(
            lambda: _answers(url) or server.poll() is not None,
            lambda: (tmp_path / "serve.log").stat().st_size,  # it logs as it starts
            what="passerelle serve answering",
        )
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        yield Merchant(
            url, data_dir, tryton_dir, target.database, sandbox, profile.name, env, target
        )
    finally:
        end_process(server)
        log.close()
        sandbox.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Chromium is missing: run scripts/install-system-packages"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()
