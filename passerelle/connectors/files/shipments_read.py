"""Deliveries exported by the back-office program → the shipments told to the shop.

Why by document number: the program's delivery export names the sales document
it delivers (the number passerelle gave it in the order file, ``WEB000012`` or
the shop's own), with the delivery's number, date, carrier and tracking. The
connector turns the document number back into the order key through the
outbox's ledger; deliveries of documents passerelle did not write (a counter
sale, a phone order) are not the shop's and are left out. A line without a
delivery number is that line's problem: without it, a shipment could be told
twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from passerelle.connectors.files.columns import ColumnMap, Columns
from passerelle.connectors.files.records import Read, read_lines
from passerelle.connectors.files.tables import Row, Table
from passerelle.i18n.messages import M_, Message

__all__ = ["Delivery", "read_deliveries"]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One delivery as the program exported it; ``number`` is the sales document's."""

    number: str
    shipment_number: str
    shipped_at: datetime | None
    carrier: str = ""
    tracking_number: str = ""


def _moment(value: date | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time.min, UTC)


def read_deliveries(tables: Sequence[Table], mapping: ColumnMap) -> Read[Delivery]:
    """Fields: ``code`` (the sales document's number), ``shipment_number`` (required),
    ``shipped_at`` (a date), ``carrier``, ``tracking_number``."""
    read: Read[Delivery] = Read()

    def key(columns: Columns, row: Row, code: str) -> tuple[str, Message]:
        shipment = columns.text(row, "shipment_number")
        said = M_("the delivery %(shipment)s of %(code)s", shipment=shipment, code=code)
        return f"{code}\x00{shipment}", said

    def build(columns: Columns, row: Row, code: str) -> Delivery:
        shipment = columns.text(row, "shipment_number")
        if not shipment:
            raise columns.required(row, "shipment_number")
        return Delivery(
            number=code,
            shipment_number=shipment,
            shipped_at=_moment(columns.date(row, "shipped_at")),
            carrier=columns.text(row, "carrier"),
            tracking_number=columns.text(row, "tracking_number"),
        )

    read.records = [d for _line, d in read_lines(tables, mapping, build, read.problems, key=key)]
    return read
