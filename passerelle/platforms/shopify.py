"""Shopify (Admin GraphQL API, an app's access token): its settings and its registration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from passerelle.connectors.base import Shop
from passerelle.connectors.http import HttpOptions
from passerelle.i18n.messages import M_
from passerelle.platforms.registry import ShopPlatform, register_shop
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import SecretRef, ShopSettingsBase, https_url
from passerelle.platforms.shopify_supports import SUPPORTS
from passerelle.platforms.shops import ACCESS_TOKEN, FULL_SHOP, SHOP_URL

__all__ = ["PLATFORM", "ShopifySettings"]


class ShopifySettings(ShopSettingsBase):
    """A Shopify shop through the Admin GraphQL API (an app's access token)."""

    kind: Literal["shopify"] = "shopify"
    url: str  # https://<shop>.myshopify.com
    access_token: SecretRef
    api_version: str = Field("2026-01", pattern=r"^\d{4}-\d{2}$")
    location: str | None = None  # the inventory location's name; None: the shop's primary

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return https_url(
            value,
            M_(
                "must be the shop's myshopify.com https:// address "
                "(API keys travel over HTTPS only)"
            ),
        )


def build(settings: ShopifySettings, resolve: SecretResolver, options: HttpOptions) -> Shop:
    from passerelle.connectors.shopify.connector import ShopifyShop

    return ShopifyShop(
        settings.url,
        resolve(settings.access_token, field="shop.access_token"),
        api_version=settings.api_version,
        location=settings.location,
        options=options,
    )


PLATFORM = register_shop(
    ShopPlatform(
        kind="shopify",
        label="Shopify",
        settings=ShopifySettings,
        build=build,
        supports=SUPPORTS,
        capabilities=FULL_SHOP | {"webhooks"},
        profile_options=(SHOP_URL, ACCESS_TOKEN),
        # Shopify's order statuses are its financial statuses.
        profile_orders={
            "statuses": {"paid": "order", "partially_refunded": "order"},
            "awaiting_payment_statuses": ["pending", "authorized", "partially_paid"],
            # A shipment is a fulfilment: no order status is set (none to check).
            "shipments": {"status": ""},
        },
        webhook_verifier="passerelle.webhooks.shopify:verify",
        sandbox="passerelle.sandbox.shopify.platform:start",
        sandbox_port=8444,
    )
)
