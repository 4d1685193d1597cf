"""The processing journal of a run (R1): live on screen, in a log file, in the store.

Every record a flow touches ends up here with what happened to it, so nothing
is skipped or parked silently. Lines are timestamped and numbered like
``3/20 - AR0003`` so a merchant can follow a long run and find a record later.

A line is given as a catalogue :class:`~passerelle.i18n.messages.Message`
(``M_("...", name=value)``) or as plain text (an exception's own words). The
store keeps the message and its parameters, so the console and the CLI show
each reader the line in their language (:func:`render`). The screen of the
run follows the current language (:func:`passerelle.i18n.using`). The log
file is always English: it is read by whoever supports the installation, is
searched with grep across runs and machines, and must read the same whatever
the locale of the process that happened to write it.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from passerelle.i18n.messages import M_, Message, Mn_, Text
from passerelle.i18n.messages import render as render_text
from passerelle.store.records import JournalEntry, JournalLine

__all__ = ["OUTCOMES", "Journal", "JournalSink", "counted", "render"]

log = logging.getLogger(__name__)

# Outcomes a flow reports per record; the run summary counts each.
OUTCOMES = ("created", "updated", "unchanged", "skipped", "parked", "failed")

_LEVEL_OF = {
    "created": "success",
    "updated": "success",
    "unchanged": "info",
    "skipped": "info",
    "parked": "warning",
    "failed": "error",
    "info": "info",
    "warning": "warning",
    "error": "error",
}
_COUNTED = {
    "created": lambda n: Mn_("%(num)s created", "%(num)s created", n),
    "updated": lambda n: Mn_("%(num)s updated", "%(num)s updated", n),
    "unchanged": lambda n: Mn_("%(num)s unchanged", "%(num)s unchanged", n),
    "skipped": lambda n: Mn_("%(num)s skipped", "%(num)s skipped", n),
    "parked": lambda n: Mn_("%(num)s parked", "%(num)s parked", n),
    "failed": lambda n: Mn_("%(num)s failed", "%(num)s failed", n),
}


def counted(counts: dict[str, int]) -> tuple[Message, ...]:
    """A run's counts in words ("3 created, 2 unchanged"), or that it had nothing to do.

    A tuple is a message parameter shown joined by commas, in the reader's language.
    """
    said = tuple(_COUNTED[k](n) for k, n in counts.items() if n and k in _COUNTED)
    return said or (M_("nothing to do"),)


_STYLE_OF = {"success": "green", "info": "cyan", "warning": "yellow", "error": "red"}


class JournalSink(Protocol):
    """Where journal lines are kept (the state store implements this)."""

    def add_journal_many(self, run_id: int, entries: list[JournalEntry]) -> int: ...

    def heartbeat(self, run_id: int) -> None: ...


@dataclass(slots=True)
class _Line:
    at: datetime
    level: str
    record: Text
    message: Text
    position: int | None
    total: int | None

    def render(self, language: str | None = None) -> str:
        """The line in ``language`` (the current one if None)."""
        return self._joined(render_text(self.message, language), language)

    def _joined(self, message: str, language: str | None) -> str:
        where = ""
        if self.position is not None and self.total is not None:
            where = f"{self.position}/{self.total} - "
        named = render_text(self.record, language)
        record = f"{where}{named}" if named else where.rstrip(" -")
        return f"{record}: {message}" if record else message

    def kept(self) -> tuple[JournalEntry, str]:
        """The line for the store, and as the log file writes it: the English message
        rendered once for both."""
        english = render_text(self.message, "en")
        record = self.record
        entry = JournalEntry(
            self.level,
            english,
            str(record) if record else None,
            self.position,
            self.total,
            self.at,
            self.message if isinstance(self.message, Message) else None,
            record if isinstance(record, Message) else None,
        )
        return entry, f"{_second(self.at)} {self.level.upper():7} {self._joined(english, 'en')}\n"


# The last second written in a log file, as (its UTC timestamp, its text): a flush's
# lines mostly share their second, and formatting it costs more than the rest of the line.
_LAST_SECOND: tuple[int | None, str] = (None, "")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_SECOND = timedelta(seconds=1)


def _second(at: datetime) -> str:
    """``at.isoformat(timespec="seconds")``, the text of a UTC time made once per second."""
    global _LAST_SECOND  # noqa: PLW0603 - one immutable pair, swapped whole
    if at.tzinfo is not UTC:
        return at.isoformat(timespec="seconds")
    second = (at - _EPOCH) // _ONE_SECOND  # whole seconds, exactly (no float)
    last, text = _LAST_SECOND
    if second != last:
        text = at.isoformat(timespec="seconds")
        _LAST_SECOND = (second, text)
    return text


def render(line: JournalLine, language: str | None = None) -> str:
    """A stored journal line as its reader sees it: in ``language``, or the current one.

    Lines written before messages were kept have only their English text,
    shown as it is.
    """
    return line.text_in(language)


class Journal:
    """Collects a run's lines and counts; prints, logs to file, stores in batches."""

    # Lines are written (log file and store) this many at a time: about one export
    # batch's worth, the most a killed process loses.
    FLUSH_EVERY = 100
    # A run shows it is alive at least this often, even when it only counts
    # unchanged records: a run on another machine is declared dead (and its
    # flow free to run again) only after a long silence.
    HEARTBEAT_EVERY = 30.0

    def __init__(
        self,
        *,
        run_id: int,
        flow: str,
        sink: JournalSink | None,
        log_path: Path | None,
        console: Console | None = None,
    ) -> None:
        self.run_id = run_id
        self.flow = flow
        self.sink = sink
        self.console = console or Console(stderr=True)
        self.counts: Counter[str] = Counter({outcome: 0 for outcome in OUTCOMES})
        self._pending: list[_Line] = []
        self._filed = 0  # how many of the pending lines the log file has already
        self._beat_at = time.monotonic()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self.log_path = log_path
        self._file = None
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            self._file = log_path.open("a", encoding="utf-8")

    # ------------------------------------------------------------------ records
    def record(
        self,
        outcome: str,
        record: Text,
        message: Text,
        *,
        position: int | None = None,
        total: int | None = None,
        echo: bool = True,
    ) -> None:
        """One record's result: an outcome of OUTCOMES, or a plain level."""
        if outcome in OUTCOMES:
            self.counts[outcome] += 1
        level = _LEVEL_OF.get(outcome, "info")
        line = _Line(datetime.now(UTC), level, record, message, position, total)
        self._pending.append(line)
        if outcome not in OUTCOMES and self._file is not None:
            # A line of the run itself (started, stopped, a warning) reaches the file at
            # once, after the record lines before it: a run's few lines, its many
            # record lines waiting for the next flush.
            self._file.write("".join(waiting.kept()[1] for waiting in self._pending[self._filed :]))
            self._file.flush()
            self._filed = len(self._pending)
        if echo and not self.console.quiet:  # rich renders even for a quiet console
            stamp = line.at.astimezone().strftime("%H:%M:%S")
            text = line.render()
            style = _STYLE_OF[level]
            self.console.print(
                f"[dim]{stamp}[/dim] [{style}]{escape(text)}[/{style}]", soft_wrap=True
            )
        if len(self._pending) >= self.FLUSH_EVERY:
            self.flush()
        self._keep_alive()

    def info(self, message: Text, record: Text = "") -> None:
        self.record("info", record, message)

    def warning(self, message: Text, record: Text = "") -> None:
        self.record("warning", record, message)

    def error(self, message: Text, record: Text = "") -> None:
        self.record("error", record, message)

    def count(self, outcome: str, n: int = 1) -> None:
        """Count records without a line each (e.g. thousands of unchanged items)."""
        self.counts[outcome] += n
        self._keep_alive()

    def _keep_alive(self) -> None:
        now = time.monotonic()
        if now - self._beat_at < self.HEARTBEAT_EVERY:
            return
        self._beat_at = now
        if self.sink is not None:
            self.sink.heartbeat(self.run_id)

    # ------------------------------------------------------------------ progress
    @contextmanager
    def progress(self, total: int, description: Text) -> Iterator[None]:
        """A progress bar for a long loop; lines keep printing above it."""
        if total < 20 or not self.console.is_terminal:
            yield
            return
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        with self._progress:
            self._task = self._progress.add_task(render_text(description), total=total)
            try:
                yield
            finally:
                self._progress = None
                self._task = None

    def advance(self, n: int = 1) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, n)
        self._keep_alive()

    # ------------------------------------------------------------------ storage
    def flush(self) -> None:
        """Write the pending lines to the log file and the store.

        Lines reach both every :data:`FLUSH_EVERY` lines, when a flow flushes, and when
        the journal closes (a run's end, failed or not): a process killed outright
        loses at most the lines of one flush, in the file as in the store. A line that
        is not a record's outcome (the run's start, a warning, why it stopped) is
        written to the file at once, with the lines before it.
        """
        if not self._pending:
            return
        lines, self._pending = self._pending, []
        filed, self._filed = self._filed, 0
        self._beat_at = time.monotonic()  # writing lines is a heartbeat too
        kept = [line.kept() for line in lines]
        if self._file is not None and filed < len(kept):
            self._file.write("".join(text for _entry, text in kept[filed:]))
            self._file.flush()
        if self.sink is None:
            return
        self.sink.add_journal_many(self.run_id, [entry for entry, _text in kept])

    def close(self) -> None:
        """Write the pending lines, and close the log file even if the store refuses them."""
        try:
            self.flush()
        finally:
            if self._file is not None:
                self._file.close()
                self._file = None
