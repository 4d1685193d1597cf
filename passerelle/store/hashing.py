"""The content hash that decides "send only what changed".

A flow maps a back-office record to the payload it would send to a shop,
hashes that payload with :func:`content_hash`, and compares the result with the
hash stored on the record's binding: equal means the shop already has this
content and the record is counted "unchanged" without any request.

So the hash must be **deterministic** (same payload → same hash, whatever the
dict ordering, the process or the machine) and **injective in practice**
(any value that differs → a different hash; a missed difference is a price
that never reaches the shop).

Decisions, each pinned by a test:

* **Decimals are hashed as given.** ``Decimal("1.10")`` and ``Decimal("1.1")``
  hash *differently*. Mappers quantize amounts to the currency's precision
  before building the payload (that is what the shop receives), so the hash
  reflects exactly what would be sent; normalising here would hide a mapper
  that stopped quantizing.
* **Types are part of the content.** ``Decimal("1")``, ``1``, ``1.0``,
  ``"1"`` and ``True`` all hash differently, and so do a datetime and its
  ISO string: a mapper that changes a field's type changes what is sent.
  Non-JSON types are tagged (``{"$decimal": "1.10"}``) and user keys that
  start with ``$`` are escaped (``"$x"`` → ``"$$x"``), so a tag can never be
  forged by payload data.
* **Datetimes must be timezone-aware** and are hashed as the UTC instant:
  the same instant written in two time zones is the same content. A naive
  datetime is rejected — it is ambiguous, and every time in passerelle is
  aware UTC.
* Lists and tuples are the same (JSON has only arrays). Sets, bytes, NaN,
  infinities, non-string keys and unknown types are rejected with the path of
  the offending value, rather than guessed at.

Changing these rules changes every stored hash, which makes the next run
resend everything once: safe, but note it in the changelog.

Speed: every record of the catalogue is hashed on every run, so the common
shapes (dicts, lists, str, int, bool, None, Decimal, finite floats) take a
fast path (:func:`_quick`) that builds the same canonical structure without
the path of each value; anything else, and any value it refuses, goes
through the checked path (:func:`_canon`), which names the offending value.
Both give the same text, so stored hashes are unchanged (pinned by
``tests/store/test_local_overhead_hashing.py`` against the checked path).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from json.encoder import encode_basestring
from operator import itemgetter
from typing import Any

__all__ = ["canonical_json", "content_hash", "encode_canonical"]

_JSON = None | bool | int | float | str | list["_JSON"] | dict[str, "_JSON"]


def content_hash(payload: Mapping[str, Any]) -> str:
    """Return the hex sha256 of the canonical JSON of ``payload``."""
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def canonical_json(payload: Mapping[str, Any]) -> str:
    """Canonical JSON text of ``payload``: sorted keys, no spaces, tagged types.

    Exposed so a test or a support session can see exactly what was hashed.
    """
    if not isinstance(payload, Mapping):
        raise TypeError(  # internal: payloads are built by the code
            f"content_hash expects a mapping, got {type(payload).__name__}"
        )
    try:
        return _text(payload) if type(payload) is dict else _ENCODER.encode(_quick(payload))
    except (TypeError, ValueError):
        canon = _canon(payload, "$")  # raises, naming where the value is
    return _ENCODER.encode(canon)


# One encoder for every text: json.dumps with these options would build one per call.
_ENCODER = json.JSONEncoder(
    sort_keys=True,
    separators=(",", ":"),
    ensure_ascii=False,
    allow_nan=False,
)


def encode_canonical(canon: dict[str, Any]) -> str:
    """The text of a payload already in canonical form (tagged, keys escaped), as
    :func:`canonical_json` writes it: for a caller that builds that form itself in one
    walk of its records (``flows/sent.py``), the same text, so the same hashes."""
    return _ENCODER.encode(canon)


_PLAIN = frozenset({str, int, bool, type(None)})


def _quick(value: Any) -> _JSON:
    """:func:`_canon` for the exact built-in types, without paths; others go to it."""
    kind = type(value)
    if kind in _PLAIN:
        return value  # type: ignore[no-any-return]
    if kind is dict:
        out: dict[str, _JSON] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("key")  # internal: caught, the checked path then says which
            # Leaves inline: most values are plain, and a call per value costs more.
            out["$" + key if key.startswith("$") else key] = (
                item if type(item) in _PLAIN else _quick(item)
            )
        return out
    if kind is list or kind is tuple:
        return [item if type(item) in _PLAIN else _quick(item) for item in value]
    if kind is Decimal:
        if not value.is_finite():
            raise ValueError("decimal")  # internal: caught, the checked path then says which
        return {"$decimal": str(value)}
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("float")  # internal: caught, the checked path then says which
        return value  # type: ignore[no-any-return]
    return _canon(value, "$")


def _text(value: Any) -> str:
    """:func:`_quick`'s form written straight as the encoder's text (no structure in
    between, each mapping's keys sorted as the encoder sorts them); others go to
    :func:`_canon`, whose form the encoder writes."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        members = []
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("key")  # internal: caught, the checked path then says which
            members.append(("$" + key if key.startswith("$") else key, item))
        members.sort(key=_FIRST)
        return "{" + ",".join([encode_basestring(k) + ":" + _text(v) for k, v in members]) + "}"
    if kind is list or kind is tuple:
        return "[" + ",".join([_text(item) for item in value]) + "]"
    if kind is Decimal:
        if not value.is_finite():
            raise ValueError("decimal")  # internal: caught, the checked path then says which
        return '{"$decimal":"' + str(value) + '"}'  # digits, sign, point, exponent: as is
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("float")  # internal: caught, the checked path then says which
        return float.__repr__(value)
    return _ENCODER.encode(_canon(value, "$"))


_FIRST = itemgetter(0)


def _canon(value: Any, path: str) -> _JSON:
    # bool before int: bool is a subclass of int, and JSON keeps them apart.
    if value is None or isinstance(value, bool | str):
        return value  # str subclasses (StrEnum) hash as their value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(  # internal: payloads are built by the code
                f"{path}: non-finite float {value!r} cannot be hashed"
            )
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(  # internal: payloads are built by the code
                f"{path}: non-finite Decimal {value!r} cannot be hashed"
            )
        return {"$decimal": str(value)}
    if isinstance(value, datetime):  # before date: datetime is a date subclass
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(  # internal: payloads are built by the code
                f"{path}: naive datetime {value!r}; use an aware UTC datetime"
            )
        return {"$datetime": value.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Mapping):
        out: dict[str, _JSON] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(  # internal: payloads are built by the code
                    f"{path}: mapping key {key!r} is not a string"
                )
            out["$" + key if key.startswith("$") else key] = _canon(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [_canon(item, f"{path}[{i}]") for i, item in enumerate(value)]
    raise TypeError(  # internal: payloads are built by the code
        f"{path}: cannot hash a value of type {type(value).__name__}"
    )
