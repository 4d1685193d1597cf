"""The Wix sandbox: Wix Stores (Catalog V1 or V3), eCommerce orders, contacts, webhooks."""

from .server import WixSandbox

__all__ = ["WixSandbox"]
