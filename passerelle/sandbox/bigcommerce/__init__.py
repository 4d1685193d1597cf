"""A local BigCommerce store (v3 catalog, inventory, customers; v2 orders, customer groups)."""

from .server import BigCommerceSandbox

__all__ = ["BigCommerceSandbox"]
