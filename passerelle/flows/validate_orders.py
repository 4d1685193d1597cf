"""O21: the staging grid's validation: staged documents become back-office documents.

With ``orders.auto_validate = false`` the import only maps orders and puts
each in the grid with its documents as they will be written; a person
looks, rejects what must not go in, and validates the rest. Validation
writes exactly what was staged (customer, documents, payments) and binds the
orders, the same way the import does when it writes directly.
"""

from __future__ import annotations

from passerelle.connectors.errors import ConnectorError, FatalError
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.import_orders import FLOW as IMPORT_FLOW
from passerelle.flows.order_documents import decode_plan, write_plan
from passerelle.flows.order_mapping.problems import order_label
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, said

__all__ = ["FLOW"]

FLOW = "validate-orders"


# O21
@flow(FLOW, writes_shop=False, summary=N_("staged orders to back-office documents"))
def run(ctx: FlowContext) -> None:
    wanted = ctx.options.ids  # None = every staged order
    rows = ctx.store.staged(ctx.name, IMPORT_FLOW, order_ids=wanted)
    if wanted:
        found = {row.order_id for row in rows}
        for order_id in wanted:
            if order_id not in found:
                ctx.journal.record(
                    "skipped",
                    order_label(order_id),
                    M_("not in the staging grid (already validated, rejected or never staged)"),
                )
    total = len(rows)
    with ctx.journal.progress(total, M_("validating staged orders")):
        for position, row in enumerate(rows, 1):
            ctx.journal.advance()
            label = order_label(row.order_number or row.order_id)
            plan = decode_plan(row.document_json, row.customer_json)
            summary = row.translatable_summary or row.summary
            try:
                results = write_plan(ctx, plan)
            except FatalError:
                raise
            except ConnectorError as exc:
                # The order stays in the grid, with why it could not be written.
                ctx.store.stage(
                    ctx.name,
                    IMPORT_FLOW,
                    row.order_id,
                    order_number=row.order_number,
                    document_json=row.document_json,
                    customer_json=row.customer_json,
                    summary=summary,
                    reason=said(exc),
                )
                ctx.journal.record("failed", label, said(exc), position=position, total=total)
                continue
            numbers = ", ".join(r.number for r in results)
            ctx.store.mark_validated(
                ctx.name,
                IMPORT_FLOW,
                row.order_id,
                remote_id=results[0].source_id,
                remote_number=numbers,
            )
            ctx.journal.record(
                "created",
                label,
                M_("validated as %(numbers)s (%(summary)s)", numbers=numbers, summary=summary),
                position=position,
                total=total,
            )
