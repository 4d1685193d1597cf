"""C1, C3, C4, C5, C15: back-office items → shop products, only what changed.

Categories go first so products land in them. A product's content hash covers
what this flow owns (texts, price, tax class, categories, weight, barcode);
stock is written on creation and then left to the stock flow. Before creating,
unbound items are looked up by SKU in the shop and adopted: a product whose
creation answer was lost is never created twice.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from passerelle.connectors.base import ProductWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.catalogue import (
    MappingProblem,
    catalogue_items,
    price_hash,
    shop_price,
    shop_quantities,
    stock_hash,
    tax_class_for,
)
from passerelle.flows.export_categories import sync_categories
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.model import Item, ProductDraft
from passerelle.store import content_hash

__all__ = ["FLOW", "draft_for", "product_hash"]

FLOW = "export-products"
KIND = "product"
BOOKMARK_OVERLAP = timedelta(minutes=5)

# C15 policy names → draft fields they cover.
POLICY_FIELDS = {
    "name": ("name",),
    "description": ("description",),
    "price": ("regular_price",),
    "stock": ("stock_quantity", "manage_stock"),
    "categories": ("category_ids",),
    "weight": ("weight",),
    "barcode": ("barcode",),
}


def product_hash(draft: ProductDraft) -> str:
    """Hash of what this flow owns; stock belongs to the stock flow."""
    data = asdict(draft)
    data.pop("stock_quantity")
    return content_hash(data)


def draft_for(
    ctx: FlowContext, item: Item, category_ids: dict[str, str], quantity: int | None
) -> ProductDraft:
    missing = [c for c in item.category_ids if c not in category_ids]
    if missing:
        raise MappingProblem(
            f"item {item.code}: its category {missing[0]} is not in the shop yet"
        )
    return ProductDraft(
        sku=item.code,
        name=item.name,
        regular_price=shop_price(ctx, item),
        description=item.description,
        tax_class=tax_class_for(ctx, item),
        category_ids=tuple(category_ids[c] for c in item.category_ids),
        weight=item.weight,
        barcode=item.barcode or "",
        manage_stock=item.stocked,
        stock_quantity=quantity if item.stocked else None,
        active=ctx.profile.catalogue.new_products_active,
    )


def _update_fields(ctx: FlowContext) -> frozenset[str]:
    keep = {
        field
        for policy, fields in POLICY_FIELDS.items()
        if ctx.profile.catalogue.update_policy.get(policy, "overwrite") == "keep"
        for field in fields
    }
    # Stock follows the stock flow unless the merchant asks products to carry it;
    # "active" is decided at creation (C16) and later by the shop's own edits.
    keep |= {"stock_quantity", "manage_stock", "active"}
    if ctx.profile.catalogue.update_policy.get("stock") == "overwrite":
        keep -= {"stock_quantity", "manage_stock"}
    return frozenset(ProductDraft.FIELDS) - keep


@flow(FLOW, writes_shop=True, summary="C1/C3/C4: products to the shop, only what changed")
def run(ctx: FlowContext) -> None:
    options = ctx.profile.catalogue
    category_ids = sync_categories(ctx)
    bookmark = ctx.store.get_bookmark(ctx.name, FLOW)
    since = datetime.fromisoformat(bookmark.value) - BOOKMARK_OVERLAP if bookmark else None
    read_at = ctx.now
    items, left_out = catalogue_items(ctx)
    for item, reason in left_out:
        ctx.journal.record("skipped", item.code, f"{reason}: not sent", echo=False)
    bindings = ctx.store.bindings(ctx.name, KIND)
    parked = {p.record_key for p in ctx.store.parked(ctx.name, FLOW)}
    selected: list[Item] = []
    for item in items:
        if (
            options.only_changed
            and since is not None
            and item.source_id in bindings
            and item.source_id not in parked
            and item.modified_at is not None
            and item.modified_at <= since
        ):
            ctx.journal.count("unchanged")
            continue
        selected.append(item)
    unbound = [i for i in selected if i.source_id not in bindings]
    quantities = shop_quantities(ctx, [i.source_id for i in unbound]) if unbound else {}
    candidates: list[Candidate[ProductDraft]] = []
    for position, item in enumerate(selected, 1):
        if not item.code:
            ctx.journal.record("skipped", f"item {item.source_id}",
                               f"{item.name!r} has no reference: not sent")
            continue
        try:
            draft = draft_for(ctx, item, category_ids, quantities.get(item.source_id, 0))
        except MappingProblem as problem:
            ctx.store.park(ctx.name, FLOW, item.source_id, str(problem), "error")
            ctx.journal.record("parked", item.code, str(problem),
                               position=position, total=len(selected))
            continue
        candidates.append(
            Candidate(key=item.source_id, label=item.code, content=draft,
                      content_hash=product_hash(draft))
        )
    _adopt_existing(ctx, candidates, bindings)
    update_fields = _update_fields(ctx)
    send_changed(
        ctx,
        kind=KIND,
        candidates=candidates,
        write=lambda chunk: ctx.shop.write_products(
            [
                ProductWrite(c.key, c.content, c.shop_id,
                             None if c.shop_id is None else update_fields)
                for c in chunk
            ]
        ),
        what="product",
        also_bind=(
            ("stock", lambda c: stock_hash(c.content.stock_quantity),
             "stock_quantity" in update_fields),
            ("price", lambda c: price_hash(c.content.regular_price),
             "regular_price" in update_fields),
        ),
    )
    if ctx.journal.counts["failed"] == 0:
        ctx.store.set_bookmark(ctx.name, FLOW, read_at.isoformat())


def _adopt_existing(
    ctx: FlowContext, candidates: list[Candidate[ProductDraft]], bindings: dict
) -> None:
    """Bind unbound items to shop products that already carry their SKU."""
    unbound = [c for c in candidates if c.key not in bindings]
    if not unbound:
        return
    found = ctx.shop.find_products_by_sku(c.content.sku for c in unbound)
    for candidate in unbound:
        shop_id = found.get(candidate.content.sku)
        if shop_id:
            candidate.shop_id = shop_id
            ctx.journal.info(f"already in the shop (shop id {shop_id}): updated, not created",
                             candidate.label)

