"""Magento 2 / Adobe Commerce (REST API, an integration's token): settings and registration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from passerelle.connectors.base import Shop
from passerelle.connectors.http import HttpOptions
from passerelle.i18n.messages import M_
from passerelle.platforms.magento_supports import SUPPORTS
from passerelle.platforms.registry import ShopPlatform, register_shop
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import SecretRef, ShopSettingsBase, https_url
from passerelle.platforms.shops import ACCESS_TOKEN, FULL_SHOP, SHOP_URL

__all__ = ["PLATFORM", "MagentoSettings"]


class MagentoSettings(ShopSettingsBase):
    """A Magento 2 / Adobe Commerce store through its REST API (an integration's token)."""

    kind: Literal["magento"] = "magento"
    url: str  # the store's address; the API is under /rest/<store code>/V1
    access_token: SecretRef
    store_code: str = "default"
    source_code: str = "default"  # MSI source the stock goes to
    # Entities a list input may hold (Stores > Configuration > Services > Web API
    # Limits; 20 by default since 2.4.3): source items sent per stock request.
    input_list_limit: int = Field(20, ge=1, le=10_000)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return https_url(
            value,
            M_("must be the store's https:// address (API keys travel over HTTPS only)"),
        )


def build(settings: MagentoSettings, resolve: SecretResolver, options: HttpOptions) -> Shop:
    from passerelle.connectors.magento.connector import MagentoShop

    return MagentoShop(
        settings.url,
        resolve(settings.access_token, field="shop.access_token"),
        store_code=settings.store_code,
        source_code=settings.source_code,
        list_limit=settings.input_list_limit,
        options=options,
    )


PLATFORM = register_shop(
    ShopPlatform(
        kind="magento",
        label="Magento",
        settings=MagentoSettings,
        build=build,
        supports=SUPPORTS,
        capabilities=FULL_SHOP,  # no signed webhooks of its own: orders come by the poll
        profile_options=(SHOP_URL, ACCESS_TOKEN),
        # Magento's order statuses (sales_order_status).
        profile_orders={
            "statuses": {"processing": "order", "complete": "order"},
            "awaiting_payment_statuses": ["pending", "pending_payment"],
            "shipments": {"status": "complete"},
        },
        sandbox="passerelle.sandbox.magento.platform:start",
        sandbox_port=8446,
        sandbox_extras=frozenset({"rate_limit"}),
    )
)
