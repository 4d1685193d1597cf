"""Each kind's records read once for a screen, then paged, filtered and searched there.

Reading every product of a large catalogue from the shop and the back-office
(:func:`~passerelle.runner.status_view.read_status`) takes minutes and loads
the merchant's shop; a screen that read them again on each page turn, filter
or search would do both on every click. So a serving process keeps one
snapshot per profile and kind, read in a thread of its own:

* a snapshot is dropped :data:`MAX_AGE` after its read ended, when a run of a flow
  that changes the kind's states has finished since it was taken (the
  store's runs say so), when the profile was edited, or when a reader asks
  (:meth:`StatusSnapshots.refresh`);
* at most one read per profile and kind runs at a time; whoever looks waits a
  moment for it (``patience``), then is told it is still reading;
* a read that fails (a key missing, a side unreachable) is said to the next
  one who looks, in their language, and is not kept: the look after reads again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from passerelle.connectors.errors import ConnectorError
from passerelle.flows.export_customers import FLOW as CUSTOMER_FLOW
from passerelle.flows.import_orders import FLOW as IMPORT_ORDERS
from passerelle.flows.stock_check import FLOW as STOCK_CHECK
from passerelle.flows.validate_orders import FLOW as VALIDATE_ORDERS
from passerelle.i18n.messages import M_, Text, said
from passerelle.profiles import Profile, SecretError
from passerelle.runner.status import _ORDER_FLOWS, _PRODUCT_FLOWS, KINDS, RecordStatus
from passerelle.runner.status_view import read_status
from passerelle.store import Store

__all__ = ["MAX_AGE", "WATCHED_FLOWS", "Look", "Snapshot", "StatusSnapshots"]

#: How long a snapshot is shown before it is read again.
MAX_AGE = timedelta(minutes=15)
#: The flows whose runs change a kind's states: one finished since a snapshot was
#: taken makes it old (an order import may also create the order's customer).
WATCHED_FLOWS = {
    "products": (*_PRODUCT_FLOWS, STOCK_CHECK),
    "orders": (*_ORDER_FLOWS, VALIDATE_ORDERS),
    "customers": (CUSTOMER_FLOW, IMPORT_ORDERS),
}
#: The runs of each flow looked at for the latest finished one.
_RECENT_RUNS = 10

Reader = Callable[[Profile, Path, Store, str], Sequence[RecordStatus]]
#: The latest finished run of a kind's flows, as (finished at, run id); None: none yet.
_Mark = tuple[datetime, int] | None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A kind's records as read at ``taken_at`` (when the read began)."""

    records: tuple[RecordStatus, ...]
    taken_at: datetime


@dataclass(frozen=True, slots=True)
class Look:
    """What a screen shows: the snapshot, or that it is being read, or why it could not be."""

    snapshot: Snapshot | None = None
    reading_since: datetime | None = None
    failure: Text = ""

    @property
    def reading(self) -> bool:
        return self.reading_since is not None


@dataclass(slots=True)
class _Read:
    """One read under way in its thread, and what it gave."""

    profile: Profile
    mark: _Mark
    started_at: datetime
    done: threading.Event = field(default_factory=threading.Event)
    records: tuple[RecordStatus, ...] | None = None
    failure: Text = ""
    crash: Exception | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class _Kept:
    snapshot: Snapshot
    profile: Profile
    mark: _Mark
    #: When the read ended: a read longer than :data:`MAX_AGE` is still shown a while.
    ended_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


class StatusSnapshots:
    """The snapshots of one serving process, one per profile and kind at most."""

    def __init__(
        self,
        data_dir: Path,
        store: Store,
        *,
        read: Reader = read_status,
        clock: Callable[[], datetime] = _now,
        max_age: timedelta = MAX_AGE,
        patience: float = 2.0,
    ) -> None:
        self.data_dir = data_dir
        self.store = store
        self._read = read
        self._clock = clock
        self.max_age = max_age
        self.patience = patience
        self._lock = threading.Lock()
        self._kept: dict[tuple[str, str], _Kept] = {}
        self._reads: dict[tuple[str, str], _Read] = {}

    def look(self, profile: Profile, kind: str) -> Look:
        """The kind's snapshot if it is still good; else a read is started (unless one is
        under way) and waited for ``patience`` seconds. Blocks: call it from a thread.

        An unexpected fault of the read is raised here, to the one who looks next.
        """
        key = _key(profile, kind)
        mark = self._mark(profile.name, kind)
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            failed = self._collect(key)
            if failed is not None:
                return failed
            kept = self._kept.get(key)
            if kept is not None and kept.mark == mark and kept.profile == profile:
                return Look(snapshot=kept.snapshot)
            self._kept.pop(key, None)
            read = self._start(key, profile, mark, now)
        if read.done.wait(self.patience):
            with self._lock:
                failed = self._collect(key)
                kept = self._kept.get(key)
            if failed is not None:
                return failed
            if kept is not None:  # just read: shown even if a run finished meanwhile
                return Look(snapshot=kept.snapshot)
        return Look(reading_since=read.started_at)

    def refresh(self, profile: Profile, kind: str) -> None:
        """Drop the kind's snapshot and read it again (unless a read is under way)."""
        key = _key(profile, kind)
        mark = self._mark(profile.name, kind)
        with self._lock:
            self._kept.pop(key, None)
            self._start(key, profile, mark, self._clock())

    def wait(self, profile: Profile, kind: str, timeout: float | None = None) -> bool:
        """Wait for the read under way, if any; whether none is left running."""
        with self._lock:
            read = self._reads.get(_key(profile, kind))
        return read is None or read.done.wait(timeout)

    # ------------------------------------------------------------ inside the lock

    def _collect(self, key: tuple[str, str]) -> Look | None:
        """A finished read becomes the kept snapshot; if it failed, why (nothing is kept)."""
        read = self._reads.get(key)
        if read is None or not read.done.is_set():
            return None
        del self._reads[key]
        if read.crash is not None:
            raise read.crash
        if read.records is None:
            return Look(failure=read.failure)
        snapshot = Snapshot(read.records, read.started_at)
        self._kept[key] = _Kept(snapshot, read.profile, read.mark, read.ended_at or read.started_at)
        return None

    def _start(self, key: tuple[str, str], profile: Profile, mark: _Mark, now: datetime) -> _Read:
        read = self._reads.get(key)
        if read is not None:
            return read
        read = _Read(profile, mark, now)
        self._reads[key] = read
        threading.Thread(
            target=self._reading, args=(read, key[1]), name=f"status {key[0]} {key[1]}", daemon=True
        ).start()
        return read

    def _forget_old(self, now: datetime) -> None:
        for key, kept in list(self._kept.items()):
            if now - kept.ended_at >= self.max_age:
                del self._kept[key]

    # ------------------------------------------------------------ outside the lock

    def _reading(self, read: _Read, kind: str) -> None:
        try:
            read.records = tuple(self._read(read.profile, self.data_dir, self.store, kind))
        except SecretError:
            read.failure = M_("A key of this profile is missing: run passerelle profile check.")
        except ConnectorError as exc:
            read.failure = M_("Could not read the records: %(reason)s", reason=said(exc))
        except Exception as exc:  # noqa: BLE001 - raised to the next look, not lost in a thread
            read.crash = exc
        finally:
            read.ended_at = self._clock()
            read.done.set()

    def _mark(self, profile: str, kind: str) -> _Mark:
        """The latest finished run of the kind's flows."""
        finished = [
            (run.finished_at, run.id)
            for flow in WATCHED_FLOWS[kind]
            for run in self.store.list_runs(profile=profile, flow=flow, limit=_RECENT_RUNS)
            if run.finished_at is not None
        ]
        return max(finished, default=None)


def _key(profile: Profile, kind: str) -> tuple[str, str]:
    if kind not in KINDS:
        raise ValueError(f"no such records: {kind!r}")  # internal: callers offer KINDS only
    return profile.name, kind
