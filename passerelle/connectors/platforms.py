"""Which connector serves which shop platform, imported only when a profile needs it.

A new platform is one line here (its ``kind`` → the function building its
connector from the profile's settings), its settings model in
``passerelle/profiles/shop_settings.py``, and its package; see CONTRIBUTING.md.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import Any

from passerelle.connectors.base import Shop
from passerelle.connectors.errors import FatalError
from passerelle.connectors.http import HttpOptions
from passerelle.profiles.shop_settings import HttpSettings

__all__ = ["SHOP_BUILDERS", "build_shop", "http_options"]

# kind → "module:function(settings, options) -> Shop"
SHOP_BUILDERS: dict[str, str] = {
    "woocommerce": "passerelle.connectors.woocommerce.connector:from_settings",
    "bigcommerce": "passerelle.connectors.bigcommerce.connector:from_settings",
    "shopify": "passerelle.connectors.shopify.connector:from_settings",
    "magento": "passerelle.connectors.magento.connector:from_settings",
    "prestashop": "passerelle.connectors.prestashop.connector:from_settings",
}


def http_options(http: HttpSettings) -> HttpOptions:
    """P5: the profile's HTTP options as the shared HTTP client takes them."""
    verify: bool | Path = http.ca_bundle if http.ca_bundle else http.verify_tls
    return HttpOptions(
        timeout=http.timeout,
        max_tries=http.max_tries,
        delay_between_requests=http.delay_between_requests,
        user_agent=http.user_agent,
        verify=verify,
        proxy=http.proxy,
    )


def build_shop(settings: Any) -> Shop:
    """The connector of the profile's shop (``settings`` is one of the ShopSettings models)."""
    if settings.kind not in SHOP_BUILDERS:
        raise FatalError(
            f"this version of passerelle has no connector for {settings.kind} "
            f"shops yet (it has: {', '.join(SHOP_BUILDERS)})"
        )
    module, _, name = SHOP_BUILDERS[settings.kind].partition(":")
    builder = getattr(import_module(module), name)
    shop: Shop = builder(settings, http_options(settings.http))
    return shop
