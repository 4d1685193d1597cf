"""Product names BigCommerce takes: unique in the store.

``createProduct``/``updateProducts`` answer 409 when another product has the
name (``reference/catalog/products_catalog.v3.yml``; docs "Products": product
names must be unique), while a back-office often has several items of one name
(the colours of a T-shirt sold as separate products). Such a product is written
as ``<name> (<SKU>)`` — what a merchant does by hand in the control panel — so it
exists in the shop instead of failing on every run; ``name`` is 250 characters
at most, so the name is cut before the SKU.
"""

from __future__ import annotations

from passerelle.connectors.errors import ConnectorError

__all__ = ["NAME_MAX", "distinct_name", "is_name_conflict"]

NAME_MAX = 250


def is_name_conflict(error: ConnectorError) -> bool:
    """A 409 whose ``errors`` name the ``name`` field (``client.read_error`` words)."""
    return error.status == 409 and "(name:" in str(error)


def distinct_name(name: str, sku: str) -> str:
    suffix = f" ({sku})"
    return name[: NAME_MAX - len(suffix)] + suffix
