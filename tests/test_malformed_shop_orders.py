"""One malformed order in a shop costs only itself: every platform, against its sandbox.

A plugin, a migration or a hand-edited database can leave an order whose field
has the wrong type or holds no number. Its translation must come out of
``iter_orders`` and ``get_order`` as a ``ConnectorError`` carrying the order's
id (the import parks it), between the other orders read as usual — never as a
``decimal.InvalidOperation`` or ``AttributeError`` that ends the read and
leaves every later order waiting.

Each case changes one seeded order in the sandbox's own store, the way the
shop's database would hold it, so the sandbox serves it as it serves the
others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from passerelle.connectors.base import Shop
from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.model import Order
from passerelle.platforms import build_shop, shop_kinds_with_sandbox, start_sandbox
from passerelle.profiles import ProfileRepository
from passerelle.sandbox.platforms import ShopSandbox
from tests.test_profiles import VALID


def _second(orders: dict[Any, dict[str, Any]]) -> dict[str, Any]:
    """The second seeded order (the first is often a case of its own)."""
    return orders[sorted(orders, key=int)[1]]


def _woocommerce(sandbox: Any) -> str:
    # A line's tax total a plugin wrote as a signalling NaN: comparing it raises
    # InvalidOperation, which no translator rule foresaw.
    order = _second(sandbox.data.orders)
    order["line_items"][0]["taxes"] = [{"id": 1, "total": "sNaN", "subtotal": ""}]
    return str(order["id"])


def _bigcommerce(sandbox: Any) -> str:
    order = _second(sandbox.data["orders"])
    order["total_inc_tax"] = "n/a"  # Decimal("n/a"): InvalidOperation
    return str(order["id"])


def _shopify(sandbox: Any) -> str:
    order = _second(sandbox.state["orders"])
    order["createdAt"] = "le 6 novembre"  # the schema's DateTime is text on the wire
    return str(order["id"])


def _magento(sandbox: Any) -> str:
    order = _second(sandbox.data["orders"])
    order["extension_attributes"] = "not an object"
    return str(order["entity_id"])


def _prestashop(sandbox: Any) -> str:
    order = _second(sandbox.engine.data["orders"])
    order["total_paid_tax_incl"] = "n/a"
    return str(order["id"])


def _wix(sandbox: Any) -> str:
    # An amount as a JSON number where Wix sends a decimal text ("Order Object").
    order = sorted(sandbox.data["orders"].values(), key=lambda o: int(o["number"]))[1]
    order["priceSummary"]["total"] = {"amount": 12.5}
    return str(order["id"])


CORRUPT: dict[str, Callable[[Any], str]] = {
    "woocommerce": _woocommerce,
    "bigcommerce": _bigcommerce,
    "shopify": _shopify,
    "magento": _magento,
    "prestashop": _prestashop,
    "wix": _wix,
}


def test_every_platform_has_a_case() -> None:
    assert set(CORRUPT) == set(shop_kinds_with_sandbox())


@pytest.fixture(params=sorted(shop_kinds_with_sandbox()))
def world(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[ShopSandbox, Shop, str]]:
    kind = str(request.param)
    sandbox = start_sandbox(kind, tmp_path / kind)
    try:
        for name, value in sandbox.secrets().items():
            monkeypatch.setenv(name, value)
        profile = ProfileRepository(tmp_path).validate(dict(VALID, shop=sandbox.profile_shop()))
        shop = build_shop(profile.shop)
        try:
            yield sandbox, shop, kind
        finally:
            shop.close()
    finally:
        sandbox.stop()


def test_one_malformed_order_is_its_own_error_among_the_others(
    world: tuple[ShopSandbox, Shop, str],
) -> None:
    sandbox, shop, kind = world
    good = [o.source_id for o in shop.iter_orders() if isinstance(o, Order)]
    bad = CORRUPT[kind](getattr(sandbox, "sandbox"))  # noqa: B009 - each platform's server
    read = list(shop.iter_orders())
    errors = [r for r in read if isinstance(r, ConnectorError)]
    assert [e.record_id for e in errors] == [bad], [str(e) for e in errors]
    assert [o.source_id for o in read if isinstance(o, Order)] == [g for g in good if g != bad]
    with pytest.raises(RecordError) as caught:
        shop.get_order(bad)
    assert caught.value.record_id == bad
    assert shop.get_order(good[0] if good[0] != bad else good[-1]).source_id in good
