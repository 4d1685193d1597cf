"""Platforms: one registration per shop platform and per back-office.

The layer between the connectors and the profiles: each module here holds
a platform's settings model and its :class:`ShopPlatform` (or
:class:`BackOfficePlatform`), registered once; the profiles build their
``shop`` and ``backoffice`` tables from the registry, the runner builds both
connectors through it, and the CLI generates ``profile create`` from it.
Adding a platform is one module with one registration call (see
CONTRIBUTING.md); a test may register one too (``tests/static_shop.py``).
"""

from passerelle.platforms.registry import (
    CAPABILITIES,
    BackOfficePlatform,
    ProfileOption,
    ShopPlatform,
    UnknownPlatform,
    backoffice_platform,
    backoffice_platforms,
    build_backoffice,
    build_shop,
    default_backoffice,
    register_backoffice,
    register_shop,
    shop_kinds_with_sandbox,
    shop_platform,
    shop_platforms,
    start_sandbox,
)
from passerelle.platforms.secrets import SecretError, SecretResolver, resolve_secret
from passerelle.platforms.settings import http_options

# The platforms built in, registered on import (order: how the CLI lists them).
from passerelle.platforms import woocommerce, prestashop, shopify, bigcommerce, magento  # isort: skip
from passerelle.platforms import wix  # isort: skip
from passerelle.platforms import tryton, memory, files  # isort: skip

__all__ = [
    "CAPABILITIES",
    "BackOfficePlatform",
    "ProfileOption",
    "SecretError",
    "SecretResolver",
    "ShopPlatform",
    "UnknownPlatform",
    "backoffice_platform",
    "backoffice_platforms",
    "bigcommerce",
    "build_backoffice",
    "build_shop",
    "default_backoffice",
    "files",
    "http_options",
    "magento",
    "memory",
    "prestashop",
    "register_backoffice",
    "register_shop",
    "resolve_secret",
    "shop_kinds_with_sandbox",
    "shop_platform",
    "shop_platforms",
    "shopify",
    "start_sandbox",
    "tryton",
    "wix",
    "woocommerce",
]
