"""Where each record stands (R7), and what a manual send of orders did (R6).

``passerelle status`` answers "is this product in the shop, up to date?"
record by record, from what the flows themselves keep: the bindings (what
was sent or imported, and when), the parked problems (what was set aside and
why) and the staging grid. The selection is the flows' own — the product
export's catalogue (``flows.catalogue.catalogue_items``), the order import's
period — so a record the status calls "not linked" is one the next run would
take, or one it leaves out for the reason shown.

States:

* ``synced`` — on both sides, nothing changed since it was last written;
* ``changed`` — on both sides, changed since (the next run sends it again);
* ``not linked`` — on one side only (the detail says whether a run will take it);
* ``error`` — set aside for a person, with the reason; ``retry`` — set aside
  for a passing reason (awaiting payment, the shop busy), tried again alone;
* orders only: ``staged`` (waiting in the staging grid, O21), ``rejected``.

Plain records out; the CLI only prints them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.console import Console

from passerelle.connectors.base import BackOffice, Shop
from passerelle.connectors.errors import ConnectorError
from passerelle.flows import FlowContext
from passerelle.flows.catalogue import catalogue_items
from passerelle.flows.customer_mapping import valid_email
from passerelle.flows.export_customers import FLOW as CUSTOMER_FLOW
from passerelle.flows.export_customers import KIND as CUSTOMER_KIND
from passerelle.flows.export_products import FLOW as PRODUCT_FLOW
from passerelle.flows.export_products import KIND as PRODUCT_KIND
from passerelle.flows.import_orders import CANCELLED_MARK, REFUND_KIND
from passerelle.flows.import_orders import FLOW as ORDER_FLOW
from passerelle.flows.order_documents import KIND as ORDER_KIND
from passerelle.flows.update_order_status import FLOW as STATUS_FLOW
from passerelle.i18n import _
from passerelle.i18n.messages import M_, Message, Text, render, said, semicolons
from passerelle.journal import Journal
from passerelle.model import Order, OrderStatus
from passerelle.profiles.schema import Profile
from passerelle.store import Binding, Store
from passerelle.store.records import ParkedRecord, StagedState

__all__ = [
    "KINDS",
    "STATES",
    "RecordStatus",
    "SentOrder",
    "customer_status",
    "order_status",
    "product_status",
    "send_report",
]

STATES = ("synced", "changed", "not linked", "error", "retry", "staged", "rejected")
KINDS = ("products", "orders", "customers")
# Flows that park records keyed like each kind's bindings (item id, shop order id, customer id).
_PRODUCT_FLOWS = (PRODUCT_FLOW, "update-prices", "update-stock")
_ORDER_FLOWS = (ORDER_FLOW, STATUS_FLOW)


@dataclass(frozen=True)
class RecordStatus:
    """One record: its id where it is owned, the label a merchant knows, state, detail.

    ``note`` is the detail as kept text: a status read once (the console keeps
    it for a while) is shown to each reader in their language, :attr:`detail`.
    """

    key: str
    label: str
    state: str
    note: Text

    @property
    def detail(self) -> str:
        """The detail in the current language."""
        return render(self.note)


@dataclass(frozen=True)
class SentOrder:
    """R6: one order of a manual send. ``outcome``: succeeded, already imported, staged
    or failed; ``detail`` the sale number, or why not."""

    order_id: str
    outcome: str
    detail: str


# ---------------------------------------------------------------- products


def product_status(
    profile: Profile, backoffice: BackOffice, shop: Shop, store: Store
) -> list[RecordStatus]:
    """Every item of the catalogue selection (C5, C14, C22), and the items it leaves out."""
    ctx = _context(profile, backoffice, shop, store)
    selection = catalogue_items(ctx)
    bindings = store.bindings(profile.name, PRODUCT_KIND)
    problems = _problems(store, profile.name, _PRODUCT_FLOWS)
    result: list[RecordStatus] = []
    for item, reason in selection.rejected:
        result.append(RecordStatus(item.source_id, item.code, "error", reason))
    for item in selection.items:
        binding = bindings.get(item.source_id)
        changed = _edited(item.modified_at, binding)
        if binding is not None and binding.content_hash is None:
            changed = M_("found in the shop by its SKU, not yet written by export-products")
        result.append(
            _status(
                item.source_id,
                item.code,
                binding,
                problems.get(item.source_id),
                changed,
                M_("shop id %(id)s", id=binding.remote_id) if binding else "",
                M_("not in the shop: the next export-products sends it"),
            )
        )
    for item, reason in selection.left_out:
        binding = bindings.get(item.source_id)
        result.append(
            _status(
                item.source_id,
                item.code,
                binding,
                problems.get(item.source_id),
                None,
                M_("shop id %(id)s", id=binding.remote_id) if binding else "",
                M_("not for the shop: %(reason)s", reason=reason),
            )
        )
    return sorted(result, key=lambda r: r.label)


# ------------------------------------------------------------------ orders


def order_status(profile: Profile, shop: Shop, store: Store, now: datetime) -> list[RecordStatus]:
    """The shop's orders of the import period (``orders.period_days``), oldest first."""
    options = profile.orders
    known = _OrderBook(store, profile.name)
    result: list[RecordStatus] = []
    for order in shop.iter_orders(
        created_after=now - timedelta(days=options.period_days),
        include_archived=options.include_archived,
    ):
        if isinstance(order, ConnectorError):
            key = order.record_id or "?"
            result.append(
                RecordStatus(
                    key,
                    key,
                    "error",
                    M_("could not be read from the shop: %(error)s", error=said(order)),
                )
            )
            continue
        result.append(
            known.status(order.source_id, order.number, order, _waiting_reason(profile, order))
        )
    return result


def _waiting_reason(profile: Profile, order: Order) -> Text:
    """Why an order neither imported nor set aside is not in the back-office (yet)."""
    options = profile.orders
    if options.stores and order.store not in options.stores:
        return M_(
            "store %(store)s is not among orders.stores: not imported", store=repr(order.store)
        )
    if order.shop_status in options.awaiting_payment_statuses:
        return M_(
            "%(status)s (awaiting payment): imported once it is paid",
            status=repr(order.shop_status),
        )
    if order.shop_status not in options.statuses:
        return M_(
            "status %(status)s is not imported (orders.statuses)", status=repr(order.shop_status)
        )
    return M_("not imported yet: the next import-orders takes it")


class _OrderBook:
    """What the store knows of a profile's orders: bindings, problems, the staging grid."""

    def __init__(self, store: Store, profile: str) -> None:
        self.bindings = store.bindings(profile, ORDER_KIND)
        self.refunds = store.bindings(profile, REFUND_KIND)
        self.problems = _problems(store, profile, _ORDER_FLOWS)
        self.grid = {
            row.order_id: row
            for row in store.staged(
                profile, ORDER_FLOW, states=(StagedState.STAGED, StagedState.REJECTED)
            )
        }

    def status(self, order_id: str, label: str, order: Order | None, waiting: Text) -> RecordStatus:
        binding = self.bindings.get(order_id)
        row = self.grid.get(order_id)
        if binding is None and row is not None and order_id not in self.problems:
            if row.state is StagedState.REJECTED:
                return RecordStatus(
                    order_id,
                    label,
                    "rejected",
                    M_(
                        "rejected in the staging grid: %(reason)s",
                        reason=row.translatable_reason or row.reason or "-",
                    ),
                )
            return RecordStatus(
                order_id,
                label,
                "staged",
                M_(
                    "waiting in the staging grid: %(summary)s",
                    summary=row.translatable_summary or row.summary,
                ),
            )
        sale = _sale(binding) if binding else ""
        return _status(
            order_id,
            label,
            binding,
            self.problems.get(order_id),
            self._changed(order, binding),
            sale,
            waiting,
        )

    def _changed(self, order: Order | None, binding: Binding | None) -> Text | None:
        """O20, O28: what the next import still does to an imported order."""
        if order is None or binding is None:
            return None
        if order.status is OrderStatus.CANCELLED and binding.content_hash != CANCELLED_MARK:
            return M_("cancelled in the shop after its import")
        pending = [
            r.source_id
            for r in order.refunds
            if f"{order.source_id}:{r.source_id}" not in self.refunds
        ]
        if pending:
            return M_(
                "refund %(refunds)s in the shop, not in the back-office", refunds=", ".join(pending)
            )
        return None


def send_report(
    store: Store,
    profile: str,
    order_ids: Sequence[str],
    before: dict[str, Binding],
    since: datetime,
) -> list[SentOrder]:
    """R6: what became of each order of a manual send, run after ``since``.

    ``before`` holds the order bindings as they were before the send: an order
    bound then was already imported. An order neither bound, parked nor staged
    was left out by the run for a reason only its journal holds.
    """
    known = _OrderBook(store, profile)
    reasons = _journal_reasons(store, profile, since)
    report: list[SentOrder] = []
    for order_id in order_ids:
        binding = known.bindings.get(order_id)
        if binding is not None:
            sale = render(_sale(binding))
            report.append(
                SentOrder(order_id, "already imported", _("as %(sale)s", sale=sale))
                if order_id in before
                else SentOrder(order_id, "succeeded", sale)
            )
            continue
        status = known.status(
            order_id,
            order_id,
            None,
            reasons.get(
                f"order {order_id}", _("not imported: see `passerelle runs --flow import-orders`")
            ),
        )
        if status.state == "staged":
            report.append(
                SentOrder(
                    order_id,
                    "staged",
                    _(
                        "%(detail)s (validate it with %(command)s)",
                        detail=status.detail,
                        command="".join(("`passerelle orders validate ", order_id, "`")),
                    ),
                )
            )
        else:
            report.append(SentOrder(order_id, "failed", status.detail))
    return report


def _journal_reasons(store: Store, profile: str, since: datetime) -> dict[str, str]:
    """The last journal line of each record in the order imports started since ``since``."""
    reasons: dict[str, str] = {}
    for run in reversed(store.list_runs(profile=profile, flow=ORDER_FLOW, limit=20)):
        if run.started_at < since:
            continue
        for line in store.journal(run.id):
            if line.record_key:
                reasons[line.record_key] = line.message_in()
    return reasons


# --------------------------------------------------------------- customers


def customer_status(profile: Profile, backoffice: BackOffice, store: Store) -> list[RecordStatus]:
    """Every back-office customer (K1–K3): its shop account, or why it has none."""
    options = profile.customers
    bindings = store.bindings(profile.name, CUSTOMER_KIND)
    problems = _problems(store, profile.name, (CUSTOMER_FLOW,))
    result: list[RecordStatus] = []
    for customer in backoffice.list_customers():
        binding = bindings.get(customer.source_id)
        if not customer.active and options.skip_inactive:
            waiting: Text = M_("dormant in the back-office: not sent")
        elif options.skip_without_email and not valid_email(customer.email):
            waiting = M_("no valid e-mail: not sent (give it one in the back-office)")
        else:
            waiting = M_("not in the shop: the next export-customers sends it")
        changed = _edited(customer.modified_at, binding)
        result.append(
            _status(
                customer.source_id,
                customer.code or customer.name,
                binding,
                problems.get(customer.source_id),
                changed,
                M_("shop account %(id)s", id=binding.remote_id) if binding else "",
                waiting,
            )
        )
    return sorted(result, key=lambda r: r.label)


# ------------------------------------------------------------------ shared


def _status(
    key: str,
    label: str,
    binding: Binding | None,
    problem: ParkedRecord | None,
    changed: Text | None,
    linked: Text,
    waiting: Text,
) -> RecordStatus:
    """The one precedence every kind follows: a problem, then the link, then its freshness."""
    if problem is not None:
        return RecordStatus(
            key,
            label,
            str(problem.severity),
            M_(
                "%(flow)s: %(problem)s",
                flow=problem.flow,
                problem=problem.translatable_reason or " ".join(problem.reason.split()),
            ),
        )
    if binding is None or not binding.remote_id:
        return RecordStatus(key, label, "not linked", waiting)
    if changed:
        return RecordStatus(key, label, "changed", semicolons([linked, changed]))
    return RecordStatus(
        key,
        label,
        "synced",
        M_("%(linked)s (last written %(when)s)", linked=linked, when=_when(binding.synced_at)),
    )


def _problems(store: Store, profile: str, flows: Iterable[str]) -> dict[str, ParkedRecord]:
    """Open problems by record key; an error wins over a retry, info is not a problem."""
    found: dict[str, ParkedRecord] = {}
    for flow in flows:
        for entry in store.parked(profile, flow):
            if entry.severity == "info":
                continue
            current = found.get(entry.record_key)
            if current is None or (current.severity != "error" and entry.severity == "error"):
                found[entry.record_key] = entry
    return found


def _edited(modified_at: datetime | None, binding: Binding | None) -> Text | None:
    """A back-office record written after its binding was: what the next export sends."""
    if binding is None or modified_at is None or modified_at <= binding.synced_at:
        return None
    return M_(
        "changed in the back-office %(modified)s, after it was last sent %(sent)s",
        modified=_when(modified_at),
        sent=_when(binding.synced_at),
    )


def _when(moment: datetime | None) -> Text:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else M_("at an unknown time")


def _context(profile: Profile, backoffice: BackOffice, shop: Shop, store: Store) -> FlowContext:
    """A flow's context for reading only: its journal goes nowhere (nothing is run)."""
    journal = Journal(
        run_id=0, flow="status", sink=None, log_path=None, console=Console(quiet=True)
    )
    return FlowContext(
        profile=profile, backoffice=backoffice, shop=shop, store=store, journal=journal
    )


def _sale(binding: Binding) -> Message:
    """``sale SO12``: the back-office document an order became."""
    return M_("sale %(number)s", number=binding.remote_number or binding.remote_id)
