"""The Problems page against Tryton and the WooCommerce sandbox: orders set aside
for a missing payment mapping, shown with the reason and its fix, retried once the
mapping is added (the order is imported), dismissed one by one or all at once
(closed in the store, one journal line each), viewers refused, French without English."""

# ruff: noqa: F811 - the fixture `world` is imported here, then asked for by name

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.flows.import_orders import FLOW as IMPORT
from passerelle.runner.problems import DISMISS_FLOW
from passerelle.store import ParkedRecord
from tests.integration.conftest import World, world  # noqa: F401 - fixture

from .conftest import OPERATOR, VIEWER
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

PAGE = "/problems"


@pytest.fixture
def app(world: World) -> Starlette:
    """After an import without PayPal's mapping: 704 and 708 set aside, 705 unpaid."""
    trim_shop(world)
    missing = without_paypal(world.profile, staging=False)
    save(world, missing)
    world.run(IMPORT, missing)
    assert set(_open(world)) == {*PAID_BY_PAYPAL, "705"}
    return console_app(world)


def _open(world: World) -> dict[str, ParkedRecord]:
    return {p.record_key: p for p in world.store.parked("demo", kind=None)}


def _sale_key(world: World, order_id: str) -> str:
    return f"{world.sandbox.url.split('://', 1)[1]}#{order_id}"


def _dismissals(world: World) -> list[str]:
    runs = world.store.list_runs(profile="demo", flow=DISMISS_FLOW)
    return [line.message for run in runs for line in world.store.journal(run.id)]


def test_each_open_problem_shows_its_reason_and_fix_in_full(app: Starlette, world: World) -> None:
    page = signed_in(app).get(PAGE).text
    for problem in _open(world).values():
        assert f'id="problem-{problem.id}"' in page
    assert "has no entry in orders.payments; add [orders.payments.paypal] with its journal" in page
    assert 'href="/problems" aria-label="Problems"' in page  # the bell leads here
    assert '<span class="count">3</span>' in page


def test_the_filter_narrows_by_severity_and_text(app: Starlette, world: World) -> None:
    client = signed_in(app)
    unpaid = _open(world)["705"]
    page = client.get(PAGE, params={"severity": "retry"}).text
    assert f'id="problem-{unpaid.id}"' in page
    assert f'id="problem-{_open(world)["704"].id}"' not in page
    page = client.get(PAGE, params={"q": "paypal", "profile": "demo", "flow": IMPORT}).text
    shown = {key for key, p in _open(world).items() if f'id="problem-{p.id}"' in page}
    assert shown == PAID_BY_PAYPAL


def test_retry_after_the_fix_imports_the_order(app: Starlette, world: World) -> None:
    save(world, world.profile)  # the merchant adds PayPal's mapping back
    target = _open(world)["704"]
    before = world.sales_by_key()
    assert _sale_key(world, "704") not in before
    page = post(signed_in(app), PAGE, "/problems/retry", {"problem": str(target.id)})
    assert world.sales_by_key() - before == {_sale_key(world, "704"): 1}
    assert set(_open(world)) == {"705", "708"}  # only the one chosen was retried
    assert "704" not in _open(world)  # closed by the import that succeeded
    assert "(import-orders) queued for 1 parked record" in page
    assert ": succeeded" in page


def test_dismiss_selected_then_all(app: Starlette, world: World) -> None:
    client = signed_in(app)
    sales = world.sales_by_key()
    target = _open(world)["708"]
    page = post(client, PAGE, "/problems/dismiss", {"problem": str(target.id)})
    assert "1 problem dismissed." in page
    assert set(_open(world)) == {"704", "705"}
    closed = [p for p in world.store.parked("demo", include_resolved=True) if p.id == target.id]
    assert closed[0].resolved_at is not None
    assert [line for line in _dismissals(world) if f"by {OPERATOR}" in line] == [
        line for line in _dismissals(world)
    ]
    assert len(_dismissals(world)) == 1 and f"problem {target.id}" in _dismissals(world)[0]

    post(client, PAGE, "/problems/dismiss", {"all": "1"})
    assert _open(world) == {}
    assert len(_dismissals(world)) == 3  # one journal line per problem closed
    assert world.sales_by_key() == sales  # closed, not sent


@pytest.mark.parametrize("action", ["retry", "dismiss"])
def test_a_viewer_sees_the_problems_but_cannot_act(
    app: Starlette, world: World, action: str
) -> None:
    client = signed_in(app, VIEWER)
    page = client.get(PAGE).text
    assert "/problems/retry" not in page and "add [orders.payments.paypal]" in page
    assert refused(client, PAGE, f"/problems/{action}", {"all": "1"}) == 403
    assert set(_open(world)) == {*PAID_BY_PAYPAL, "705"}
    assert _dismissals(world) == []


def test_the_french_page_has_no_english_text(app: Starlette, world: World) -> None:
    english = signed_in(app).get(PAGE).text
    french_client = signed_in(app, language="fr")
    french = french_client.get(PAGE).text
    assert 'lang="fr"' in french
    assert not untranslated(english, french, {"demo", IMPORT, *_open(world)})
    said = post(french_client, PAGE, "/problems/dismiss", {"all": "1"})
    assert "3 problèmes écartés." in said and "écarté à la main par" in said
