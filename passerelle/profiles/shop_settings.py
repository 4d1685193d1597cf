"""The shop connection of a profile; each platform's model lives beside its registration.

Kept so the names it always offered (``passerelle.profiles.shop_settings``)
go on working: the models are those of :mod:`passerelle.platforms`, and
``ShopSettings`` is validated against whichever platform the ``kind`` names.
Secrets are never stored here: only where they are kept (``env:NAME`` or
``keyring:SERVICE/USER``).
"""

from __future__ import annotations

from passerelle.platforms import shop_platforms
from passerelle.platforms.bigcommerce import BigCommerceSettings
from passerelle.platforms.magento import MagentoSettings
from passerelle.platforms.prestashop import PrestaShopSettings
from passerelle.platforms.settings import HttpSettings, SecretRef, check_secret_ref
from passerelle.platforms.shopify import ShopifySettings
from passerelle.platforms.woocommerce import WooCommerceSettings
from passerelle.profiles.platform_settings import ShopSettings

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

#: The shop platforms built in (a platform registered later is in shop_platforms()).
SHOP_KINDS: tuple[str, ...] = tuple(shop_platforms())
