"""The shop connection of a profile, one model per platform (``kind`` tells them apart).

Secrets are never stored here: only where they are kept (``env:NAME`` or
``keyring:SERVICE/USER``). Every platform shares the HTTP options (P5).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "BigCommerceSettings",
    "HttpSettings",
    "MagentoSettings",
    "PrestaShopSettings",
    "SHOP_KINDS",
    "SecretRef",
    "ShopSettings",
    "ShopifySettings",
    "WooCommerceSettings",
    "check_secret_ref",
]

_SECRET_REF = re.compile(r"^(env:[A-Za-z_][A-Za-z0-9_]*|keyring:[^/\s]+/[^/\s]+)$")


def check_secret_ref(value: str) -> str:
    if not _SECRET_REF.match(value):
        raise ValueError(
            "must name where the secret is kept, as env:VARIABLE or keyring:SERVICE/USER "
            "(the secret itself is never written in a profile)"
        )
    return value


# Checked by the type itself, so every secret field of every platform is.
SecretRef = Annotated[
    str, AfterValidator(check_secret_ref), Field(description="env:VARIABLE or keyring:SERVICE/USER")
]


def _https_url(value: str, platform: str) -> str:
    if not re.match(r"^https://[^/\s]+", value):
        raise ValueError(
            f"must be the {platform} https:// address (API keys travel over HTTPS only)"
        )
    return value.rstrip("/")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class HttpSettings(_Strict):
    """P5: HTTP options of the shop connection."""

    timeout: float = Field(30.0, gt=0, le=600)
    max_tries: int = Field(3, ge=1, le=20)
    delay_between_requests: float = Field(0.0, ge=0, le=60)
    user_agent: str = "passerelle"
    verify_tls: bool = True
    ca_bundle: Path | None = None
    proxy: str | None = None


class WooCommerceSettings(_Strict):
    """A WooCommerce shop (REST API v3)."""

    kind: Literal["woocommerce"] = "woocommerce"
    url: str
    consumer_key: SecretRef
    consumer_secret: SecretRef
    query_string_auth: bool = False
    http: HttpSettings = HttpSettings()

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https://[^/\s]+", value):
            raise ValueError(
                "must be the shop's https:// address (WooCommerce accepts API keys over HTTPS only)"
            )
        return value.rstrip("/")


class PrestaShopSettings(_Strict):
    """A PrestaShop 1.7/8.x shop through its Webservice (the key is the basic-auth user)."""

    kind: Literal["prestashop"] = "prestashop"
    url: str  # the shop's address; the API is under /api
    api_key: SecretRef
    # The Webservice has no batch: this many requests in flight at once instead.
    concurrency: int = Field(8, ge=1, le=64)
    language_id: int = Field(1, ge=1)  # the shop's main language
    # The catalogue's tax classes → id_tax_rules_group (a class that is a number is an id).
    tax_rules_groups: dict[str, int] = {}
    http: HttpSettings = HttpSettings()

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _https_url(value, "shop's")


class ShopifySettings(_Strict):
    """A Shopify shop through the Admin GraphQL API (an app's access token)."""

    kind: Literal["shopify"] = "shopify"
    url: str  # https://<shop>.myshopify.com
    access_token: SecretRef
    api_version: str = Field("2026-01", pattern=r"^\d{4}-\d{2}$")
    location: str | None = None  # the inventory location's name; None: the shop's primary
    http: HttpSettings = HttpSettings()

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _https_url(value, "shop's myshopify.com")


class BigCommerceSettings(_Strict):
    """A BigCommerce store (REST v3 catalog and customers, v2 orders)."""

    kind: Literal["bigcommerce"] = "bigcommerce"
    store_hash: str = Field(pattern=r"^[a-z0-9]+$")
    access_token: SecretRef
    api_url: str = "https://api.bigcommerce.com"
    http: HttpSettings = HttpSettings()

    @field_validator("api_url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _https_url(value, "BigCommerce API")

    @property
    def url(self) -> str:
        return f"{self.api_url}/stores/{self.store_hash}"


class MagentoSettings(_Strict):
    """A Magento 2 / Adobe Commerce store through its REST API (an integration's token)."""

    kind: Literal["magento"] = "magento"
    url: str  # the store's address; the API is under /rest/<store code>/V1
    access_token: SecretRef
    store_code: str = "default"
    source_code: str = "default"  # MSI source the stock goes to
    # Entities a list input may hold (Stores > Configuration > Services > Web API
    # Limits; 20 by default since 2.4.3): source items sent per stock request.
    input_list_limit: int = Field(20, ge=1, le=10_000)
    http: HttpSettings = HttpSettings()

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _https_url(value, "store's")


ShopSettings = Annotated[
    WooCommerceSettings
    | PrestaShopSettings
    | ShopifySettings
    | BigCommerceSettings
    | MagentoSettings,
    Field(discriminator="kind"),
]
SHOP_KINDS: tuple[str, ...] = ("woocommerce", "prestashop", "shopify", "bigcommerce", "magento")
