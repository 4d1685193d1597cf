"""``profile create --shop KIND`` writes a working profile for every platform.

For each platform: its sandbox is started, ``profile create`` is given the
connection options the platform's registration asks for (their values read
from the sandbox's own ``[shop]`` table), and ``profile test`` on the Tryton
demo database and that sandbox passes — both connections, and every name the
new profile holds found on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passerelle.cli.main import app
from passerelle.connectors.tryton.demo import copy_demo_database
from passerelle.connectors.tryton.testing import (  # noqa: F401 - fixtures
    tryton_demo_template,
    unique_database_name,
)
from passerelle.demo import GAP_ITEM, GIFT_WRAP_ITEM
from passerelle.platforms import shop_kinds_with_sandbox, shop_platform, start_sandbox
from passerelle.profiles import ProfileRepository
from passerelle.sandbox.platforms import ShopSandbox


@pytest.fixture(params=shop_kinds_with_sandbox())
def sandbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ShopSandbox]:
    shop = start_sandbox(request.param, tmp_path / "shop")
    try:
        yield shop
    finally:
        shop.stop()


def test_profile_create_writes_a_profile_that_profile_test_passes(
    sandbox: ShopSandbox,
    request: pytest.FixtureRequest,
    tryton_demo_template: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kind = sandbox.kind
    for name, value in sandbox.secrets().items():
        monkeypatch.setenv(name, value)
    tryton_dir = tmp_path / "tryton"
    target = copy_demo_database(
        tryton_demo_template.parent, tryton_dir, unique_database_name(request.node.name)
    )
    table = sandbox.profile_shop()
    connection: list[str] = []
    for option in shop_platform(kind).profile_options:
        if option.field in table:
            connection += [f"--{option.flag}", str(table[option.field])]
    data = ["--data-dir", str(tmp_path / "data")]
    created = CliRunner().invoke(
        app,
        [
            "profile",
            "create",
            "shop",
            "--shop",
            kind,
            *connection,
            "--ca-bundle",
            table["http"]["ca_bundle"],
            "--tryton-database",
            target.database,
            "--tryton-path",
            str(tryton_dir),
            "--shipping-item",
            "SHIPPING",
            "--misc-item",
            "MISC",
            "--gift-wrap-item",
            GIFT_WRAP_ITEM.code,
            "--gap-item",
            GAP_ITEM.code,
            *data,
        ],
    )
    assert created.exit_code == 0, created.output
    profile = ProfileRepository(tmp_path / "data").load("shop")
    assert profile.shop.kind == kind and profile.backoffice.kind == "tryton"

    tested = CliRunner().invoke(app, ["profile", "test", "shop", *data])
    assert tested.exit_code == 0, (kind, tested.output)
    assert f"shop ({kind}): ok" in tested.output
    assert "missing in" not in tested.output


def test_profile_create_names_the_options_a_platform_needs(tmp_path: Path) -> None:
    args = ["profile", "create", "p", "--data-dir", str(tmp_path)]
    items = ["--shipping-item", "S", "--misc-item", "M", "--gift-wrap-item", "W", "--gap-item", "G"]
    missing = CliRunner().invoke(app, [*args, *items, "--shop", "bigcommerce"])
    assert missing.exit_code == 1
    assert "--store-hash" in missing.output and "--access-token" in missing.output
    foreign = CliRunner().invoke(
        app,
        [*args, *items, "--shop", "shopify", "--shop-url", "https://x.myshopify.com"]
        + ["--access-token", "env:T", "--consumer-key", "env:K"],
    )
    assert foreign.exit_code == 1 and "--consumer-key" in foreign.output
    unknown = CliRunner().invoke(app, [*args, *items, "--shop", "acme"])
    assert unknown.exit_code == 1 and "woocommerce" in unknown.output
    assert not (tmp_path / "profiles" / "p.toml").exists()
