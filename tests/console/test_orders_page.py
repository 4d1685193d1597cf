"""The Orders page against Tryton and the WooCommerce sandbox: the staging grid's
validate, reject and reset, a manual send with a line per order, viewers refused,
and the French page without English."""

# ruff: noqa: F811 - the fixture `world` is imported here, then asked for by name

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.flows.import_orders import FLOW as IMPORT
from tests.integration.conftest import World, world  # noqa: F401 - fixture

from .conftest import VIEWER
from .desk import (
    PAID_BY_PAYPAL,
    console_app,
    post,
    refused,
    save,
    signed_in,
    trim_shop,
    untranslated,
    without_paypal,
)

PAGE = "/orders?profile=demo"
STAGED = {"703", "707", "709"}


@pytest.fixture
def app(world: World) -> Starlette:
    """After an import with validation by hand: three orders staged, two set aside."""
    trim_shop(world)
    save(world, without_paypal(world.profile, staging=True))
    world.run(IMPORT, without_paypal(world.profile, staging=True))
    assert {row.order_id for row in world.store.staged("demo", IMPORT)} == STAGED
    assert world.sales_by_key() == {}
    return console_app(world)


def _sale_key(world: World, order_id: str) -> str:
    return f"{world.sandbox.url.split('://', 1)[1]}#{order_id}"


def _states(world: World) -> dict[str, str]:
    rows = world.store.staged("demo", IMPORT, states=("staged", "validated", "rejected"))
    return {row.order_id: row.state.value for row in rows}


def test_the_grid_shows_staged_orders_and_those_set_aside_with_their_reason(
    app: Starlette,
    world: World,
) -> None:
    page = signed_in(app).get(PAGE).text
    for order_id in STAGED:
        assert f'id="order-{order_id}"' in page
    for order_id in PAID_BY_PAYPAL:
        assert f'id="aside-{order_id}"' in page
    # The reason in full, with its fix.
    assert "add [orders.payments.paypal] with its journal" in page


def test_validating_an_order_writes_its_sale_once(app: Starlette, world: World) -> None:
    client = signed_in(app)
    page = post(client, PAGE, "/orders/validate", {"profile": "demo", "order": "703"})
    assert world.sales_by_key() == {_sale_key(world, "703"): 1}
    assert _states(world)["703"] == "validated"
    assert "order 703: in the back-office as" in page
    # Validated twice (a double click, a second tab): still one sale.
    post(client, PAGE, "/orders/validate", {"profile": "demo", "order": "703"})
    assert world.sales_by_key() == {_sale_key(world, "703"): 1}


def test_validate_all_then_reject_and_reset(app: Starlette, world: World) -> None:
    client = signed_in(app)
    page = post(client, PAGE, "/orders/reject", {"profile": "demo", "order": "709"})
    assert "1 order rejected in the grid" in page
    assert _states(world)["709"] == "rejected"
    post(client, PAGE, "/orders/validate", {"profile": "demo", "all": "1"})
    assert world.sales_by_key() == {_sale_key(world, "703"): 1, _sale_key(world, "707"): 1}
    assert _states(world) == {"703": "validated", "707": "validated", "709": "rejected"}
    page = post(client, PAGE, "/orders/reset", {"profile": "demo", "order": "709"})
    assert "1 order to be imported again: 709" in page
    assert "709" not in _states(world)  # out of the grid, to be imported again
    aside = {p.record_key: p for p in world.store.parked("demo", IMPORT)}
    assert aside["709"].severity.value == "retry"


def test_a_manual_send_says_what_became_of_each_order(
    app: Starlette,
    world: World,
) -> None:
    client = signed_in(app)
    post(client, PAGE, "/orders/validate", {"profile": "demo", "order": "707"})
    page = post(client, PAGE, "/orders/send", {"profile": "demo", "ids": "707, 704"})
    assert "order 707: imported before" in page
    assert "order 704: not imported" in page
    assert world.sales_by_key() == {_sale_key(world, "707"): 1}


@pytest.mark.parametrize("action", ["validate", "reject", "reset", "send"])
def test_a_viewer_sees_the_grid_but_cannot_act(
    app: Starlette,
    world: World,
    action: str,
) -> None:
    client = signed_in(app, VIEWER)
    page = client.get(PAGE).text
    assert 'id="order-703"' in page and "/orders/validate" not in page
    data = {"profile": "demo", "order": "703", "ids": "703"}
    assert refused(client, PAGE, f"/orders/{action}", data) == 403
    assert _states(world) == dict.fromkeys(STAGED, "staged")
    assert world.sales_by_key() == {}


def test_the_french_page_has_no_english_text(app: Starlette, world: World) -> None:
    english = signed_in(app).get(PAGE).text
    french_client = signed_in(app, language="fr")
    french = french_client.get(PAGE).text
    assert 'lang="fr"' in french
    rows = world.store.staged("demo", IMPORT)
    data = {"demo", *(row.summary for row in rows)}
    assert not untranslated(english, french, data)
    # After an action, what the page says is French too.
    said = post(french_client, PAGE, "/orders/reject", {"profile": "demo", "order": "709"})
    assert "1 commande rejetée dans la grille" in said
