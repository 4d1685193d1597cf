"""``passerelle store check``: is the store whole, at the right version, where it should be?

A check only reads: it never migrates, never writes the marker, never
creates a missing file, so it can be run on a store in trouble (or while
passerelle runs) without making things worse. Each finding is one line a
merchant can read; the store is healthy when every finding is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from passerelle.i18n.messages import M_, Text, said
from passerelle.store.engine import make_engine, normalize_url, sqlite_file
from passerelle.store.errors import StoreError
from passerelle.store.marker import file_identity, read_marker, refuse_if_emptied
from passerelle.store.migrate import alembic_config, current_revision, head_revision

__all__ = ["Finding", "HealthReport", "check_store"]


@dataclass(frozen=True)
class Finding:
    """One thing checked, and whether it is right: ``text`` in English, ``said`` as kept
    to be shown in the reader's language."""

    ok: bool
    text: str
    said: Text = ""


@dataclass
class HealthReport:
    """What ``store check`` found about one store."""

    store: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, ok: bool, message: Text) -> None:
        self.findings.append(Finding(ok, str(message), message))


def check_store(url: str | URL, *, full: bool = False) -> HealthReport:
    """Check the store at ``url``; ``full`` runs SQLite's slower ``integrity_check``."""
    db = sqlite_file(url)
    report = HealthReport(
        str(db) if db else normalize_url(url).render_as_string(hide_password=True)
    )
    if db is not None and not _sqlite_file_ok(db, report):
        return report
    try:
        engine = make_engine(url)
    except StoreError as exc:
        report.add(False, str(exc))
        return report
    try:
        _check_contents(engine, db, full, report)
    except StoreError as exc:
        report.add(False, str(exc))
    finally:
        engine.dispose()
    return report


def _sqlite_file_ok(db: Path, report: HealthReport) -> bool:
    """The file against the marker, before anything connects (and would create it)."""
    try:
        refuse_if_emptied(db)
    except StoreError as exc:
        report.add(False, said(exc))
        return False
    if not db.exists():
        report.add(
            False, M_("there is no store at %(path)s yet: the first run creates it", path=db)
        )
        return False
    return True


def _check_contents(engine: Engine, db: Path | None, full: bool, report: HealthReport) -> None:
    with engine.connect() as conn:
        if db is not None:
            pragma = "integrity_check" if full else "quick_check"
            said = [str(row[0]) for row in conn.exec_driver_sql(f"PRAGMA {pragma}")]
            problems = [
                line
                for text_ in said
                for line in text_.splitlines()
                if line.strip() and not line.startswith("***")
            ]
            if problems != ["ok"]:
                shown = "; ".join(problems[:3])
                report.add(
                    False,
                    M_(
                        "SQLite's %(check)s found damage in %(path)s (%(count)s problems, "
                        "first: %(shown)s). Restore your latest backup "
                        "(`passerelle store restore`).",
                        check=pragma,
                        path=db,
                        count=len(problems),
                        shown=shown,
                    ),
                )
                return
            report.add(True, M_("SQLite's %(check)s: the file is whole", check=pragma))
        else:
            conn.execute(text("SELECT 1"))
            report.add(True, M_("the database server answers"))
    _check_revision(engine, db, report)
    if db is not None:
        with engine.connect() as conn:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        report.add(
            not broken,
            M_("every journal line and job points at a record that exists")
            if not broken
            else M_("%(count)s rows point at records that do not exist", count=len(broken)),
        )
        _check_marker(engine, db, report)
    _summary(engine, report)


def _check_marker(engine: Engine, db: Path, report: HealthReport) -> None:
    """The marker and the identity inside the file name the same store."""
    marker, identity = read_marker(db), file_identity(engine)
    if marker is None or identity is None:
        report.add(
            True,
            M_("no marker yet (a store made by an older passerelle): the next run writes it"),
        )
    elif identity == marker.store_id:
        report.add(
            True,
            M_(
                "the data directory's marker agrees: store %(store)s, here since %(since)s",
                store=identity,
                since=marker.created_at,
            ),
        )
    else:
        report.add(
            False,
            M_(
                "%(path)s is not the store this data directory was created with: the marker "
                "%(marker)s names store %(expected)s (since %(since)s), the file is store "
                "%(store)s. Put this directory's own file back, or if this one is the store "
                "you want, make it this directory's store with `passerelle store restore FILE`",
                path=db,
                marker=marker.path,
                expected=marker.store_id,
                since=marker.created_at,
                store=identity,
            ),
        )


def _check_revision(engine: Engine, db: Path | None, report: HealthReport) -> None:
    current, head = current_revision(engine), head_revision()
    if current == head:
        report.add(True, M_("the schema is at this version's level (%(head)s)", head=head))
    elif current is None:
        report.add(
            False,
            M_(
                "%(path)s holds no passerelle tables: it is not a store, or it was emptied",
                path=db,
            )
            if db
            else M_(
                "the database holds no passerelle tables: it is not a store, or it was emptied"
            ),
        )
    elif current in _known_revisions():
        report.add(
            True,
            M_(
                "the schema is at %(current)s; the next run upgrades it to %(head)s",
                current=current,
                head=head,
            ),
        )
    else:
        report.add(
            False,
            M_(
                "the schema is at %(current)s, unknown to this passerelle: the store was "
                "written by a newer version. Upgrade passerelle before running it",
                current=current,
            ),
        )


def _known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in scripts.walk_revisions()}


def _summary(engine: Engine, report: HealthReport) -> None:
    """What the store holds, so a person sees at a glance it is the store they expect."""
    if current_revision(engine) != head_revision():
        return
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT count(*), max(started_at) FROM runs")).one()
        waiting = conn.execute(
            text("SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')")
        ).scalar()
        bound = conn.execute(text("SELECT count(*) FROM bindings")).scalar()
    facts = {"runs": runs[0], "waiting": waiting, "bound": bound}
    report.add(
        True,
        M_(
            "it holds %(runs)s runs, the last started %(last)s; %(waiting)s jobs waiting; "
            "%(bound)s records linked between the back-office and the shops",
            last=runs[1],
            **facts,
        )
        if runs[1]
        else M_(
            "it holds %(runs)s runs; %(waiting)s jobs waiting; %(bound)s records linked "
            "between the back-office and the shops",
            **facts,
        ),
    )
