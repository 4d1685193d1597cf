"""A PrestaShop 1.7/8 Webservice on loopback, built from the official docs (PrestaShop/docs)."""

from .server import DEMO_KEY, PrestaShopSandbox

__all__ = ["DEMO_KEY", "PrestaShopSandbox"]
