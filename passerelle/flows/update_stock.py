"""C9, C19: back-office stock → shop stock quantities, only what changed, in batches.

The shop id of each item comes from the product binding; items the shop has
but passerelle never bound are found by SKU (one catalogue read) and adopted.
A quantity is sent only when it differs from the last one sent, or when the
shop moved that item's stock itself since the last run: an order placed,
paid, cancelled or refunded there lowers or restores the shop's figure, so
the last one sent is no longer what the shop shows (orders changed since the
last run, one paged read). The quantity is what the back-office can still
sell (:mod:`.sellable`). Items the back-office does not stock get the
profile's default quantity, if any; with ``out_of_stock = "hide"`` a product
leaves the catalogue at 0 and comes back with its stock (C19).

Only the items whose stock may have moved are read from the back-office: those
with stock moves or sales since the last run, those in the shop's open or
recent orders and those set aside last time (:mod:`.delta`); the whole
catalogue on the first run, weekly, on a settings change and on demand, a window
of items at a time (:mod:`.windows`).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime

from passerelle.flows.base import FlowContext, flow
from passerelle.flows.bookmarks import BOOKMARK_OVERLAP, move_bookmark, read_bookmark
from passerelle.flows.catalogue import (
    adopt,
    catalogue_items,
    select_items,
    send_product_fields,
    stock_hash,
    unbound_of,
)
from passerelle.flows.delta import catalogue_settings, complete_read, read_stock_changes
from passerelle.flows.exporting import batch_size
from passerelle.flows.item_needs import NOT_FOR_STOCK, leaving_out
from passerelle.flows.quantities import Quantities, shop_quantities
from passerelle.flows.sellable import ShopOrders, read_shop_orders
from passerelle.flows.unread import park_unread, unread_codes
from passerelle.flows.windows import ItemWindows, chunks, window_size
from passerelle.i18n import N_
from passerelle.model import Item, ProductDraft
from passerelle.profiles.catalogue_options import StockOptions

__all__ = ["FLOW", "KIND", "StockRule"]

FLOW = "update-stock"
KIND = "stock"


@dataclass(frozen=True, slots=True)
class StockRule:
    """Which items have a shop stock, and what update-stock sends for each.

    The stock check (R8) compares the shop with exactly this, and fixes
    through it, so both flows always agree on an item's quantity and hash.
    """

    options: StockOptions
    quantities: dict[str, int]
    #: Codes whose stock line the back-office could not read (a file's malformed
    #: line): their shop stock is left as it is, never sent as 0.
    unreadable: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        ctx: FlowContext,
        orders: ShopOrders | None = None,
        item_ids: Iterable[str] | None = None,
    ) -> StockRule:
        """The rule of this run, with the quantities of ``item_ids`` (all items when None)."""
        quantities = shop_quantities(ctx, item_ids, orders=orders)
        return cls(ctx.profile.catalogue.stock, quantities, unread_codes(ctx, "stock"))

    @property
    def hide(self) -> bool:
        return self.options.out_of_stock == "hide"

    @property
    def fields(self) -> frozenset[str]:
        return frozenset({"manage_stock", "stock_quantity"} | ({"hidden"} if self.hide else set()))

    def items(self, ctx: FlowContext, read: Iterable[Item] | None = None) -> list[Item]:
        """The catalogue's items with a code whose stock the shop shows (of ``read``,
        the items a run read, when given)."""
        return [i for i in catalogue_items(ctx, for_stock=True, items=read).items if self.shows(i)]

    def shows(self, item: Item) -> bool:
        """Whether the shop shows a stock for this item of the catalogue."""
        return (
            bool(item.code)
            and (item.stocked or self.options.default_quantity is not None)
            and item.code not in self.unreadable
        )

    def quantity(self, item: Item) -> int:
        """An item of :meth:`items`'s quantity: its stock, else the default quantity."""
        if item.stocked:
            return self.quantities.get(item.source_id, 0)
        return self.options.default_quantity or 0

    def draft(self, item: Item) -> ProductDraft:
        quantity = self.quantity(item)
        return ProductDraft(
            sku=item.code,
            name=item.name,
            regular_price=item.sale_price,
            manage_stock=True,
            stock_quantity=quantity,
            hidden=self.hide and quantity <= 0,
        )

    def hash(self, draft: ProductDraft) -> str:
        return stock_hash(draft.stock_quantity, draft.hidden if self.hide else None)


# C9, C19
@flow(FLOW, writes_shop=True, summary=N_("stock quantities to the shop"))
def run(ctx: FlowContext) -> None:
    with leaving_out(ctx, NOT_FOR_STOCK):
        _run(ctx)


def _run(ctx: FlowContext) -> None:
    started, last_run = ctx.now, _last_run(ctx)
    orders = read_shop_orders(ctx, since=last_run)
    moved = orders.moved_since(last_run)
    settings = catalogue_settings(ctx.profile)
    read = read_stock_changes(
        ctx,
        FLOW,
        last_run - BOOKMARK_OVERLAP if last_run is not None else None,
        settings,
        # What these orders hold back may have changed, or the shop moved their stock.
        codes={line.reference for o in (*orders.open, *orders.recent) for line in o.lines},
    )
    quantities = Quantities(ctx, orders)
    # A first pass keeps the ids of the items for the shop, then a window at a time.
    with closing(ItemWindows(ctx.backoffice, read.full)) as source:
        options = ctx.profile.catalogue.stock
        no_stock: set[str] = set()  # items for the shop with no stock there

        def keep(item: Item) -> None:
            if not item.code or not (item.stocked or options.default_quantity is not None):
                no_stock.add(item.source_id)

        valid, _rejected = select_items(
            ctx,
            source.scan(read.items),
            for_stock=True,
            keep=keep,
            left_out=lambda _item, _reason: None,
        )
        rule: StockRule | None = None
        adopted: dict[str, str] = {}
        batches = list(chunks((key for key, _code in valid), window_size(batch_size(ctx, KIND))))
        if len(batches) > 1:  # read once for the run, not by every window (see .quantities)
            quantities.read_ahead([key for key, _code in valid if key not in no_stock])
        for ids in batches:
            items = source.fetch(ids)
            levels = quantities([i.source_id for i in items if i.stocked])
            if rule is None:
                # The stock lines the back-office could not read are known once it read them;
                # the products passerelle never bound are looked up by SKU all at once.
                rule = _rule(ctx)
                unread = rule.unreadable
                adopted = adopt(
                    ctx,
                    unbound_of(
                        ctx, ((k, c) for k, c in valid if k not in no_stock and c not in unread)
                    ),
                )
            window = replace(rule, quantities=levels)
            shown = [i for i in items if rule.shows(i)]
            send_product_fields(
                ctx,
                items=shown,
                kind=KIND,
                fields=window.fields,
                draft_of=window.draft,
                hash_of=window.hash,
                what=N_("stock level"),
                force_keys={i.source_id for i in shown if i.code.casefold() in moved},
                look_up=False,
                adopted=adopted,
            )
        if rule is None:  # nothing to send: the stock read all the same, for what it could not read
            quantities([])
            _rule(ctx)
        if not ctx.transient:  # what this run could not send is looked at again next time
            move_bookmark(ctx, FLOW, started)
            complete_read(ctx, FLOW, read, started, settings)


def _rule(ctx: FlowContext) -> StockRule:
    """The run's rule, its quantities apart (read a window at a time), once the stock was
    read: the lines it could not read are parked and left alone."""
    park_unread(ctx, FLOW, "stock")
    return StockRule(ctx.profile.catalogue.stock, {}, unread_codes(ctx, "stock"))


def _last_run(ctx: FlowContext) -> datetime | None:
    return read_bookmark(ctx, FLOW)
