"""C10: back-office list prices → shop regular prices, at the profile's precision."""

from __future__ import annotations

from passerelle.connectors.woocommerce.connector import ProductWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.catalogue import catalogue_items, shop_price
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.flows.update_stock import resolve_shop_ids
from passerelle.model import ProductDraft
from passerelle.store import content_hash

__all__ = ["FLOW"]

FLOW = "update-prices"
KIND = "price"
_PRICE_FIELDS = frozenset({"regular_price"})


@flow(FLOW, writes_shop=True, summary="C10: prices to the shop")
def run(ctx: FlowContext) -> None:
    items = [i for i in catalogue_items(ctx)[0] if i.code]
    shop_ids = resolve_shop_ids(ctx, {i.source_id: i.code for i in items})
    candidates = []
    for item in items:
        shop_id = shop_ids.get(item.source_id)
        if shop_id is None:
            ctx.journal.record("skipped", item.code,
                               "not in the shop yet: run export-products first")
            continue
        price = shop_price(ctx, item)
        draft = ProductDraft(sku=item.code, name=item.name, regular_price=price)
        candidates.append(
            Candidate(key=item.source_id, label=item.code, content=draft,
                      content_hash=content_hash({"price": price}), shop_id=shop_id)
        )
    send_changed(
        ctx,
        kind=KIND,
        candidates=candidates,
        write=lambda chunk: ctx.shop.write_products(
            [ProductWrite(c.key, c.content, c.shop_id, _PRICE_FIELDS) for c in chunk]
        ),
        what="price",
    )
