"""How WooCommerce names a variation: its title, its REST ``name`` and its admin name.

Three different strings, each from the source:

- the post title, ``WC_Product_Variation_Data_Store_CPT::generate_product_title``:
  the parent's title, then `` - `` and the attribute values
  (``wc_get_formatted_variation($product, true, false)``), unless the
  variation has three attributes or more, or several attributes one of whose
  names (slugs) holds a ``-``: then the parent's title alone. Order line items
  are named after it (``WC_Order_Item_Product::set_name``).
- the REST ``name`` (``class-wc-rest-product-variations-controller.php``
  since WooCommerce 8.3): ``wc_get_formatted_variation($object, true, false,
  false)``, i.e. the values only, ``", "``-separated — "Figue", never
  "Bougie parfumée - Figue". An empty value ("any …") is left out.
- the admin name of stock notes, ``WC_Product_Variation::get_formatted_name``:
  ``"<title> (<sku or #id>)<span class="description"><list></span>"``, the
  list being ``wc_get_formatted_variation($this, true, true, true)``: "Name:
  value" pairs, skipping values the title already shows
  (``wc_is_attribute_in_product_name``). A simple product's is
  ``"<name> (<sku or #id>)"`` (``WC_Product::get_formatted_name``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .common import slugify

__all__ = ["formatted_name", "variation_name", "variation_title"]


def _values(variation: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(a.get("name", "")), str(a.get("option", "")))
        for a in variation.get("attributes") or []
        if str(a.get("option", ""))
    ]


def variation_name(variation: Mapping[str, Any]) -> str:
    """The REST ``name``: the attribute values, comma separated."""
    return ", ".join(value for _name, value in _values(variation))


def variation_title(parent: Mapping[str, Any] | None, variation: Mapping[str, Any]) -> str:
    """The variation's post title (``generate_product_title``)."""
    base = str(parent.get("name", "")) if parent else ""
    attributes = variation.get("attributes") or []
    include = len(attributes) < 3
    if include and len(attributes) > 1:
        include = not any("-" in slugify(str(a.get("name", ""))) for a in attributes)
    suffix = variation_name(variation) if include else ""
    return f"{base} - {suffix}" if suffix else base


def _in_name(value: str, name: str) -> bool:
    """``wc_is_attribute_in_product_name``: the title shows the value already."""
    lowered, needle = name.casefold(), f" {value}".casefold()
    return f"{needle}," in lowered or lowered.endswith(needle)


def formatted_name(record: Mapping[str, Any], parent: Mapping[str, Any] | None = None) -> str:
    """``get_formatted_name``: how stock notes name a product or a variation."""
    identifier = record.get("sku") or f"#{record['id']}"
    if record.get("type") != "variation":
        return f"{record.get('name', '')} ({identifier})"
    title = variation_title(parent, record)
    listed = ", ".join(
        f"{name}: {value}" for name, value in _values(record) if not _in_name(value, title)
    )
    return f'{title} ({identifier})<span class="description">{listed}</span>'
