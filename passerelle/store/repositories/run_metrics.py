"""What the store knows, summed for monitoring: runs, records, problems, queue, shop requests.

The totals are computed from the rows on each read rather than kept as
counters of their own: the store is the one truth several processes share,
so a scrape answered by any ``passerelle serve`` says the same thing. Run rows
are never pruned (see :mod:`.retention`), so the totals only grow, as
Prometheus counters must.

A run's shop requests (how many, and how long they took) are kept beside its
counts, in the same JSON column under the ``shop`` key, written once the run
has finished: :data:`~passerelle.store.records.COUNT_KEYS` stay the run's record
outcomes and nothing that reads them sees the extra key.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from passerelle.store.checks import check_name
from passerelle.store.models import JobRow, ParkedRow, RunRow
from passerelle.store.records import COUNT_KEYS
from passerelle.store.transactions import Repository

__all__ = ["RunMetricsRepository", "ShopRequests", "SHOP_KEY"]

#: The key of a run's counts column that holds its shop requests.
SHOP_KEY = "shop"


@dataclass(frozen=True, slots=True)
class ShopRequests:
    """Requests sent to one platform's shops, retries included, and their time in seconds."""

    requests: int
    seconds: float


class RunMetricsRepository(Repository):
    """Totals over the runs, problems and jobs tables."""

    def record_shop_requests(
        self, run_id: int, platform: str, requests: int, seconds: float
    ) -> None:
        """Keep a finished run's shop requests (count and total time) with its counts."""
        check_name("platform", platform)
        if requests < 0 or seconds < 0:
            raise ValueError(  # internal: the store API misused (a bug)
                "shop requests and seconds cannot be negative"
            )
        with self._tx.session(write=True) as s:
            row = s.get(RunRow, run_id)
            if row is None:
                raise LookupError(f"no run {run_id}")  # internal: the store API misused (a bug)
            shop = {"platform": platform, "requests": int(requests), "seconds": float(seconds)}
            s.execute(
                update(RunRow)
                .where(RunRow.id == run_id)
                .values(counts={**row.counts, SHOP_KEY: shop})
            )

    def runs_by_outcome(self) -> dict[tuple[str, str], int]:
        """How many runs ended (or run) with each status, by (flow, status)."""
        query = select(RunRow.flow, RunRow.status, func.count()).group_by(
            RunRow.flow, RunRow.status
        )
        with self._tx.session() as s:
            return {(flow, status): int(n) for flow, status, n in s.execute(query)}

    def records_by_outcome(self) -> dict[tuple[str, str], int]:
        """Records of every run summed by (flow, outcome): created, updated, failed…"""
        sums = [func.sum(RunRow.counts[key].as_integer()) for key in COUNT_KEYS]
        query = select(RunRow.flow, *sums).group_by(RunRow.flow)
        totals: dict[tuple[str, str], int] = {}
        with self._tx.session() as s:
            for flow, *values in s.execute(query):
                for key, value in zip(COUNT_KEYS, values, strict=True):
                    totals[(flow, key)] = int(value or 0)
        return totals

    def open_problems_by_severity(self) -> dict[tuple[str, str], int]:
        """Problems waiting for a person or a retry, by (profile, severity)."""
        query = (
            select(ParkedRow.profile, ParkedRow.severity, func.count())
            .where(ParkedRow.resolved_at.is_(None))
            .group_by(ParkedRow.profile, ParkedRow.severity)
        )
        with self._tx.session() as s:
            return {(profile, sev): int(n) for profile, sev, n in s.execute(query)}

    def jobs_by_status(self) -> dict[str, int]:
        """The queue's jobs by status (queued, running, done, failed…)."""
        query = select(JobRow.status, func.count()).group_by(JobRow.status)
        with self._tx.session() as s:
            return {status: int(n) for status, n in s.execute(query)}

    def shop_requests_by_platform(self) -> dict[str, ShopRequests]:
        """Every run's shop requests summed by platform."""
        platform = RunRow.counts[(SHOP_KEY, "platform")].as_string()
        query = (
            select(
                platform,
                func.sum(RunRow.counts[(SHOP_KEY, "requests")].as_integer()),
                func.sum(RunRow.counts[(SHOP_KEY, "seconds")].as_float()),
            )
            .where(platform.is_not(None))
            .group_by(platform)
        )
        with self._tx.session() as s:
            return {
                name: ShopRequests(int(n or 0), float(seconds or 0.0))
                for name, n, seconds in s.execute(query)
            }
