"""On PrestaShop: an order paid in the shop lowers what it offers, passerelle never offers
more than the back-office can still sell, and both sides agree once the order is shipped.

The merchant and its model are the integration property's
(``tests/integration/test_stock_held_back_property.py``), on the PrestaShop
sandbox, whose stock moves as PrestaShop's does (``sandbox/prestashop/stock.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.sandbox.platforms import ShopSandbox, start_sandbox
from tests.integration import test_stock_held_back_property as held_back
from tests.integration.test_stock_held_back_property import (
    Merchant,
    Step,
    steps,
    untouched_code,
)

pytestmark = pytest.mark.long


@contextmanager
def merchant(template: Path, label: str) -> Iterator[Merchant]:
    """The integration property's merchant, its shop the PrestaShop sandbox."""
    def prestashop(_kind: str, state_dir: Path) -> ShopSandbox:
        return start_sandbox("prestashop", state_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(held_back, "start_sandbox", prestashop)
        with held_back.merchant(template, label) as m:
            m.run("export-categories")
            m.run("export-products")
            m.run("update-stock")
            m.code = untouched_code(m)
            yield m


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
