"""C1, C3, C4, C5, C15: back-office items → shop products, only what changed.

Categories go first so products land in them. A product's content hash covers
what this flow owns (texts, price, tax class, categories, weight, barcode);
stock is written on creation and then left to the stock flow. Before creating,
unbound items are looked up by SKU in the shop and adopted: a product whose
creation answer was lost is never created twice.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timedelta

from passerelle.connectors.base import ProductWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.catalogue import (
    MappingProblem,
    catalogue_items,
    find_by_sku,
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


def product_hash(draft: ProductDraft, *, with_stock: bool = False) -> str:
    """Hash of what this flow owns; stock belongs to the stock flow unless the
    profile asks product updates to carry it."""
    data = asdict(draft)
    if not with_stock:
        data.pop("stock_quantity")
    return content_hash(data)


def _settings_hash(ctx: FlowContext, category_ids: dict[str, str]) -> str:
    """What, besides the items, decides what the shop holds: when it changes,
    every item is compared again, modified or not."""
    return content_hash({
        "catalogue": ctx.profile.catalogue.model_dump(mode="json"),
        "categories": dict(sorted(category_ids.items())),
    })


def _read_bookmark(ctx: FlowContext, settings: str) -> datetime | None:
    """The last transfer date (C5), if the settings it was taken under still hold."""
    bookmark = ctx.store.get_bookmark(ctx.name, FLOW)
    if bookmark is None:
        return None
    try:
        value = json.loads(bookmark.value)
        at = datetime.fromisoformat(value["at"])
    except (ValueError, KeyError, TypeError):
        return None
    return at - BOOKMARK_OVERLAP if value.get("settings") == settings else None


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
    settings = _settings_hash(ctx, category_ids)
    since = _read_bookmark(ctx, settings)
    read_at = ctx.now
    items, left_out = catalogue_items(ctx)
    for item, reason in left_out:
        ctx.journal.record("skipped", item.code, f"{reason}: not sent", echo=False)
    bindings = ctx.store.bindings(ctx.name, KIND)
    parked = {p.record_key for p in ctx.store.parked(ctx.name, FLOW)}
    selected: list[Item] = []
    for item in items:
        binding = bindings.get(item.source_id)
        if (
            options.only_changed
            and since is not None
            and binding is not None
            and binding.content_hash is not None  # adopted, never sent: compare it
            and item.source_id not in parked
            and item.modified_at is not None
            and item.modified_at <= since
        ):
            ctx.journal.count("unchanged")
            continue
        selected.append(item)
    update_fields = _update_fields(ctx)
    with_stock = "stock_quantity" in update_fields
    # Stock goes out with a new product, and with updates when the profile says so.
    needs_stock = [i.source_id for i in selected if with_stock or i.source_id not in bindings]
    quantities = shop_quantities(ctx, needs_stock) if needs_stock else {}
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
                      content_hash=product_hash(draft, with_stock=with_stock))
        )
    _adopt_existing(ctx, candidates, bindings)
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
        ctx.store.set_bookmark(
            ctx.name, FLOW, json.dumps({"at": read_at.isoformat(), "settings": settings})
        )


def _adopt_existing(
    ctx: FlowContext, candidates: list[Candidate[ProductDraft]], bindings: dict
) -> None:
    """Point unbound items at shop products that already carry their SKU (updated, not
    created again); they are bound when the update lands."""
    unbound = {c.key: c for c in candidates if c.key not in bindings}
    found = find_by_sku(ctx, {key: c.content.sku for key, c in unbound.items()})
    for key, shop_id in found.items():
        unbound[key].shop_id = shop_id
        ctx.journal.info(f"already in the shop (shop id {shop_id}): updated, not created",
                         unbound[key].label)
