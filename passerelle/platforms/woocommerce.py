"""WooCommerce (REST API v3): its settings and its registration."""

from __future__ import annotations

from typing import Literal

from pydantic import field_validator

from passerelle.connectors.base import Shop
from passerelle.connectors.http import HttpOptions
from passerelle.i18n import N_
from passerelle.i18n.messages import M_
from passerelle.platforms.registry import ProfileOption, ShopPlatform, register_shop
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import SecretRef, ShopSettingsBase, https_url
from passerelle.platforms.shops import FULL_SHOP, SHOP_URL
from passerelle.platforms.woocommerce_supports import SUPPORTS

__all__ = ["PLATFORM", "WooCommerceSettings"]


class WooCommerceSettings(ShopSettingsBase):
    """A WooCommerce shop (REST API v3)."""

    kind: Literal["woocommerce"] = "woocommerce"
    url: str
    consumer_key: SecretRef
    consumer_secret: SecretRef
    query_string_auth: bool = False

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return https_url(
            value,
            M_("must be the shop's https:// address (API keys travel over HTTPS only)"),
        )


def build(settings: WooCommerceSettings, resolve: SecretResolver, options: HttpOptions) -> Shop:
    from passerelle.connectors.woocommerce.connector import WooCommerceShop

    return WooCommerceShop(
        settings.url,
        resolve(settings.consumer_key, field="shop.consumer_key"),
        resolve(settings.consumer_secret, field="shop.consumer_secret"),
        query_string_auth=settings.query_string_auth,
        options=options,
    )


PLATFORM = register_shop(
    ShopPlatform(
        kind="woocommerce",
        label="WooCommerce",
        settings=WooCommerceSettings,
        build=build,
        supports=SUPPORTS,
        capabilities=FULL_SHOP | {"webhooks"},
        profile_options=(
            SHOP_URL,
            ProfileOption(
                "consumer_key",
                "consumer-key",
                N_("WooCommerce: where the API key is kept, env:VARIABLE or keyring:SERVICE/USER."),
                secret=True,
            ),
            ProfileOption(
                "consumer_secret",
                "consumer-secret",
                N_(
                    "WooCommerce: where the API secret is kept, env:VARIABLE or "
                    "keyring:SERVICE/USER."
                ),
                secret=True,
            ),
        ),
        webhook_verifier="passerelle.webhooks.woocommerce:verify",
        sandbox="passerelle.sandbox.woocommerce.platform:start",
        sandbox_port=8443,
        sandbox_extras=frozenset({"rate_limit"}),
    )
)
