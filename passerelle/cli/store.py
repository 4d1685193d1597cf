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
from typer._click.core import Context, Parameter
from typer.core import TyperGroup

from passerelle.cli.common import DataDir, console, err, fail
from passerelle.cli.json_output import JsonFlag, emit
from passerelle.cli.language import translate_option, translate_tree
from passerelle.i18n import _
from passerelle.i18n.messages import render, said
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
        help=_(
            "Days of journal lines and log files kept; older ones are pruned "
            "(default 90, 0 keeps everything)."
        ),
    ),
]

#: Exit code of a command stopped by its store: the run (if any) failed.
STORE_FAILURE_EXIT = 1

store_app = typer.Typer(
    help=_("The state store (queue, webhook records, history): check it, back it up, restore it."),
    no_args_is_help=True,
)


class StoreFailureGroup(TyperGroup):
    """The command line's top group: a :class:`StoreError` ends in its message, not a traceback.

    Built once every command under it is built, it also gives them the French of
    Typer's own option help (:func:`passerelle.cli.language.translate_tree`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        translate_tree(self)

    def get_params(self, ctx: Context) -> list[Parameter]:
        # Typer adds its completion options once the group is built: translated here.
        params = super().get_params(ctx)
        for param in params:
            translate_option(param)
        return params

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            err.print(
                "[red]" + _("error:") + f"[/red] {escape(render(said(exc)))}",
                highlight=False,
                soft_wrap=True,
            )
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
            _(
                "the store is on PostgreSQL: %(what)s with PostgreSQL's own tools "
                "(`pg_restore`; see `passerelle store backup`)",
                what=what,
            )
        )
        raise AssertionError("fail() exits")  # internal: fail() exits
    return db


@store_app.command(
    "check",
    help=_("Check that the store is whole, at this version's level and where it should be."),
)
def check_command(
    data_dir: DataDir = None,
    full: Annotated[
        bool,
        typer.Option(help=_("Read every page (SQLite's integrity_check): slower, finds more.")),
    ] = False,
) -> None:
    """Check that the store is whole, at this version's level and where it should be."""
    report = check_store(_store_url(data_dir), full=full)
    console.print(
        _("state store %(store)s", store=report.store),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    for finding in report.findings:
        mark = "[green]" + _("ok") + "[/green]  " if finding.ok else "[red]" + _("FAIL") + "[/red]"
        console.print(f"  {mark} {escape(render(finding.said))}", highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)
    console.print(_("the store is healthy"))


@store_app.command(
    "backup",
    help=_(
        "Copy the store to a file, safely even while passerelle runs.\n\n"
        "On PostgreSQL, prints the pg_dump command to use instead."
    ),
)
def backup_command(
    data_dir: DataDir = None,
    to: Annotated[
        Path | None,
        typer.Option(
            "--to",
            help=_(
                "File to write (default: backups/state-DATE-TIME.db in the data directory). "
                "Never overwritten."
            ),
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
            _(
                "the store is on PostgreSQL: back it up with pg_dump (the password is asked "
                "for, or read from ~/.pgpass):"
            ),
            highlight=False,
        )
        console.print(
            f"  {pg_dump_command(url, to)}", highlight=False, markup=False, soft_wrap=True
        )
        console.print(
            _("and restore it with `pg_restore --clean --dbname=DATABASE_URL FILE`"),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        return
    try:
        result = backup_sqlite(db, to.absolute() if to else default_backup_path(db))
    except FileExistsError as exc:
        fail(escape(render(said(exc))))
        return
    console.print(
        _(
            "backup written to %(path)s (%(size)s KB, %(runs)s runs); restore it with "
            "`passerelle store restore %(path)s`",
            path=result.path,
            size=max(result.size // 1024, 1),
            runs=result.runs,
        ),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@store_app.command(
    "restore",
    help=_(
        "Put a backup in place of the store; stop every passerelle process first.\n\n"
        "The current file is set aside (renamed), not deleted."
    ),
)
def restore_command(
    backup: Annotated[Path, typer.Argument(help=_("A file made by `passerelle store backup`."))],
    data_dir: DataDir = None,
    yes: Annotated[bool, typer.Option("--yes", help=_("Do not ask for confirmation."))] = False,
) -> None:
    """Put a backup in place of the store; stop every passerelle process first.

    The current file is set aside (renamed), not deleted.
    """
    db = _sqlite_only(_store_url(data_dir), _("restore it"))
    if not yes:
        typer.confirm(
            _(
                "Replace the store %(store)s by %(backup)s? What happened since the backup is "
                "forgotten",
                store=db,
                backup=backup,
            ),
            abort=True,
        )
    aside = restore_sqlite(db, backup.absolute())
    _said_aside(aside)
    console.print(
        _("the store %(store)s is restored from %(backup)s", store=db, backup=backup),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@store_app.command(
    "recreate",
    help=_(
        "Start an empty store on purpose, when the old one is lost and no backup exists.\n\n"
        "The history is lost and orders already imported may be imported again."
    ),
)
def recreate_command(
    data_dir: DataDir = None,
    yes: Annotated[bool, typer.Option("--yes", help=_("Yes, start from an empty store."))] = False,
) -> None:
    """Start an empty store on purpose, when the old one is lost and no backup exists.

    The history is lost and orders already imported may be imported again.
    """
    db = _sqlite_only(_store_url(data_dir), _("recreate it"))
    if not yes:
        fail(
            _(
                "recreating the store forgets the queue, the webhook records and the history, "
                "and orders already imported may be imported again: add --yes if that is what "
                "you want (a backup is restored with `passerelle store restore`)"
            )
        )
    aside = recreate_sqlite(db)
    _said_aside(aside)
    console.print(
        _("a new, empty store is ready at %(store)s", store=db),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _said_aside(paths: list[Path]) -> None:
    for path in paths:
        console.print(
            _("set aside: %(path)s (delete it once you no longer need it)", path=path),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@store_app.command(
    "prune",
    help=_(
        "Remove journal lines, closed problems and log files older than the retention "
        "period.\n\nThe worker does it once a day; runs and open problems are never removed."
    ),
)
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
