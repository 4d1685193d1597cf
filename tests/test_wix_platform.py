"""The Wix registration: its settings, its matrix row, its sandbox, what it builds."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from passerelle.connectors.base import Shop
from passerelle.platforms import registry
from passerelle.platforms.matrix import undecided

SITE = "0b3f5a1c-2d4e-4f60-8a9b-c1d2e3f4a5b6"


@pytest.fixture
def wix() -> registry.ShopPlatform:
    return registry.shop_platform("wix")


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


def test_wix_is_built_in_with_its_sandbox_on_its_own_port(wix: registry.ShopPlatform) -> None:
    import passerelle.platforms

    assert "wix" in passerelle.platforms.__all__
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
