"""C10: back-office prices → shop prices: list price, promotion and group prices.

Only prices that differ from the last ones sent are written, with the same
rounding and rules as the product export (``item_prices``). Only the items
changed since the last run are read from the back-office (see :mod:`.delta`).
"""

from __future__ import annotations

from passerelle.flows.base import FlowContext, flow
from passerelle.flows.bookmarks import save_bookmark, settings_for
from passerelle.flows.catalogue import catalogue_items, price_hash, send_product_fields
from passerelle.flows.delta import catalogue_settings, complete_read, read_changed
from passerelle.flows.item_needs import NOT_FOR_PRICES, leaving_out, unused_by_prices
from passerelle.flows.product_mapping.drafts import combined_tax_rate, item_prices
from passerelle.i18n import N_
from passerelle.model import Item, ProductDraft
from passerelle.profiles.schema import Profile
from passerelle.store import Store

__all__ = ["FLOW"]

FLOW = "update-prices"
KIND = "price"


# C10
@flow(FLOW, writes_shop=True, summary=N_("prices to the shop"))
def run(ctx: FlowContext) -> None:
    with leaving_out(ctx, NOT_FOR_PRICES | unused_by_prices(ctx.profile.catalogue)):
        _run(ctx)


def _run(ctx: FlowContext) -> None:
    options = ctx.profile.catalogue.prices

    def draft_of(item: Item) -> ProductDraft:
        regular, promotion, groups = item_prices(options, item)
        return ProductDraft(
            sku=item.code,
            name=item.name,
            regular_price=regular,
            sale_price=promotion,
            group_prices=groups,
            tax_rate=combined_tax_rate(item),
        )

    read_at = ctx.now
    settings = settings_hash(ctx.profile, ctx.store)
    read = read_changed(ctx, FLOW, settings)
    send_product_fields(
        ctx,
        items=[i for i in catalogue_items(ctx, items=read.items).items if i.code],
        kind=KIND,
        fields=frozenset({"regular_price", "sale_price", "group_prices"}),
        draft_of=draft_of,
        hash_of=price_hash,
        what=N_("price"),
    )
    # A failed price is parked: the next run reads it again whatever its date.
    if not ctx.transient:
        save_bookmark(ctx, FLOW, read_at, settings)
        complete_read(ctx, FLOW, read, read_at, settings)


@settings_for(FLOW)
def settings_hash(profile: Profile, store: Store) -> str:
    """What, besides the items, decides the prices sent (see :mod:`.delta`)."""
    return catalogue_settings(profile)
