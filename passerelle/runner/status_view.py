"""``passerelle status`` for screens: read a kind's records, then filter, search and page them,
and one record's history.

The states themselves are :mod:`passerelle.runner.status`'s; this module
opens the two sides the way every reader needs (the CLI calls :func:`read_status`
on each command, the console once per snapshot, see
:mod:`passerelle.runner.status_snapshots`), narrows the list to what a screen
shows, and gathers what the store keeps of one record: its binding, its open
problems and its journal lines across runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from passerelle.flows.export_customers import FLOW as CUSTOMER_FLOW
from passerelle.flows.export_customers import KIND as CUSTOMER_KIND
from passerelle.flows.export_products import KIND as PRODUCT_KIND
from passerelle.flows.order_documents import KIND as ORDER_KIND
from passerelle.flows.order_mapping.problems import order_label
from passerelle.profiles.schema import Profile
from passerelle.runner import run_now
from passerelle.runner.status import (
    _ORDER_FLOWS,
    _PRODUCT_FLOWS,
    KINDS,
    STATES,
    RecordStatus,
    customer_status,
    order_status,
    product_status,
)
from passerelle.store import Binding, Store
from passerelle.store.records import JournalLine, ParkedRecord

__all__ = [
    "PAGE_SIZE",
    "RecordHistory",
    "StatusPage",
    "page_of",
    "read_status",
    "record_history",
]

#: Records a screen shows at once.
PAGE_SIZE = 50
#: What each kind's bindings are called in the store, and which flows park its records.
_BINDING_KIND = {"products": PRODUCT_KIND, "orders": ORDER_KIND, "customers": CUSTOMER_KIND}
_FLOWS = {"products": _PRODUCT_FLOWS, "orders": _ORDER_FLOWS, "customers": (CUSTOMER_FLOW,)}


def read_status(
    profile: Profile, directory: Path, store: Store, kind: str, now: datetime | None = None
) -> list[RecordStatus]:
    """Every record of ``kind`` (one of :data:`KINDS`) with its state.

    Opens the shop and the back-office as a run does (``SecretError`` and
    ``ConnectorError`` are the caller's to tell); orders are the shop's of the
    import period, products and customers the back-office's.
    """
    if kind not in KINDS:
        raise ValueError(f"no such records: {kind!r}")  # internal: callers offer KINDS only
    shop = run_now.build_shop(profile.shop)
    try:
        if kind == "orders":
            return order_status(profile, shop, store, now or datetime.now(UTC))
        backoffice = run_now.build_backoffice(profile.backoffice, directory)
        if kind == "products":
            return product_status(profile, backoffice, shop, store)
        return customer_status(profile, backoffice, store)
    finally:
        shop.close()


@dataclass(frozen=True, slots=True)
class StatusPage:
    """One screenful of records, and the counts the filters show beside each state."""

    records: tuple[RecordStatus, ...]
    counts: dict[str, int]  # every record, by state
    matching: int  # records the filter and search keep, over all pages
    page: int
    pages: int


def page_of(
    records: Sequence[RecordStatus],
    *,
    states: Collection[str] = (),
    search: str = "",
    page: int = 1,
    size: int = PAGE_SIZE,
) -> StatusPage:
    """The records in ``states`` (all if empty) whose reference or name contains
    ``search`` (any case), cut to page ``page`` (clamped to the pages there are)."""
    wanted = set(states) & set(STATES)
    needle = search.strip().casefold()
    kept = [
        r
        for r in records
        if (not wanted or r.state in wanted)
        and (not needle or needle in r.label.casefold() or needle in r.key.casefold())
    ]
    pages = max(1, -(-len(kept) // size))
    page = min(max(page, 1), pages)
    counts = Counter(r.state for r in records)
    return StatusPage(
        records=tuple(kept[(page - 1) * size : page * size]),
        counts={state: counts[state] for state in STATES},
        matching=len(kept),
        page=page,
        pages=pages,
    )


@dataclass(frozen=True, slots=True)
class RecordHistory:
    """What the store keeps of one record: its link, its open problems, its journal lines
    (newest first, each with the flow of its run)."""

    binding: Binding | None
    problems: tuple[ParkedRecord, ...]
    lines: tuple[tuple[str, JournalLine], ...]


def record_history(
    store: Store, profile: str, kind: str, key: str, label: str = "", *, limit: int = 200
) -> RecordHistory:
    """One record's history; ``label`` is the name its journal lines carry (an item's code,
    an order's number), ``key`` its id where it is owned."""
    names = {key, label}
    if kind == "orders" and label:
        names.add(str(order_label(label)))  # import-orders writes "order 1001"
    problems = tuple(
        problem
        for flow in _FLOWS[kind]
        for problem in store.parked(profile, flow)
        if problem.record_key == key
    )
    return RecordHistory(
        binding=store.get_binding(profile, _BINDING_KIND[kind], key),
        problems=problems,
        lines=tuple(store.record_journal(profile, names, limit=limit)),
    )
