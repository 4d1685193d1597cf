"""The Wix registration: its settings, its matrix row, its sandbox, what it builds.

It is not in ``passerelle/platforms/__init__.py`` yet; importing the module registers it,
so the fixture takes it out again after each test and the rest of the suite never sees it
(the conformance suite runs on every registered platform).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from passerelle.connectors.base import Shop
from passerelle.platforms import registry
from passerelle.platforms.matrix import undecided

SITE = "0b3f5a1c-2d4e-4f60-8a9b-c1d2e3f4a5b6"


@pytest.fixture
def wix() -> Iterator[registry.ShopPlatform]:
    from passerelle.platforms import wix as module

    platform = registry.register_shop(module.PLATFORM)
    try:
        yield platform
    finally:
        registry._SHOPS.pop("wix", None)  # noqa: SLF001 - a test's own registration


def test_settings_need_a_site_guid_and_an_https_api(wix: registry.ShopPlatform) -> None:
    settings = wix.settings.model_validate({"site_id": SITE, "api_key": "env:WIX_KEY"})
    assert settings.url == f"https://www.wixapis.com/sites/{SITE}"
    with pytest.raises(ValidationError):
        wix.settings.model_validate({"site_id": "my-site", "api_key": "env:WIX_KEY"})
    with pytest.raises(ValidationError):
        wix.settings.model_validate(
            {"site_id": SITE, "api_key": "env:WIX_KEY", "api_url": "http://www.wixapis.com"}
        )


def test_the_matrix_row_decides_every_option(wix: registry.ShopPlatform) -> None:
    assert undecided(wix) == []


def test_the_sandbox_is_registered_on_its_own_port(wix: registry.ShopPlatform) -> None:
    assert wix.sandbox == "passerelle.sandbox.wix.platform:start"
    assert "wix" in registry.shop_kinds_with_sandbox()
    ports = [p.sandbox_port for p in registry.shop_platforms().values() if p.kind != "wix"]
    assert wix.sandbox_port not in (0, *ports)


def test_build_resolves_the_key_and_makes_the_connector(
    wix: registry.ShopPlatform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIX_KEY", "IST.key")
    settings = wix.settings.model_validate({"site_id": SITE, "api_key": "env:WIX_KEY"})
    shop = registry.build_shop(settings)
    try:
        assert isinstance(shop, Shop)
        assert shop.identity == f"wix/{SITE}"
        assert shop.batch_size("stock") == 1000
    finally:
        shop.close()


def test_the_webhook_verifier_is_found(wix: registry.ShopPlatform) -> None:
    from passerelle.webhooks.wix import verify

    assert wix.verifier() is verify
