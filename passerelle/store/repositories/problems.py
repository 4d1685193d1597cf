"""Problems: records (and jobs) set aside with their reason until fixed or dismissed."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update

from passerelle.i18n.messages import Message
from passerelle.store.checks import check_id, check_name
from passerelle.store.models import ParkedRow
from passerelle.store.records import ParkedRecord, ProblemKind, Severity
from passerelle.store.transactions import Repository

__all__ = ["ProblemRepository"]


class ProblemRepository(Repository):
    """Reads and writes of the ``parked`` table."""

    def park(
        self,
        profile: str,
        flow: str,
        record_key: str,
        reason: Message | str,
        severity: Severity | str = Severity.ERROR,
        kind: ProblemKind | str = ProblemKind.RECORD,
    ) -> ParkedRecord:
        """Set a record aside, or update it if it is already parked (unresolved).

        A repeat increments ``tries`` and replaces ``reason``, ``severity`` and
        ``last_seen``; ``first_seen`` keeps the first time. A record parked
        again after being resolved starts a new entry. ``kind`` says whether
        the key names a record or a job (see :class:`ProblemKind`). A
        :class:`Message` reason is kept for each reader's language, with its
        English text.
        """
        check_name("profile", profile)
        check_name("flow", flow)
        check_id("record_key", record_key)
        level = Severity(severity)
        what = ProblemKind(kind)
        kept = reason if isinstance(reason, Message) else None
        now = self._tx.now()
        with self._tx.session(write=True) as s:
            stmt = self._tx.insert(ParkedRow).values(
                profile=profile,
                flow=flow,
                record_key=record_key,
                kind=what.value,
                reason=str(reason),
                reason_id=kept.id if kept else None,
                reason_params=kept.stored_params() if kept else None,
                severity=level.value,
                first_seen=now,
                last_seen=now,
                tries=1,
                resolved_at=None,
            )
            s.execute(
                stmt.on_conflict_do_update(
                    index_elements=["profile", "flow", "kind", "record_key"],
                    index_where=ParkedRow.resolved_at.is_(None),
                    set_={
                        "reason": stmt.excluded.reason,
                        "reason_id": stmt.excluded.reason_id,
                        "reason_params": stmt.excluded.reason_params,
                        "severity": stmt.excluded.severity,
                        "last_seen": stmt.excluded.last_seen,
                        "tries": ParkedRow.tries + 1,
                    },
                )
            )
            row = s.scalars(
                select(ParkedRow).where(
                    ParkedRow.profile == profile,
                    ParkedRow.flow == flow,
                    ParkedRow.kind == what.value,
                    ParkedRow.record_key == record_key,
                    ParkedRow.resolved_at.is_(None),
                )
            ).one()
            return _parked(row)

    def resolve(
        self,
        profile: str,
        flow: str,
        record_key: str,
        kind: ProblemKind | str = ProblemKind.RECORD,
    ) -> bool:
        """Mark a parked problem as resolved; ``False`` if it was not parked.

        Only a problem of the given ``kind`` is touched: a flow that imports
        an order resolves that order, never a job problem that shares its key.
        """
        with self._tx.session(write=True) as s:
            result = s.execute(
                update(ParkedRow)
                .where(
                    ParkedRow.profile == profile,
                    ParkedRow.flow == flow,
                    ParkedRow.kind == ProblemKind(kind).value,
                    ParkedRow.record_key == record_key,
                    ParkedRow.resolved_at.is_(None),
                )
                .values(resolved_at=self._tx.now())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def dismiss(self, profile: str, ids: Iterable[int] | None = None) -> list[ParkedRecord]:
        """Close open problems of ``profile`` by hand (all when ``ids`` is None).

        For what needs no fix (a job whose work was done another way, a record
        deleted from the shop). Returns the problems closed, as they were, so
        the caller can say which; ids that are not open problems of this
        profile are ignored.
        """
        query = select(ParkedRow).where(
            ParkedRow.profile == profile, ParkedRow.resolved_at.is_(None)
        )
        if ids is not None:
            query = query.where(ParkedRow.id.in_(list(ids)))
        now = self._tx.now()
        with self._tx.session(write=True) as s:
            rows = list(s.scalars(query.order_by(ParkedRow.id)))
            closed = [_parked(row) for row in rows]
            for row in rows:
                row.resolved_at = now
            return closed

    def parked(
        self,
        profile: str | None = None,
        flow: str | None = None,
        severity: Severity | str | None = None,
        include_resolved: bool = False,
        kind: ProblemKind | str | None = ProblemKind.RECORD,
    ) -> list[ParkedRecord]:
        """Parked problems, most recently seen first.

        Only *records* by default, because flows read these keys back as ids
        of their own records; ``kind=None`` gives every kind (for a person's
        list of problems), ``kind="job"`` only the jobs.
        """
        query = select(ParkedRow).order_by(ParkedRow.last_seen.desc(), ParkedRow.id.desc())
        if profile is not None:
            query = query.where(ParkedRow.profile == profile)
        if flow is not None:
            query = query.where(ParkedRow.flow == flow)
        if severity is not None:
            query = query.where(ParkedRow.severity == Severity(severity).value)
        if kind is not None:
            query = query.where(ParkedRow.kind == ProblemKind(kind).value)
        if not include_resolved:
            query = query.where(ParkedRow.resolved_at.is_(None))
        with self._tx.session() as s:
            return [_parked(row) for row in s.scalars(query)]


def _parked(row: ParkedRow) -> ParkedRecord:
    return ParkedRecord(
        id=row.id,
        profile=row.profile,
        flow=row.flow,
        record_key=row.record_key,
        reason=row.reason,
        severity=Severity(row.severity),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        tries=row.tries,
        resolved_at=row.resolved_at,
        kind=ProblemKind(row.kind),
        translatable_reason=(
            Message.from_stored(row.reason_id, row.reason_params) if row.reason_id else None
        ),
    )
