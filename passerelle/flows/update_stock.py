"""C9: back-office stock → shop stock quantities, only what changed, in batches.

The shop id of each item comes from the product binding; items the shop has
but passerelle never bound are found by SKU (one catalogue read) and adopted.
A quantity is sent only when it differs from the last one sent.
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


@flow(FLOW, writes_shop=True, summary="C9: stock quantities to the shop")
def run(ctx: FlowContext) -> None:
    quantities = shop_quantities(ctx)

    def draft_of(item: Item) -> ProductDraft:
        return ProductDraft(sku=item.code, name=item.name, regular_price=item.sale_price,
                            manage_stock=True, stock_quantity=quantities.get(item.source_id, 0))

    send_product_fields(
        ctx,
        items=[i for i in catalogue_items(ctx)[0] if i.code and i.stocked],
        kind=KIND,
        fields=frozenset({"manage_stock", "stock_quantity"}),
        draft_of=draft_of,
        hash_of=lambda draft: stock_hash(draft.stock_quantity),
        what="stock level",
    )
