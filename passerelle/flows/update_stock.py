"""C9: back-office stock → shop stock quantities, only what changed, in batches.

The shop id of each item comes from the product binding; items the shop has
but passerelle never bound are found by SKU (one catalogue read) and adopted.
A quantity is sent only when it differs from the last one sent.
"""

from __future__ import annotations

from passerelle.connectors.woocommerce.connector import ProductWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.catalogue import catalogue_items, shop_quantities
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.model import ProductDraft
from passerelle.store import content_hash

__all__ = ["FLOW", "resolve_shop_ids"]

FLOW = "update-stock"
KIND = "stock"
_STOCK_FIELDS = frozenset({"manage_stock", "stock_quantity"})


def resolve_shop_ids(ctx: FlowContext, codes: dict[str, str]) -> dict[str, str]:
    """Shop ids for item ids (``codes``: item id → code), from bindings, else by SKU."""
    products = ctx.store.bindings(ctx.name, "product")
    shop_ids = {k: b.remote_id for k, b in products.items() if b.remote_id and k in codes}
    missing = {item_id: code for item_id, code in codes.items() if item_id not in shop_ids}
    if missing:
        found = ctx.shop.find_products_by_sku(missing.values())
        adopted = []
        for item_id, code in missing.items():
            if code in found:
                shop_ids[item_id] = found[code]
                # No hash: the product export will refresh its content once.
                adopted.append((item_id, found[code], None))
        ctx.store.bind_many(ctx.name, "product", adopted)
    return shop_ids


@flow(FLOW, writes_shop=True, summary="C9: stock quantities to the shop")
def run(ctx: FlowContext) -> None:
    items = [i for i in catalogue_items(ctx)[0] if i.code and i.stocked]
    quantities = shop_quantities(ctx)
    shop_ids = resolve_shop_ids(ctx, {i.source_id: i.code for i in items})
    candidates = []
    for item in items:
        shop_id = shop_ids.get(item.source_id)
        if shop_id is None:
            ctx.journal.record("skipped", item.code,
                               "not in the shop yet: run export-products first")
            continue
        quantity = quantities.get(item.source_id, 0)
        draft = ProductDraft(sku=item.code, name=item.name, regular_price=item.sale_price,
                             manage_stock=True, stock_quantity=quantity)
        candidates.append(
            Candidate(key=item.source_id, label=item.code, content=draft,
                      content_hash=content_hash({"quantity": quantity}), shop_id=shop_id)
        )
    send_changed(
        ctx,
        kind=KIND,
        candidates=candidates,
        write=lambda chunk: ctx.shop.write_products(
            [ProductWrite(c.key, c.content, c.shop_id, _STOCK_FIELDS) for c in chunk]
        ),
        what="stock level",
    )
