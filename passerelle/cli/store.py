"""``passerelle store check|backup|restore|recreate``, and one message for a failing store.

Any command that meets a broken store (emptied, damaged, read-only, disk
full) raises a :class:`StoreError`; :class:`StoreFailureGroup` prints its
message alone — it already names the file, what is wrong and what to do — and
exits 1, instead of a traceback.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from typer._click.core import Context
from typer.core import TyperGroup

from passerelle.cli.common import DataDir, console, err, fail
from passerelle.cli.json_output import JsonFlag, emit
from passerelle.i18n import _
from passerelle.profiles import data_dir_from
from passerelle.runner import STORE_URL_ENV, open_store
from passerelle.runner.retention import RETENTION_ENV, prune, retention_days
from passerelle.store.backup import (
    backup_sqlite,
    default_backup_path,
    pg_dump_command,
    recreate_sqlite,
    restore_sqlite,
)
from passerelle.store.engine import sqlite_file, sqlite_url
from passerelle.store.errors import StoreError
from passerelle.store.health import check_store

__all__ = ["STORE_FAILURE_EXIT", "KeepDays", "StoreFailureGroup", "register"]

#: The retention period, for `store prune` and the worker's daily pruning.
KeepDays = Annotated[
    int | None,
    typer.Option(
        "--days",
        min=0,
        envvar=RETENTION_ENV,
        show_default=False,
        help="Days of journal lines and log files kept; older ones are pruned "
        "(default 90, 0 keeps everything).",
    ),
]

#: Exit code of a command stopped by its store: the run (if any) failed.
STORE_FAILURE_EXIT = 1

store_app = typer.Typer(
    help="The state store (queue, webhook records, history): check it, back it up, restore it.",
    no_args_is_help=True,
)


class StoreFailureGroup(TyperGroup):
    """The command line's top group: a :class:`StoreError` ends in its message, not a traceback."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(STORE_FAILURE_EXIT) from None


def register(app: typer.Typer) -> None:
    """Add ``store`` to ``app`` (the root app reports store failures through
    :class:`StoreFailureGroup`, set where it is created in ``cli/main.py``)."""
    app.add_typer(store_app, name="store")


def _store_url(data_dir: Path | None) -> str:
    """The store the other commands use: $PASSERELLE_STORE_URL or the data directory's file."""
    return os.environ.get(STORE_URL_ENV) or sqlite_url(data_dir_from(data_dir))


def _sqlite_only(url: str, what: str) -> Path:
    db = sqlite_file(url)
    if db is None:
        fail(
            f"the store is on PostgreSQL: {what} with PostgreSQL's own tools "
            "(`pg_restore`; see `passerelle store backup`)"
        )
        raise AssertionError("fail() exits")
    return db


@store_app.command("check")
def check_command(
    data_dir: DataDir = None,
    full: Annotated[
        bool, typer.Option(help="Read every page (SQLite's integrity_check): slower, finds more.")
    ] = False,
) -> None:
    """Check that the store is whole, at this version's level and where it should be."""
    report = check_store(_store_url(data_dir), full=full)
    console.print(f"state store {report.store}", highlight=False, markup=False, soft_wrap=True)
    for finding in report.findings:
        mark = "[green]ok[/green]  " if finding.ok else "[red]FAIL[/red]"
        console.print(f"  {mark} {escape(finding.text)}", highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)
    console.print("the store is healthy")


@store_app.command("backup")
def backup_command(
    data_dir: DataDir = None,
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help="File to write (default: backups/state-DATE-TIME.db in the data "
            "directory). Never overwritten.",
        ),
    ] = None,
) -> None:
    """Copy the store to a file, safely even while passerelle runs.

    On PostgreSQL, prints the pg_dump command to use instead.
    """
    url = _store_url(data_dir)
    db = sqlite_file(url)
    if db is None:
        console.print(
            "the store is on PostgreSQL: back it up with pg_dump (the password is "
            "asked for, or read from ~/.pgpass):",
            highlight=False,
        )
        console.print(
            f"  {pg_dump_command(url, to)}", highlight=False, markup=False, soft_wrap=True
        )
        console.print(
            "and restore it with `pg_restore --clean --dbname=DATABASE_URL FILE`",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        return
    try:
        result = backup_sqlite(db, to.absolute() if to else default_backup_path(db))
    except FileExistsError as exc:
        fail(escape(str(exc)))
        return
    console.print(
        f"backup written to {result.path} ({max(result.size // 1024, 1)} KB, "
        f"{result.runs} runs); restore it with `passerelle store restore "
        f"{result.path}`",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@store_app.command("restore")
def restore_command(
    backup: Annotated[Path, typer.Argument(help="A file made by `passerelle store backup`.")],
    data_dir: DataDir = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Put a backup in place of the store; stop every passerelle process first.

    The current file is set aside (renamed), not deleted.
    """
    db = _sqlite_only(_store_url(data_dir), "restore it")
    if not yes:
        typer.confirm(
            f"Replace the store {db} by {backup}? What happened since the backup is forgotten",
            abort=True,
        )
    aside = restore_sqlite(db, backup.absolute())
    _said_aside(aside)
    console.print(
        f"the store {db} is restored from {backup}", highlight=False, markup=False, soft_wrap=True
    )


@store_app.command("recreate")
def recreate_command(
    data_dir: DataDir = None,
    yes: Annotated[bool, typer.Option("--yes", help="Yes, start from an empty store.")] = False,
) -> None:
    """Start an empty store on purpose, when the old one is lost and no backup exists.

    The history is lost and orders already imported may be imported again.
    """
    db = _sqlite_only(_store_url(data_dir), "recreate it")
    if not yes:
        fail(
            "recreating the store forgets the queue, the webhook records and the history, "
            "and orders already imported may be imported again: add --yes if that is what "
            "you want (a backup is restored with `passerelle store restore`)"
        )
    aside = recreate_sqlite(db)
    _said_aside(aside)
    console.print(
        f"a new, empty store is ready at {db}", highlight=False, markup=False, soft_wrap=True
    )


def _said_aside(paths: list[Path]) -> None:
    for path in paths:
        console.print(
            f"set aside: {path} (delete it once you no longer need it)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@store_app.command("prune")
def prune_command(
    data_dir: DataDir = None,
    days: KeepDays = None,
    as_json: JsonFlag = False,
) -> None:
    """Remove journal lines, closed problems and log files older than the retention period.

    The worker does it once a day; runs and open problems are never removed.
    """
    directory = data_dir_from(data_dir)
    kept = retention_days(days)
    with open_store(directory) as store:
        report = prune(store, directory, kept, datetime.now(UTC))
    if as_json:
        emit({"days": kept, **report.as_dict()})
        return
    console.print(
        _(
            "pruned what is older than %(days)s days: %(lines)s journal lines, "
            "%(problems)s closed problems, %(logs)s log files, %(deliveries)s webhook "
            "deliveries",
            days=kept,
            lines=report.journal_lines,
            problems=report.closed_problems,
            logs=report.log_files,
            deliveries=report.webhook_deliveries,
        ),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
