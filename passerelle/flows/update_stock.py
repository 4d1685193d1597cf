"""C9, C19: back-office stock → shop stock quantities, only what changed, in batches.

The shop id of each item comes from the product binding; items the shop has
but passerelle never bound are found by SKU (one catalogue read) and adopted.
A quantity is sent only when it differs from the last one sent. Items the
back-office does not stock get the profile's default quantity, if any; with
``out_of_stock = "hide"`` a product leaves the catalogue at 0 and comes back
with its stock (C19).
"""

from __future__ import annotations

from passerelle.flows.base import FlowContext, flow
from passerelle.flows.catalogue import (
    catalogue_items,
    send_product_fields,
    shop_quantities,
    stock_hash,
)
from passerelle.model import Item, ProductDraft

__all__ = ["FLOW"]

FLOW = "update-stock"
KIND = "stock"


@flow(FLOW, writes_shop=True, summary="C9/C19: stock quantities to the shop")
def run(ctx: FlowContext) -> None:
    options = ctx.profile.catalogue.stock
    hide = options.out_of_stock == "hide"
    quantities = shop_quantities(ctx)

    def draft_of(item: Item) -> ProductDraft:
        quantity = (quantities.get(item.source_id, 0) if item.stocked
                    else options.default_quantity)
        return ProductDraft(sku=item.code, name=item.name, regular_price=item.sale_price,
                            manage_stock=True, stock_quantity=quantity,
                            hidden=hide and (quantity or 0) <= 0)

    items = [i for i in catalogue_items(ctx, for_stock=True).items
             if i.code and (i.stocked or options.default_quantity is not None)]
    send_product_fields(
        ctx,
        items=items,
        kind=KIND,
        fields=frozenset({"manage_stock", "stock_quantity"} | ({"hidden"} if hide else set())),
        draft_of=draft_of,
        hash_of=lambda draft: stock_hash(draft.stock_quantity, draft.hidden if hide else None),
        what="stock level",
    )
