"""C10: back-office prices → shop prices: list price, promotion and group prices.

Only prices that differ from the last ones sent are written, with the same
rounding and rules as the product export (``item_prices``).
"""

from __future__ import annotations

from passerelle.flows.base import FlowContext, flow
from passerelle.flows.catalogue import catalogue_items, price_hash, send_product_fields
from passerelle.flows.product_mapping.drafts import combined_tax_rate, item_prices
from passerelle.i18n import N_
from passerelle.model import Item, ProductDraft

__all__ = ["FLOW"]

FLOW = "update-prices"
KIND = "price"


# C10
@flow(FLOW, writes_shop=True, summary=N_("prices to the shop"))
def run(ctx: FlowContext) -> None:
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

    send_product_fields(
        ctx,
        items=[i for i in catalogue_items(ctx).items if i.code],
        kind=KIND,
        fields=frozenset({"regular_price", "sale_price", "group_prices"}),
        draft_of=draft_of,
        hash_of=price_hash,
        what=N_("price"),
    )
