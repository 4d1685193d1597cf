"""The journal: what each run did, line by line, in the order it was written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from passerelle.i18n.messages import Message
from passerelle.store.driver_batch import DriverStatement
from passerelle.store.models import JournalLineRow, RunRow
from passerelle.store.records import JournalEntry, JournalLevel, JournalLine
from passerelle.store.transactions import Repository

__all__ = ["JournalRepository"]

# Lines are written in bulk through the Core table (one executemany).
_JOURNAL_TABLE = cast(Table, JournalLineRow.__table__)
_RUNS_TABLE = cast(Table, RunRow.__table__)
_KEYS = (
    "run_id",
    "at",
    "level",
    "record_key",
    "record_label",
    "position",
    "total",
    "message",
    "message_id",
    "message_params",
)
# A level's stored text, by level or text (a dict look-up, not an enum call per line).
_LEVELS: dict[str, str] = {level.value: level.value for level in JournalLevel}
# Compiled once, run by the driver for all of a flush's lines (passerelle.store.driver_batch).
_LINES = DriverStatement(
    lambda _dialect: insert(_JOURNAL_TABLE), _KEYS, {"at": _JOURNAL_TABLE.c.at.type}
)
# The run's heartbeat written with its lines: one statement, built once (building it at
# every flush cost more than running it).
_HEARTBEAT = (
    update(_RUNS_TABLE)
    .where(_RUNS_TABLE.c.id == bindparam("run"))
    .values(heartbeat_at=bindparam("now", type_=_RUNS_TABLE.c.heartbeat_at.type))
)


class JournalRepository(Repository):
    """Reads and writes of the ``journal_lines`` table."""

    def add_journal(
        self,
        run_id: int,
        level: JournalLevel | str,
        message: Message | str,
        *,
        record_key: Message | str | None = None,
        position: int | None = None,
        total: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Append one journal line (prefer :meth:`add_journal_many` in loops).

        A :class:`Message` is kept for each reader's language, with its English text.
        """
        self.add_journal_many(
            run_id, [JournalEntry.of(level, message, record_key, position, total, at)]
        )

    def add_journal_many(self, run_id: int, entries: Iterable[JournalEntry]) -> int:
        """Append journal lines in one transaction; also counts as a heartbeat.

        Returns the number of lines written. Lines keep the given order.
        """
        now = self._tx.now()
        at = _LINES.processor(self._tx.engine, "at")
        values = [
            (
                run_id,
                at(entry.at if entry.at is not None else now),
                _LEVELS.get(entry.level) or JournalLevel(entry.level).value,
                entry.record_key,
                entry.translatable_record.stored() if entry.translatable_record else None,
                entry.position,
                entry.total,
                entry.message,
                entry.translatable.id if entry.translatable else None,
                entry.translatable.stored_params() if entry.translatable else None,
            )
            for entry in entries
        ]
        if not values:
            return 0
        try:
            # A plain connection (no ORM session): a run writes lines every batch.
            with self._tx.connection(write=True) as connection:
                touched = connection.execute(_HEARTBEAT, {"run": run_id, "now": now})
                if touched.rowcount == 0:
                    raise LookupError(f"no run {run_id}")  # internal: a run id the code holds
                _LINES.run_tuples(connection, values)
        except IntegrityError as exc:  # pragma: no cover - guarded by the LookupError above
            raise LookupError(f"no run {run_id}") from exc  # internal: a run id the code holds
        return len(values)

    def journal(self, run_id: int, *, after: int | None = None) -> list[JournalLine]:
        """A run's journal, in the order it was written.

        ``after`` (a line id) gives only the lines written since: a live view polls
        with the last id it showed, reading only what is new (the primary key's index).
        """
        query = select(JournalLineRow).where(JournalLineRow.run_id == run_id)
        if after is not None:
            query = query.where(JournalLineRow.id > after)
        with self._tx.session() as s:
            rows = s.scalars(query.order_by(JournalLineRow.id))
            return [_journal_line(row) for row in rows]

    def record_journal(
        self, profile: str, record_keys: Iterable[str], *, limit: int = 200
    ) -> list[tuple[str, JournalLine]]:
        """One record's lines across all of ``profile``'s runs, newest first, each with its
        run's flow: the history a merchant asks for ("what happened to this product?").

        ``record_keys`` are the names a record's lines may carry (its code, its label);
        ``limit`` bounds what is read, the newest kept.
        """
        keys = sorted({key for key in record_keys if key})
        if not keys:
            return []
        with self._tx.session() as s:
            rows = s.execute(
                select(RunRow.flow, JournalLineRow)
                .join(RunRow, RunRow.id == JournalLineRow.run_id)
                .where(RunRow.profile == profile, JournalLineRow.record_key.in_(keys))
                .order_by(JournalLineRow.id.desc())
                .limit(limit)
            )
            return [(flow, _journal_line(row)) for flow, row in rows]


def _journal_line(row: JournalLineRow) -> JournalLine:
    return JournalLine(
        id=row.id,
        run_id=row.run_id,
        at=row.at,
        level=JournalLevel(row.level),
        record_key=row.record_key,
        position=row.position,
        total=row.total,
        message=row.message,
        translatable=(
            Message.from_stored(row.message_id, row.message_params) if row.message_id else None
        ),
        translatable_record=Message.from_json(row.record_label) if row.record_label else None,
    )
