"""X2: the shop's stock counted into the back-office, once, at go-live.

A merchant who kept their stock in the shop starts using the back-office: its
quantities are wrong (or empty) and the shop's are the true ones. This flow
reads every product's stock from the shop (one catalogue read,
``Shop.iter_products``, as the stock check reads it) and writes it into the
back-office as a stock count of one warehouse
(``BackOffice.write_inventory``: Tryton confirms a ``stock.inventory``).

What is written is the quantity on hand that makes ``update-stock`` send back
exactly what the shop shows (its rule, :mod:`.sellable`): the shop's figure
plus the units of the orders it has already taken out of it and the
back-office does not count yet (open orders, paid and not shipped: the goods
are still on the shelf), less those a shop subtracting its open orders itself
(Magento) has not subtracted. So once the count is written, the stock check
finds no difference, and an order imported and shipped later lowers the
stock on hand by its units, once. The shop's figure is summed over the
warehouses the profile counts (``catalogue.stock.warehouses``); the count goes
into one of them, which is told (``--warehouse``), or the only one the
profile or the back-office has: with several and none named, the flow refuses.

Nothing is created: a SKU no back-office item carries is listed, as is an
item with no stock of its own (a service, a kit). With ``dry_run`` every
difference is journaled and nothing is written. A second run finds nothing to
change. It writes to the back-office only, so it runs in test mode too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from passerelle.flows.base import FlowContext, flow
from passerelle.flows.sellable import HeldBack, held_back
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Message
from passerelle.model import Item, ShopProduct, StockKind

__all__ = ["FLOW", "Count", "warehouse_refusal"]

FLOW = "import-shop-stock"


@dataclass(frozen=True, slots=True)
class Count:
    """One item whose stock on hand the shop's figure changes."""

    item: Item
    shop: int
    before: Decimal  # on hand, summed over the warehouses the shop's stock is counted from
    after: Decimal
    warehouse_after: Decimal  # what the counted warehouse holds once written


def warehouse_refusal(profile_warehouses: list[str], given: str | None) -> Message | None:
    """Why the count cannot say which warehouse it goes into, before the back-office is
    read: the profile counts several and none is named."""
    if given is None and len(profile_warehouses) > 1:
        return M_(
            "the shop's stock is counted from several warehouses (%(warehouses)s): say which "
            "one its figures go into with --warehouse",
            warehouses=", ".join(profile_warehouses),
        )
    return None


# X2
@flow(
    FLOW,
    writes_shop=False,
    summary=N_("the shop's stock counted into the back-office, once, at go-live"),
)
def run(ctx: FlowContext) -> None:
    options = ctx.profile.catalogue.stock
    levels = ctx.backoffice.stock_levels(None, None, StockKind.ON_HAND)
    known = sorted({level.warehouse for level in levels})
    counted_from = options.warehouses or known
    warehouse = _warehouse(ctx, counted_from, known)
    if warehouse is None:
        return
    totals: dict[str, Decimal] = defaultdict(Decimal)
    there: dict[str, Decimal] = defaultdict(Decimal)
    for level in levels:
        if level.warehouse in counted_from:
            totals[level.item_id] += level.quantity
        if level.warehouse == warehouse:
            there[level.item_id] += level.quantity
    by_code = {i.code.casefold(): i for i in ctx.backoffice.list_items() if i.code}
    held = held_back(ctx)
    adds_back = held is not None and ctx.shop.holds_reservations
    counts: list[Count] = []
    equal = 0
    for sku, shop in sorted(_shop_figures(ctx).items()):
        item = by_code.get(sku.casefold())
        if item is None:
            ctx.journal.record(
                "skipped", sku, M_("not in the back-office: no item carries this code")
            )
            continue
        if not item.stocked:
            ctx.journal.record(
                "skipped", item.code, M_("has no stock of its own in the back-office")
            )
            continue
        after = Decimal(shop) + _owed(held, item.code, adds_back)
        before = totals.get(item.source_id, Decimal(0))
        if after == before:
            equal += 1
            continue
        in_warehouse = there.get(item.source_id, Decimal(0)) + after - before
        if in_warehouse < 0:
            ctx.journal.record(
                "failed",
                item.code,
                M_(
                    "shop %(shop)s needs %(after)s on hand, but the other warehouses already "
                    "hold more: not counted",
                    shop=shop,
                    after=after,
                ),
            )
            continue
        counts.append(Count(item, shop, before, after, in_warehouse))
    ctx.journal.count("unchanged", equal)
    _write(ctx, warehouse, counts)


def _warehouse(ctx: FlowContext, counted_from: list[str], known: list[str]) -> str | None:
    """The warehouse counted into; None, with the reason journaled, when it cannot be told."""
    given = ctx.options.warehouse
    refused = warehouse_refusal(ctx.profile.catalogue.stock.warehouses, given)
    if refused is None and given is None and len(counted_from) != 1:
        refused = M_(
            "the back-office has several warehouses (%(warehouses)s) and the profile does "
            "not say which one the shop's stock goes into: name it with --warehouse, or "
            "set catalogue.stock.warehouses",
            warehouses=", ".join(counted_from),
        )
    chosen = given or (counted_from[0] if len(counted_from) == 1 else None)
    if refused is None and chosen is not None and chosen not in counted_from:
        refused = M_(
            "warehouse %(warehouse)s is not one the shop's stock is counted from (%(counted)s)",
            warehouse=chosen,
            counted=", ".join(counted_from) or "-",
        )
    if refused is not None:
        ctx.journal.record("failed", M_("warehouse"), refused)
        return None
    return chosen


def _shop_figures(ctx: FlowContext) -> dict[str, int]:
    """The stock the shop shows per SKU, for the products whose stock it manages; a SKU on
    several products with different figures cannot be told apart and is listed."""
    seen: dict[str, dict[str, ShopProduct]] = defaultdict(dict)
    for product in ctx.shop.iter_products():
        if product.sku and product.stock_quantity is not None:
            seen[product.sku][product.shop_id] = product
    figures: dict[str, int] = {}
    for sku, products in seen.items():
        quantities = {p.stock_quantity for p in products.values() if p.stock_quantity is not None}
        if len(quantities) > 1:
            ctx.journal.record(
                "skipped",
                sku,
                M_(
                    "on %(count)s shop products with different stock (%(ids)s): not counted",
                    count=len(products),
                    ids=", ".join(sorted(products)),
                ),
            )
            continue
        figures[sku] = quantities.pop()
    return figures


def _owed(held: HeldBack | None, code: str, adds_back: bool) -> Decimal:
    """Units the shop took out of its figure that are still on the shelf (see the module)."""
    if held is None:
        return Decimal(0)
    owed = held.units(code, StockKind.ON_HAND)
    if adds_back:
        owed -= held.in_shop_orders.get(code.casefold(), Decimal(0))
    return owed


def _write(ctx: FlowContext, warehouse: str, counts: list[Count]) -> None:
    for count in counts:
        ctx.journal.warning(
            M_(
                "shop %(shop)s, back-office %(before)s on hand → %(after)s "
                "(%(warehouse)s: %(warehouse_after)s)",
                shop=count.shop,
                before=count.before,
                after=count.after,
                warehouse=warehouse,
                warehouse_after=count.warehouse_after,
            ),
            record=count.item.code,
        )
    if ctx.options.dry_run:
        ctx.journal.info(
            M_("dry run: %(count)s item(s) would be counted, nothing written", count=len(counts))
        )
        return
    if not counts:
        ctx.journal.info(M_("the back-office already holds the shop's stock: nothing written"))
        return
    number = ctx.backoffice.write_inventory(
        warehouse, {c.item.source_id: c.warehouse_after for c in counts}
    )
    for count in counts:
        ctx.journal.record(
            "updated",
            count.item.code,
            M_(
                "on hand %(before)s → %(after)s (count %(number)s in %(warehouse)s)",
                before=count.before,
                after=count.after,
                number=number,
                warehouse=warehouse,
            ),
        )
