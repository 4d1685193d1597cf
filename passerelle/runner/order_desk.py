"""The staging grid's actions and a manual send of orders, whoever asks.

``passerelle orders validate|reject|reset|send`` and the console's Orders page
do the same things; the rules live here so that an interface only asks and
shows. Orders are named by shop order id; ``None`` means every order the
action applies to (the CLI's ``ALL``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from passerelle.flows.import_orders import FLOW as IMPORT_FLOW
from passerelle.flows.options import FlowOptions
from passerelle.flows.order_documents import KIND
from passerelle.profiles.schema import Profile
from passerelle.runner.by_hand import run_in_queue, run_outcome
from passerelle.runner.run_now import Runner, RunSummary, open_store
from passerelle.runner.status import SentOrder, send_report
from passerelle.store import Store
from passerelle.store.records import RunStatus

__all__ = [
    "RESET_REASON",
    "VALIDATE_FLOW",
    "SendReport",
    "reject_orders",
    "reset_orders",
    "send_orders",
    "validate_orders",
]

VALIDATE_FLOW = "validate-orders"
#: Why a reset order is parked: the next import fetches it whatever its bookmark says.
RESET_REASON = "reset: to be imported again"


def validate_orders(
    runner: Runner, profile: Profile, order_ids: Sequence[str] | None
) -> RunSummary:
    """Write staged orders to the back-office; a validated order is never written twice."""
    options = FlowOptions(ids=None if order_ids is None else tuple(order_ids))
    return runner.run(profile, VALIDATE_FLOW, options=options)


def reject_orders(
    store: Store, profile: str, order_ids: Sequence[str] | None, reason: str = "rejected"
) -> int:
    """Reject staged orders (not imported again unless reset); how many were staged."""
    wanted = (
        [row.order_id for row in store.staged(profile, IMPORT_FLOW)]
        if order_ids is None
        else list(order_ids)
    )
    return store.reject(profile, IMPORT_FLOW, wanted, reason=reason)


def reset_orders(store: Store, profile: str, order_ids: Sequence[str] | None) -> list[str]:
    """Forget that orders were transferred, so the next import writes them again."""
    keys = store.reset_records(
        profile, KIND, IMPORT_FLOW, None if order_ids is None else list(order_ids)
    )
    for key in keys:
        store.park(profile, IMPORT_FLOW, key, RESET_REASON, "retry")
    return keys


@dataclass(frozen=True, slots=True)
class SendReport:
    """How the import of a manual send ended, and what became of each order."""

    status: RunStatus
    orders: list[SentOrder]


def send_orders(
    directory: Path, profile: Profile, order_ids: Sequence[str], *, console: Console
) -> SendReport:
    """Import these orders now (through the queue), then say for each what became of it."""
    store = open_store(directory)
    try:
        before = store.bindings(profile.name, KIND)
        since = datetime.now(UTC)
        outcome = run_in_queue(
            directory,
            profile,
            IMPORT_FLOW,
            FlowOptions(order_ids=tuple(order_ids)),
            console=console,
            on_wait=lambda m: console.print(m, highlight=False),
        )
        report = send_report(store, profile.name, list(order_ids), before, since)
    finally:
        store.close()
    status = run_outcome(directory, outcome)
    if any(line.outcome == "failed" for line in report) and status is RunStatus.SUCCEEDED:
        status = RunStatus.WITH_PROBLEMS  # an order the run did not count as its own
    return SendReport(status, report)
