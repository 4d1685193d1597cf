"""C2: back-office categories → shop categories, parents before children.

Shop categories that already exist (same name under the same parent) are
adopted, not duplicated: only missing ones are created.
"""

from __future__ import annotations

from passerelle.connectors.base import CategoryWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.model import Category, ShopCategory
from passerelle.store import content_hash

__all__ = ["sync_categories"]

KIND = "category"


def _levels(categories: list[Category]) -> list[list[Category]]:
    """Categories grouped by depth, so each level's parents exist in the shop."""
    by_id = {c.source_id: c for c in categories}

    def depth(category: Category, seen: frozenset[str] = frozenset()) -> int:
        parent = category.parent_id
        if not parent or parent not in by_id or parent in seen:
            return 0
        return 1 + depth(by_id[parent], seen | {category.source_id})

    levels: dict[int, list[Category]] = {}
    for category in categories:
        levels.setdefault(depth(category), []).append(category)
    return [levels[d] for d in sorted(levels)]


def sync_categories(ctx: FlowContext) -> dict[str, str]:
    """Make every back-office category exist in the shop; return back-office id → shop id."""
    categories = ctx.backoffice.list_categories()
    bindings = ctx.store.bindings(ctx.name, KIND)
    shop_ids: dict[str, str] = {k: b.remote_id for k, b in bindings.items() if b.remote_id}
    existing: dict[tuple[str, str | None], str] | None = None
    for level in _levels(categories):
        candidates = []
        for category in level:
            parent_shop_id = shop_ids.get(category.parent_id) if category.parent_id else None
            shop_category = ShopCategory(name=category.name, parent_id=parent_shop_id)
            candidate = Candidate(
                key=category.source_id,
                label=category.name,
                content=shop_category,
                content_hash=content_hash({"name": shop_category.name,
                                           "parent": shop_category.parent_id}),
            )
            if category.source_id not in shop_ids:
                if existing is None:
                    existing = {
                        (c.name.casefold(), c.parent_id): shop_id
                        for shop_id, c in ctx.shop.list_categories()
                    }
                adopted = existing.get((category.name.casefold(), parent_shop_id))
                if adopted:
                    candidate.shop_id = adopted
                    ctx.store.bind(ctx.name, KIND, category.source_id, adopted,
                                   candidate.content_hash)
                    ctx.journal.record("unchanged", category.name,
                                       f"already in the shop (shop id {adopted}), kept")
                    shop_ids[category.source_id] = adopted
                    continue
            candidates.append(candidate)
        shop_ids.update(
            send_changed(
                ctx,
                kind=KIND,
                candidates=candidates,
                write=lambda chunk: ctx.shop.write_categories(
                    [CategoryWrite(c.key, c.content, c.shop_id) for c in chunk]
                ),
                what="category",
            )
        )
    return shop_ids


@flow("export-categories", writes_shop=True, summary="C2: categories to the shop")
def run(ctx: FlowContext) -> None:
    sync_categories(ctx)
