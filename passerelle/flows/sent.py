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

import math
from collections.abc import Collection, Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from passerelle.model import MediaRef
from passerelle.store import canonical_json
from passerelle.store.hashing import encode_canonical

__all__ = ["Unusual", "canonical_fields", "plain", "sent_fields", "sent_json"]


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
    """:func:`sent_fields` as compact canonical JSON, the store's encoding of a content.

    A record's named fields are made canonical in one walk (:func:`canonical_fields`);
    anything that walk does not know goes the long way, to the same text."""
    if names is not None and is_dataclass(content) and not isinstance(content, type | MediaRef):
        try:
            named = [name for name in _field_names(type(content)) if name in names]
            return encode_canonical(canonical_fields(content, named))
        except Unusual:
            pass
    return canonical_json(sent_fields(content, names))


class Unusual(Exception):
    """A value :func:`canonical_fields` leaves to the checked path (internal: caught)."""


_SCALARS = frozenset({str, int, bool, type(None)})
# Each record type's field names, looked up once (``fields()`` filters on every call).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind))
    return names


def canonical_fields(
    record: object, names: Collection[str], *, hashed: bool = False
) -> dict[str, Any]:
    """The canonical form (:mod:`passerelle.store.hashing`) of ``record``'s fields
    ``names``, built in one walk, with no plain copy of the record in between.

    By default as :func:`sent_fields` makes them plain: nested records become
    mappings and files their names. ``hashed=True``, as a product's hash takes them
    (``export_products.product_hash``): images and documents become their files'
    digests, and only the records directly in a tuple become mappings (whole, files
    included). Raises :class:`Unusual` on any other shape (a mapping, a set, a
    datetime...): the caller then takes the checked path, which gives the same text
    or names the fault.
    """
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(record, name)
        if hashed and name in _DIGESTED:
            out[name] = [_walk(m.digest, False, False) for m in value]
        elif type(value) in _SCALARS:
            out[name] = value
        elif not hashed:
            out[name] = _walk(value, True, True)
        elif type(value) is tuple:
            out[name] = [_walk(item, is_dataclass(item), False) for item in value]
        else:
            out[name] = _walk(value, False, False)
    return out


# A product's fields hashed by their files' digests.
_DIGESTED = frozenset({"images", "documents"})


def _walk(value: Any, records: bool, named_files: bool) -> Any:
    """One value's canonical form; ``records``: nested records become mappings;
    ``named_files``: a file becomes its name."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is Decimal:
        if value.is_finite():
            return {"$decimal": str(value)}
    elif kind is tuple or kind is list:
        return [
            item if type(item) in _SCALARS else _walk(item, records, named_files) for item in value
        ]
    elif kind is float:
        if math.isfinite(value):
            return value
    elif records and named_files and isinstance(value, MediaRef):
        return _walk(value.name, records, named_files)
    elif records and is_dataclass(value) and not isinstance(value, type):
        return {
            name: _walk(getattr(value, name), records, named_files) for name in _field_names(kind)
        }
    raise Unusual
