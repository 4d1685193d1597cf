"""O20: the back-office document number (and a status) written back on each shop order.

Its own flow, so a shop that is down when orders are imported does not stop
the import: what was not written back is written by the next run. A binding
of kind "order-status" records what was written, so nothing is sent twice.
"""

from __future__ import annotations

from passerelle.connectors.errors import ConnectorError, FatalError, RetriableError
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.import_orders import KIND as ORDER_KIND
from passerelle.flows.order_mapping.problems import located, order_label
from passerelle.flows.shop_identity import SOURCE_SEPARATOR
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, said
from passerelle.store import content_hash

__all__ = ["FLOW"]

FLOW = "update-order-status"
KIND = "order-status"


# O20
@flow(FLOW, writes_shop=True, summary=N_("sale numbers and status back to the shop"))
def run(ctx: FlowContext) -> None:
    status = ctx.profile.orders.status_after_import
    imported = ctx.store.bindings(ctx.name, ORDER_KIND)
    written = ctx.store.bindings(ctx.name, KIND)
    todo = []
    for order_id, binding in sorted(imported.items()):
        if SOURCE_SEPARATOR in order_id:
            continue  # read from an orders file (O19): nothing to write back to
        number = binding.remote_number or binding.remote_id
        digest = content_hash({"number": number, "status": status})
        previous = written.get(order_id)
        if previous is not None and previous.content_hash == digest:
            ctx.journal.count("unchanged")
            continue
        todo.append((order_id, number, digest))
    total = len(todo)
    for position, (order_id, number, digest) in enumerate(todo, 1):
        label = order_label(order_id)
        try:
            ctx.shop.write_order_result(order_id, document_number=number, status=status)
        except FatalError:
            raise
        except RetriableError as exc:
            ctx.transient_failure(exc)
            ctx.store.park(
                ctx.name, FLOW, order_id, located(order_label(order_id), said(exc)), "retry"
            )
            ctx.journal.record(
                "parked",
                label,
                M_("will be retried: %(error)s", error=said(exc)),
                position=position,
                total=total,
            )
            continue
        except ConnectorError as exc:  # refused, or gone from the shop: a person decides
            ctx.store.park(
                ctx.name, FLOW, order_id, located(order_label(order_id), said(exc)), "error"
            )
            ctx.journal.record("failed", label, said(exc), position=position, total=total)
            continue
        ctx.store.bind(ctx.name, KIND, order_id, order_id, digest)
        ctx.store.resolve(ctx.name, FLOW, order_id)
        what = (
            M_("number %(number)s written, status %(status)s", number=number, status=repr(status))
            if status
            else M_("number %(number)s written", number=number)
        )
        ctx.journal.record("updated", label, what, position=position, total=total)
