"""A local BigCommerce store (v3 catalog, inventory and customers; v2 orders) over HTTPS."""

from .server import BigCommerceSandbox, serve

__all__ = ["BigCommerceSandbox", "serve"]
