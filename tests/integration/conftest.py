"""The whole path: a real Tryton database copy, the WooCommerce sandbox, a state store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.database import TrytonTarget, session
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.demo import DEMO_KEY, DEMO_SECRET, KEY_ENV, SECRET_ENV, demo_profile
from passerelle.profiles import Profile
from passerelle.runner import Runner, RunSummary
from passerelle.sandbox.woocommerce import WooSandbox
from passerelle.store import Store


@dataclass
class World:
    """One merchant: a Tryton copy, a seeded shop, a data directory with its store."""

    data_dir: Path
    target: TrytonTarget
    backoffice: TrytonBackOffice
    sandbox: WooSandbox
    store: Store
    profile: Profile
    console: Console

    def runner(self) -> Runner:
        return Runner(self.data_dir, store=self.store, console=self.console)

    def run(self, flow: str, profile: Profile | None = None) -> RunSummary:
        return self.runner().run(profile or self.profile, flow)

    def sales_by_key(self) -> Counter[str]:
        """How many Tryton sales carry each order key (an order imported twice shows 2)."""
        from trytond.pool import Pool

        with session(self.target, readonly=True):
            Sale = Pool().get("sale.sale")
            return Counter(s.web_id for s in Sale.search([]) if s.web_id)


@pytest.fixture
def world(
    request: pytest.FixtureRequest,
    tryton_demo_template: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[World]:
    monkeypatch.setenv(KEY_ENV, DEMO_KEY)
    monkeypatch.setenv(SECRET_ENV, DEMO_SECRET)
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
    store = Store.open_data_dir(tmp_path)
    profile = demo_profile(sandbox.url, sandbox.ca_bundle, tryton_dir, target.database)
    with (tmp_path / "console.txt").open("a") as console_file:
        try:
            yield World(
                tmp_path,
                target,
                TrytonBackOffice.from_target(target),
                sandbox,
                store,
                profile,
                Console(file=console_file, width=200),
            )
        finally:
            store.close()
            sandbox.stop()


def created_at(order: dict[str, Any]) -> datetime:
    """When the sandbox's WooCommerce order was placed (its ``date_created_gmt``, UTC)."""
    return datetime.fromisoformat(order["date_created_gmt"]).replace(tzinfo=UTC)
