"""What the back-office can still sell: its stock less the orders it does not count yet.

A shop lowers (or reserves) its stock the moment an order is paid or put on
hold; the back-office counts the order only once it is imported, confirmed,
and finally shipped. Sending the back-office's figure in between would offer
again units already sold, and ``stock check --fix`` would do it nightly: a
known cause of overselling. So every quantity passerelle sends to a shop is

    the profile's stock kind − the demand that kind does not count yet

where the demand comes from both sides:

- **shop orders not imported** (open orders the shop holds stock for, the
  orders the next import will read and those it set aside, when the shop
  counts them as sold — paid, on hold, or completed): all their units;
- **imported sales not confirmed yet** (quotations, drafts: no stock move
  yet): all their units, whatever the kind;
- **imported sales confirmed, goods not shipped** (outgoing moves not done):
  the quantity on hand does not count them, so they are subtracted from it;
  the available and forecast quantities already subtract them, and "on hand
  plus orders" is the merchant's choice to offer what is already promised.

A shop that subtracts its open orders itself from what passerelle writes
(``Shop.holds_reservations``: Magento's salable quantity is the source
quantity less its reservations) is sent the sellable quantity plus what its
open orders hold, so it offers exactly the sellable quantity.

The rule is the profile's default (``catalogue.stock.hold_back_orders``);
update-stock, the product export and the stock check all send or compare
what it gives, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from passerelle.connectors.errors import ConnectorError, FatalError, NotFoundError
from passerelle.flows.base import FlowContext
from passerelle.flows.import_orders import FLOW as IMPORT_FLOW
from passerelle.flows.import_orders import KIND as ORDER_KIND
from passerelle.flows.import_orders import SOURCE_SEPARATOR, next_orders
from passerelle.flows.shop_identity import profile_identity
from passerelle.i18n.messages import M_, said
from passerelle.model import OpenDemand, Order, OrderStatus, StockKind

__all__ = ["OVERLAP", "HeldBack", "ShopOrders", "held_back", "read_held_back", "read_shop_orders"]

# What a parked order's shop status must be for the shop to count it as sold.
_SOLD = frozenset({OrderStatus.PROCESSING, OrderStatus.ON_HOLD, OrderStatus.COMPLETED})
# What a shop gives stock back for.
_GIVEN_BACK = frozenset({OrderStatus.CANCELLED, OrderStatus.REFUNDED})
# How far before the last run orders are read again: clocks and a shop's own
# modification dates disagree by seconds to minutes.
OVERLAP = timedelta(minutes=10)
# Kinds that already subtract confirmed sales' goods not shipped yet.
_COUNTS_OPEN_MOVES = frozenset(
    {
        StockKind.AVAILABLE,
        StockKind.FORECAST,
        StockKind.FORECAST_WITHOUT_SUPPLIERS,
        StockKind.ON_HAND_PLUS_ORDERS,
    }
)


@dataclass(slots=True)
class HeldBack:
    """Units per item code (case-folded) that the shop must not offer, and why."""

    not_imported: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    ordered: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    to_ship: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    # Units the shop's open orders hold, imported or not: what a shop holding
    # reservations subtracts itself from the quantity written.
    in_shop_orders: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def units(self, code: str, kind: StockKind) -> Decimal:
        """What ``kind``'s quantity of item ``code`` still has to lose."""
        key = code.casefold()
        units = self.not_imported.get(key, Decimal(0)) + self.ordered.get(key, Decimal(0))
        if kind not in _COUNTS_OPEN_MOVES:
            units += self.to_ship.get(key, Decimal(0))
        return units


@dataclass(frozen=True, slots=True)
class ShopOrders:
    """One read of the shop's orders for a stock run, shared by what it holds back and
    what it sends again: the open ones, and those created or changed recently (since
    the earlier of the last stock run and the next import's window)."""

    open: tuple[Order, ...]
    recent: tuple[Order, ...]

    def moved_since(self, since: datetime | None) -> set[str]:
        """Item codes (case-folded) whose stock the shop moved itself since ``since``:
        the lines of the orders placed since then, and of those cancelled or refunded
        since then (stock given back). A document number written back on an order
        changes it without moving any stock, so a mere change does not count. None
        without a ``since``: on a first stock run, the figures were sent by the
        product export with these orders already counted."""
        if since is None:
            return set()
        start = since - OVERLAP
        return {
            line.reference.casefold()
            for order in self.recent
            if _moved_stock_since(order, start)
            for line in order.lines
            if line.reference
        }


def _moved_stock_since(order: Order, start: datetime) -> bool:
    if _utc(order.created_at) >= start:
        return True
    return order.status in _GIVEN_BACK and (
        order.modified_at is None or _utc(order.modified_at) >= start
    )


def _utc(moment: datetime) -> datetime:
    """A shop's date as an aware one (a date without zone is the shop's UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def read_shop_orders(ctx: FlowContext, *, since: datetime | None = None) -> ShopOrders:
    """The shop's open orders, and the orders the next import will read widened back to
    ``since`` (the last stock run): two paged reads."""
    also = since - OVERLAP if since is not None else None
    return ShopOrders(
        tuple(_readable(ctx, ctx.shop.iter_open_orders())),
        tuple(_readable(ctx, next_orders(ctx, also_since=also))),
    )


def held_back(ctx: FlowContext, orders: ShopOrders | None = None) -> HeldBack | None:
    """The demand to hold back for this profile, or None when the profile offers the
    back-office's figure as it is (``hold_back_orders = false``)."""
    if not ctx.profile.catalogue.stock.hold_back_orders:
        return None
    return read_held_back(ctx, orders or read_shop_orders(ctx))


def read_held_back(ctx: FlowContext, orders: ShopOrders) -> HeldBack:
    """Both sides' demand: the shop's orders the back-office does not have yet (open
    ones, recent ones sold, those the import set aside), and the back-office's open
    sales of this shop."""
    result = HeldBack()
    imported = ctx.store.bindings(ctx.name, ORDER_KIND)
    seen: set[str] = set()
    for order in orders.open:
        seen.add(order.source_id)
        _add_lines(result.in_shop_orders, order)
        if order.source_id not in imported:
            _add_lines(result.not_imported, order)
    # Sold and already shipped from the shop (completed) before passerelle imported
    # them: no longer open, but the back-office still has their units.
    for order in [*orders.recent, *_parked_orders(ctx, imported, seen)]:
        if (
            order.source_id not in seen
            and order.source_id not in imported
            and order.status in _SOLD
        ):
            seen.add(order.source_id)
            _add_lines(result.not_imported, order)
    warehouses = ctx.profile.catalogue.stock.warehouses or None
    prefix = f"{profile_identity(ctx)}#"
    for demand in ctx.backoffice.open_sales_demand(prefix, warehouses):
        _add_demand(result, demand)
    return result


def _readable(ctx: FlowContext, orders: Iterable[Order | ConnectorError]) -> Iterable[Order]:
    """The orders that could be read; each unreadable one is a warning naming it, since
    its units cannot be held back (the next run tries again)."""
    for order in orders:
        if isinstance(order, ConnectorError):
            label = (
                M_("order %(number)s", number=order.record_id)
                if order.record_id
                else M_("an open order")
            )
            ctx.journal.warning(
                M_(
                    "%(order)s could not be read, so its units are not held back from the "
                    "stock sent: %(error)s",
                    order=label,
                    error=said(order),
                )
            )
            continue
        yield order


def _parked_orders(
    ctx: FlowContext, imported: Mapping[str, object], seen: set[str]
) -> Iterable[Order]:
    """Orders the import set aside and the open-order read did not list: the shop may
    count them as sold (shipped from the shop before passerelle could import them)."""
    for parked in ctx.store.parked(ctx.name, IMPORT_FLOW):
        order_id = parked.record_key
        if order_id in seen or order_id in imported or not _is_order_id(order_id):
            continue
        try:
            order = ctx.shop.get_order(order_id)
        except FatalError:
            raise
        except NotFoundError:
            continue
        except ConnectorError as exc:
            exc.record_id = exc.record_id or order_id
            yield from _readable(ctx, [exc])
            continue
        yield order


def _is_order_id(record_key: str) -> bool:
    """A shop order's own id, not a refund (``order:refund``) nor an order read from a
    file (``source#id``), which the import sets aside under the same flow."""
    return ":" not in record_key and SOURCE_SEPARATOR not in record_key


def _add_lines(totals: dict[str, Decimal], order: Order) -> None:
    for line in order.lines:
        if line.reference and line.quantity > 0:
            totals[line.reference.casefold()] += line.quantity


def _add_demand(result: HeldBack, demand: OpenDemand) -> None:
    key = demand.item_code.casefold()
    result.ordered[key] += demand.ordered
    result.to_ship[key] += demand.to_ship
