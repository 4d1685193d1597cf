"""Every shop platform a profile may name has a connector and a sandbox."""

from __future__ import annotations

from passerelle.connectors.platforms import SHOP_BUILDERS
from passerelle.profiles.shop_settings import SHOP_KINDS
from passerelle.sandbox.platforms import SANDBOXES


def test_each_platform_has_its_connector_its_sandbox_and_its_settings() -> None:
    assert set(SHOP_BUILDERS) == set(SANDBOXES) == set(SHOP_KINDS)
