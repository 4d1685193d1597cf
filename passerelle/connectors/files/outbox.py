"""The outbox: each sale becomes exactly one file, found again by its order key.

A desktop back-office imports the files it finds in a folder and then moves
them to an archive folder, renames them (Sage 50c: ``.TXT`` → ``.BAK``) or
deletes them. Passerelle cannot ask it what it imported, so the outbox keeps
its own trail, the *ledger*: a folder of passerelle's (under its data
directory) holding one small JSON file per order key (number, totals, lines,
state, when written) and the number sequence.

Exactly once, whatever crashes: ``write`` first looks the key up (ledger,
outbox folder, archive folders). If the sale is not there, it (1) records an
intent in the ledger (``pending``, with the number it will carry), (2) writes
the file atomically under the key's name (``names.file_name``: temporary
name, flush, rename), (3) marks the ledger entry ``written``. A crash before
(2) leaves an intent and no file: the next ``write`` writes it, with the same
number. A crash between (2) and (3) leaves the file: the next ``find`` sees it
(in the outbox or an archive, under any extension) and completes the ledger.
The one window this cannot cover: a crash between (2) and (3) *and* the
back-office program deleting the file before the next run; archive or rename
imported files (all these programs can) to close it.

``cancel`` of a sale whose file still waits is honest and complete: the file
is moved to the ``cancelled`` folder (kept, never deleted) and the ledger
says cancelled. Once the back-office program took the file, passerelle
cannot undo the import: ``cancel`` refuses (RecordError), as a back-office
refuses to cancel a shipped sale, and the person cancels the document there.
A credit note is another sale (``origin_key``), written like any other.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from passerelle.connectors.arithmetic import BackOfficeArithmetic, TaxSpec
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.files.layout_rows import Figures, compute_figures
from passerelle.connectors.files.layout_rows import rows as layout_rows
from passerelle.connectors.files.layout_text import render_text
from passerelle.connectors.files.layouts import FileFormat, OrderLayout
from passerelle.connectors.files.ledger import (
    CANCELLED,
    Ledger,
    intent_of,
    recovered_entry,
    result_of,
    when,
)
from passerelle.connectors.files.names import file_name, key_hash, key_hash_of
from passerelle.connectors.files.transport import Transport
from passerelle.i18n.messages import M_
from passerelle.model import (
    BackOfficeSale,
    DocumentType,
    OpenDemand,
    SaleLineKind,
    SaleResult,
)

__all__ = ["Outbox", "OutboxEntry", "render_sale"]

_NOT_CONFIRMED = frozenset({DocumentType.DRAFT.value, DocumentType.QUOTATION.value})


def render_sale(layout: OrderLayout, sale: BackOfficeSale, figures: Figures) -> bytes:
    """The bytes of the sale's file in ``layout`` (RecordError when a value does not fit)."""
    found = layout_rows(layout, sale, figures)
    if layout.format == FileFormat.XML:
        from passerelle.connectors.files.layout_xml import render_xml  # lxml only when used

        return render_xml(layout, found, sale.external_key)
    return render_text(layout, found, sale.external_key)


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """A sale the outbox wrote: its result, its file and where that file is now.

    ``waiting``: the file is still in the outbox folder (the back-office
    program has not taken it). ``recovered``: a file was found without its
    ledger entry (the ledger was lost); its number and amounts are unknown.
    """

    key: str
    result: SaleResult
    file: str
    document_type: str
    written_at: datetime | None
    waiting: bool
    cancelled: bool
    recovered: bool = False
    #: When passerelle first saw the file gone from the outbox (taken by the program):
    #: a stock export can show the sale only if it was written after that.
    taken_at: datetime | None = None


@contextmanager
def _held(lock: Path | None) -> Iterator[None]:
    """The outbox's lock file held exclusively for the block (nothing when None)."""
    if lock is None:
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as file:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(file.fileno(), fcntl.LOCK_UN)


class Outbox:
    """Sales as files in ``folder`` of ``transport``, with their trail in ``ledger``.

    ``archives``: folders (same transport) the back-office program moves
    imported files to. ``taxes``: the back-office taxes by id, for the
    arithmetic. Numbers: the sale's own (``sale.number``), else
    ``<prefix><sequence>`` (``WEB000001``) from the ledger's sequence; a crash
    may skip a number, never give one twice. ``lock``: a local file held
    (``flock``) while a sale is written, so two processes writing to one
    outbox (a worker and a run from the command line) take turns: one finds
    the other's sale, and numbers are never given twice.
    """

    def __init__(
        self,
        transport: Transport,
        folder: str,
        layout: OrderLayout,
        ledger: Transport,
        arithmetic: BackOfficeArithmetic,
        taxes: Mapping[str, TaxSpec],
        *,
        archives: Sequence[str] = (),
        cancelled_folder: str = "",
        number_prefix: str = "WEB",
        number_digits: int = 6,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        lock: Path | None = None,
    ) -> None:
        self.lock = lock
        self.transport = transport
        self.folder = folder
        self.layout = layout
        self.ledger = Ledger(ledger)
        self.arithmetic = arithmetic
        self.taxes = taxes
        self.archives = tuple(archives)
        self.cancelled_folder = cancelled_folder or f"{folder}/cancelled"
        self.number_prefix = number_prefix
        self.number_digits = number_digits
        self.now = now

    def _path(self, folder: str, name: str) -> str:
        return f"{folder}/{name}" if folder not in ("", ".") else name

    def _locate(self, key: str) -> tuple[str, str] | None:
        """(folder, name) of the key's file in the outbox or an archive, whatever its
        extension; None when it is in none of them."""
        wanted = key_hash(key)
        for folder in (self.folder, *self.archives):
            for name in self.transport.names(folder):
                if key_hash_of(name) == wanted:
                    return folder, name
        return None

    def _entry(self, data: Mapping[str, Any], waiting: bool) -> OutboxEntry:
        cancelled = data["state"] == CANCELLED
        return OutboxEntry(
            key=data["key"],
            result=result_of(data),
            file=data["file"],
            document_type=data["document_type"],
            written_at=when(data.get("written_at")),
            waiting=waiting and not cancelled,
            cancelled=cancelled,
            recovered=bool(data.get("recovered")),
            taken_at=when(data.get("taken_at")),
        )

    def _is_waiting(self, data: Mapping[str, Any]) -> bool:
        return self.transport.exists(self._path(self.folder, str(data["file"])))

    def _settled(self, key: str, data: dict[str, Any] | None) -> dict[str, Any] | None:
        """The key's entry once written or cancelled: a pending intent whose file exists
        is completed, one without a file is None; a file without an entry (the ledger
        lost) is recorded as recovered."""
        if data is not None and data["state"] != "pending":
            return data
        place = self._locate(key)
        if place is None:
            return None
        written_at = self.transport.modified_at(self._path(*place)).isoformat()
        data = {**(data or recovered_entry(key, place[1])), "state": "written"}
        data["written_at"] = written_at
        self.ledger.save(data)
        return data

    def _number(self, sale: BackOfficeSale, pending: Mapping[str, Any] | None) -> tuple[int, str]:
        """(sequence to take or 0, number): the sale's own, the intent's, or the next."""
        if sale.number:
            return 0, sale.number
        if pending is not None and pending.get("number"):
            return 0, str(pending["number"])
        sequence = self.ledger.next_number()
        return sequence, f"{self.number_prefix}{sequence:0{self.number_digits}d}"

    # ----------------------------------------------------------------- public
    def entry(self, key: str) -> OutboxEntry | None:
        """The sale written for ``key`` with its file's whereabouts; None when not written."""
        data = self._settled(key, self.ledger.read(key))
        return None if data is None else self._entry(data, self._is_waiting(data))

    def find(self, key: str) -> SaleResult | None:
        """The sale written for ``key`` (also one whose write a crash interrupted after its
        file was in place); None when no file was written for it."""
        found = self.entry(key)
        return None if found is None else found.result

    def write(self, sale: BackOfficeSale) -> SaleResult:
        """Write the sale's file once: a key already written returns its result, unchanged.

        RecordError, nothing written, when its total differs from
        ``expected_total`` beyond ``total_tolerance`` (unless
        ``accept_total_difference``), or when a value does not fit the layout.
        """
        with _held(self.lock):
            return self._write(sale)

    def _write(self, sale: BackOfficeSale) -> SaleResult:
        key = sale.external_key
        pending = self.ledger.read(key)
        settled = self._settled(key, pending)
        if settled is not None:
            return self._entry(settled, self._is_waiting(settled)).result
        sequence, number = self._number(sale, pending)
        figures = compute_figures(sale, number, self.arithmetic, self.taxes)
        if (
            sale.expected_total is not None
            and abs(figures.total - sale.expected_total) > sale.total_tolerance
            and not sale.accept_total_difference
        ):
            raise RecordError(
                M_(
                    "sale for %(key)s: back-office total %(total)s differs from the shop's "
                    "%(expected)s; nothing was written",
                    key=key,
                    total=figures.total,
                    expected=sale.expected_total,
                )
            )
        data = render_sale(self.layout, sale, figures)
        if sequence:
            self.ledger.take_number(sequence)
        name = file_name(key, self.layout.extension)
        intent = intent_of(sale, figures, name)
        self.ledger.save(intent)
        self.transport.write_atomic(self._path(self.folder, name), data)
        written = {**intent, "state": "written", "written_at": self.now().isoformat()}
        self.ledger.save(written)
        return self._entry(written, True).result

    def cancel(self, key: str) -> SaleResult:
        """Withdraw a sale whose file still waits (moved to the cancelled folder, kept);
        RecordError once the back-office program has taken it; NotFoundError when the
        key was never written."""
        data = self._settled(key, self.ledger.read(key))
        if data is None:
            raise NotFoundError(M_("no sale for %(key)s", key=key))
        if data["state"] == CANCELLED:
            return self._entry(data, False).result
        path = self._path(self.folder, str(data["file"]))
        try:
            moved = (
                self.transport.move(path, self.cancelled_folder)
                if self.transport.exists(path)
                else ""
            )
        except FileNotFoundError:
            moved = ""  # taken by the back-office program between the look and the move
        if not moved:
            raise RecordError(
                M_(
                    "sale %(number)s for %(key)s was already imported by the back-office "
                    "program; cancel it there",
                    number=data["number"],
                    key=key,
                )
            )
        cancelled = {**data, "state": CANCELLED, "cancelled_at": self.now().isoformat()}
        cancelled["moved_to"] = moved
        self.ledger.save(cancelled)
        return self._entry(cancelled, False).result

    def sales(self) -> list[OutboxEntry]:
        """Every sale written (interrupted writes completed or left out), by key."""
        waiting = {key_hash_of(name) for name in self.transport.names(self.folder)}
        found: list[OutboxEntry] = []
        for raw in self.ledger.entries():
            data = self._settled(str(raw["key"]), raw)
            if data is None:
                continue
            is_waiting = key_hash(str(data["key"])) in waiting
            if not is_waiting and data["state"] != CANCELLED and not data.get("taken_at"):
                data = {**data, "taken_at": self.now().isoformat()}
                self.ledger.save(data)
            found.append(self._entry(data, is_waiting))
        return sorted(found, key=lambda entry: entry.key)

    def open_demand(
        self,
        key_prefix: str,
        stock_exported_at: datetime | None,
        item_ids: Mapping[str, str] | None = None,
    ) -> list[OpenDemand]:
        """Per item, the units of product lines that the back-office's stock export cannot
        show yet: of sales keyed ``key_prefix…``, not cancelled, whose file still waits
        or was taken by the program after ``stock_exported_at`` (as far as passerelle saw:
        a file written before an export but taken after it is not in it), every one
        when it is None.

        ``item_ids``: item code → id; when given, other codes are left out (as the
        memory back-office counts only its items); else the id is the code. A
        draft or quotation has only ordered its units; any other document owes
        them to ship.
        """
        ordered: dict[str, Decimal] = {}
        to_ship: dict[str, Decimal] = {}
        for entry in self.sales():
            if not entry.key.startswith(key_prefix) or entry.cancelled:
                continue
            # Reflected only by an export made after the program took the file: when it
            # did is known no better than the first time passerelle saw it gone.
            seen = (
                stock_exported_at is not None
                and entry.taken_at is not None
                and entry.taken_at <= stock_exported_at
                and not entry.waiting
            )
            if seen:
                continue
            owed = ordered if entry.document_type in _NOT_CONFIRMED else to_ship
            for line in entry.result.lines:
                if line.kind != SaleLineKind.PRODUCT:
                    continue
                if item_ids is not None and line.item_code not in item_ids:
                    continue
                owed[line.item_code] = owed.get(line.item_code, Decimal(0)) + line.quantity
        ids = item_ids or {}
        return [
            OpenDemand(
                ids.get(code, code),
                code,
                ordered=ordered.get(code, Decimal(0)),
                to_ship=to_ship.get(code, Decimal(0)),
            )
            for code in sorted(set(ordered) | set(to_ship))
        ]
