"""What an export run would change, field by field, computed without writing anything.

Merchants wary of bulk overwrites look before a first run: which records the
run would create, which it would update, and for each update every field's
value before (what passerelle last sent, kept with the binding) and after
(what it would send now). Records that would not be sent are counted only.

The preview runs the flow itself, so its candidates are built exactly as the
run builds them (the product export builds them in steps: categories first,
parents before their variations, adoption by SKU). The one place every export
sends through, :func:`~passerelle.flows.exporting.send_changed`, hands what
it would send to :class:`PreviewCollector` instead of the shop; the runner
gives the flow a store that writes nothing (:mod:`passerelle.runner.preview`).

Values are compared in the store's canonical JSON (the hash's encoding:
``Decimal("9.90")`` is ``{"$decimal": "9.90"}``), and shown untagged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from passerelle.flows.sent import sent_json
from passerelle.i18n import _
from passerelle.i18n.messages import Text, render

__all__ = [
    "NEW_ID",
    "FieldChange",
    "FlowPreview",
    "PreviewCollector",
    "RecordPreview",
    "shown",
    "untag",
]

#: The shop id a record the run would create stands under in the rest of a preview
#: (a product in a category the run would create first names it so).
NEW_ID = "(new)"
# Binding kinds that are one shop record with the product (see exporting.PRODUCT_KINDS):
# a price or stock bound when the product was sent shows the product's kept content.
_SAME_RECORD = ("stock", "price", "product_state")

Action = Literal["create", "update"]


class Sendable(Protocol):
    """What a preview reads of an export's :class:`~passerelle.flows.exporting.Candidate`
    (named so: the flow context, which the exports import, names the collector)."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def content(self) -> Any: ...
    @property
    def shop_id(self) -> str | None: ...
    @property
    def fields(self) -> frozenset[str] | None: ...


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field an update would write: its value last sent and the one it would send.

    ``known`` is False when the record was bound before passerelle kept what it
    sent: ``before`` is then None and shown as unknown.
    """

    field: str
    before: Any
    after: Any
    known: bool = True


@dataclass(frozen=True, slots=True)
class RecordPreview:
    """A record the run would send: created, or updated with its changed fields."""

    kind: str
    key: str
    label: str
    action: Action
    shop_id: str | None = None
    changes: tuple[FieldChange, ...] = ()


@dataclass(slots=True)
class FlowPreview:
    """What one flow's run would do; ``notes`` are its warnings (record, text)."""

    flow: str
    records: list[RecordPreview] = field(default_factory=list)
    unchanged: int = 0
    notes: list[tuple[str, Text]] = field(default_factory=list)

    @property
    def creates(self) -> list[RecordPreview]:
        return [r for r in self.records if r.action == "create"]

    @property
    def updates(self) -> list[RecordPreview]:
        return [r for r in self.records if r.action == "update"]

    @property
    def nothing_to_do(self) -> bool:
        return not self.records

    def record(self, key: str, kind: str | None = None) -> RecordPreview | None:
        """The previewed record of ``key`` (of ``kind`` when given), if the run would send it."""
        for found in self.records:
            if found.key == key and kind in (None, found.kind):
                return found
        return None

    def as_json(self) -> dict[str, Any]:
        """A plain document (values untagged: amounts as their text)."""
        return {
            "flow": self.flow,
            "unchanged": self.unchanged,
            "records": [
                {
                    "kind": r.kind,
                    "key": r.key,
                    "label": r.label,
                    "action": r.action,
                    "shop_id": r.shop_id,
                    "changes": [
                        {
                            "field": c.field,
                            "before": untag(c.before) if c.known else None,
                            "after": untag(c.after),
                            "known": c.known,
                        }
                        for c in r.changes
                    ],
                }
                for r in self.records
            ],
            "notes": [{"record": record, "text": render(text)} for record, text in self.notes],
        }


class PreviewCollector:
    """Takes what an export would send, and tells it apart from what was last sent.

    ``kept`` reads the kept contents of a binding kind (local id → canonical
    JSON); each kind is read once.
    """

    def __init__(self, flow: str, kept: Callable[[str], Mapping[str, str]]) -> None:
        self.preview = FlowPreview(flow)
        self._kept = kept
        self._read: dict[str, Mapping[str, str]] = {}
        self._seen: dict[tuple[str, str], int] = {}

    def would_send(self, kind: str, candidates: Sequence[Sendable]) -> dict[str, str]:
        """Note the records a run would send; :data:`NEW_ID` for each it would create, so
        the flow goes on as if they existed (a variation under its new parent)."""
        created: dict[str, str] = {}
        for candidate in candidates:
            after = json.loads(sent_json(candidate.content, candidate.fields))
            if candidate.shop_id in (None, NEW_ID):  # NEW_ID: sent again by the same run
                record = RecordPreview(kind, candidate.key, candidate.label, "create")
                created[candidate.key] = NEW_ID
            else:
                record = RecordPreview(
                    kind,
                    candidate.key,
                    candidate.label,
                    "update",
                    candidate.shop_id,
                    self._changes(kind, candidate.key, after),
                )
            self._add(record)
        return created

    def _add(self, record: RecordPreview) -> None:
        """A record sent twice by one run (a product waiting for a related one) shows once."""
        at = self._seen.get((record.kind, record.key))
        if at is None:
            self._seen[(record.kind, record.key)] = len(self.preview.records)
            self.preview.records.append(record)
        else:
            self.preview.records[at] = record

    def _changes(self, kind: str, key: str, after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
        kept = self._kept_content(kind, key)
        if kept is None:
            return tuple(
                FieldChange(name, None, value, known=False) for name, value in after.items()
            )
        return tuple(
            FieldChange(name, kept[name], value)
            if name in kept
            else FieldChange(name, None, value, known=False)
            for name, value in after.items()
            if name not in kept or kept[name] != value
        )

    def _kept_content(self, kind: str, key: str) -> dict[str, Any] | None:
        text = self._of(kind).get(key)
        if text is None and kind in _SAME_RECORD:
            text = self._of("product").get(key)
        return None if text is None else dict(json.loads(text))

    def _of(self, kind: str) -> Mapping[str, str]:
        if kind not in self._read:
            self._read[kind] = self._kept(kind)
        return self._read[kind]


def untag(value: Any) -> Any:
    """A canonical JSON value with its type tags dropped (``{"$decimal": "9.90"}`` → ``"9.90"``)."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, inner),) = value.items()
            if tag in ("$decimal", "$datetime", "$date"):
                return inner
        return {(k[1:] if k.startswith("$$") else k): untag(v) for k, v in value.items()}
    if isinstance(value, list):
        return [untag(v) for v in value]
    return value


def shown(value: Any) -> str:
    """A value as one line of a table: amounts as written, lists joined, nothing as a dash."""
    value = untag(value)
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in sorted(value.items()))
    return str(value)
