"""The items of a run's first pass, kept on disk and read back a window at a time.

Why: a run does not hold a large catalogue (:mod:`.windows`); it used to take each
window's items again from the back-office, by id. On Tryton, reading a window by id
costs eight times what a whole read costs per item: a full run over 100,000 items
read the catalogue in 2.8 s, then again in 23 s, window by window. The spool keeps
what the first pass read instead: its items pickled a block at a time into a private
SQLite file (about 150 bytes an item), found again by id, about 20 µs an item both
ways. The file lives in the system's temporary folder (``TMPDIR``) and goes with the
run.

A disk that refuses (full, read-only, gone) stops the spool: :class:`SpoolRefused`
says so, and the run reads its windows from the back-office again, as before.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from passerelle.model import Item

__all__ = ["BLOCK", "ItemSpool", "SpoolRefused"]

#: Items pickled together: a block shares its classes and repeated values (taxes,
#: units) in one pickle, less than half the bytes and time of one pickle per item.
BLOCK = 100
# Ids looked up per statement (SQLite's default limit of bound values is 32,766).
_IDS = 500


class SpoolRefused(Exception):
    """The spool's disk refused a write or a read; the spool is closed."""


class ItemSpool:
    """Items written as they come (:meth:`add`), read back by id (:meth:`get`)."""

    def __init__(self) -> None:
        self._pending: list[Item] = []
        self._blocks = 0
        try:
            self._folder = tempfile.TemporaryDirectory(prefix="passerelle-items-")
        except OSError as exc:
            raise SpoolRefused(str(exc)) from exc
        try:
            # Nothing to recover after a crash: no journal, no waiting for the disk.
            self._db = sqlite3.connect(Path(self._folder.name) / "items.sqlite")
            self._db.executescript(
                """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE block (no INTEGER PRIMARY KEY, items BLOB NOT NULL);
                CREATE TABLE item (id TEXT PRIMARY KEY, block INTEGER NOT NULL) WITHOUT ROWID;
                """
            )
        except sqlite3.Error as exc:
            self._folder.cleanup()
            raise SpoolRefused(str(exc)) from exc

    def add(self, item: Item) -> None:
        """Keep ``item`` (its id's last one, if it comes twice)."""
        self._pending.append(item)
        if len(self._pending) >= BLOCK:
            self._write()

    def get(self, ids: Sequence[str]) -> list[Item]:
        """The items of ``ids`` in that order; an id never added is left out."""
        if self._pending:
            self._write()
        try:
            blocks: dict[str, int] = {}
            for start in range(0, len(ids), _IDS):
                chunk = list(ids[start : start + _IDS])
                marks = ",".join("?" * len(chunk))
                blocks.update(
                    self._db.execute(f"SELECT id, block FROM item WHERE id IN ({marks})", chunk)
                )
            found: dict[str, Item] = {}
            for no in sorted(set(blocks.values())):
                (blob,) = self._db.execute("SELECT items FROM block WHERE no = ?", (no,)).fetchone()
                found.update((i.source_id, i) for i in pickle.loads(blob))
        except sqlite3.Error as exc:
            self._refused(exc)
        return [found[key] for key in ids if key in blocks]

    def close(self) -> None:
        """The file removed (a second call does nothing)."""
        self._pending = []
        try:
            self._db.close()
        finally:
            self._folder.cleanup()

    def _write(self) -> None:
        block, self._pending = self._pending, []
        self._blocks += 1
        try:
            with self._db:
                self._db.execute(
                    "INSERT INTO block (no, items) VALUES (?, ?)",
                    (self._blocks, pickle.dumps(block, pickle.HIGHEST_PROTOCOL)),
                )
                self._db.executemany(
                    "INSERT OR REPLACE INTO item (id, block) VALUES (?, ?)",
                    [(i.source_id, self._blocks) for i in block],
                )
        except sqlite3.Error as exc:
            self._refused(exc)

    def _refused(self, exc: sqlite3.Error) -> None:
        self.close()
        raise SpoolRefused(str(exc)) from exc
