"""Declarative field tables: the flat part of a wire -> model translation.

Most fields of a shop's order, address or customer are copied from one key of
the wire record with one conversion: text that may be missing, an amount, a
date. Written out one by one they drown the few rules a translator really holds
(which address ships, how a discount splits, what is paid). A field table names
those copies, ``model field -> reader``, and :func:`read_fields` applies it; the
translator passes the result to the model's constructor beside the fields it
computes::

    _ADDRESS = {"first_name": text("firstname"), "city": text("city")}
    Address(**read_fields(_ADDRESS, data), street=...)

A key may be a dotted path (``payment.last_trans_id``): each step of it reads a
missing or null object as empty, as the translators did by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.i18n.messages import M_, said

__all__ = [
    "FieldTable",
    "Reader",
    "as_sent",
    "optional_text",
    "read_fields",
    "required",
    "text",
    "value",
    "wire",
]

Reader = Callable[[Mapping[str, Any]], Any]
FieldTable = Mapping[str, Reader]


def wire(data: Mapping[str, Any], key: str) -> Any:
    """The value at ``key`` (dotted for nested objects), None when any step is missing."""
    *path, last = key.split(".")
    for step in path:
        data = data.get(step) or {}
    return data.get(last)


def text(key: str) -> Reader:
    """The value as text, ``""`` when missing, null or empty."""
    return lambda data: str(wire(data, key) or "")


def as_sent(key: str) -> Reader:
    """The value as the wire sent it (a JSON string, kept as is), ``""`` when missing,
    null or empty."""
    return lambda data: wire(data, key) or ""


def optional_text(key: str) -> Reader:
    """The value as text, None when missing, null or empty (an optional reference)."""

    def read(data: Mapping[str, Any]) -> str | None:
        found = wire(data, key)
        return str(found) if found else None

    return read


def value(key: str, convert: Callable[[Any], Any]) -> Reader:
    """``convert`` of the value as the wire has it (None when missing): an amount, a date.

    A value ``convert`` refuses is the record's error, naming the field and what
    it holds, so the merchant knows what to correct in the shop.
    """

    def read(data: Mapping[str, Any]) -> Any:
        found = wire(data, key)
        try:
            return convert(found)
        except RecordError as exc:
            raise RecordError(
                M_("the field %(field)s: %(error)s", field=repr(key), error=said(exc)),
                record_id=exc.record_id,
            ) from exc
        except ConnectorError:
            raise
        except Exception as exc:  # noqa: BLE001 - any refusal is this field's defect
            shown = repr(found) if len(repr(found)) <= 60 else repr(found)[:60] + "…"
            raise RecordError(
                M_(
                    "the field %(field)s holds %(value)s, which is not valid: %(error)s",
                    field=repr(key),
                    value=shown,
                    error=said(exc),
                )
            ) from exc

    return read


def required(key: str, convert: Callable[[Any], Any] = lambda found: found) -> Reader:
    """``convert`` of a field the wire record always holds (an id, a field a GraphQL query
    asks for), as :func:`value` reads it.

    A record without ``key`` (its first step, for a dotted key) is refused, as indexing
    it was: the ``KeyError`` that :func:`passerelle.connectors.reading.read_record` words
    as "the field … is missing". A present null is ``convert``'s to judge.
    """
    head = key.split(".", 1)[0]
    reader = value(key, convert)

    def read(data: Mapping[str, Any]) -> Any:
        if head not in data:
            raise KeyError(head)
        return reader(data)

    return read


def read_fields(table: FieldTable, data: Mapping[str, Any]) -> dict[str, Any]:
    """Each field of ``table`` read from ``data``, by model field name."""
    return {name: read(data) for name, read in table.items()}
