"""O1–O28: shop orders → back-office documents, each exactly once.

Exactly once, whatever crashes: an order is skipped when bound; before
writing a document the back-office is asked for a document carrying its key
(one written by a run killed before it could bind is found and bound, not
written again); each document is written whole in one back-office
transaction and bound right after. The bookmark (last modification date
seen) moves only at the end of a run, and the next run reads from a little
before it, so nothing falls between two runs.

Order keys carry a generation (O18): resetting an order bumps it, so the
next import writes a new document instead of finding the old one.

Order keys rest on the shop identity the profile recorded at its first
contact (``flows/shop_identity.py``), not on the shop's current address: a
shop that moves keeps its orders' keys. An orders file (O19) that names the
profile's shop is read as that shop's orders (same keys, same bindings, same
staging grid); any other file is keyed apart by its source.

A file is streamed: its orders are imported as they are read, never all held
at once (a shop's API pages are small; a file can be hundreds of megabytes).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from passerelle.connectors.errors import (
    ConnectorError,
    FatalError,
    NotFoundError,
    RetriableError,
)
from passerelle.connectors.xmlfile import XmlFileShop
from passerelle.flows.base import FlowContext, flow
from passerelle.flows.bookmarks import move_bookmark, read_bookmark
from passerelle.flows.order_checks import check_order_options, read_facts
from passerelle.flows.order_customers import decide_customer
from passerelle.flows.order_documents import (
    KIND,
    PlannedOrder,
    bind_plan,
    encode_plan,
    in_one_unit,
    write_documents,
    write_plan,
)
from passerelle.flows.order_mapping import (
    BackOfficeFacts,
    OrderProblem,
    build_refund,
    build_sales,
    group_sales,
    payment_mapping,
)
from passerelle.flows.order_mapping.problems import located, order_label, without_label
from passerelle.flows.shop_identity import SOURCE_SEPARATOR, file_source, profile_identity
from passerelle.i18n import N_
from passerelle.i18n.messages import M_, Mn_, Text, said
from passerelle.model import DocumentType, Order, OrderRefund, OrderStatus, SaleResult
from passerelle.store import content_hash
from passerelle.store.errors import StoreError

__all__ = [
    "AFTER_WRITING",
    "FLOW",
    "KIND",
    "REFUND_KIND",
    "SOURCE_SEPARATOR",
    "next_orders",
    "order_key",
]

FLOW = "import-orders"
REFUND_KIND = "refund"
BOOKMARK_OVERLAP = timedelta(minutes=10)
CANCELLED_MARK = content_hash({"state": "cancelled"})

log = logging.getLogger(__name__)

#: What runs once a run has written sales, given the item codes of their lines (X3: the
#: stock of those items sent at once). The flows that act on it register here, since
#: they read this module's orders (importing them from here would be a cycle).
AFTER_WRITING: list[Callable[[FlowContext, frozenset[str]], None]] = []


def order_key(identity: str, order_id: str, generation: int = 0) -> str:
    """The key stored with the back-office document: the shop's recorded identity and the
    order's id, stable across profile renames and changes of the shop's address."""
    key = f"{identity}#{order_id}"
    return f"{key}~{generation}" if generation else key


def next_orders(
    ctx: FlowContext, *, also_since: datetime | None = None
) -> Iterator[Order | ConnectorError]:
    """The shop's orders the next import reads (its window: the period, since the
    bookmark less the overlap), so other flows can tell what it is about to import;
    ``also_since`` widens the window back to that moment when it is earlier."""
    options = ctx.profile.orders
    created_after = ctx.options.created_from or ctx.now - timedelta(days=options.period_days)
    include_transferred = (
        options.include_transferred
        if ctx.options.include_transferred is None
        else ctx.options.include_transferred
    ) or _reads_a_file(ctx)  # a file is read whole; the bookmark is the shop's
    bookmark = None if include_transferred else read_bookmark(ctx, FLOW)
    modified_after = bookmark - BOOKMARK_OVERLAP if bookmark else None
    if modified_after is not None and also_since is not None:
        modified_after = min(modified_after, also_since)
    return ctx.shop.iter_orders(
        created_after=created_after,
        created_before=ctx.options.created_to,
        modified_after=modified_after,
        include_archived=options.include_archived,
    )


def _fetch(ctx: FlowContext, parked: set[str]) -> Iterable[Order | ConnectorError]:
    """What the run reads: a list for a shop (its pages are small, the total shows
    progress), the stream itself for a file, whose parked orders are the shop's."""
    if _reads_a_file(ctx) and not ctx.options.order_ids:
        return iter(()) if ctx.options.only_parked else next_orders(ctx)
    fetched: list[Order | ConnectorError] = []
    if ctx.options.order_ids:
        return _fetch_by_id(ctx, list(ctx.options.order_ids))
    if not ctx.options.only_parked:
        fetched = list(next_orders(ctx))
    # Orders parked by an earlier run (or reset, O18) are read again even if
    # the shop did not touch them: the mapping may be fixed, the order paid.
    # Not from a file (above): the parked orders are the shop's, and one
    # missing from the file must not be taken for gone from the shop.
    seen = {o.source_id for o in fetched if isinstance(o, Order)}
    fetched += _fetch_by_id(ctx, sorted(parked - seen))
    return fetched


def _fetch_by_id(ctx: FlowContext, order_ids: list[str]) -> list[Order | ConnectorError]:
    """Read the given orders one by one: a webhook's or a manual send's (R6), or the parked.

    An order gone from the shop is no longer set aside; one that cannot be read
    now is handed back as its error, so the run parks it under its id.
    """
    fetched: list[Order | ConnectorError] = []
    for order_id in dict.fromkeys(order_ids):
        try:
            fetched.append(ctx.shop.get_order(order_id))
        except FatalError:
            raise
        except NotFoundError:
            ctx.store.resolve(ctx.name, FLOW, order_id)
            ctx.journal.record(
                "skipped",
                order_label(order_id),
                M_("no longer exists in the shop: no longer set aside"),
            )
        except ConnectorError as exc:
            exc.record_id = exc.record_id or order_id
            fetched.append(exc)
    return fetched


@dataclass(frozen=True)
class _Found:
    """Already in the back-office, found by the order's key (a run killed before binding)."""

    existing: SaleResult


@dataclass(frozen=True)
class _Grouped:
    """To be written with the orders of its day (O17), once the run has read them all."""

    group: tuple[date, str, str]
    plan: PlannedOrder


@dataclass(frozen=True)
class _Staged:
    """For the staging grid (O21): nothing written in the back-office."""

    plan: PlannedOrder


@dataclass(frozen=True)
class _Written:
    """Written in the back-office, to be bound once committed."""

    plan: PlannedOrder
    results: list[SaleResult]


_Decision = _Found | _Grouped | _Staged | _Written


class _Run:
    """One import run: the state shared by the orders it reads."""

    def __init__(self, ctx: FlowContext, facts: BackOfficeFacts) -> None:
        self.ctx = ctx
        # Whose orders these are: the profile's shop (its recorded identity, plain
        # order ids in the store), or a file from elsewhere, keyed apart by its source.
        if isinstance(ctx.shop, XmlFileShop):
            source = file_source(ctx, ctx.shop)
            self.identity, self.apart = source.identity, not source.profile_shop
            ctx.journal.info(source.message)
        else:  # orders of another kind of source (a file read by a shop-like reader)
            self.apart = _reads_a_file(ctx)
            self.identity = ctx.shop.identity if self.apart else profile_identity(ctx)
        self.options = ctx.profile.orders
        self.facts = facts
        # A re-check (O22) reads again only what waits to be retried.
        severity = "retry" if ctx.options.only_parked else None
        self.parked = {p.record_key for p in ctx.store.parked(ctx.name, FLOW, severity=severity)}
        self.bindings = ctx.store.bindings(ctx.name, KIND)
        self.refunds = ctx.store.bindings(ctx.name, REFUND_KIND)
        self.rejected = ctx.store.rejected_ids(ctx.name, FLOW)
        self.staged = {row.order_id for row in ctx.store.staged(ctx.name, FLOW)}
        self.generations = ctx.store.generations(ctx.name, KIND)
        self.retry_later = False
        # O17: (day, currency, tax rule) -> the orders of that day grouped together
        self.day_groups: dict[tuple[date, str, str], list[tuple[Order, PlannedOrder]]] = (
            defaultdict(list)
        )
        self.total: int | None = 0  # None: a file's stream, whose length is not known
        self.written_items: set[str] = set()  # item codes of the sales written (X3)

    def rid(self, order_id: str) -> str:
        """The order's id in the store: the shop's id, or, for orders read from a
        file of another source (O19), qualified by that source, so they never
        meet the shop's orders of the same id."""
        if self.apart:
            return f"{self.identity}{SOURCE_SEPARATOR}{order_id}"
        return order_id

    def key(self, order_id: str) -> str:
        return order_key(self.identity, order_id, self.generations.get(self.rid(order_id), 0))

    # -- outcomes ----------------------------------------------------------
    def set_aside(
        self,
        order_id: str | None,
        label: Text,
        message: Text,
        severity: str,
        outcome: str,
        position: int,
    ) -> None:
        store, ctx = self.ctx.store, self.ctx
        if severity == "info":  # needs nothing from anyone (a cancelled order)
            if order_id in self.parked:
                store.resolve(ctx.name, FLOW, order_id)
        elif order_id:
            store.park(ctx.name, FLOW, order_id, message, severity)
        ctx.journal.record(
            outcome, label, without_label(message, label), position=position, total=self.total
        )

    def unforeseen(self, order: Order, position: int, exc: Exception) -> None:
        """Park an order that failed in a way no rule foresaw, so the others go on."""
        label = order_label(order.number)
        log.exception("%s (id %s) could not be imported", label, order.source_id)
        self.set_aside(
            self.rid(order.source_id),
            label,
            located(
                order_label(order.number),
                M_(
                    "(id %(id)s) could not be imported: %(error)s. It is set aside and the "
                    "other orders go on; check the order in the shop, then retry it with "
                    "`passerelle problems retry`",
                    id=order.source_id,
                    error=": ".join((type(exc).__name__, str(exc))),
                ),
                " ",
            ),
            "error",
            "failed",
            position,
        )

    def done(self, order_id: str, position: int, outcome: str, label: Text, message: Text) -> None:
        if order_id in self.parked:
            self.ctx.store.resolve(self.ctx.name, FLOW, order_id)
        self.ctx.journal.record(outcome, label, message, position=position, total=self.total)

    # -- one order -----------------------------------------------------------
    def handle(self, order: Order, position: int) -> None:
        label = order_label(order.number)
        options = self.options
        # Counted as skipped: a run's counts are the journal's outcomes
        # (journal.OUTCOMES), which the store checks when the run ends.
        if options.stores and order.store not in options.stores:
            self.ctx.journal.count("skipped")  # another store's order (O3)
            return
        rid = self.rid(order.source_id)
        if rid in self.bindings:
            self.after_import(order, position, label)
            return
        if rid in self.rejected:
            self.ctx.journal.count("skipped")  # rejected in the staging grid (O21)
            return
        if rid in self.staged and not self.ctx.options.restage:
            self.ctx.journal.count("skipped")  # waiting in the staging grid (O21)
            return
        try:
            outcome = self.import_one(order)
        except OrderProblem as problem:
            self.set_aside(
                rid,
                label,
                problem.said,
                problem.severity,
                "skipped" if problem.severity == "info" else "parked",
                position,
            )
            return
        except FatalError:
            raise
        except RetriableError as exc:
            self.retry_later = True
            self.ctx.transient_failure(exc)
            self.set_aside(
                rid,
                label,
                located(
                    order_label(order.number), M_("will be retried: %(error)s", error=said(exc))
                ),
                "retry",
                "parked",
                position,
            )
            return
        except ConnectorError as exc:
            self.set_aside(
                rid,
                label,
                located(order_label(order.number), said(exc)),
                "error",
                "failed",
                position,
            )
            return
        if outcome is not None:
            self.done(rid, position, outcome[0], label, outcome[1])
            if outcome[0] in ("created", "unchanged") and self.options.refunds == "credit_note":
                # Refunds made before the order was first imported come right after it.
                for refund in order.refunds:
                    self.import_refund(order, refund, f"{rid}:{refund.source_id}", position, label)

    def import_one(self, order: Order) -> tuple[str, Text] | None:
        """Import one order; the (outcome, message) for the journal, None when deferred.

        What the back-office is asked (the order's key, its customer) and what
        is written there (customer, sale) make one unit of work where the
        back-office has them (one transaction on Tryton); the store records the
        outcome only once that unit is committed, so a replay of the unit (the
        back-office starting over) or a crash before the commit leaves nothing
        in the store to undo, and a crash after it is found by the key next run.
        """
        noted: list[Order] = []  # the shop's notes, read once however often the unit runs
        decision = in_one_unit(self.ctx.backoffice, lambda: self.decide(order, noted))
        return self.record(order, decision)

    def decide(self, order: Order, noted: list[Order]) -> _Decision:
        """What becomes of the order, and its documents written when it is to be written.

        Decides from the back-office alone (it may be run again on a replay):
        changes nothing in the store nor in this run's state.
        """
        ctx, options = self.ctx, self.options
        key = self.key(order.source_id)
        for candidate in (key, f"{key}/1"):
            existing = ctx.backoffice.find_sale(candidate)
            if existing is not None:
                return _Found(existing)
        document_type = options.statuses.get(order.shop_status)
        if document_type is None:
            raise _status_problem(options.awaiting_payment_statuses, order)
        grouping = options.grouping
        grouped = grouping.mode == "all" or (grouping.mode == "guests" and order.is_guest)
        mapping = payment_mapping(options, order.payment_method, order.payment_method_title)
        if mapping is not None and mapping.account:
            grouped = False  # a marketplace's orders stay on the marketplace's account (O11)
        if grouped and grouping.account:
            day = order.created_at.date()
            if day >= ctx.now.date():
                raise OrderProblem(
                    located(
                        order_label(order.number),
                        M_(
                            "is grouped with the orders of %(day)s, imported once that day is over",
                            day=day,
                        ),
                        " ",
                    ),
                    "retry",
                )
            sales = build_sales(
                order,
                options,
                self.facts,
                document_type=document_type,
                external_key=key,
                party_code=grouping.account,
            )
            # One document holds one currency and one tax rule: a day's orders
            # in two currencies make two documents.
            group = (day, sales[0].currency, sales[0].tax_rule or "")
            return _Grouped(group, PlannedOrder((self.rid(order.source_id),), tuple(sales)))
        if {"customer_messages", "private_notes"} & set(options.messages) and not order.notes:
            if not noted:
                noted.append(ctx.shop.with_notes(order))
            order = noted[0]
        party_code, customer = decide_customer(ctx.backoffice, options, order)
        sales = build_sales(
            order,
            options,
            self.facts,
            document_type=document_type,
            external_key=key,
            party_code=party_code,
        )
        plan = PlannedOrder(
            (self.rid(order.source_id),), tuple(sales), customer, options.update_addresses
        )
        if not self.options.auto_validate:
            return _Staged(plan)
        return _Written(plan, write_documents(ctx, plan))

    def record(self, order: Order, decision: _Decision) -> tuple[str, Text] | None:
        """Record in the store what ``decide`` did, once the back-office committed it."""
        ctx = self.ctx
        if isinstance(decision, _Found):
            existing = decision.existing
            ctx.store.bind(
                ctx.name,
                KIND,
                self.rid(order.source_id),
                existing.source_id,
                None,
                remote_number=existing.number,
            )
            return "unchanged", M_(
                "already in the back-office as %(number)s (found by its key): bound",
                number=existing.number,
            )
        if isinstance(decision, _Grouped):
            self.day_groups[decision.group].append((order, decision.plan))
            return None
        if isinstance(decision, _Staged):
            return self.stage(decision.plan, order.number)
        bind_plan(ctx, decision.plan, decision.results)
        return self.created(decision.plan, decision.results)

    def write_or_stage(self, plan: PlannedOrder, number: str) -> tuple[str, Text]:
        if not self.options.auto_validate:
            return self.stage(plan, number)
        return self.created(plan, write_plan(self.ctx, plan))

    def stage(self, plan: PlannedOrder, number: str) -> tuple[str, Text]:
        """Put the plan in the staging grid, for the merchant to validate (O21)."""
        ctx = self.ctx
        documents, customer = encode_plan(plan)
        order_id = plan.members[0] if len(plan.members) == 1 else plan.sales[0].external_key
        ctx.store.stage(
            ctx.name,
            FLOW,
            order_id,
            order_number=number,
            document_json=documents,
            customer_json=customer,
            summary=plan.summary_said,
        )
        return "staged", M_("in the staging grid: %(summary)s", summary=plan.summary_said)

    def created(self, plan: PlannedOrder, results: list[SaleResult]) -> tuple[str, Text]:
        """The journal's words for the documents written and bound."""
        self.written_items.update(ln.item_code for s in plan.sales for ln in s.lines)
        sale = plan.sales[0]
        numbers = ", ".join(r.number for r in results)
        total = sum((r.total_amount for r in results), 0)
        paid = sum((r.payments_total for r in results), 0)
        written = M_(
            "sale %(numbers)s on %(party)s, total %(total)s %(currency)s",
            numbers=numbers,
            party=sale.party_code,
            total=total,
            currency=sale.currency,
        )
        if any(s.payments for s in plan.sales):
            return "created", M_("%(sale)s, payment %(paid)s", sale=written, paid=paid)
        return "created", written

    # -- after the import: cancellation (O20) and refunds (O28) ------------
    def after_import(self, order: Order, position: int, label: Text) -> None:
        ctx, options = self.ctx, self.options
        rid = self.rid(order.source_id)
        if rid in self.parked:
            ctx.store.resolve(ctx.name, FLOW, rid)
        binding = self.bindings[rid]
        acted = False
        if (
            order.status is OrderStatus.CANCELLED
            and options.cancel_on_shop_cancellation
            and binding.content_hash != CANCELLED_MARK
        ):
            acted = True
            try:
                for key in self._document_keys(order.source_id):
                    ctx.backoffice.cancel_sale(key)
            except NotFoundError:
                pass
            except ConnectorError as exc:
                self.set_aside(
                    rid,
                    label,
                    located(
                        order_label(order.number),
                        M_("was cancelled in the shop but %(error)s", error=said(exc)),
                        " ",
                    ),
                    "error",
                    "failed",
                    position,
                )
                return
            ctx.store.bind(
                ctx.name,
                KIND,
                rid,
                binding.remote_id,
                CANCELLED_MARK,
                remote_number=binding.remote_number,
            )
            ctx.journal.record(
                "updated",
                label,
                M_("cancelled in the shop: %(number)s cancelled", number=binding.remote_number),
                position=position,
                total=self.total,
            )
        if options.refunds == "credit_note":
            for refund in order.refunds:
                refund_key = f"{rid}:{refund.source_id}"
                if refund_key in self.refunds:
                    continue
                acted = True
                self.import_refund(order, refund, refund_key, position, label)
        if not acted:
            ctx.journal.count("unchanged")

    def _document_keys(self, order_id: str) -> list[str]:
        """The keys of the order's documents: its own, or one per delivery address (O23)."""
        key = self.key(order_id)
        if self.ctx.backoffice.find_sale(key) is not None:
            return [key]
        parts: list[str] = []
        while self.ctx.backoffice.find_sale(f"{key}/{len(parts) + 1}") is not None:
            parts.append(f"{key}/{len(parts) + 1}")
        return parts or [key]

    def import_refund(
        self, order: Order, refund: OrderRefund, refund_key: str, position: int, label: Text
    ) -> None:
        ctx = self.ctx
        origin_key = self._document_keys(order.source_id)[0]
        origin = ctx.backoffice.find_sale(origin_key)
        if origin is None:
            self.set_aside(
                refund_key,
                label,
                located(
                    order_label(order.number),
                    M_(
                        "refund %(refund)s: the original document is not in the back-office",
                        refund=refund.source_id,
                    ),
                ),
                "error",
                "failed",
                position,
            )
            return
        key = f"{origin_key}/refund/{refund.source_id}"
        try:
            existing = ctx.backoffice.find_sale(key)
            if existing is None:
                # The return is the same kind of document as the order (an
                # invoiced order gets a posted credit note).
                document_type = self.options.statuses.get(order.shop_status) or DocumentType.ORDER
                sale = build_refund(
                    order,
                    refund,
                    self.options,
                    self.facts,
                    external_key=key,
                    origin_key=origin_key,
                    party_code=origin.party_code,
                    document_type=document_type,
                )
                existing = ctx.backoffice.create_sale(sale)
        except OrderProblem as problem:
            self.set_aside(refund_key, label, problem.said, problem.severity, "parked", position)
            return
        except ConnectorError as exc:
            self.set_aside(
                refund_key,
                label,
                located(
                    order_label(order.number),
                    M_("refund %(refund)s: %(error)s", refund=refund.source_id, error=said(exc)),
                ),
                "error",
                "failed",
                position,
            )
            return
        ctx.store.bind(
            ctx.name,
            REFUND_KIND,
            refund_key,
            existing.source_id,
            None,
            remote_number=existing.number,
        )
        ctx.journal.record(
            "created",
            label,
            M_(
                "refund %(refund)s (%(amount)s %(currency)s) as return %(number)s",
                refund=refund.source_id,
                amount=refund.amount,
                currency=order.currency,
                number=existing.number,
            ),
            position=position,
            total=self.total,
        )

    # -- O17: the day's grouped documents ---------------------------------
    def write_groups(self) -> None:
        ctx = self.ctx
        account = self.options.grouping.account or ""
        for (day, currency, _rule), members in sorted(self.day_groups.items()):
            ids = sorted(self.rid(order.source_id) for order, _ in members)
            digest = hashlib.sha256(",".join(ids).encode()).hexdigest()[:12]
            key = f"{self.identity}#day:{day.isoformat()}:{account}:{digest}"
            sale = group_sales(
                [s for _, plan in members for s in plan.sales],
                external_key=key,
                party_code=account,
                day=day,
                gap_item=self.options.gap_item,
                taxes=self.facts.tax_specs(),
                arithmetic=self.facts.arithmetic,
            )
            plan = PlannedOrder(tuple(ids), (sale,), None)
            where = M_("orders of %(day)s in %(currency)s", day=day, currency=currency)
            try:
                if ctx.backoffice.find_customer(code=account) is None:
                    raise OrderProblem(
                        located(
                            where,
                            M_(
                                "grouping account %(account)s does not exist in the "
                                "back-office; create it or change orders.grouping.account",
                                account=repr(account),
                            ),
                        )
                    )
                outcome, message = self.write_or_stage(plan, f"day {day.isoformat()}")
            except (FatalError, StoreError):
                raise
            except Exception as exc:  # noqa: BLE001 - parks the day's orders, not the run
                severity = ctx.transient_failure(exc)
                for order_id in ids:
                    ctx.store.park(ctx.name, FLOW, order_id, located(where, _said(exc)), severity)
                ctx.journal.record("failed", where, _said(exc))
                continue
            for order_id in ids:
                if order_id in self.parked:
                    ctx.store.resolve(ctx.name, FLOW, order_id)
            ctx.journal.record(
                outcome,
                where,
                M_(
                    "%(orders)s grouped: %(message)s",
                    orders=Mn_("%(num)s order", "%(num)s orders", len(ids)),
                    message=message,
                ),
            )


def _status_problem(awaiting: list[str], order: Order) -> OrderProblem:
    """O2, O22: why an order of this status is not imported, and whether it will be."""
    if order.shop_status in awaiting:
        return OrderProblem(
            located(
                order_label(order.number),
                M_(
                    "is %(status)s (awaiting payment): imported once it is paid",
                    status=repr(order.shop_status),
                ),
                " ",
            ),
            "retry",
        )
    if order.status in (OrderStatus.CANCELLED, OrderStatus.FAILED, OrderStatus.REFUNDED):
        return OrderProblem(
            located(
                order_label(order.number),
                M_("is %(status)s in the shop: not imported", status=repr(order.shop_status)),
                " ",
            ),
            "info",
        )
    return OrderProblem(
        located(
            order_label(order.number),
            M_(
                "has status %(status)s, which orders.statuses does not import (to import "
                "such orders later, add the status and run with --include-transferred)",
                status=repr(order.shop_status),
            ),
            " ",
        ),
        "info",
    )


# O1–O28
@flow(FLOW, writes_shop=False, summary=N_("shop orders to back-office documents, each once"))
def run(ctx: FlowContext) -> None:
    facts = read_facts(ctx)
    check_order_options(ctx.profile.orders, ctx.backoffice)
    state = _Run(ctx, facts)
    orders = _fetch(ctx, state.parked)
    # A file's stream has no length until it is read: no total, no progress bar.
    state.total = len(orders) if isinstance(orders, list) else None
    newest_seen: datetime | None = None
    with ctx.journal.progress(state.total or 0, M_("importing orders")):
        for position, order in enumerate(orders, 1):
            ctx.journal.advance()
            if isinstance(order, ConnectorError):
                retriable = ctx.transient_failure(order) == "retry"
                state.retry_later = state.retry_later or retriable
                label = order_label(order.record_id) if order.record_id else M_("an order")
                state.set_aside(
                    order.record_id and state.rid(order.record_id),
                    label,
                    located(
                        order_label(order.record_id) if order.record_id else M_("an order"),
                        M_("could not be read: %(error)s", error=said(order)),
                        " ",
                    ),
                    "retry" if retriable else "error",
                    "failed",
                    position,
                )
                continue
            if order.modified_at and (newest_seen is None or order.modified_at > newest_seen):
                newest_seen = order.modified_at
            try:
                state.handle(order, position)
            except (FatalError, StoreError):
                raise  # the whole run cannot go on: bad credentials, a broken store
            except Exception as exc:  # noqa: BLE001 - one order's defect parks that order only
                state.unforeseen(order, position, exc)
    state.write_groups()
    # A run limited to a window (--from/--to) or to parked orders says nothing
    # of what lies outside it; a transient failure means an order must be read
    # again: either way the bookmark stays where it was. The bookmark is the
    # profile's shop's: a run reading an orders file (O19) leaves it alone.
    partial = ctx.options.limits_orders or _reads_a_file(ctx)
    if newest_seen is not None and not state.retry_later and not partial:
        move_bookmark(ctx, FLOW, newest_seen)
    if state.written_items:
        for after in AFTER_WRITING:
            after(ctx, frozenset(state.written_items))


def _reads_a_file(ctx: FlowContext) -> bool:
    """Whether the orders come from an orders file (O19) rather than the profile's shop."""
    return ctx.options.orders_file is not None


def _said(exc: Exception) -> Text:
    """What an exception says: its kept message (an order problem, a connector's error)
    or its words."""
    return said(exc)
