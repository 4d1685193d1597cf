"""A run's outcome, and the exit code that tells it to a shell or a scheduler.

Four outcomes, each with its own code, so a cron job or a CI step can tell
"all done" from "done, but records wait for a person" without reading the
journal:

========================  ====
succeeded                 0
completed with problems   3
failed                    1
interrupted               130
========================  ====

130 is the shell's own code for a command stopped by Ctrl-C (128 + SIGINT).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from passerelle.store import Store
from passerelle.store.records import ProblemKind, RunStatus, Severity

__all__ = ["EXIT_CODES", "exit_code", "judge", "worst"]

EXIT_CODES: dict[RunStatus, int] = {
    RunStatus.SUCCEEDED: 0,
    RunStatus.WITH_PROBLEMS: 3,
    RunStatus.FAILED: 1,
    RunStatus.INTERRUPTED: 130,
}

# From best to worst: `run all` reports the worst of its runs.
_RANK: tuple[RunStatus, ...] = (
    RunStatus.SUCCEEDED,
    RunStatus.WITH_PROBLEMS,
    RunStatus.FAILED,
    RunStatus.INTERRUPTED,
)


def exit_code(status: RunStatus | str) -> int:
    """The process exit code of an outcome; a run still "running" is no success."""
    return EXIT_CODES.get(RunStatus(status), 1)


def worst(statuses: Iterable[RunStatus | str]) -> RunStatus:
    """The worst outcome of several runs (succeeded when there were none)."""
    return _RANK[max((_rank(s) for s in statuses), default=0)]


def _rank(status: RunStatus | str) -> int:
    final = RunStatus(status)
    return _RANK.index(final if final in _RANK else RunStatus.FAILED)


def judge(
    store: Store, profile: str, flow: str, started_at: datetime, counts: Mapping[str, int]
) -> RunStatus:
    """The outcome of a run that went to its end: succeeded, or completed with problems.

    Problems are records that failed, or that this run parked for a person
    (severity error). Records parked to be retried by themselves (awaiting
    payment) or for information are no problem: nobody has anything to do.
    """
    if counts.get("failed", 0):
        return RunStatus.WITH_PROBLEMS
    for entry in store.parked(profile, flow, severity=Severity.ERROR, kind=ProblemKind.RECORD):
        if entry.last_seen >= started_at:
            return RunStatus.WITH_PROBLEMS
    return RunStatus.SUCCEEDED
