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

from passerelle.connectors.errors import (
    ConnectorError,
    FatalError,
    NotFoundError,
    RetriableError,
)
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


def _fetch(ctx: FlowContext, parked: set[str]) -> list[Order | ConnectorError]:
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
    # touch them: the merchant may have fixed the mapping, or the order been paid.
    seen = {o.source_id for o in fetched if isinstance(o, Order)}
    for order_id in sorted(parked - seen):
        try:
            fetched.append(ctx.shop.get_order(order_id))
        except FatalError:
            raise
        except NotFoundError:
            ctx.store.resolve(ctx.name, FLOW, order_id)
            ctx.journal.record("skipped", f"order {order_id}",
                               "no longer exists in the shop: no longer set aside")
        except ConnectorError as exc:
            exc.record_id = exc.record_id or order_id
            fetched.append(exc)
    return fetched


@flow(FLOW, writes_shop=False, summary="O1/O2: shop orders to back-office sales")
def run(ctx: FlowContext) -> None:
    options = ctx.profile.orders
    journal = ctx.journal
    tax_ids = {tax.name: tax.source_id for tax in ctx.backoffice.list_taxes()}
    item_codes = ctx.backoffice.item_codes()
    _check_special_entries(options, item_codes, tax_ids)
    parked = {p.record_key for p in ctx.store.parked(ctx.name, FLOW)}
    orders = _fetch(ctx, parked)
    bindings = ctx.store.bindings(ctx.name, KIND)
    total = len(orders)
    newest_seen: datetime | None = None
    retry_later = False

    def set_aside(order_id: str | None, label: str, message: str, severity: str,
                  outcome: str, position: int) -> None:
        if severity == "info":  # needs nothing from anyone (a cancelled order)
            if order_id in parked:
                ctx.store.resolve(ctx.name, FLOW, order_id)
        elif order_id:
            ctx.store.park(ctx.name, FLOW, order_id, message, severity)
        journal.record(outcome, label, _without_label(message, label),
                       position=position, total=total)

    with journal.progress(total, "importing orders"):
        for position, order in enumerate(orders, 1):
            journal.advance()
            if isinstance(order, ConnectorError):
                retriable = isinstance(order, RetriableError)
                retry_later = retry_later or retriable
                label = f"order {order.record_id}" if order.record_id else "an order"
                set_aside(order.record_id, label, f"{label} could not be read: {order}",
                          "retry" if retriable else "error", "failed", position)
                continue
            label = f"order {order.number}"
            if order.modified_at and (newest_seen is None or order.modified_at > newest_seen):
                newest_seen = order.modified_at
            if order.source_id in bindings:
                if order.source_id in parked:
                    ctx.store.resolve(ctx.name, FLOW, order.source_id)
                journal.count("unchanged")
                continue
            try:
                outcome = _import_one(ctx, order, tax_ids, item_codes)
            except OrderProblem as problem:
                set_aside(order.source_id, label, problem.message, problem.severity,
                          "skipped" if problem.severity == "info" else "parked", position)
                continue
            except FatalError:
                raise
            except RetriableError as exc:
                retry_later = True
                set_aside(order.source_id, label, f"{label}: will be retried: {exc}", "retry",
                          "parked", position)
                continue
            except ConnectorError as exc:
                set_aside(order.source_id, label, f"{label}: {exc}", "error", "failed", position)
                continue
            if order.source_id in parked:
                ctx.store.resolve(ctx.name, FLOW, order.source_id)
            journal.record(outcome[0], label, outcome[1], position=position, total=total)
    # A run limited to a window (--from/--to) says nothing of what lies outside
    # it; a transient failure means an order must be read again: either way the
    # bookmark stays where it was.
    windowed = "from" in ctx.options or "to" in ctx.options
    if newest_seen is not None and not retry_later and not windowed:
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
    key = order_key(ctx, order.source_id)
    # Looked up before anything else: a sale written by a run killed before it
    # could bind is bound now, whatever the mapping has become since.
    existing = ctx.backoffice.find_sale(key)
    if existing is not None:
        ctx.store.bind(ctx.name, KIND, order.source_id, existing.source_id, None,
                       remote_number=existing.number)
        return "unchanged", (
            f"already in the back-office as {existing.number} (found by its key): bound"
        )
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
            "does not import (to import such orders later, add the status and run with "
            "--include-transferred)", "info")
    sale = build_sale(order, options, document_type=document_type, item_codes=item_codes,
                      tax_ids=tax_ids, external_key=key)
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
