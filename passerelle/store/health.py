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

from passerelle.store.engine import make_engine, normalize_url, sqlite_file
from passerelle.store.errors import StoreError
from passerelle.store.marker import file_identity, read_marker, refuse_if_emptied
from passerelle.store.migrate import alembic_config, current_revision, head_revision

__all__ = ["Finding", "HealthReport", "check_store"]


@dataclass(frozen=True)
class Finding:
    """One thing checked, and whether it is right."""

    ok: bool
    text: str


@dataclass
class HealthReport:
    """What ``store check`` found about one store."""

    store: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.findings)

    def add(self, ok: bool, text: str) -> None:
        self.findings.append(Finding(ok, text))


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
        report.add(False, str(exc))
        return False
    if not db.exists():
        report.add(False, f"there is no store at {db} yet: the first run creates it")
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
                    f"SQLite's {pragma} found damage in {db} ({len(problems)} "
                    f"problems, first: {shown}). Restore your latest backup "
                    "(`passerelle store restore`).",
                )
                return
            report.add(True, f"SQLite's {pragma}: the file is whole")
        else:
            conn.execute(text("SELECT 1"))
            report.add(True, "the database server answers")
    _check_revision(engine, db, report)
    if db is not None:
        with engine.connect() as conn:
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        report.add(
            not broken,
            "every journal line and job points at a record that exists"
            if not broken
            else f"{len(broken)} rows point at records that do not exist",
        )
        _check_marker(engine, db, report)
    _summary(engine, report)


def _check_marker(engine: Engine, db: Path, report: HealthReport) -> None:
    """The marker and the identity inside the file name the same store."""
    marker, identity = read_marker(db), file_identity(engine)
    if marker is None or identity is None:
        report.add(
            True, "no marker yet (a store made by an older passerelle): the next run writes it"
        )
    elif identity == marker.store_id:
        report.add(
            True,
            f"the data directory's marker agrees: store {identity}, here since {marker.created_at}",
        )
    else:
        report.add(
            False,
            f"{db} is not the store this data directory was created with: the "
            f"marker {marker.path} names store {marker.store_id} (since "
            f"{marker.created_at}), the file is store {identity}. Put this "
            "directory's own file back, or if this one is the store you want, "
            "make it this directory's store with `passerelle store restore FILE`",
        )


def _check_revision(engine: Engine, db: Path | None, report: HealthReport) -> None:
    current, head = current_revision(engine), head_revision()
    if current == head:
        report.add(True, f"the schema is at this version's level ({head})")
    elif current is None:
        where = f"{db}" if db else "the database"
        report.add(
            False, f"{where} holds no passerelle tables: it is not a store, or it was emptied"
        )
    elif current in _known_revisions():
        report.add(True, f"the schema is at {current}; the next run upgrades it to {head}")
    else:
        report.add(
            False,
            f"the schema is at {current}, unknown to this passerelle: the store "
            "was written by a newer version. Upgrade passerelle before running it",
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
    last = f", the last started {runs[1]}" if runs[1] else ""
    report.add(
        True,
        f"it holds {runs[0]} runs{last}; {waiting} jobs waiting; {bound} records "
        "linked between the back-office and the shops",
    )
