"""The exports a back-office dropped in the inbox, taken in once and kept as its current state.

Why a kept copy: a desktop back-office writes its exports now and then (each
night, or when the merchant clicks "export"). Once read, a file is moved to the
archive folder, never deleted, so the inbox shows at a glance what is still
to be taken, and the program can write the next export under the same name. The
flows, though, read the catalogue many times between two exports
(export-products, update-prices, update-stock each run on their own), so the
files last taken in are kept under passerelle's data directory and read from
there until a newer export of the same kind arrives.

A new export replaces the kept one only when it reads as a table (its headers
are where the mapping says); a file that cannot be read at all stays in the
inbox and the read fails naming it, rather than leaving the catalogue empty. A
crash between keeping the copy and moving the file away leaves the file in the
inbox: it is taken in again, the same content, nothing lost.
"""

from __future__ import annotations

import fnmatch
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from passerelle.connectors.files.columns import ColumnMap, Columns
from passerelle.connectors.files.tables import Table, TableFormat, read_table
from passerelle.connectors.files.transport import Transport

__all__ = ["ExportSource", "Intake", "Kept"]


@dataclass(frozen=True, slots=True)
class ExportSource:
    """One kind of export: which inbox files (a pattern such as ``articles*.xlsx``),
    how they are written and which column holds which field."""

    pattern: str
    table: TableFormat
    columns: ColumnMap


@dataclass(frozen=True, slots=True)
class Kept:
    """The files of one kind last taken in: their tables and when they were written."""

    tables: tuple[Table, ...]
    exported_at: datetime | None


class Intake:
    """Takes new exports in from ``inbox`` (moving them to ``archive``) and keeps the
    last ones of each kind under ``state_dir``."""

    def __init__(self, transport: Transport, inbox: str, archive: str, state_dir: Path) -> None:
        self.transport = transport
        self.inbox = inbox
        self.archive = archive
        self.state_dir = state_dir

    def current(self, kind: str, source: ExportSource) -> Kept:
        """The newest export of ``kind``: taken from the inbox when one is there,
        else the copy kept from the last one (no table at all before the first)."""
        names = [
            name
            for name in self.transport.names(self.inbox)
            if fnmatch.fnmatch(name.casefold(), source.pattern.casefold())
        ]
        if names:
            self._take_in(kind, source, names)
        return self._kept(kind, source)

    def _take_in(self, kind: str, source: ExportSource, names: list[str]) -> None:
        files: list[tuple[str, bytes, datetime]] = []
        for name in names:
            path = f"{self.inbox}/{name}"
            data = self.transport.read(path)
            # Raises naming the file when it is no table, or lacks a mapped header.
            Columns(read_table(name, data, source.table), source.columns)
            files.append((name, data, self.transport.modified_at(path)))
        self._keep(kind, files)
        for name, _data, _at in files:
            self.transport.move(f"{self.inbox}/{name}", self.archive)

    def _folder(self, kind: str) -> Path:
        return self.state_dir / "current" / kind

    def _recover(self, kind: str) -> Path:
        """The kept folder of ``kind``, put back if a crash came between the two renames
        of :meth:`_keep` (the old copy is then still whole)."""
        folder = self._folder(kind)
        old = folder.with_name(f".{kind}.old")
        if not folder.exists() and old.exists():
            old.rename(folder)
        return folder

    def _keep(self, kind: str, files: list[tuple[str, bytes, datetime]]) -> None:
        """The new files replace the kept ones of ``kind`` together (a new folder
        renamed into place), so a reader never sees half of each."""
        folder = self._recover(kind)
        fresh = folder.with_name(f".{kind}.new")
        old = folder.with_name(f".{kind}.old")
        for stale in (fresh, old):
            _remove_tree(stale)
        fresh.mkdir(parents=True)
        meta = []
        for number, (name, data, at) in enumerate(files):
            stored = fresh / f"{number:04d}"
            stored.write_bytes(data)
            _sync(stored)
            meta.append({"name": name, "file": stored.name, "exported_at": at.isoformat()})
        (fresh / "files.json").write_text(json.dumps(meta), encoding="utf-8")
        _sync(fresh / "files.json")
        if folder.exists():
            folder.rename(old)
        fresh.rename(folder)
        _remove_tree(old)

    def _kept(self, kind: str, source: ExportSource) -> Kept:
        folder = self._recover(kind)
        index = folder / "files.json"
        if not index.is_file():
            return Kept((), None)
        meta = json.loads(index.read_text(encoding="utf-8"))
        tables = tuple(
            read_table(entry["name"], (folder / entry["file"]).read_bytes(), source.table)
            for entry in meta
        )
        moments = [datetime.fromisoformat(entry["exported_at"]) for entry in meta]
        return Kept(tables, max(moments).astimezone(UTC) if moments else None)


def _sync(path: Path) -> None:
    with path.open("rb") as file:
        os.fsync(file.fileno())


def _remove_tree(path: Path) -> None:
    if not path.exists():
        return
    for child in path.iterdir():
        child.unlink()
    path.rmdir()
