"""O1, O2, O22: shop orders → back-office sales, each exactly once.

Exactly once, whatever crashes: an order is skipped when bound; before
creating a sale the back-office is asked for a sale carrying the order's key
(a sale committed by a run killed before it could bind is found and bound,
not created again); the sale is written whole in one back-office transaction
and bound right after. The bookmark (last modification date seen) moves only
at the end of a run, and the next run reads from a little before it, so
nothing falls between two runs; bindings drop what was already imported.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from passerelle.connectors.errors import ConnectorError, FatalError, RetriableError
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.order_mapping import OrderProblem, build_sale, customer_for
from passerelle.model import Order, OrderStatus
from passerelle.profiles.schema import OrderOptions

__all__ = ["FLOW", "KIND", "order_key"]

FLOW = "import-orders"
KIND = "order"
BOOKMARK_OVERLAP = timedelta(minutes=10)


def order_key(ctx: FlowContext, order_id: str) -> str:
    """The key stored with the back-office sale: stable across profile renames."""
    return f"{ctx.shop.identity}#{order_id}"


def _fetch(ctx: FlowContext) -> list[Order | ConnectorError]:
    options = ctx.profile.orders
    created_after = ctx.options.get("from") or ctx.now - timedelta(days=options.period_days)
    created_before = ctx.options.get("to")
    include_transferred = ctx.options.get("include_transferred", options.include_transferred)
    bookmark = None if include_transferred else ctx.store.get_bookmark(ctx.name, FLOW)
    modified_after = (
        datetime.fromisoformat(bookmark.value) - BOOKMARK_OVERLAP if bookmark else None
    )
    fetched: list[Order | ConnectorError] = list(
        ctx.shop.iter_orders(
            created_after=created_after,
            created_before=created_before,
            modified_after=modified_after,
        )
    )
    # Orders parked by an earlier run are read again even if the shop did not
    # touch them: the merchant may have fixed the mapping since.
    seen = {o.source_id for o in fetched if isinstance(o, Order)}
    for parked in ctx.store.parked(ctx.name, FLOW):
        if parked.record_key in seen:
            continue
        try:
            fetched.append(ctx.shop.get_order(parked.record_key))
        except FatalError:
            raise
        except ConnectorError as exc:
            fetched.append(exc)
    return fetched


@flow(FLOW, writes_shop=False, summary="O1/O2: shop orders to back-office sales")
def run(ctx: FlowContext) -> None:
    options = ctx.profile.orders
    journal = ctx.journal
    orders = _fetch(ctx)
    tax_ids = {tax.name: tax.source_id for tax in ctx.backoffice.list_taxes()}
    item_codes = ctx.backoffice.item_codes()
    _check_special_entries(options, item_codes, tax_ids)
    bindings = ctx.store.bindings(ctx.name, KIND)
    total = len(orders)
    newest_seen: datetime | None = None
    retry_later = False
    with journal.progress(total, "importing orders"):
        for position, order in enumerate(orders, 1):
            journal.advance()
            if isinstance(order, ConnectorError):
                journal.record("failed", "order", f"could not be read: {order}",
                               position=position, total=total)
                retry_later = True
                continue
            label = f"order {order.number}"
            if order.modified_at and (newest_seen is None or order.modified_at > newest_seen):
                newest_seen = order.modified_at
            if order.source_id in bindings:
                journal.count("unchanged")
                continue
            try:
                outcome = _import_one(ctx, order, tax_ids, item_codes)
            except OrderProblem as problem:
                # "info" needs nothing from anyone (a cancelled order): journal only.
                if problem.severity != "info":
                    ctx.store.park(ctx.name, FLOW, order.source_id, problem.message,
                                   problem.severity)
                outcome_name = "skipped" if problem.severity == "info" else "parked"
                journal.record(outcome_name, label, _without_label(problem.message, label),
                               position=position, total=total)
                continue
            except FatalError:
                raise
            except RetriableError as exc:
                ctx.store.park(ctx.name, FLOW, order.source_id, f"{label}: {exc}", "retry")
                journal.record("parked", label, f"will be retried: {exc}",
                               position=position, total=total)
                retry_later = True
                continue
            except ConnectorError as exc:
                ctx.store.park(ctx.name, FLOW, order.source_id, f"{label}: {exc}", "error")
                journal.record("failed", label, str(exc), position=position, total=total)
                continue
            ctx.store.resolve(ctx.name, FLOW, order.source_id)
            journal.record(outcome[0], label, outcome[1], position=position, total=total)
    if newest_seen is not None and not retry_later:
        ctx.store.set_bookmark(ctx.name, FLOW, newest_seen.isoformat())


def _without_label(message: str, label: str) -> str:
    """The message without its leading "order N" when the journal line already shows it."""
    for separator in (": ", ", ", " "):
        if message.startswith(label + separator):
            return message[len(label) + len(separator):]
    return message


def _check_special_entries(
    options: OrderOptions, item_codes: set[str], tax_ids: dict[str, str]
) -> None:
    """O14: the import refuses to start while a special item or a mapped tax is missing."""
    problems = []
    for field, code in (("shipping_item", options.shipping_item),
                        ("misc_item", options.misc_item)):
        if code and code not in item_codes:
            problems.append(f"orders.{field} {code!r} is not an active, salable back-office item")
    for name in sorted({t.tax for t in options.taxes} | {options.default_tax or ""} - {""}):
        if name not in tax_ids:
            problems.append(f"orders.taxes names {name!r}, which is not a back-office tax")
    if problems:
        raise FatalError("import refused: " + "; ".join(problems)
                         + ". Create the item or tax, or change the profile.")


def _import_one(
    ctx: FlowContext, order: Order, tax_ids: dict[str, str], item_codes: set[str]
) -> tuple[str, str]:
    """Import one order; return (outcome, journal message) or raise why not."""
    options = ctx.profile.orders
    document_type = options.statuses.get(order.shop_status)
    if document_type is None:
        if order.shop_status in options.awaiting_payment_statuses:
            raise OrderProblem(
                f"order {order.number} is {order.shop_status!r} (awaiting payment): "
                "imported once it is paid", "retry")
        if order.status in (OrderStatus.CANCELLED, OrderStatus.FAILED, OrderStatus.REFUNDED):
            raise OrderProblem(
                f"order {order.number} is {order.shop_status!r} in the shop: not imported",
                "info")
        raise OrderProblem(
            f"order {order.number} has status {order.shop_status!r}, which orders.statuses "
            "does not import", "info")
    key = order_key(ctx, order.source_id)
    sale = build_sale(order, options, document_type=document_type, item_codes=item_codes,
                      tax_ids=tax_ids, external_key=key)
    existing = ctx.backoffice.find_sale(key)
    if existing is not None:
        ctx.store.bind(ctx.name, KIND, order.source_id, existing.source_id, None,
                       remote_number=existing.number)
        return "unchanged", (
            f"already in the back-office as {existing.number} (found by its key): bound"
        )
    customer = customer_for(options, order)
    if ctx.backoffice.find_customer(code=customer.code) is None:
        ctx.backoffice.upsert_customer(customer)
    result = ctx.backoffice.create_sale(sale)
    ctx.store.bind(ctx.name, KIND, order.source_id, result.source_id, None,
                   remote_number=result.number)
    payments = f", payment {result.payments_total}" if sale.payments else ""
    return "created", (
        f"sale {result.number} on {sale.party_code}, total {result.total_amount} "
        f"{order.currency}{payments}"
    )
