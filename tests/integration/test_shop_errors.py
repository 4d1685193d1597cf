"""Refusals of the real API, clearly named by the connector; injected faults lose nothing."""

from __future__ import annotations

import logging
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.base import ProductWrite
from passerelle.connectors.errors import AuthenticationError, NotFoundError, RecordError
from passerelle.connectors.http import HttpOptions
from passerelle.connectors.woocommerce.connector import WooCommerceShop
from passerelle.demo import DEMO_KEY, DEMO_SECRET
from passerelle.demo_data import CATALOGUE_ITEMS
from passerelle.model import ProductDraft
from passerelle.profiles import ProfileRepository
from passerelle.runner import RunRefused
from passerelle.sandbox.woocommerce import Faults, WooSandbox
from tests.integration.conftest import World


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> WooSandbox:
    root = tmp_path_factory.mktemp("shop")
    with WooSandbox(
        root / "shop.json",
        consumer_key=DEMO_KEY,
        consumer_secret=DEMO_SECRET,
        cert_dir=root / "tls",
    ) as running:
        yield running


def shop(
    sandbox: WooSandbox, key: str = DEMO_KEY, secret: str = DEMO_SECRET, **kw: object
) -> WooCommerceShop:
    return WooCommerceShop(
        sandbox.url, key, secret, options=HttpOptions(verify=sandbox.ca_bundle, max_tries=1), **kw
    )


@pytest.mark.parametrize("query_string_auth", [False, True])
def test_bad_keys_are_refused_and_named_without_the_secret(
    sandbox: WooSandbox, query_string_auth: bool
) -> None:
    with shop(
        sandbox, secret="cs_wrong_secret_value", query_string_auth=query_string_auth
    ) as client:
        with pytest.raises(AuthenticationError) as caught:
            list(client.iter_orders())
        report = client.test_connection()
    message = str(caught.value)
    assert "WooCommerce refused the orders" in message
    assert "Check the API credentials" in message
    assert "cs_wrong_secret_value" not in message
    assert not report.ok and "credentials" in report.message


def test_unknown_id_is_a_not_found_naming_the_order(sandbox: WooSandbox) -> None:
    with shop(sandbox) as client, pytest.raises(NotFoundError) as caught:
        client.get_order("999999")
    assert "order 999999" in str(caught.value)
    assert "woocommerce_rest_shop_order_invalid_id" in str(caught.value)


def test_a_batch_over_the_limit_is_refused_with_the_real_code(sandbox: WooSandbox) -> None:
    body = {"create": [{"name": f"P{i}"} for i in range(101)]}
    with shop(sandbox) as client:
        with pytest.raises(
            RecordError, match="woocommerce_rest_request_entity_too_large"
        ) as caught:
            client.client.post("products/batch", body, what="batch of products")
        assert caught.value.status == 413
        # The connector itself never sends more than 100 operations a request.
        sandbox.reset_requests()
        client.client.batch(
            "products/categories", create=[{"name": f"Batch category {i}"} for i in range(150)]
        )
    assert sandbox.requests.count(("POST", "/wp-json/wc/v3/products/categories/batch")) == 2


def test_profile_test_says_what_is_wrong(world: World, tmp_path: Path) -> None:
    repo = ProfileRepository(world.data_dir)
    repo.save(world.profile)
    runner = CliRunner()
    args = ["profile", "test", world.profile.name, "--data-dir", str(world.data_dir)]
    ok = runner.invoke(app, args)
    assert ok.exit_code == 0, ok.output
    assert ok.output.count(" ok ") == 2

    untrusted = world.profile.model_copy(deep=True)
    untrusted.shop.http.ca_bundle = None
    repo.save(untrusted)
    tls = runner.invoke(app, args)
    assert tls.exit_code == 1 and "TLS certificate" in tls.output

    unreachable = world.profile.model_copy(deep=True)
    unreachable.shop.url = "https://127.0.0.1:9"
    unreachable.shop.http.max_tries = 1  # a refused connection is not waited on again
    repo.save(unreachable)
    down = runner.invoke(app, args)
    assert down.exit_code == 1 and "cannot be reached" in down.output

    slow = world.profile.model_copy(deep=True)
    slow.shop.http.timeout = 0.3
    slow.shop.http.max_tries = 1
    repo.save(slow)
    world.sandbox.latency = 1.0
    late = runner.invoke(app, args)
    world.sandbox.latency = 0
    assert late.exit_code == 1 and "did not answer within 0.3 s" in late.output

    repo.save(world.profile)
    wrong = runner.invoke(app, args, env={"PASSERELLE_DEMO_CONSUMER_SECRET": "cs_not_it"})
    assert wrong.exit_code == 1 and "Check the API credentials" in wrong.output
    assert "cs_not_it" not in wrong.output
    unset = runner.invoke(app, args, env={"PASSERELLE_DEMO_CONSUMER_SECRET": ""})
    assert unset.exit_code == 1
    assert "PASSERELLE_DEMO_CONSUMER_SECRET is not set" in unset.output


def test_test_mode_refuses_flows_that_write_to_the_shop(world: World) -> None:
    profile = world.profile.model_copy(update={"mode": "test"}, deep=True)
    # The import reads the last day's orders (two of the seeded shop's): enough for a
    # real import in test mode, without minutes of Tryton documents for the whole history.
    profile.orders.period_days = 1
    with pytest.raises(RunRefused, match="test mode"):
        world.runner().run(profile, "update-stock")
    assert world.runner().run(profile, "import-orders").status == "succeeded"


def test_faults_on_a_third_of_requests_lose_and_duplicate_no_product(world: World) -> None:
    world.sandbox.faults = Faults(
        rate=0.3,
        kinds=("429", "500", "timeout", "malformed"),
        retry_after=0.05,
        timeout_after=0.5,
        seed=3,
    )
    profile = world.profile.model_copy(deep=True)
    profile.shop.http.timeout = 0.3
    profile.shop.http.max_tries = 4
    runs = []
    for _ in range(8):
        summary = world.run("export-products", profile)
        runs.append(summary)
        if summary.status == "succeeded" and summary.counts["failed"] == 0:
            break
    world.sandbox.faults = None
    assert runs[-1].status == "succeeded" and runs[-1].counts["failed"] == 0, [
        (r.status, r.error, r.counts) for r in runs
    ]
    skus = Counter(p["sku"] for p in world.sandbox.data.products.values())
    # Every salable item (the demo sends unpublished ones too), the variants of
    # one template as one product.
    salable = [i for i in CATALOGUE_ITEMS if i.salable]
    expected = {i.code for i in salable if not i.template} | {
        i.template.rstrip("-") for i in salable if i.template
    }
    assert set(skus) == expected
    assert set(skus.values()) == {1}, "a product was created twice"
    # The journal shows the retries.
    messages = [line.message for r in runs for line in world.store.journal(r.run_id)]
    assert any("retrying" in m for m in messages)


def test_variations_are_written_through_their_batch_endpoint(sandbox: WooSandbox) -> None:
    with shop(sandbox) as client:
        parent = client.client.post(
            "products", {"name": "Mug couleur", "type": "variable"}, what="the parent product"
        )
        drafts = [
            ProductDraft(
                sku=f"MUG-{c}", name=f"Mug {c}", regular_price=Decimal("8.30"), stock_quantity=n
            )
            for c, n in (("RED", 3), ("BLUE", 0))
        ]
        sandbox.reset_requests()
        outcomes = client.write_variations(
            str(parent["id"]), [ProductWrite(d.sku, d) for d in drafts]
        )
        assert [o.ok for o in outcomes] == [True, True]
        assert sandbox.requests == [
            ("POST", f"/wp-json/wc/v3/products/{parent['id']}/variations/batch")
        ]
        updated = client.write_variations(
            str(parent["id"]),
            [ProductWrite("MUG-RED", drafts[0], outcomes[0].shop_id, frozenset({"regular_price"}))],
        )
        assert updated[0].ok and not updated[0].created
    variations = {
        v["sku"]: v for v in sandbox.data.variations.values() if v.get("parent_id") == parent["id"]
    }
    assert variations["MUG-RED"]["stock_quantity"] == 3
    assert variations["MUG-BLUE"]["regular_price"] == "8.30"


def test_query_string_keys_never_reach_a_log_line(
    sandbox: WooSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), shop(sandbox, query_string_auth=True) as client:
        assert client.test_connection().ok
        with pytest.raises(NotFoundError):
            client.get_order("424242")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "consumer_secret=***" in logged  # httpx did log the URL, masked
    assert DEMO_SECRET not in logged and DEMO_KEY not in logged
