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

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from passerelle.connectors.arithmetic import BackOfficeArithmetic, TaxSpec
from passerelle.connectors.errors import NotFoundError, RecordError
from passerelle.connectors.files.layout_text import render_text
from passerelle.connectors.files.layouts import Figures, FileFormat, OrderLayout, compute_figures
from passerelle.connectors.files.layouts import rows as layout_rows
from passerelle.connectors.files.names import file_name, key_hash, key_hash_of
from passerelle.connectors.files.transport import Transport
from passerelle.i18n.messages import M_
from passerelle.model import (
    BackOfficeSale,
    DocumentType,
    OpenDemand,
    SaleLine,
    SaleLineKind,
    SaleResult,
)

__all__ = ["LEDGER_FOLDER", "Outbox", "OutboxEntry", "render_sale"]

#: The ledger's folder of sale entries; the sequence is ``sequence.json`` beside it.
LEDGER_FOLDER = "sales"
_SEQUENCE = "sequence.json"
_NOT_CONFIRMED = frozenset({DocumentType.DRAFT.value, DocumentType.QUOTATION.value})
_CANCELLED = "cancelled"


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


def _line_json(line: SaleLine) -> dict[str, Any]:
    return {
        "item_code": line.item_code,
        "description": line.description,
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "tax_ids": list(line.tax_ids),
        "kind": str(line.kind),
        "shipment_cost": line.shipment_cost,
        "item_taxes": line.item_taxes,
    }


def _line_of(data: Mapping[str, Any]) -> SaleLine:
    return SaleLine(
        item_code=data["item_code"],
        description=data["description"],
        quantity=Decimal(data["quantity"]),
        unit_price=Decimal(data["unit_price"]),
        tax_ids=tuple(data["tax_ids"]),
        kind=SaleLineKind(data["kind"]),
        shipment_cost=bool(data["shipment_cost"]),
        item_taxes=bool(data["item_taxes"]),
    )


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Outbox:
    """Sales as files in ``folder`` of ``transport``, with their trail in ``ledger``.

    ``archives``: folders (same transport) the back-office program moves
    imported files to. ``taxes``: the back-office taxes by id, for the
    arithmetic. Numbers: the sale's own (``sale.number``), else
    ``<prefix><sequence>`` (``WEB000001``) from the ledger's sequence; a crash
    may skip a number, never give one twice.
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
    ) -> None:
        self.transport = transport
        self.folder = folder
        self.layout = layout
        self.ledger = ledger
        self.arithmetic = arithmetic
        self.taxes = taxes
        self.archives = tuple(archives)
        self.cancelled_folder = cancelled_folder or f"{folder}/cancelled"
        self.number_prefix = number_prefix
        self.number_digits = number_digits
        self.now = now

    # ------------------------------------------------------------------ paths
    def _path(self, folder: str, name: str) -> str:
        return f"{folder}/{name}" if folder not in ("", ".") else name

    def _ledger_path(self, key: str) -> str:
        return f"{LEDGER_FOLDER}/{file_name(key, 'json')}"

    def _locate(self, key: str) -> tuple[str, str] | None:
        """(folder, name) of the key's file in the outbox or an archive, whatever its
        extension; None when it is in none of them."""
        wanted = key_hash(key)
        for folder in (self.folder, *self.archives):
            for name in self.transport.names(folder):
                if key_hash_of(name) == wanted:
                    return folder, name
        return None

    # ----------------------------------------------------------------- ledger
    def _read(self, key: str) -> dict[str, Any] | None:
        path = self._ledger_path(key)
        if not self.ledger.exists(path):
            return None
        data: dict[str, Any] = json.loads(self.ledger.read(path).decode("utf-8"))
        return data

    def _save(self, data: Mapping[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        self.ledger.write_atomic(self._ledger_path(str(data["key"])), text.encode("utf-8"))

    def _next_number(self) -> tuple[int, str]:
        last = 0
        if self.ledger.exists(_SEQUENCE):
            last = int(json.loads(self.ledger.read(_SEQUENCE).decode("utf-8"))["last"])
        return last + 1, f"{self.number_prefix}{last + 1:0{self.number_digits}d}"

    def _entry(self, data: Mapping[str, Any], waiting: bool) -> OutboxEntry:
        state = _CANCELLED if data["state"] == _CANCELLED else data["document_type"]
        result = SaleResult(
            source_id=data["file"],
            number=data["number"],
            state=state,
            untaxed_amount=Decimal(data["untaxed"]),
            tax_amount=Decimal(data["tax"]),
            total_amount=Decimal(data["total"]),
            external_key=data["key"],
            party_code=data["party_code"],
            lines=tuple(_line_of(line) for line in data["lines"]),
            payments_total=Decimal(data["payments_total"]),
            tax_bases=tuple((tax_id, Decimal(base)) for tax_id, base in data["tax_bases"]),
        )
        return OutboxEntry(
            key=data["key"],
            result=result,
            file=data["file"],
            document_type=data["document_type"],
            written_at=_when(data.get("written_at")),
            waiting=waiting and data["state"] != _CANCELLED,
            cancelled=data["state"] == _CANCELLED,
            recovered=bool(data.get("recovered")),
        )

    def _settled(self, key: str, data: dict[str, Any] | None) -> dict[str, Any] | None:
        """The key's ledger entry once written or cancelled: a pending intent whose file
        exists is completed, one without a file is None; a file without an entry
        (the ledger lost) is recorded as recovered."""
        if data is not None and data["state"] != "pending":
            return data
        place = self._locate(key)
        if place is None:
            return None
        written_at = self.transport.modified_at(self._path(*place)).isoformat()
        if data is None:
            data = {
                "key": key,
                "file": place[1],
                "number": "",
                "document_type": "",
                "party_code": "",
                "untaxed": "0",
                "tax": "0",
                "total": "0",
                "payments_total": "0",
                "tax_bases": [],
                "lines": [],
                "recovered": True,
            }
        data = {**data, "state": "written", "written_at": written_at}
        self._save(data)
        return data

    def _is_waiting(self, data: Mapping[str, Any]) -> bool:
        return self.transport.exists(self._path(self.folder, str(data["file"])))

    # ----------------------------------------------------------------- public
    def entry(self, key: str) -> OutboxEntry | None:
        """The sale written for ``key`` with its file's whereabouts; None when not written."""
        data = self._settled(key, self._read(key))
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
        key = sale.external_key
        pending = self._read(key)
        settled = self._settled(key, pending)
        if settled is not None:
            return self._entry(settled, self._is_waiting(settled)).result
        sequence, number = (0, sale.number) if sale.number else self._next_number()
        if pending is not None and not sale.number and pending.get("number"):
            sequence, number = 0, str(pending["number"])  # the intent's number, not a new one
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
            self.ledger.write_atomic(_SEQUENCE, json.dumps({"last": sequence}).encode("utf-8"))
        name = file_name(key, self.layout.extension)
        intent: dict[str, Any] = {
            "key": key,
            "file": name,
            "number": number,
            "state": "pending",
            "document_type": str(sale.document_type),
            "party_code": sale.party_code,
            "untaxed": str(figures.untaxed),
            "tax": str(figures.tax),
            "total": str(figures.total),
            "payments_total": str(sum((p.amount for p in sale.payments), Decimal(0))),
            "tax_bases": sorted([tax_id, str(base)] for tax_id, base in figures.bases.items()),
            "lines": [_line_json(line) for line in sale.lines],
            "written_at": None,
        }
        self._save(intent)
        self.transport.write_atomic(self._path(self.folder, name), data)
        written = {**intent, "state": "written", "written_at": self.now().isoformat()}
        self._save(written)
        return self._entry(written, True).result

    def cancel(self, key: str) -> SaleResult:
        """Withdraw a sale whose file still waits (moved to the cancelled folder, kept);
        RecordError once the back-office program has taken it; NotFoundError when the
        key was never written."""
        data = self._settled(key, self._read(key))
        if data is None:
            raise NotFoundError(M_("no sale for %(key)s", key=key))
        if data["state"] == _CANCELLED:
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
        cancelled = {
            **data,
            "state": _CANCELLED,
            "cancelled_at": self.now().isoformat(),
            "moved_to": moved,
        }
        self._save(cancelled)
        return self._entry(cancelled, False).result

    def sales(self) -> list[OutboxEntry]:
        """Every sale the ledger holds (pending intents completed or left out), by key."""
        waiting = {key_hash_of(name) for name in self.transport.names(self.folder)}
        found: list[OutboxEntry] = []
        for name in self.ledger.names(LEDGER_FOLDER):
            raw: dict[str, Any] = json.loads(
                self.ledger.read(f"{LEDGER_FOLDER}/{name}").decode("utf-8")
            )
            data = self._settled(str(raw["key"]), raw)
            if data is not None:
                found.append(self._entry(data, key_hash(str(data["key"])) in waiting))
        return sorted(found, key=lambda entry: entry.key)

    def open_demand(
        self,
        key_prefix: str,
        stock_exported_at: datetime | None,
        item_ids: Mapping[str, str] | None = None,
    ) -> list[OpenDemand]:
        """Per item, the units of product lines that the back-office's stock export cannot
        show yet: of sales keyed ``key_prefix…``, not cancelled, whose file still waits
        or was written after ``stock_exported_at`` (every one when it is None).

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
            seen = (
                stock_exported_at is not None
                and entry.written_at is not None
                and entry.written_at <= stock_exported_at
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
