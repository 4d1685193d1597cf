"""The outbox's own trail: one small JSON file per order key, and the number sequence.

Why a ledger beside the shared folder: the back-office program moves,
renames or deletes the files it imports, and cannot be asked what it
imported. The ledger (a folder of passerelle's, under its data directory)
keeps for each key the number, totals, lines and state of the sale written,
so a sale is found again after its file is gone. Each entry is written with
``write_atomic``: a crash leaves the previous version or the new one whole.

An entry's ``state``: ``pending`` (an intent: the file may not exist yet),
``written``, or ``cancelled``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from passerelle.connectors.files.layout_rows import Figures
from passerelle.connectors.files.names import file_name
from passerelle.connectors.files.transport import Transport
from passerelle.model import BackOfficeSale, SaleLine, SaleLineKind, SaleResult

__all__ = [
    "CANCELLED",
    "LEDGER_FOLDER",
    "Ledger",
    "intent_of",
    "recovered_entry",
    "result_of",
    "when",
]

#: The ledger's folder of sale entries; the sequence is ``sequence.json`` beside it.
LEDGER_FOLDER = "sales"
SEQUENCE = "sequence.json"
CANCELLED = "cancelled"


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


def when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def intent_of(sale: BackOfficeSale, figures: Figures, name: str) -> dict[str, Any]:
    """The pending entry recorded before the sale's file ``name`` is written."""
    return {
        "key": sale.external_key,
        "file": name,
        "number": figures.number,
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


def recovered_entry(key: str, name: str) -> dict[str, Any]:
    """The entry of a file found without one (the ledger was lost): amounts unknown."""
    return {
        "key": key,
        "file": name,
        "number": "",
        "state": "pending",
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


def result_of(data: Mapping[str, Any]) -> SaleResult:
    """The entry as the ``SaleResult`` a back-office answers: the state is the document
    type (``order``, ``quotation``…) or ``cancelled``, as in the other back-offices."""
    return SaleResult(
        source_id=data["file"],
        number=data["number"],
        state=CANCELLED if data["state"] == CANCELLED else data["document_type"],
        untaxed_amount=Decimal(data["untaxed"]),
        tax_amount=Decimal(data["tax"]),
        total_amount=Decimal(data["total"]),
        external_key=data["key"],
        party_code=data["party_code"],
        lines=tuple(_line_of(line) for line in data["lines"]),
        payments_total=Decimal(data["payments_total"]),
        tax_bases=tuple((tax_id, Decimal(base)) for tax_id, base in data["tax_bases"]),
    )


class Ledger:
    """The entries and the sequence, in a folder of passerelle's."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def _path(self, key: str) -> str:
        return f"{LEDGER_FOLDER}/{file_name(key, 'json')}"

    def _load(self, path: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.transport.read(path).decode("utf-8"))
        return data

    def read(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        return self._load(path) if self.transport.exists(path) else None

    def save(self, data: Mapping[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
        self.transport.write_atomic(self._path(str(data["key"])), text.encode("utf-8"))

    def entries(self) -> list[dict[str, Any]]:
        """Every entry, as stored (pending ones included)."""
        return [
            self._load(f"{LEDGER_FOLDER}/{name}") for name in self.transport.names(LEDGER_FOLDER)
        ]

    def next_number(self) -> int:
        """The number after the last one given (not taken until :meth:`take_number`)."""
        if not self.transport.exists(SEQUENCE):
            return 1
        return int(self._load(SEQUENCE)["last"]) + 1

    def take_number(self, number: int) -> None:
        self.transport.write_atomic(SEQUENCE, json.dumps({"last": number}).encode("utf-8"))
