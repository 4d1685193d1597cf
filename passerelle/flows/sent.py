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
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import fields, is_dataclass
from decimal import Decimal
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any

from passerelle.model import MediaRef
from passerelle.store import canonical_json

__all__ = ["Unusual", "canonical_fields", "canonical_text", "plain", "sent_fields", "sent_json"]


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
            return canonical_text(content, names)
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


# ------------------------------------------------------------------------ text
# The same canonical form written straight as its JSON text: no mapping built, no
# sort per record (a field set's names are sorted once), each value written as
# ``encode_canonical`` writes it (compact separators, text escaped by the same
# function the encoder uses, integers and floats by their repr, Decimals tagged).


def canonical_text(
    record: object, names: Collection[str], *, hashed: bool = False, before: str = ""
) -> str:
    """``encode_canonical(canonical_fields(record, names, hashed=hashed))``, written in one
    walk with no structure in between (a product's hash and kept content, every run).

    Without ``hashed``, names that are not fields of the record are left out, as
    :func:`sent_json` leaves them. ``before``: members already written as canonical text
    whose keys sort before every field name (``"$$state":"on"``, a product's state).
    Raises :class:`Unusual` where :func:`canonical_fields` does.
    """
    getter, members, digested_at = _compiled(type(record), names, hashed)
    values: Sequence[Any] = getter(record)
    if digested_at:  # images and documents, hashed by their files' digests
        digested = list(values)
        for at in digested_at:
            digested[at] = [m.digest for m in digested[at]]
        values = digested
    write = _hashed_text if hashed else _sent_text
    # Text, None and the empty tuple (most of a draft's fields) written here, not by a
    # call each: the same text the writers give them.
    body = members % tuple(
        [
            encode_basestring(v)
            if type(v) is str
            else "null"
            if v is None
            else "[]"
            if v is _EMPTY
            else write(v)
            for v in values
        ]
    )
    if before:
        return "{" + before + ("," + body if body else "") + "}"
    return "{" + body + "}"


_EMPTY: tuple[()] = ()


def _hashed_text(value: Any) -> str:
    """A field's value as :func:`canonical_fields` makes it with ``hashed``, as text (the
    shapes of nearly every field first, written here without a further call)."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is tuple:
        if not value:
            return "[]"
        return "[" + ",".join([_text(item, is_dataclass(item), False) for item in value]) + "]"
    if kind is Decimal and value.is_finite():
        return '{"$decimal":"' + str(value) + '"}'
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return _text(value, False, False)


def _sent_text(value: Any) -> str:
    """A field's value as :func:`canonical_fields` makes it to be kept, as text."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is tuple and not value:
        return "[]"
    if kind is Decimal and value.is_finite():
        return '{"$decimal":"' + str(value) + '"}'
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return _text(value, True, True)


# (getter of the values, the members' text with a ``%s`` for each value ('"name":%s,...'),
# where the fields hashed by their files' digests are)
_Compiled = tuple[Callable[[object], tuple[Any, ...]], str, tuple[int, ...]]
_COMPILED: dict[tuple[type, Collection[str], bool], _Compiled] = {}


def _compiled(kind: type, names: Collection[str], hashed: bool) -> _Compiled:
    """A field set's sorted names, their members' format and one getter: once per set, not per
    record (a run's records share a handful of sets; kept while few: a bound, not a leak)."""
    key_names = names if isinstance(names, frozenset | tuple) else frozenset(names)
    key = (kind, key_names, hashed)
    done = _COMPILED.get(key)
    if done is None:
        chosen = sorted(
            set(names) if hashed else {name for name in _field_names(kind) if name in names}
        )
        getter: Callable[[object], tuple[Any, ...]]
        if not chosen:
            getter = _no_values
        elif len(chosen) == 1:
            one = attrgetter(chosen[0])
            getter = lambda record: (one(record),)  # noqa: E731 - attrgetter of one name
        else:
            getter = attrgetter(*chosen)
        done = (
            getter,
            # One format for the whole text: a ``%`` in a name is written as it is.
            ",".join(encode_basestring(name).replace("%", "%%") + ":%s" for name in chosen),
            tuple(at for at, name in enumerate(chosen) if hashed and name in _DIGESTED),
        )
        if len(_COMPILED) >= 256:
            _COMPILED.clear()
        _COMPILED[key] = done
    return done


def _no_values(_record: object) -> tuple[Any, ...]:
    return ()


def _scalar_text(value: Any) -> str:
    """A str, int, bool or None as the encoder writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    return encode_basestring(value)


# Each record type's field names, sorted as the encoder sorts a mapping's keys.
_SORTED_NAMES: dict[type, tuple[str, ...]] = {}


def _text(value: Any, records: bool, named_files: bool) -> str:
    """:func:`_walk`'s canonical form of one value, as its text."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind in _SCALARS:
        return _scalar_text(value)
    if kind is Decimal:
        if value.is_finite():  # digits, sign, point and exponent: nothing to escape
            return '{"$decimal":"' + str(value) + '"}'
    elif kind is tuple or kind is list:
        return "[" + ",".join([_text(item, records, named_files) for item in value]) + "]"
    elif kind is float:
        if math.isfinite(value):
            return float.__repr__(value)
    elif records and named_files and isinstance(value, MediaRef):
        return _text(value.name, records, named_files)
    elif records and is_dataclass(value) and not isinstance(value, type):
        names = _SORTED_NAMES.get(kind)
        if names is None:
            names = _SORTED_NAMES[kind] = tuple(sorted(_field_names(kind)))
        return (
            "{"
            + ",".join(
                [
                    encode_basestring(name)
                    + ":"
                    + _text(getattr(value, name), records, named_files)
                    for name in names
                ]
            )
            + "}"
        )
    raise Unusual
