"""PrestaShop 1.7/8.x (its Webservice, the key as basic-auth user): settings and registration."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from passerelle.connectors.base import Shop
from passerelle.connectors.http import HttpOptions
from passerelle.i18n import N_
from passerelle.i18n.messages import M_
from passerelle.platforms.prestashop_supports import SUPPORTS
from passerelle.platforms.registry import ProfileOption, ShopPlatform, register_shop
from passerelle.platforms.secrets import SecretResolver
from passerelle.platforms.settings import SecretRef, ShopSettingsBase, https_url
from passerelle.platforms.shops import FULL_SHOP, SHOP_URL

__all__ = ["PLATFORM", "PrestaShopSettings"]


class PrestaShopSettings(ShopSettingsBase):
    """A PrestaShop 1.7/8.x shop through its Webservice (the key is the basic-auth user)."""

    kind: Literal["prestashop"] = "prestashop"
    url: str  # the shop's address; the API is under /api
    api_key: SecretRef
    # The Webservice has no batch: this many requests in flight at once instead.
    concurrency: int = Field(8, ge=1, le=64)
    language_id: int = Field(1, ge=1)  # the shop's main language
    # The catalogue's tax classes → id_tax_rules_group (a class that is a number is an id).
    tax_rules_groups: dict[str, int] = {}

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return https_url(
            value,
            M_("must be the shop's https:// address (API keys travel over HTTPS only)"),
        )


def build(settings: PrestaShopSettings, resolve: SecretResolver, options: HttpOptions) -> Shop:
    from passerelle.connectors.prestashop.connector import PrestaShopShop

    return PrestaShopShop(
        settings.url,
        resolve(settings.api_key, field="shop.api_key"),
        options=options,
        concurrency=settings.concurrency,
        language=settings.language_id,
        tax_rules_groups=settings.tax_rules_groups,
    )


PLATFORM = register_shop(
    ShopPlatform(
        kind="prestashop",
        label="PrestaShop",
        settings=PrestaShopSettings,
        build=build,
        supports=SUPPORTS,
        capabilities=FULL_SHOP,  # no signed webhooks of its own: orders come by the poll
        profile_options=(
            SHOP_URL,
            ProfileOption(
                "api_key",
                "api-key",
                N_(
                    "PrestaShop: where the Webservice key is kept, env:VARIABLE or "
                    "keyring:SERVICE/USER."
                ),
                secret=True,
            ),
        ),
        # The connector's status words for PrestaShop's order states.
        profile_orders={
            "statuses": {"paid": "order", "shipped": "order", "delivered": "order"},
            "awaiting_payment_statuses": ["awaiting_payment"],
            "shipments": {"status": "shipped"},
        },
        sandbox="passerelle.sandbox.prestashop.platform:start",
        sandbox_port=8447,
        sandbox_extras=frozenset({"rate_limit"}),
    )
)
