"""The stock check as its readers ask for it: run it (optionally fixing), or read the last one.

``passerelle stock check`` and the console's stock page both want a check's
differences, which it fixed, and whether it completed; the flow writes them
in its run's journal (:class:`~passerelle.flows.stock_check.StockReport`),
so both read them back from there, through here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from passerelle.flows.options import FlowOptions
from passerelle.flows.stock_check import FLOW, StockReport
from passerelle.i18n.messages import Text
from passerelle.profiles.schema import Profile
from passerelle.store import Store
from passerelle.store.records import Run

__all__ = ["COMPLETE", "StockCheck", "last_stock_check", "read_check", "run_stock_check"]

#: Run statuses of a check that compared everything it could.
COMPLETE = frozenset({"succeeded", "with_problems"})


@dataclass(frozen=True, slots=True)
class StockCheck:
    """One check: its run (None if it never started), what it found, why it stopped."""

    run: Run | None
    report: StockReport = field(default_factory=StockReport)
    run_id: int | None = None
    #: Why the check did not complete (the job's outcome), in the reader's language.
    message: Text = ""

    @property
    def complete(self) -> bool:
        return self.run is not None and str(self.run.status.value) in COMPLETE


def run_stock_check(
    directory: Path,
    profile: Profile,
    options: FlowOptions,
    *,
    store: Store,
    console: Console | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> StockCheck:
    """Run the check as a manual job (refusals are the caller's: see ``fix_refusal``);
    ``store`` reads its report back, ``console`` shows its journal (quiet when None)."""
    from passerelle.runner.by_hand import run_in_queue  # as passerelle.cli.worker does

    outcome = run_in_queue(
        directory, profile, FLOW, options, console=console or Console(quiet=True), on_wait=on_wait
    )
    said: Text = getattr(outcome, "said", "") or getattr(outcome, "last_error", "") or ""
    return _read(store, outcome.run_id, said)


def last_stock_check(store: Store, profile: str) -> StockCheck | None:
    """The profile's latest check, as its journal tells it; None before the first."""
    runs = store.list_runs(profile=profile, flow=FLOW, limit=1)
    return _read(store, runs[0].id, "") if runs else None


def read_check(store: Store, profile: str, run_id: int) -> StockCheck | None:
    """Run ``run_id``'s report, if it is one of ``profile``'s stock checks."""
    run = store.get_run(run_id)
    if run is None or run.profile != profile or run.flow != FLOW:
        return None
    return _read(store, run_id, "")


def _read(store: Store, run_id: int | None, message: Text) -> StockCheck:
    run = store.get_run(run_id) if run_id is not None else None
    report = StockReport.from_journal(store.journal(run.id)) if run is not None else StockReport()
    return StockCheck(run=run, report=report, run_id=run_id, message=message)
