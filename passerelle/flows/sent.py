"""What an export keeps of a record it sent: the fields an update writes, as plain JSON.

The binding's hash says *that* a record changed; this says *what*: the
preview (:mod:`.preview`) compares it, field by field, with what the next run
would send. Only the fields an update writes are kept (a candidate's
``fields``; all of them when it names none), so a field the shop keeps as the
merchant edited it is neither stored nor shown as a change. Files count by
their name, which carries their bytes' digest, never by where the shop
fetches them or the id it gave them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from passerelle.model import MediaRef
from passerelle.store import canonical_json

__all__ = ["plain", "sent_fields", "sent_json"]


# Values kept as they are, tested first: nearly every field of a record is one of these.
_AS_IS = frozenset({str, int, bool, type(None), Decimal, float})


def plain(value: Any) -> Any:
    """``value`` with records turned into mappings and files into their names."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, MediaRef):
        return value.name
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def sent_fields(content: object, names: Collection[str] | None) -> dict[str, Any]:
    """The fields of ``content`` an update writes (``names``; all when None), plain.

    A record's other fields are not made plain at all: an update writes a few
    of a product's forty."""
    if names is not None and is_dataclass(content) and not isinstance(content, type | MediaRef):
        return {f.name: plain(getattr(content, f.name)) for f in fields(content) if f.name in names}
    whole = plain(content)
    if not isinstance(whole, dict):
        return {"value": whole}
    if names is None:
        return whole
    return {name: value for name, value in whole.items() if name in names}


def sent_json(content: object, names: Collection[str] | None) -> str:
    """:func:`sent_fields` as compact canonical JSON, the store's encoding of a content."""
    return canonical_json(sent_fields(content, names))
