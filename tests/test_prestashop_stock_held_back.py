"""On PrestaShop: an order paid in the shop lowers what it offers, passerelle never offers
more than the back-office can still sell, and both sides agree once the order is shipped.

The merchant and its model are the integration property's
(``tests/integration/test_stock_held_back_property.py``), on the PrestaShop
sandbox, whose stock moves as PrestaShop's does (``sandbox/prestashop/stock.py``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from passerelle.connectors.tryton.connector import TrytonBackOffice
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.demo import profile_for
from passerelle.runner import Runner
from passerelle.sandbox.platforms import start_sandbox
from passerelle.store import Store
from tests.integration.test_stock_held_back_property import (
    Merchant,
    Step,
    steps,
    untouched_code,
)

pytestmark = pytest.mark.long


@contextmanager
def merchant(template: Path, label: str) -> Iterator[Merchant]:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        target = copy_demo_database(template.parent, base / "tryton", unique_database_name(label))
        shop = start_sandbox("prestashop", base / "shop")
        saved = {name: os.environ.get(name) for name in shop.secrets()}
        os.environ.update(shop.secrets())
        store = Store.open_data_dir(base)
        try:
            with (base / "console.txt").open("a") as console_file:
                runner = Runner(base, store=store, console=Console(file=console_file, width=200))
                profile = profile_for(shop, base / "tryton", target.database)
                m = Merchant(shop, target, TrytonBackOffice.from_target(target), runner,
                             profile)
                m.run("export-categories")
                m.run("export-products")
                m.run("update-stock")
                m.code = untouched_code(m)
                yield m
        finally:
            store.close()
            shop.stop()
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def test_a_paid_order_lowers_the_offer_and_sync_and_fix_never_offer_it_again(
    tryton_demo_template: Path,  # noqa: F811
) -> None:
    with merchant(tryton_demo_template, "presta-held-back") as m:
        before = m.offered()
        assert before == m.sellable() == m.on_hand()
        m.do(("pay", 2))
        assert m.offered() == before - 2 == m.sellable()
        for step in (("sync", 0), ("check", 0), ("import", 0), ("sync", 0), ("check", 0)):
            m.do(step)
            assert m.offered() == m.sellable() == before - 2, step
        m.settle()
        assert m.offered() == m.sellable() == m.on_hand() == before - 2


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(steps, min_size=3, max_size=7))
def test_the_shop_never_offers_what_the_back_office_cannot_sell(
    tryton_demo_template: Path,  # noqa: F811
    day: list[Step],
) -> None:
    with merchant(tryton_demo_template, "presta-held-back-property") as m:
        assert m.offered() == m.sellable()
        for step in day:
            m.do(step)
            assert m.offered() <= m.sellable(), (step, m.orders)
        m.settle()
        assert m.offered() == m.sellable() == m.on_hand(), m.orders
