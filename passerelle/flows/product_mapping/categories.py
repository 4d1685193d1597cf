"""C2: categories from item fields forming a hierarchy, and extra categories.

A merchant without a category tree in the back-office often has one in
custom fields (family, sub-family…). Each distinct path of values becomes a
category under its parent path; its key is the path itself, so the same
path always maps to the same shop category.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from passerelle.flows.product_mapping.texts import field_text
from passerelle.model import Category, Item

__all__ = ["PATH_SEPARATOR", "field_categories", "extra_category_names"]

PATH_SEPARATOR = " > "


def _path_key(values: Sequence[str]) -> str:
    return "path:" + PATH_SEPARATOR.join(values)


def field_categories(
    items: Iterable[Item], fields: Sequence[str]
) -> tuple[list[Category], dict[str, tuple[str, ...]]]:
    """Categories made of the fields' values, and each item's (deepest) category key.

    The path stops at the first empty field: an item with a family but no
    sub-family lands in its family.
    """
    categories: dict[str, Category] = {}
    of_item: dict[str, tuple[str, ...]] = {}
    for item in items:
        values: list[str] = []
        for name in fields:
            value = field_text(item, name)
            if not value:
                break
            parent = _path_key(values) if values else None
            values.append(value)
            key = _path_key(values)
            categories.setdefault(key, Category(source_id=key, name=value, parent_id=parent))
        of_item[item.source_id] = (_path_key(values),) if values else ()
    return list(categories.values()), of_item


def extra_category_names(item: Item, field: str | None) -> list[str]:
    """C2/C17: names (or shop ids) of extra categories, comma-separated in one field."""
    return [part.strip() for part in field_text(item, field).split(",") if part.strip()]
