"""The staging grid: imported orders waiting for the merchant to validate or reject them.

The statements live in :mod:`passerelle.store.staging`, as functions on a
session; this repository checks arguments and owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from passerelle.i18n.messages import Text
from passerelle.store import staging
from passerelle.store.batching import unique
from passerelle.store.checks import check_id, check_name, check_text
from passerelle.store.records import StagedOrder, StagedState
from passerelle.store.transactions import Repository

__all__ = ["StagingRepository"]


class StagingRepository(Repository):
    """Reads and writes of the ``staged_orders`` table."""

    def stage(
        self,
        profile: str,
        flow: str,
        order_id: str,
        *,
        order_number: str,
        document_json: str,
        customer_json: str | None,
        summary: Text,
        reason: Text | None = None,
    ) -> StagedOrder:
        """Put an imported order in the staging grid (O21), or refresh it there.

        An order already ``staged`` gets the new content (the shop may have
        changed it since the last run); ``created_at`` keeps its first
        staging. An order ``validated`` or ``rejected`` is **not** changed: a
        run must neither bring back what the merchant refused nor re-open
        what is already a back-office document. The row is returned as
        stored, so its ``state`` tells the caller which case happened.
        ``document_json`` / ``customer_json`` are opaque text, given back as is;
        ``summary`` and ``reason`` may be catalogue messages, shown in each reader's
        language (:meth:`StagedOrder.summary_in`).
        """
        check_name("profile", profile)
        check_name("flow", flow)
        check_id("order_id", order_id)
        check_text("order_number", order_number)
        check_text("document_json", document_json)
        check_text("customer_json", customer_json, optional=True)
        kept_summary = staging.kept_text(summary)
        kept_reason = staging.kept_text(reason)
        check_text("summary", kept_summary)
        check_text("reason", kept_reason, optional=True)
        values = {
            "profile": profile,
            "flow": flow,
            "order_id": order_id,
            "order_number": order_number,
            "document_json": document_json,
            "customer_json": customer_json,
            "summary": kept_summary,
            "reason": kept_reason,
            "updated_at": self._tx.now(),
        }
        with self._tx.session(write=True) as s:
            return staging.stage(s, self._tx.insert, values)

    def staged(
        self,
        profile: str,
        flow: str,
        *,
        states: Iterable[StagedState | str] = (StagedState.STAGED,),
        order_ids: Iterable[str] | None = None,
    ) -> list[StagedOrder]:
        """The grid of one flow: rows in ``states`` (and ``order_ids``), oldest first.

        Ordered by ``created_at`` then ``order_id``, so the grid does not
        reshuffle when an order is re-staged. An unknown state raises.
        """
        wanted = [StagedState(state).value for state in states]
        ids = None if order_ids is None else unique(order_ids)
        if not wanted or ids == []:
            return []
        with self._tx.session() as s:
            return staging.select_staged(s, profile, flow, wanted, ids)

    def mark_validated(
        self,
        profile: str,
        flow: str,
        order_id: str,
        *,
        remote_id: str,
        remote_number: str | None,
    ) -> StagedOrder:
        """Record that a staged order became back-office document ``remote_id``.

        Call it right after the document is created (and bind the order as
        usual: bindings are what stops a second import). It applies whatever
        the row's state, a rejection included: the document exists, and
        hiding that would be worse than overriding a late rejection. Raises
        ``LookupError`` if the order was never staged.
        """
        check_id("remote_id", remote_id)
        check_text("remote_number", remote_number, optional=True)
        with self._tx.session(write=True) as s:
            stored = staging.mark_validated(
                s,
                profile,
                flow,
                order_id,
                remote_id=remote_id,
                remote_number=remote_number,
                now=self._tx.now(),
            )
        if stored is None:
            raise LookupError(  # internal: an order the flow read from the grid
                f"order {order_id!r} is not in the staging grid of {flow!r}"
            )
        return stored

    def reject(self, profile: str, flow: str, order_ids: Iterable[str], *, reason: str) -> int:
        """Reject orders of the grid: they stay out of the back-office for good.

        Only ``staged`` rows change (a validated order has a document already;
        a rejected one keeps its first reason); returns how many did. A
        rejected row stays in the table so the next run, which fetches the
        order again, sees it is rejected (:meth:`is_rejected`) and skips it.
        """
        check_text("reason", reason)
        ids = unique(order_ids)
        if not ids:
            return 0
        with self._tx.session(write=True) as s:
            return staging.reject(s, profile, flow, ids, reason, self._tx.now())

    def is_rejected(self, profile: str, flow: str, order_id: str) -> bool:
        """Whether the merchant rejected this order (so a run must skip it)."""
        with self._tx.session() as s:
            return staging.is_rejected(s, profile, flow, order_id)

    def rejected_ids(self, profile: str, flow: str) -> set[str]:
        """Ids of the rejected orders of a flow, in one query, for a run to skip."""
        with self._tx.session() as s:
            return staging.keys(s, profile, flow, [StagedState.REJECTED.value])

    def unstage(self, profile: str, flow: str, order_ids: Iterable[str] | None = None) -> int:
        """Delete grid rows of any state (``None``: the whole grid of the flow).

        Returns how many were deleted. Used by a reset; a deleted rejection is
        forgotten, so the next run stages the order again.
        """
        ids = None if order_ids is None else unique(order_ids)
        if ids == []:
            return 0
        with self._tx.session(write=True) as s:
            return staging.delete_staged(s, profile, flow, ids)
