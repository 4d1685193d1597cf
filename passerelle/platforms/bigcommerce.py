"""BigCommerce (REST v3 catalog and customers, v2 orders): its settings and its registration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from passerelle.connectors.base import Shop
from passerelle.connectors.http import HttpOptions
from passerelle.i18n import N_
from passerelle.i18n.messages import M_
from passerelle.platforms.bigcommerce_supports import SUPPORTS
from passerelle.platforms.registry import ProfileOption, ShopPlatform, register_shop
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import SecretRef, ShopSettingsBase, https_url
from passerelle.platforms.shops import ACCESS_TOKEN, FULL_SHOP

__all__ = ["PLATFORM", "BigCommerceSettings"]


class BigCommerceSettings(ShopSettingsBase):
    """A BigCommerce store (REST v3 catalog and customers, v2 orders)."""

    kind: Literal["bigcommerce"] = "bigcommerce"
    store_hash: str = Field(pattern=r"^[a-z0-9]+$")
    access_token: SecretRef
    api_url: str = "https://api.bigcommerce.com"

    @field_validator("api_url")
    @classmethod
    def _https(cls, value: str) -> str:
        return https_url(
            value,
            M_("must be the BigCommerce API https:// address (API keys travel over HTTPS only)"),
        )

    @property
    def url(self) -> str:
        return f"{self.api_url}/stores/{self.store_hash}"


def build(settings: BigCommerceSettings, resolve: SecretResolver, options: HttpOptions) -> Shop:
    from passerelle.connectors.bigcommerce.connector import BigCommerceShop

    return BigCommerceShop(
        settings.api_url,
        settings.store_hash,
        resolve(settings.access_token, field="shop.access_token"),
        options=options,
    )


PLATFORM = register_shop(
    ShopPlatform(
        kind="bigcommerce",
        label="BigCommerce",
        settings=BigCommerceSettings,
        build=build,
        supports=SUPPORTS,
        capabilities=FULL_SHOP | {"webhooks"},
        profile_options=(
            ProfileOption("store_hash", "store-hash", N_("BigCommerce: the store hash.")),
            ACCESS_TOKEN,
            ProfileOption(
                "api_url",
                "api-url",
                N_("BigCommerce: the API's https:// address (default: api.bigcommerce.com)."),
                required=False,
            ),
        ),
        # BigCommerce's status names (GET /v2/order_statuses).
        profile_orders={
            "statuses": {
                "Awaiting Fulfillment": "order",
                "Awaiting Shipment": "order",
                "Completed": "order",
                "Shipped": "order",
            },
            "awaiting_payment_statuses": ["Awaiting Payment", "Pending"],
            "shipments": {"status": "Shipped"},
        },
        webhook_verifier="passerelle.webhooks.bigcommerce:verify",
        sandbox="passerelle.sandbox.bigcommerce.platform:start",
        sandbox_port=8445,
    )
)
