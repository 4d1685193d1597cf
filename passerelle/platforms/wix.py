"""Wix (Wix Stores catalog V1 or V3, eCommerce orders, Contacts): settings and registration.

Its sandbox is ``passerelle/sandbox/wix`` (Catalog V3 by default, as a new site;
``catalog="v1"`` for an older site), on port 8448 by default.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from passerelle.connectors.base import Shop
from passerelle.connectors.http import HttpOptions
from passerelle.i18n import N_
from passerelle.i18n.messages import M_
from passerelle.platforms.registry import ProfileOption, ShopPlatform, register_shop
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import SecretRef, ShopSettingsBase, https_url
from passerelle.platforms.shops import FULL_SHOP
from passerelle.platforms.wix_supports import SUPPORTS

__all__ = ["PLATFORM", "WixSettings"]

_GUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class WixSettings(ShopSettingsBase):
    """A Wix site: its site id, an API key of the account that owns it."""

    kind: Literal["wix"] = "wix"
    site_id: str = Field(pattern=_GUID)
    api_key: SecretRef
    api_url: str = "https://www.wixapis.com"

    @field_validator("api_url")
    @classmethod
    def _https(cls, value: str) -> str:
        return https_url(
            value, M_("must be the Wix API https:// address (API keys travel over HTTPS only)")
        )

    @property
    def url(self) -> str:
        return f"{self.api_url}/sites/{self.site_id}"


def build(settings: WixSettings, resolve: SecretResolver, options: HttpOptions) -> Shop:
    from passerelle.connectors.wix.connector import WixShop

    return WixShop(
        settings.site_id,
        resolve(settings.api_key, field="shop.api_key"),
        api_url=settings.api_url,
        options=options,
    )


PLATFORM = register_shop(
    ShopPlatform(
        kind="wix",
        label="Wix",
        settings=WixSettings,
        build=build,
        supports=SUPPORTS,
        capabilities=FULL_SHOP | {"webhooks"},
        profile_options=(
            ProfileOption(
                "site_id", "site-id", N_("Wix: the site id (after /dashboard/ in its address).")
            ),
            ProfileOption(
                "api_key",
                "api-key",
                N_("Where the Wix API key is kept: env:VARIABLE or keyring:SERVICE/USER."),
                secret=True,
            ),
            ProfileOption(
                "api_url",
                "api-url",
                N_("Wix: the API's https:// address (default: www.wixapis.com)."),
                required=False,
            ),
        ),
        # Wix's payment statuses (eCommerce Order ``paymentStatus``).
        profile_orders={
            "statuses": {"PAID": "order"},
            "awaiting_payment_statuses": ["NOT_PAID", "PENDING"],
            # A shipment fulfils the order; there is no status to set.
            "shipments": {"status": ""},
        },
        webhook_verifier="passerelle.webhooks.wix:verify",
        sandbox="passerelle.sandbox.wix.platform:start",
        sandbox_port=8448,
        sandbox_extras=frozenset({"rate_limit"}),
    )
)
