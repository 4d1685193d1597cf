"""Retention: forgetting the journal lines and closed problems older than a cut-off.

Why prune at all: the journal grows by one line per record per run, and a
merchant syncing every quarter-hour fills a disk in a year with lines nobody
reads after a month. What stays, whatever its age:

* the runs themselves (their outcome and counts are the history and the metrics);
* open problems, and the journal lines of the records they are about: a problem
  still waiting for a person keeps the story of how it came about.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, exists, select

from passerelle.store.models import JournalLineRow, ParkedRow, RunRow
from passerelle.store.transactions import Repository

__all__ = ["Pruned", "RetentionRepository"]


@dataclass(frozen=True, slots=True)
class Pruned:
    """How many rows one pruning removed, by table."""

    journal_lines: int = 0
    closed_problems: int = 0


class RetentionRepository(Repository):
    """Deletes what is older than a cut-off, never an open problem nor a run row."""

    def prune_before(self, cutoff: datetime) -> Pruned:
        """Delete journal lines written before ``cutoff`` and problems closed before it.

        A line about a record that has an open problem in the same profile and
        flow is kept, however old.
        """
        if cutoff.tzinfo is None:
            raise ValueError(  # internal: the store API misused (a bug)
                "the retention cut-off must be an aware datetime"
            )
        still_open = exists(
            select(ParkedRow.id)
            .join(RunRow, and_(RunRow.profile == ParkedRow.profile, RunRow.flow == ParkedRow.flow))
            .where(
                RunRow.id == JournalLineRow.run_id,
                ParkedRow.record_key == JournalLineRow.record_key,
                ParkedRow.resolved_at.is_(None),
            )
        )
        with self._tx.session(write=True) as s:
            lines = s.execute(
                delete(JournalLineRow)
                .where(JournalLineRow.at < cutoff, ~still_open)
                .execution_options(synchronize_session=False)
            )
            problems = s.execute(
                delete(ParkedRow).where(
                    ParkedRow.resolved_at.is_not(None), ParkedRow.resolved_at < cutoff
                )
            )
            return Pruned(
                journal_lines=int(lines.rowcount),  # type: ignore[attr-defined]
                closed_problems=int(problems.rowcount),  # type: ignore[attr-defined]
            )
