"""``--json``: one JSON document on standard output, for scripts and monitoring.

Why a module of its own: every command that lists or reports gives the same
shape for the same thing (a run, a job, a problem), described once in
``docs/schemas/`` (JSON Schema 2020-12) and ``docs/cli-json.md``; tests check
each command's output against its schema. Nothing else is written to standard
output in this mode (messages go to standard error) and exit codes are those
of the table output.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

import typer

from passerelle.i18n import _
from passerelle.store.records import Job, JournalLine, ParkedRecord, Run, StagedOrder

__all__ = [
    "JsonFlag",
    "emit",
    "job_json",
    "line_json",
    "problem_json",
    "run_json",
    "staged_json",
    "when",
]

JsonFlag = Annotated[
    bool,
    typer.Option(
        "--json",
        help=_("Print one JSON document on standard output (see docs/cli-json.md)."),
    ),
]


def emit(document: Mapping[str, Any]) -> None:
    """Write ``document`` as the command's whole standard output."""
    typer.echo(json.dumps(document, ensure_ascii=False, indent=2))


def when(moment: datetime | None) -> str | None:
    """A time as ISO 8601 in UTC, with its offset (never the terminal's zone)."""
    return None if moment is None else moment.isoformat()


def run_json(run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "profile": run.profile,
        "flow": run.flow,
        "status": str(run.status.value),
        "started_at": when(run.started_at),
        "finished_at": when(run.finished_at),
        "counts": dict(run.counts),
        "log_path": run.log_path,
    }


def line_json(line: JournalLine) -> dict[str, Any]:
    return {
        "at": when(line.at),
        "level": str(line.level.value),
        "record_key": line.record_key,
        "position": line.position,
        "total": line.total,
        "message": line.message,
    }


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "profile": job.profile,
        "job": job.flow,
        "lane": job.lane,
        "source": str(job.source),
        "status": str(job.status),
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "run_after": when(job.run_after),
        "created_at": when(job.created_at),
        "started_at": when(job.started_at),
        "finished_at": when(job.finished_at),
        "worker_id": job.worker_id,
        "last_error": job.last_error,
        "run_id": job.run_id,
        "merged_into": job.merged_into,
    }


def problem_json(entry: ParkedRecord, about: str) -> dict[str, Any]:
    """A problem; ``about`` is what the table's record column says of it."""
    return {
        "id": entry.id,
        "profile": entry.profile,
        "flow": entry.flow,
        "kind": str(entry.kind.value),
        "record_key": entry.record_key,
        "about": about,
        "severity": str(entry.severity.value),
        "tries": entry.tries,
        "first_seen": when(entry.first_seen),
        "last_seen": when(entry.last_seen),
        "reason": entry.reason,
    }


def staged_json(row: StagedOrder) -> dict[str, Any]:
    return {
        "order_id": row.order_id,
        "order_number": row.order_number,
        "state": str(row.state.value),
        "documents": row.summary,
        "reason": row.reason,
        "remote_number": row.remote_number,
    }
