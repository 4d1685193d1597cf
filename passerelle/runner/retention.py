"""Retention: journal lines, log files and old webhook deliveries pruned once a day.

The worker prunes as one of its scheduled chores (once a day, once whatever the
number of workers: the day's slot is won by compare-and-swap in the store, like
a profile's schedule); ``passerelle store prune`` does the same by hand.

What is never pruned: the run rows (outcome and counts, the history the metrics
add up) and open problems with the journal lines of their records (see
:mod:`passerelle.store.repositories.retention`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from passerelle.store import Store

__all__ = [
    "DEFAULT_RETENTION_DAYS",
    "RETENTION_ENV",
    "PruneReport",
    "prune",
    "prune_if_due",
    "retention_days",
]

log = logging.getLogger("passerelle.worker")

DEFAULT_RETENTION_DAYS = 90
#: The number of days kept, for every profile of the data directory (0: keep all).
RETENTION_ENV = "PASSERELLE_RETENTION_DAYS"
# The retention chore's slot in the schedule table: no profile name starts with "*".
_SLOT_PROFILE, _SLOT_FLOW = "*", "retention"
_EVERY = timedelta(days=1)


@dataclass(frozen=True)
class PruneReport:
    """What one pruning removed, and the cut-off it used."""

    cutoff: datetime
    journal_lines: int = 0
    closed_problems: int = 0
    log_files: int = 0
    webhook_deliveries: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "journal_lines": self.journal_lines,
            "closed_problems": self.closed_problems,
            "log_files": self.log_files,
            "webhook_deliveries": self.webhook_deliveries,
        }


def retention_days(given: int | None = None) -> int:
    """Days to keep: ``given``, else $PASSERELLE_RETENTION_DAYS, else 90; never negative."""
    if given is None:
        raw = os.environ.get(RETENTION_ENV, "").strip()
        given = int(raw) if raw.isdigit() else DEFAULT_RETENTION_DAYS
    if given < 0:
        raise ValueError(  # internal: --days has min=0, the variable is read when all digits
            "the retention period is a number of days, 0 or more"
        )
    return given


def prune(store: Store, data_dir: Path, days: int, now: datetime) -> PruneReport:
    """Remove what is older than ``days`` before ``now``; ``days == 0`` removes nothing."""
    cutoff = now - timedelta(days=days)
    if days == 0:
        return PruneReport(cutoff)
    pruned = store.prune_before(cutoff)
    deliveries = store.queue.prune_deliveries(now - cutoff)
    return PruneReport(
        cutoff,
        journal_lines=pruned.journal_lines,
        closed_problems=pruned.closed_problems,
        log_files=_prune_logs(data_dir / "logs", cutoff),
        webhook_deliveries=deliveries,
    )


def _prune_logs(logs: Path, cutoff: datetime) -> int:
    """Delete the run log files last written before ``cutoff``; how many."""
    if not logs.is_dir():
        return 0
    limit = cutoff.timestamp()
    count = 0
    for path in logs.glob("*/*.log"):
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                count += 1
        except FileNotFoundError:  # another worker pruned it first
            continue
    return count


def prune_if_due(store: Store, data_dir: Path, days: int, now: datetime) -> PruneReport | None:
    """Prune once a day across all workers; the report when this caller pruned."""
    queue = store.queue
    due = queue.slots(_SLOT_PROFILE).get(_SLOT_FLOW)
    if due is not None and due > now:
        return None
    if not queue.claim_slot(_SLOT_PROFILE, _SLOT_FLOW, due, now + _EVERY):
        return None
    report = prune(store, data_dir, days, now)
    log.info(
        "retention (%s days): %s journal lines, %s closed problems, %s log files pruned",
        days,
        report.journal_lines,
        report.closed_problems,
        report.log_files,
    )
    return report
