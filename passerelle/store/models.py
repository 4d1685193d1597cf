"""ORM models of the state store: the schema as the code sees it.

These classes stay private to ``passerelle.store``: callers get the frozen
records of :mod:`passerelle.store.records`, so no session, lazy load or
detached-instance error ever leaks into a flow.

The schema itself is created and changed **only by the Alembic migrations**
in ``migrations/versions``; a test compares these models with a migrated
database on SQLite and PostgreSQL, so the two cannot drift apart.

Choices that keep the schema easy to extend:

* Constraint and index names come from one naming convention, so a later
  migration can drop or alter them by a predictable name (SQLite batch
  migrations need that).
* Enumerated values (status, level, severity) are short strings checked in
  Python (see ``records.py``), not database enums or CHECK constraints:
  adding a value later needs no table rebuild on SQLite and no ``ALTER TYPE``
  on PostgreSQL.
* Times are one column type, :class:`UTCDateTime`, that refuses naive values.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Base",
    "BindingRow",
    "BookmarkRow",
    "JobRow",
    "JournalLineRow",
    "ParkedRow",
    "RecordGenerationRow",
    "RunRow",
    "ScheduleSlotRow",
    "StagedOrderRow",
    "UTCDateTime",
    "WebhookDeliveryRow",
    "WorkerRow",
]

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Short identifiers (profile, kind, flow) vs. ids coming from foreign systems.
NAME = 100
EXTERNAL_ID = 255

# SQLite only auto-increments an ``INTEGER PRIMARY KEY``; PostgreSQL gets a
# 64-bit key for the tables that grow with every run.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    PostgreSQL stores ``timestamptz``; SQLite has no time zone, so the value is
    stored as naive UTC text (fixed width, hence correctly ordered) and made
    aware again on the way out. Naive datetimes are refused on the way in,
    because "which zone was that?" is exactly the bug this type exists to stop.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(  # internal: the code gives UTC datetimes
                f"naive datetime {value!r} given to the state store; use UTC"
            )
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base sharing the naming convention and the UTC type."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


class BindingRow(Base):
    """One record known on both sides: ``local_id`` (owner's id) ↔ ``remote_id``."""

    __tablename__ = "bindings"
    __table_args__ = (
        UniqueConstraint("profile", "kind", "local_id"),
        Index(None, "profile", "kind", "remote_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(NAME))
    kind: Mapped[str] = mapped_column(String(NAME))
    local_id: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    remote_id: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    synced_at: Mapped[datetime]
    remote_number: Mapped[str | None] = mapped_column(String(EXTERNAL_ID))


class BookmarkRow(Base):
    """Where a flow resumes: a date or an opaque cursor, per profile and flow."""

    __tablename__ = "bookmarks"

    profile: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    flow: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime]


class RunRow(Base):
    """One execution of one flow for one profile."""

    __tablename__ = "runs"
    __table_args__ = (
        Index(None, "profile", "flow", "status"),
        Index(None, "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(NAME))
    flow: Mapped[str] = mapped_column(String(NAME))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20))
    counts: Mapped[dict[str, Any]]
    log_path: Mapped[str | None] = mapped_column(Text)
    # Liveness, so a dead run is told from a slow one (see Store.mark_stale_runs_interrupted).
    owner: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    heartbeat_at: Mapped[datetime]


class JournalLineRow(Base):
    """One line of a run's journal ("3/20 - AR0003: created")."""

    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    level: Mapped[str] = mapped_column(String(20))
    record_key: Mapped[str | None] = mapped_column(String(EXTERNAL_ID))
    # The record's label as a catalogue message (JSON), when it has words ("order 12").
    record_label: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int | None]
    total: Mapped[int | None]
    # The English text; with the two columns below, each reader sees their language.
    message: Mapped[str] = mapped_column(Text)
    # The catalogue message and its parameters (JSON); NULL on rows written before.
    message_id: Mapped[str | None] = mapped_column(Text)
    message_params: Mapped[str | None] = mapped_column(Text)


class ParkedRow(Base):
    """A record set aside until it is fixed; unique per key while unresolved."""

    __tablename__ = "parked"
    __table_args__ = (
        # Partial unique index: a resolved record may be parked again later,
        # and its history stays.
        Index(
            "uq_parked_open",
            "profile",
            "flow",
            "kind",
            "record_key",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(NAME))
    flow: Mapped[str] = mapped_column(String(NAME))
    record_key: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    # What the key names: a record of the shop/back-office, or a job (see ProblemKind).
    kind: Mapped[str] = mapped_column(String(20), server_default=text("'record'"))
    reason: Mapped[str] = mapped_column(Text)
    # The reason's catalogue message and parameters, as for journal lines.
    reason_id: Mapped[str | None] = mapped_column(Text)
    reason_params: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(20))
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    tries: Mapped[int] = mapped_column(Integer)
    resolved_at: Mapped[datetime | None]


class StagedOrderRow(Base):
    """An imported order waiting in the staging grid (O21); one per shop order.

    Keyed like parked records (profile, flow, shop order id) so a reset can
    clear both with the same keys. The documents are ``Text``, not ``JSON``:
    the store never looks inside, and the flow gets back exactly what it wrote.
    """

    __tablename__ = "staged_orders"
    __table_args__ = (UniqueConstraint("profile", "flow", "order_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(NAME))
    flow: Mapped[str] = mapped_column(String(NAME))
    order_id: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    order_number: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    state: Mapped[str] = mapped_column(String(20))
    document_json: Mapped[str] = mapped_column(Text)
    customer_json: Mapped[str | None] = mapped_column(Text)
    # Text, not String(n): a long party name must not fail on PostgreSQL.
    summary: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    remote_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID))
    remote_number: Mapped[str | None] = mapped_column(String(EXTERNAL_ID))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RecordGenerationRow(Base):
    """How many times a record was reset (O18); no row means generation 0.

    Keyed like bindings (profile, kind, id). A flow can fold the generation
    into the key it leaves on the other side (e.g. a sale's external key), so
    a record reset on purpose is imported again instead of being found there
    and bound back to the document it was reset from.
    """

    __tablename__ = "record_generations"

    profile: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    kind: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    record_key: Mapped[str] = mapped_column(String(EXTERNAL_ID), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
    reset_at: Mapped[datetime]


class JobRow(Base):
    """One piece of queued work: a flow to run for a profile, with its options.

    Two partial unique indexes make the database itself enforce the queue's
    promises, whatever a worker's code does: at most one running job per
    ``(profile, lane)`` (flows of one lane never overlap), and at most one
    queued job per ``(profile, dedupe_key)`` (the same work enqueued twice
    while it waits is one job). See :mod:`passerelle.store.queue`.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        Index(
            "uq_jobs_running_lane",
            "profile",
            "lane",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
        Index(
            "uq_jobs_queued_dedupe",
            "profile",
            "dedupe_key",
            unique=True,
            sqlite_where=text("status = 'queued'"),
            postgresql_where=text("status = 'queued'"),
        ),
        Index(None, "status", "run_after"),
        Index(None, "profile", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    profile: Mapped[str] = mapped_column(String(NAME))
    flow: Mapped[str] = mapped_column(String(NAME))
    lane: Mapped[str] = mapped_column(String(NAME))
    shop_key: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    payload: Mapped[dict[str, Any]]
    dedupe_key: Mapped[str | None] = mapped_column(String(EXTERNAL_ID))
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    run_after: Mapped[datetime]
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    worker_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID))
    last_error: Mapped[str | None] = mapped_column(Text)
    # No foreign keys: runs and jobs are pruned on their own schedules.
    run_id: Mapped[int | None] = mapped_column(Integer)
    merged_into: Mapped[int | None] = mapped_column(BigInteger)


class WorkerRow(Base):
    """A worker process, alive as long as it heartbeats (see ``JobQueue.recover``)."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(EXTERNAL_ID), primary_key=True)
    host: Mapped[str] = mapped_column(String(EXTERNAL_ID))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]


class WebhookDeliveryRow(Base):
    """A webhook delivery already accepted: a replay of its id queues nothing."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index(None, "received_at"),)

    profile: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    source: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(EXTERNAL_ID), primary_key=True)
    received_at: Mapped[datetime]
    job_id: Mapped[int | None] = mapped_column(BigInteger)


class ScheduleSlotRow(Base):
    """When a scheduled flow is next due; workers race for it by compare-and-swap."""

    __tablename__ = "schedule_slots"

    profile: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    flow: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    next_due_at: Mapped[datetime]
