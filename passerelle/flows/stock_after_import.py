"""X3, O1: "update stock after import" — the stock of the items an import just sold, sent at once.

Why: between an import and the next ``update-stock`` run (every 15 minutes by
default) the shop offers what its own counting says, which differs from the
back-office's once the order is there (the order's units now owe the
back-office, a substitute item moved, a warehouse's stock was counted). With
``orders.update_stock_after_import`` the import sends, right after it has
written sales, the stock of the items on their lines, by the rules of
``update-stock`` (:class:`~passerelle.flows.update_stock.StockRule`: the
profile's warehouses and kind of quantity, units of open orders held back,
the default quantity of items not stocked), in its batches and bound as it
binds. No other item is written to the shop.

The stock is the shop's side of the run, not the import's: its lines go to
the import's journal under ``update-stock``'s name, where a record that could
not be sent is set aside (an order key never meets an item key), and its
counts and passing failures stay out of the import's outcome. Whatever
happens to the stock, the orders stay imported, once, and the import's
outcome is the orders'. A stock level not sent loses its stock binding, so
the next ``update-stock`` sends it whatever it compares.

Not sent: in test mode (only shop → back-office flows write then, R4), in a
preview, and for orders read from a file (the shop is not the one written to).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from functools import partial

from passerelle.connectors.errors import ConnectorError
from passerelle.flows.base import FlowContext
from passerelle.flows.catalogue import send_product_fields
from passerelle.flows.import_orders import AFTER_WRITING
from passerelle.flows.options import FlowOptions
from passerelle.flows.quantities import shop_quantities
from passerelle.flows.sellable import read_shop_orders
from passerelle.flows.unread import unread_codes
from passerelle.flows.update_stock import FLOW as STOCK_FLOW
from passerelle.flows.update_stock import KIND, StockRule
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Mn_, said
from passerelle.journal import Journal
from passerelle.model import Item

__all__ = ["send_stock_after_import"]


def send_stock_after_import(ctx: FlowContext, codes: frozenset[str]) -> None:
    """After an import wrote sales with these item codes: their stock, to the shop, now."""
    if not ctx.profile.orders.update_stock_after_import or ctx.preview is not None:
        return
    if ctx.options.orders_file is not None:
        ctx.journal.info(
            M_("orders read from a file: the stock of their items goes with the next update-stock")
        )
        return
    if ctx.profile.mode == "test":
        ctx.journal.info(
            M_(
                "stock of the ordered items not sent: the profile is in test mode, where "
                "nothing is written to the shop"
            )
        )
        return
    ctx.journal.flush()  # the stock lines come after the orders' in the run's journal
    journal = Journal(
        run_id=ctx.journal.run_id,
        flow=STOCK_FLOW,
        sink=ctx.journal.sink,
        log_path=ctx.journal.log_path,
        console=ctx.journal.console,
    )
    # A context of its own: its journal parks under update-stock, its passing
    # failures do not make the worker run the import again.
    stock = replace(ctx, journal=journal, transient=[], options=FlowOptions())
    try:
        _send(stock, codes)
    finally:
        journal.close()


def _send(ctx: FlowContext, codes: Collection[str]) -> None:
    wanted = {code.casefold() for code in codes}
    options = ctx.profile.catalogue.stock
    items: list[Item] = []
    try:
        items = [i for i in StockRule(options, {}).items(ctx) if i.code.casefold() in wanted]
        if not items:
            return
        ctx.journal.info(
            Mn_(
                "stock of the %(num)s item just ordered, sent now",
                "stock of the %(num)s items just ordered, sent now",
                len(items),
            )
        )
        stocked = [i.source_id for i in items if i.stocked]
        orders = read_shop_orders(ctx)
        quantities = shop_quantities(ctx, stocked, orders) if stocked else {}
        rule = StockRule(options, quantities, unread_codes(ctx, "stock"))
        items = [i for i in items if i.code not in rule.unreadable]
        # The shop moved these itself when the orders were placed: whatever was last
        # sent, what it shows now is its own count, so each is sent (forced).
        keys = {i.source_id for i in items}
        send = partial(send_product_fields, ctx, kind=KIND, what=N_("stock level"))
        send(
            items=items, fields=rule.fields, draft_of=rule.draft, hash_of=rule.hash, force_keys=keys
        )
    except ConnectorError as exc:
        message = M_(
            "the stock of the ordered items could not be sent (%(error)s); the next "
            "update-stock sends it",
            error=said(exc),
        )
        ctx.journal.error(message)
        for item in items:
            ctx.store.park(ctx.name, STOCK_FLOW, item.source_id, message, "retry")
        ctx.store.unbind(ctx.name, KIND, [i.source_id for i in items])
        return
    _forget_unsent(ctx, rule, items)


def _forget_unsent(ctx: FlowContext, rule: StockRule, items: list[Item]) -> None:
    """Drop the stock binding of each item whose stock did not land (its batch failed,
    the shop refused it), so the next update-stock sends it even where it would find
    nothing changed since it last sent it."""
    bound = ctx.store.bindings(ctx.name, KIND)
    unsent = [
        i.source_id
        for i in items
        if i.source_id in bound and bound[i.source_id].content_hash != rule.hash(rule.draft(i))
    ]
    if unsent:
        ctx.store.unbind(ctx.name, KIND, unsent)


AFTER_WRITING.append(send_stock_after_import)
