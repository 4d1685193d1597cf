"""C10: back-office list prices → shop regular prices, at the profile's precision."""

from __future__ import annotations

from passerelle.flows.base import FlowContext, flow
from passerelle.flows.catalogue import catalogue_items, price_hash, send_product_fields, shop_price
from passerelle.model import ProductDraft

__all__ = ["FLOW"]

FLOW = "update-prices"
KIND = "price"


@flow(FLOW, writes_shop=True, summary="C10: prices to the shop")
def run(ctx: FlowContext) -> None:
    send_product_fields(
        ctx,
        items=[i for i in catalogue_items(ctx)[0] if i.code],
        kind=KIND,
        fields=frozenset({"regular_price"}),
        draft_of=lambda item: ProductDraft(sku=item.code, name=item.name,
                                           regular_price=shop_price(ctx, item)),
        hash_of=lambda draft: price_hash(draft.regular_price),
        what="price",
    )
