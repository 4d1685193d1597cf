"""C2: back-office categories → shop categories, parents before children.

Shop categories that already exist (same name under the same parent) are
adopted, not duplicated: only missing ones are created. The categories come
from the back-office's own tree or from item fields (``catalogue_categories``).
With ``rename`` off, a category the shop already holds keeps its shop name
even when the back-office renames it (merchants often polish names in the shop).
"""

from __future__ import annotations

from passerelle.connectors.base import CategoryWrite
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.exporting import Candidate, send_changed
from passerelle.i18n import N_
from passerelle.i18n.messages import M_
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


def sync_categories(ctx: FlowContext, categories: list[Category]) -> dict[str, str]:
    """Make every category exist in the shop; return category key → shop id."""
    rename = ctx.profile.catalogue.categories.rename
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
                content_hash=content_hash(
                    {"name": shop_category.name, "parent": shop_category.parent_id}
                ),
            )
            bound = bindings.get(category.source_id)
            if bound is not None and bound.remote_id and not rename and bound.content_hash:
                candidate.content_hash = bound.content_hash  # the shop's name stays
            if category.source_id not in shop_ids:
                if existing is None:
                    existing = {
                        (c.name.casefold(), c.parent_id): shop_id
                        for shop_id, c in ctx.shop.list_categories()
                    }
                adopted = existing.get((category.name.casefold(), parent_shop_id))
                if adopted:
                    candidate.shop_id = adopted
                    ctx.store.bind(
                        ctx.name, KIND, category.source_id, adopted, candidate.content_hash
                    )
                    ctx.journal.record(
                        "unchanged",
                        category.name,
                        M_("already in the shop (shop id %(id)s), kept", id=adopted),
                    )
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
                what=N_("category"),
            )
        )
    return shop_ids


# C2
@flow("export-categories", writes_shop=True, summary=N_("categories to the shop"))
def run(ctx: FlowContext) -> None:
    from passerelle.flows.catalogue import catalogue_categories, catalogue_items

    categories, _of_item = catalogue_categories(ctx, catalogue_items(ctx).items)
    sync_categories(ctx, categories)
