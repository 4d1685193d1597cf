"""O20: shipments done in the back-office → the shop order is shipped, with its tracking.

The buyer learns the carrier and tracking number from the shop (notified or
not, as the profile says). Each shipment is told once: its binding carries
the shipment number.
"""

from __future__ import annotations

from datetime import datetime

from passerelle.connectors.errors import ConnectorError, FatalError
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.bookmarks import move_bookmark, read_bookmark
from passerelle.flows.order_documents import KIND as ORDER_KIND
from passerelle.flows.order_mapping.problems import located, order_label
from passerelle.flows.shop_identity import profile_identity
from passerelle.flows.unread import park_unread
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, said

__all__ = ["FLOW", "KIND"]

FLOW = "confirm-shipments"
KIND = "shipment"


# O20
@flow(FLOW, writes_shop=True, summary=N_("back-office shipments to the shop, with tracking"))
def run(ctx: FlowContext) -> None:
    options = ctx.profile.orders.shipments
    since = read_bookmark(ctx, FLOW)
    shipments = ctx.backoffice.shipped_sales(since)
    park_unread(ctx, FLOW, "shipment")
    imported = set(ctx.store.bindings(ctx.name, ORDER_KIND))
    prefix = f"{profile_identity(ctx)}#"
    told = ctx.store.bindings(ctx.name, KIND)
    parked = {p.record_key for p in ctx.store.parked(ctx.name, FLOW)}
    total = len(shipments)
    newest = since
    # The bookmark must not pass a shipment the shop could not be told about:
    # the next run finds shipments by date from the bookmark on, so one left
    # behind it (done on an earlier day than a later one) would never be told.
    held: datetime | None = None
    hold_all = False
    with ctx.journal.progress(total, M_("confirming shipments")):
        for position, shipment in enumerate(shipments, 1):
            ctx.journal.advance()
            if shipment.shipped_at and (newest is None or shipment.shipped_at > newest):
                newest = shipment.shipped_at
            if shipment.shipment_number in told or not shipment.sale_key.startswith(prefix):
                ctx.journal.count("unchanged")
                continue
            # The key is "<shop>#<order id>" with an optional "~generation" and "/part".
            order_id = shipment.sale_key[len(prefix) :].split("/")[0].split("~")[0]
            if order_id not in imported:
                ctx.journal.count("skipped")  # not (or no longer) an imported order
                continue
            label = order_label(order_id)
            carrier = options.carriers.get(shipment.carrier, shipment.carrier)
            try:
                ctx.shop.write_shipment(
                    order_id,
                    carrier=carrier,
                    tracking_number=shipment.tracking_number,
                    shipped_at=shipment.shipped_at,
                    notify_customer=options.notify_customer,
                    status=options.status,
                )
            except FatalError:
                raise
            except ConnectorError as exc:
                reason = located(order_label(order_id), said(exc))
                ctx.store.park(ctx.name, FLOW, shipment.shipment_number, reason, "retry")
                ctx.journal.record("failed", label, said(exc), position=position, total=total)
                if shipment.shipped_at is None:
                    hold_all = True
                elif held is None or shipment.shipped_at < held:
                    held = shipment.shipped_at
                continue
            ctx.store.bind(
                ctx.name,
                KIND,
                shipment.shipment_number,
                order_id,
                None,
                remote_number=shipment.tracking_number or None,
            )
            if shipment.shipment_number in parked:
                ctx.store.resolve(ctx.name, FLOW, shipment.shipment_number)
            shipped = M_(
                "shipped (%(shipment)s) by %(carrier)s",
                shipment=shipment.shipment_number,
                carrier=carrier or M_("carrier"),
            )
            if shipment.tracking_number:
                shipped = M_(
                    "%(shipped)s, tracking %(tracking)s",
                    shipped=shipped,
                    tracking=shipment.tracking_number,
                )
            ctx.journal.record(
                "updated",
                label,
                shipped,
                position=position,
                total=total,
            )
    if held is not None:
        newest = held
    if newest is not None and not hold_all:
        move_bookmark(ctx, FLOW, newest)
