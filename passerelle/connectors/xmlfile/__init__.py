"""Orders from an XML file (O19): the format (``orders.xsd``), its reader and a read-only shop.

``docs/orders-xml.md`` documents the format element by element.
"""

from .reader import FileHeader, OrderFile, read_header, read_orders, read_source, stream_orders
from .schema import NAMESPACE, VERSION, orders_schema
from .shop import XmlFileShop

__all__ = [
    "NAMESPACE",
    "VERSION",
    "FileHeader",
    "OrderFile",
    "XmlFileShop",
    "orders_schema",
    "read_header",
    "read_orders",
    "read_source",
    "stream_orders",
]
