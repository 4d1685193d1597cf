"""Every shop platform a profile may name is registered once, with all it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from passerelle.platforms import (
    CAPABILITIES,
    UnknownPlatform,
    backoffice_platforms,
    default_backoffice,
    register_shop,
    shop_kinds_with_sandbox,
    shop_platform,
    shop_platforms,
    start_sandbox,
)
from passerelle.profiles.shop_settings import SHOP_KINDS
from passerelle.webhooks import bigcommerce, shopify, verifier_for, wix, woocommerce

BUILT_IN = ("woocommerce", "prestashop", "shopify", "bigcommerce", "magento", "wix")


def test_each_platform_has_its_connector_its_sandbox_and_its_settings() -> None:
    built_in = {k: p for k, p in shop_platforms().items() if k in BUILT_IN}
    assert set(built_in) == set(shop_kinds_with_sandbox()) == set(SHOP_KINDS) == set(BUILT_IN)
    for kind, platform in built_in.items():
        assert platform.settings.model_fields["kind"].default == kind
        # The sandbox package's entry point, registered here and nowhere else.
        assert platform.sandbox == f"passerelle.sandbox.{kind}.platform:start"
        assert platform.capabilities <= set(CAPABILITIES)
        assert platform.profile_options, kind  # profile create can make one


def test_webhook_verification_is_registered_where_the_platform_signs_its_webhooks() -> None:
    # The platforms whose documentation describes signed webhooks, each with its own check.
    signing = {
        "woocommerce": woocommerce.verify,
        "shopify": shopify.verify,
        "bigcommerce": bigcommerce.verify,
        "wix": wix.verify,
    }
    assert {k for k, p in shop_platforms().items() if p.webhook_verifier} == set(signing)
    for kind in BUILT_IN:
        platform = shop_platform(kind)
        assert verifier_for(kind) is signing.get(kind)
        assert ("webhooks" in platform.capabilities) == (kind in signing)


def test_a_kind_without_a_sandbox_has_none_to_start(tmp_path: Path) -> None:
    with pytest.raises(UnknownPlatform, match="no connector for the shop platform 'nope'"):
        start_sandbox("nope", tmp_path)
    assert "nope" not in shop_kinds_with_sandbox()


def test_back_offices_tryton_by_default_and_the_in_memory_one() -> None:
    assert {"tryton", "memory"} <= set(backoffice_platforms())
    assert default_backoffice() == "tryton"


def test_a_kind_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered already"):
        register_shop(
            shop_platform("shopify").__class__(
                **{**shop_platform("shopify").__dict__, "label": "another Shopify"}
            )
        )
