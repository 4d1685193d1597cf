"""Orders from an XML file (O19): the format (``orders.xsd``), its reader and a read-only shop.

``docs/orders-xml.md`` documents the format element by element.
"""

from .reader import OrderFile, read_orders, read_source
from .schema import NAMESPACE, VERSION, orders_schema
from .shop import XmlFileShop

__all__ = [
    "NAMESPACE",
    "VERSION",
    "OrderFile",
    "XmlFileShop",
    "orders_schema",
    "read_orders",
    "read_source",
]
