"""Back-office records a read could not take: parked with what to fix, the others go on.

A back-office reached through exported files (``backoffice.kind = "files"``) can
meet a malformed line: a price of "douze", a stock line for an unknown item. Its
read hands the flows the good records and keeps each bad line as an error naming
the file, the line and the column (:class:`ReadsWithProblems`). The flow that
made the read parks them here, one problem per line, so the merchant sees them
in the problems list, and resolves those a later read no longer reports (the
line was corrected or removed). A back-office whose reads are whole (Tryton, the
in-memory one) reports nothing and this costs nothing.
"""

from __future__ import annotations

from passerelle.connectors.base import ReadsWithProblems
from passerelle.flows.base import FlowContext
from passerelle.i18n.messages import M_

__all__ = ["UNREAD_PREFIX", "park_unread", "unread_codes"]

#: Keys of the problems parked here start with this, apart from the records a flow
#: parks when the shop refuses them (their keys are ids the flow reads back).
UNREAD_PREFIX = "file:"


def unread_codes(ctx: FlowContext, kind: str) -> frozenset[str]:
    """The codes whose line the last read of ``kind`` could not read (nothing parked)."""
    backoffice = ctx.backoffice
    if not isinstance(backoffice, ReadsWithProblems):
        return frozenset()
    return frozenset(e.record_id for e in backoffice.unread_records(kind) if e.record_id)


def park_unread(ctx: FlowContext, flow_name: str, kind: str) -> set[str]:
    """Park what the last read of ``kind`` could not read; the codes concerned.

    A code is returned so the flow leaves that record alone this run: an item
    whose stock line is unreadable keeps the stock the shop shows, rather than
    being sent 0.
    """
    backoffice = ctx.backoffice
    if not isinstance(backoffice, ReadsWithProblems):
        return set()
    codes: set[str] = set()
    keys: set[str] = set()
    for error in backoffice.unread_records(kind):
        key = f"{UNREAD_PREFIX}{error.record_id or error.message}"[:250]
        if key in keys:
            continue
        keys.add(key)
        if error.record_id:
            codes.add(error.record_id)
        message = M_("%(reason)s; not sent until the file is corrected", reason=error.said)
        ctx.store.park(ctx.name, flow_name, key, message, "error")
        ctx.journal.record("parked", error.record_id or M_("a file line"), message)
    for entry in ctx.store.parked(ctx.name, flow_name):
        if entry.record_key.startswith(UNREAD_PREFIX) and entry.record_key not in keys:
            ctx.store.resolve(ctx.name, flow_name, entry.record_key)
    return codes
