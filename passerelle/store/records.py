"""What the state store hands out and accepts: small frozen records and enums.

Callers never see ORM objects, so they never hold a session, trigger a lazy
load, or mutate a row by accident; a record is a snapshot of one committed
row. The enums are ``StrEnum`` so they compare equal to the plain strings
stored in the database and written in profiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from passerelle.i18n.messages import M_, Message

__all__ = [
    "COUNT_KEYS",
    "Binding",
    "BindingInput",
    "Bookmark",
    "Job",
    "JobSource",
    "JobStatus",
    "JournalEntry",
    "JournalLevel",
    "JournalLine",
    "ParkedRecord",
    "ProblemKind",
    "Run",
    "RunStatus",
    "Severity",
    "StagedOrder",
    "StagedState",
    "Worker",
]


class RunStatus(StrEnum):
    """How a run ended; :attr:`words` is what a merchant reads.

    The stored values stay short (the column is 20 characters wide).
    """

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    #: The run went to its end but some records failed or were parked for a person.
    WITH_PROBLEMS = "with_problems"
    FAILED = "failed"
    #: Stopped by Ctrl-C or a stop signal, or the process died (or lost its
    #: heartbeat) before finishing the run.
    INTERRUPTED = "interrupted"

    @property
    def words(self) -> str:
        """The outcome in words, as the journal and ``passerelle runs`` show it."""
        return "completed with problems" if self is RunStatus.WITH_PROBLEMS else self.value

    @property
    def said(self) -> Message:
        """:attr:`words` as a message, shown in each reader's language."""
        return {
            RunStatus.RUNNING: M_("running"),
            RunStatus.SUCCEEDED: M_("succeeded"),
            RunStatus.WITH_PROBLEMS: M_("completed with problems"),
            RunStatus.FAILED: M_("failed"),
            RunStatus.INTERRUPTED: M_("interrupted"),
        }[self]


class JournalLevel(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class Severity(StrEnum):
    """How a parked record is dealt with."""

    #: Nothing to do, kept for the merchant's information (e.g. a filtered order).
    INFO = "info"
    #: Transient (shop down, rate limit): the runner tries it again by itself.
    RETRY = "retry"
    #: Needs a person (missing mapping, totals that do not match).
    ERROR = "error"


class ProblemKind(StrEnum):
    """What a parked problem is about, hence what may resolve it.

    A flow reads back only the *records* it parked (order ids, SKUs...) to
    try them again; a *job* problem (a job out of tries, a shop that refuses
    connections) is resolved only when that work succeeds again, or by a
    person with ``problems dismiss``. Mixing the two made an import look a
    failed job's key up in the shop as if it were an order id.
    """

    #: A record of the shop or back-office (order id, product, customer...).
    RECORD = "record"
    #: A piece of queued work that failed, or a fault shared by a profile's jobs.
    JOB = "job"


class StagedState(StrEnum):
    """Where an imported order stands in the staging grid (O21)."""

    #: Waiting for the merchant; re-staging replaces its content.
    STAGED = "staged"
    #: Became a back-office document: frozen, never re-staged.
    VALIDATED = "validated"
    #: Refused by the merchant: frozen, so the next run does not bring it back.
    REJECTED = "rejected"


#: The counters of a run, always all present in :attr:`Run.counts`.
COUNT_KEYS: tuple[str, ...] = ("created", "updated", "unchanged", "skipped", "parked", "failed")


@dataclass(frozen=True, slots=True)
class Binding:
    """A record known on both sides.

    ``local_id`` is the id on the side that owns the record (back-office id for
    exports, shop order id for order imports); ``remote_id`` the other side's.
    ``content_hash`` is the hash of the last payload sent (see
    :func:`passerelle.store.content_hash`); ``remote_number`` a human number
    on the other side, e.g. the back-office sale number of an imported order.
    """

    profile: str
    kind: str
    local_id: str
    remote_id: str
    content_hash: str | None
    synced_at: datetime
    remote_number: str | None = None


class BindingInput(NamedTuple):
    """One row for :meth:`Store.bind_many`; a plain tuple in this order works too."""

    local_id: str
    remote_id: str
    content_hash: str | None
    remote_number: str | None = None


@dataclass(frozen=True, slots=True)
class Bookmark:
    """Where a flow resumes: an ISO datetime or an opaque cursor."""

    profile: str
    flow: str
    value: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    profile: str
    flow: str
    started_at: datetime
    finished_at: datetime | None
    status: RunStatus
    counts: dict[str, int]
    log_path: str | None
    owner: str
    heartbeat_at: datetime


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One line to write with :meth:`Store.add_journal_many` (``at`` defaults to now).

    ``message`` is the English text; ``translatable``, when the line was
    written from a catalogue message, lets each reader see it in their
    language (see :mod:`passerelle.i18n.messages`). :meth:`of` fills both.
    """

    level: JournalLevel | str
    message: str
    record_key: str | None = None
    position: int | None = None
    total: int | None = None
    at: datetime | None = None
    translatable: Message | None = None
    #: The record's label as a message, when it has words ("order 12").
    translatable_record: Message | None = None

    @classmethod
    def of(
        cls,
        level: JournalLevel | str,
        text: Message | str,
        record_key: Message | str | None = None,
        position: int | None = None,
        total: int | None = None,
        at: datetime | None = None,
    ) -> JournalEntry:
        """A line from a kept message or plain text, about a record named by a key or a
        message (stored as its English, the key searched)."""
        kept = text if isinstance(text, Message) else None
        record = record_key if isinstance(record_key, Message) else None
        key = None if record_key is None else str(record_key)
        return cls(level, str(text), key, position, total, at, kept, record)


@dataclass(frozen=True, slots=True)
class JournalLine:
    id: int
    run_id: int
    at: datetime
    level: JournalLevel
    record_key: str | None
    position: int | None
    total: int | None
    #: The English text, as written in the log file (and the only text of old rows).
    message: str
    #: The catalogue message it was written from, if any.
    translatable: Message | None = None
    #: The record's label as a message, if it was written as one.
    translatable_record: Message | None = None

    def message_in(self, language: str | None = None) -> str:
        """The message in ``language`` (the current one if None); old rows in English."""
        if self.translatable is None:
            return self.message
        return self.translatable.render(language)

    def label_in(self, language: str | None = None) -> str:
        """The record's place in the run, as shown to the merchant: ``3/20 - AR0003``."""
        parts: list[str] = []
        if self.position is not None:
            parts.append(
                f"{self.position}/{self.total}" if self.total is not None else str(self.position)
            )
        if self.translatable_record is not None:
            parts.append(self.translatable_record.render(language))
        elif self.record_key:
            parts.append(self.record_key)
        return " - ".join(parts)

    @property
    def label(self) -> str:
        """:meth:`label_in` the current language."""
        return self.label_in()

    def text_in(self, language: str | None = None) -> str:
        """The whole line as shown to the merchant: ``3/20 - AR0003: created``."""
        message = self.message_in(language)
        label = self.label_in(language)
        return f"{label}: {message}" if label else message

    @property
    def text(self) -> str:
        """The whole line in the current language (see :func:`passerelle.i18n.using`)."""
        return self.text_in()


@dataclass(frozen=True, slots=True)
class ParkedRecord:
    id: int
    profile: str
    flow: str
    record_key: str
    reason: str
    severity: Severity
    first_seen: datetime
    last_seen: datetime
    tries: int
    resolved_at: datetime | None
    kind: ProblemKind = ProblemKind.RECORD
    #: The catalogue message ``reason`` (English) was written from, if any.
    translatable_reason: Message | None = None

    def reason_in(self, language: str | None = None) -> str:
        """Why it was parked, in ``language`` (the current one if None)."""
        if self.translatable_reason is None:
            return self.reason
        return self.translatable_reason.render(language)


@dataclass(frozen=True, slots=True)
class StagedOrder:
    """One imported order in the staging grid, waiting for review (O21).

    ``document_json`` (the mapped back-office document) and ``customer_json``
    are opaque to the store: the flow that staged them reads them back.
    ``summary`` is what the grid shows (party, total, currency); ``reason``
    says why the order needs a look; both in English, their catalogue messages
    beside them for :meth:`summary_in` and :meth:`reason_in`. ``remote_id`` /
    ``remote_number`` name the back-office document once validated.
    """

    id: int
    profile: str
    flow: str
    order_id: str
    order_number: str
    state: StagedState
    document_json: str
    customer_json: str | None
    summary: str
    reason: str | None
    remote_id: str | None
    remote_number: str | None
    created_at: datetime
    updated_at: datetime
    #: The catalogue messages ``summary`` and ``reason`` (English) were written from.
    translatable_summary: Message | None = None
    translatable_reason: Message | None = None

    def summary_in(self, language: str | None = None) -> str:
        """What the grid shows of the order, in ``language`` (the current one if None)."""
        if self.translatable_summary is None:
            return self.summary
        return self.translatable_summary.render(language)

    def reason_in(self, language: str | None = None) -> str | None:
        """Why the order needs a look, in ``language`` (the current one if None)."""
        if self.translatable_reason is None:
            return self.reason
        return self.translatable_reason.render(language)


class JobStatus(StrEnum):
    """Where a queued job stands (see :mod:`passerelle.store.queue`)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    #: Out of tries, or failed for good: waits for a person (``requeue``).
    FAILED = "failed"
    CANCELLED = "cancelled"
    #: Absorbed by another job of the same flow (see :attr:`Job.merged_into`).
    MERGED = "merged"


class JobSource(StrEnum):
    """What created a job; shown to the merchant, never used for decisions."""

    SCHEDULE = "schedule"
    WEBHOOK = "webhook"
    POLL = "poll"
    MANUAL = "manual"
    RETRY = "retry"


@dataclass(frozen=True, slots=True)
class Job:
    """One piece of queued work: run ``flow`` for ``profile`` with ``payload``.

    Jobs of one ``(profile, lane)`` never run at once; at most a configured
    number of running jobs share one ``shop_key``. ``attempts`` counts the
    tries that failed (a claim or a clean worker stop does not count);
    ``worker_id`` names the worker that owns a running job (and, once done,
    the one that finished it); ``merged_into`` the job that absorbed this one.
    """

    id: int
    profile: str
    flow: str
    lane: str
    shop_key: str
    payload: dict[str, Any]
    dedupe_key: str | None
    source: JobSource
    status: JobStatus
    attempts: int
    max_attempts: int
    run_after: datetime
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    worker_id: str | None
    last_error: str | None
    run_id: int | None
    merged_into: int | None


@dataclass(frozen=True, slots=True)
class Worker:
    """A registered worker process; alive while it heartbeats and is not stopped."""

    id: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None
