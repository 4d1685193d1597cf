"""``passerelle worker``, ``jobs`` and ``problems``: the unattended side, from the command line."""

from __future__ import annotations

import getpass
import logging
import signal
from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from passerelle.cli.common import DataDir, ProfileName, console, err, fail
from passerelle.cli.json_output import JsonFlag, emit, job_json, problem_json
from passerelle.cli.language import translated
from passerelle.cli.store import KeepDays
from passerelle.flows.options import FlowOptions
from passerelle.i18n import N_, _
from passerelle.i18n.messages import render, said
from passerelle.profiles import Profile, ProfileError, ProfileRepository, data_dir_from
from passerelle.runner import open_store
from passerelle.runner.execute import JobOutcome
from passerelle.runner.problems import dismiss_problems, retry_problems
from passerelle.runner.unreachable import UNREACHABLE_FLOW
from passerelle.store.records import Job, ParkedRecord, ProblemKind, RunStatus

__all__ = ["in_words", "register"]

problems_app = typer.Typer(
    help=_("What is parked for a person, sending it again, or closing what needs no fix."),
    invoke_without_command=True,
)

#: A job's status and source, a problem's severity and a journal line's level, in words.
_WORDS = {
    "schedule": N_("schedule"),
    "webhook": N_("webhook"),
    "poll": N_("poll"),
    "manual": N_("manual"),
    "success": N_("success"),
    "warning": N_("warning"),
    "queued": N_("queued"),
    "running": N_("running"),
    "done": N_("done"),
    "failed": N_("failed"),
    "merged": N_("merged"),
    "cancelled": N_("cancelled"),
    "info": N_("info"),
    "retry": N_("retry"),
    "error": N_("error"),
}


def in_words(value: str) -> str:
    """A status, source, severity or level as the merchant reads it (else ``value``)."""
    return translated(_WORDS[value]) if value in _WORDS else value


ProblemIds = Annotated[
    list[str], typer.Argument(help=_("Problem ids from `passerelle problems`, or ALL."))
]


def register(app: typer.Typer) -> None:
    app.command(
        "worker",
        help=_(
            "Run queued and scheduled jobs until stopped (SIGTERM or Ctrl-C finish the job at "
            "hand)."
        ),
    )(worker_command)
    app.command("jobs", help=_("List the queue's jobs, most recent first."))(jobs_command)
    app.add_typer(problems_app, name="problems")


def worker_command(
    data_dir: DataDir = None,
    job_timeout: Annotated[
        float,
        typer.Option(
            help=_(
                "Seconds without a heartbeat after which another worker takes a dead "
                "worker's job back."
            )
        ),
    ] = 60.0,
    heartbeat: Annotated[float, typer.Option(help=_("Seconds between heartbeats."))] = 5.0,
    poll: Annotated[float, typer.Option(help=_("Seconds between looks at an idle queue."))] = 1.0,
    shop_limit: Annotated[
        int, typer.Option(help=_("Jobs talking to one shop at once, across all workers."))
    ] = 2,
    schedules: Annotated[bool, typer.Option(help=_("Queue the profiles' scheduled jobs."))] = True,
    once: Annotated[bool, typer.Option(help=_("Run what is queued, then exit."))] = False,
    keep_days: KeepDays = None,  # `--days`: pruned once a day
) -> None:
    """Run queued and scheduled jobs until stopped (SIGTERM or Ctrl-C finish the job at hand)."""
    from passerelle.runner.worker import Worker

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("passerelle").setLevel(logging.INFO)
    directory = data_dir_from(data_dir)
    store = open_store(directory)
    worker = Worker(
        directory,
        store=store,
        console=err,
        job_timeout=timedelta(seconds=job_timeout),
        heartbeat_every=timedelta(seconds=heartbeat),
        poll_every=poll,
        shop_limit=shop_limit,
        schedules=schedules,
        keep_days=keep_days,
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: worker.stop())
    err.print(_("worker %(id)s on %(store)s", id=worker.id, store=store.url), highlight=False)
    try:
        worker.run(until_idle=once)
    finally:
        worker.close()
        store.close()


def run_through_queue(
    directory: Path, profile: Profile, flow: str, options: FlowOptions
) -> RunStatus:
    """``passerelle run``: queue the flow as a manual job and run it here, now; its outcome.

    Through the queue so that a run by hand never overlaps a worker's run of the
    same lane (R2): it waits for that one to end. Its journal shows live.
    """
    outcome = run_in_queue(directory, profile, flow, options)
    status = run_outcome(directory, outcome)
    if outcome.status == "failed":
        err.print(
            "[red]"
            + _("%(flow)s failed:", flow=flow)
            + f"[/red] {escape(outcome_message(outcome))}",
            highlight=False,
        )
    elif status is RunStatus.WITH_PROBLEMS:
        err.print(
            "[yellow]"
            + _("%(flow)s completed with problems:", flow=flow)
            + "[/yellow] "
            + _("see `passerelle problems`"),
            highlight=False,
        )
    return status


def run_outcome(directory: Path, outcome: JobOutcome | Job) -> RunStatus:
    """How the job's run ended, as recorded; failed when no run was recorded."""
    from passerelle.runner.by_hand import run_outcome as recorded

    return recorded(directory, outcome)


def run_in_queue(
    directory: Path, profile: Profile, flow: str, options: FlowOptions
) -> JobOutcome | Job:
    """Queue the flow as a manual job and run it here once its lane is free: this
    worker's outcome, or the job as another worker left it (both carry ``run_id``)."""
    from passerelle.runner.by_hand import run_in_queue as by_hand

    return by_hand(
        directory,
        profile,
        flow,
        options,
        console=err,
        on_wait=lambda m: err.print(m, highlight=False),
    )


def outcome_message(outcome: JobOutcome | Job) -> str:
    """Why the job did not end well: this worker's kept reason in the terminal's
    language, or the English the queue kept for a job another worker ran."""
    if isinstance(outcome, JobOutcome):
        return render(outcome.said)
    return outcome.last_error or ""


def jobs_command(
    profile: ProfileName = None,
    status: Annotated[
        str | None, typer.Option(help=_("queued, running, done, failed, merged or cancelled."))
    ] = None,
    limit: Annotated[int, typer.Option(help=_("How many jobs, most recent first."))] = 50,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """List the queue's jobs, most recent first."""
    store = open_store(data_dir_from(data_dir))
    jobs = store.queue.jobs(profile=profile, status=status, limit=limit)
    if as_json:
        emit({"jobs": [job_json(job) for job in jobs]})
        return
    table = Table(box=None, pad_edge=False)
    columns = (_("id"), _("profile"), _("job"), _("source"), _("status"), _("tries"), _("due"))
    for column in columns:
        table.add_column(column, no_wrap=True)
    table.add_column(_("error"))
    for job in jobs:
        table.add_row(
            str(job.id),
            job.profile,
            job.flow,
            in_words(job.source),
            in_words(job.status),
            f"{job.attempts}/{job.max_attempts}",
            job.run_after.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            job.last_error or "",
        )
    console.print(table)


@problems_app.callback()
def problems_list(
    ctx: typer.Context,
    profile: ProfileName = None,
    severity: Annotated[str | None, typer.Option(help=_("info, retry or error."))] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """List what is parked: each record, why, and what to do."""
    if ctx.invoked_subcommand:
        return
    name = _profile_name(profile, data_dir)
    store = open_store(data_dir_from(data_dir))
    parked = store.parked(name, severity=severity, kind=None)
    if as_json:
        emit({"profile": name, "problems": [problem_json(p, _what(p)) for p in parked]})
        return
    if not parked:
        console.print(_("nothing parked for profile %(profile)s", profile=name))
        return
    table = Table(box=None, pad_edge=False)
    for column in (_("id"), _("severity"), _("flow"), _("record"), _("tries"), _("last seen")):
        table.add_column(column, no_wrap=True)
    table.add_column(_("reason"))
    for entry in parked:
        table.add_row(
            str(entry.id),
            in_words(str(entry.severity)),
            entry.flow,
            _what(entry),
            str(entry.tries),
            entry.last_seen.astimezone().strftime("%Y-%m-%d %H:%M"),
            entry.reason_in(),
        )
    console.print(table)


def _what(entry: ParkedRecord) -> str:
    """The record column: the record's key, or what a job problem is about."""
    if entry.kind is ProblemKind.RECORD:
        return entry.record_key
    if entry.flow == UNREACHABLE_FLOW:
        return _("the shop")
    return _("the job itself (%(key)s)", key=entry.record_key)


@problems_app.command(
    "retry", help=_("Send parked records and failed jobs back to the queue; a worker takes them.")
)
def problems_retry(
    ids: ProblemIds,
    profile: ProfileName = None,
    data_dir: DataDir = None,
) -> None:
    """Send parked records and failed jobs back to the queue; a worker takes them."""
    name = _profile_name(profile, data_dir)
    store = open_store(data_dir_from(data_dir))
    profile_obj = ProfileRepository(data_dir_from(data_dir)).load(name)
    wanted = _problem_ids(ids)
    try:
        report = retry_problems(store, profile_obj, wanted)
    except LookupError as exc:
        fail(render(said(exc)))
        return
    for line in report:
        console.print(render(line), highlight=False)


@problems_app.command(
    "dismiss",
    help=_("Close problems that need no fix (the journal keeps who closed what, and when)."),
)
def problems_dismiss(
    ids: ProblemIds,
    profile: ProfileName = None,
    data_dir: DataDir = None,
) -> None:
    """Close problems that need no fix (the journal keeps who closed what, and when)."""
    name = _profile_name(profile, data_dir)
    wanted = _problem_ids(ids)
    store = open_store(data_dir_from(data_dir))
    try:
        report = dismiss_problems(store, name, wanted, by=_who())
    except LookupError as exc:
        fail(render(said(exc)))
        return
    finally:
        store.close()
    for line in report:
        console.print(render(line), highlight=False, markup=False, soft_wrap=True)


def _problem_ids(ids: list[str]) -> list[int] | None:
    """Problem ids as numbers, or None for ALL; exits saying what to give otherwise."""
    if [i.upper() for i in ids] == ["ALL"]:
        return None
    try:
        return [int(i) for i in ids]
    except ValueError:
        fail(_("give problem ids (numbers from `passerelle problems`) or ALL"))
        raise AssertionError("fail() exits") from None  # internal: fail() exits


def _who() -> str:
    """The person at the keyboard, as the system names them."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in this environment (a bare container)
        return "an unnamed user"


def _profile_name(profile: str | None, data_dir: object) -> str:
    try:
        return ProfileRepository(data_dir_from(data_dir)).load(profile).name  # type: ignore[arg-type]
    except ProfileError as exc:
        fail(render(said(exc)))
        raise AssertionError from exc  # fail() exits
