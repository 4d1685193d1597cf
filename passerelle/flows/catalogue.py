"""Catalogue rules shared by the product, price and stock flows (C4, C9, C10).

Kept in one place so the product export and the stock update always agree on
what quantity and what price an item has in the shop.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from passerelle.flows.base import FlowContext
from passerelle.model import Item

__all__ = [
    "MappingProblem",
    "catalogue_items",
    "shop_price",
    "shop_quantities",
    "tax_class_for",
]


class MappingProblem(Exception):
    """A record cannot be mapped; the message says which entry to add."""


def catalogue_items(ctx: FlowContext) -> tuple[list[Item], list[tuple[Item, str]]]:
    """The items the shop should hold, and the others with the reason they are left out.

    The order import's special items (shipping, misc) are back-office devices,
    not products for sale online.
    """
    options = ctx.profile.catalogue
    special = {
        code: f"orders.{field}"
        for field, code in (("shipping_item", ctx.profile.orders.shipping_item),
                            ("misc_item", ctx.profile.orders.misc_item))
        if code
    }
    kept: list[Item] = []
    left_out: list[tuple[Item, str]] = []
    for item in ctx.backoffice.list_items():
        if options.only_salable and not (item.salable and item.active):
            continue
        if item.code in special:
            left_out.append((item, f"special item of the order import ({special[item.code]})"))
            continue
        kept.append(item)
    return kept, left_out


def shop_price(ctx: FlowContext, item: Item) -> Decimal:
    """C10: the list price at the profile's precision."""
    exponent = Decimal(1).scaleb(-ctx.profile.catalogue.price_decimals)
    return item.sale_price.quantize(exponent, rounding=ROUND_HALF_UP)


def tax_class_for(ctx: FlowContext, item: Item) -> str:
    """C4: the shop tax class of an item's back-office tax."""
    options = ctx.profile.catalogue
    if not item.taxes:
        if options.default_tax_class is not None:
            return options.default_tax_class
        raise MappingProblem(
            f"item {item.code} has no customer tax in the back-office and "
            "catalogue.default_tax_class is not set"
        )
    tax = item.taxes[0]
    for name in (tax.name, tax.source_id):
        if name in options.tax_classes:
            return options.tax_classes[name]
    if options.default_tax_class is not None:
        return options.default_tax_class
    raise MappingProblem(
        f"item {item.code}: back-office tax {tax.name!r} has no entry in catalogue.tax_classes "
        f'(add "{tax.name}" = "<shop tax class>", or set catalogue.default_tax_class)'
    )


def shop_quantities(ctx: FlowContext, item_ids: Iterable[str] | None = None) -> dict[str, int]:
    """C9: quantity per item id, summed over the configured warehouses.

    Shops hold whole units; a negative total becomes 0 when the profile says so.
    """
    options = ctx.profile.catalogue
    levels = ctx.backoffice.stock_levels(options.warehouses or None, item_ids)
    totals: dict[str, Decimal] = {}
    for level in levels:
        totals[level.item_id] = totals.get(level.item_id, Decimal(0)) + level.quantity
    result = {}
    for item_id, quantity in totals.items():
        whole = int(quantity.to_integral_value(rounding="ROUND_FLOOR"))
        result[item_id] = max(whole, 0) if options.negative_stock_as_zero else whole
    return result
