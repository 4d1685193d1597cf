"""One shop record that cannot be translated is that record's error, never the end of a read.

Why: a connector's translator reads what a shop sent, and a shop (a plugin,
a migration, a hand-edited database) can send a field of the wrong type, a
missing key or an amount no ``Decimal`` can hold. Left alone, that raises a
``KeyError``, ``TypeError`` or ``decimal.InvalidOperation`` out of
``iter_orders``: the whole read stops, and every later order waits behind the
bad one. Each connector therefore translates one record through
:func:`read_record` (``get_order``) or :func:`each_record` (``iter_orders``),
which turn any such failure into a :class:`RecordError` carrying the record's
id, which the flow parks while the other records go on.

Errors from the wire itself (the page could not be read, the credentials
were refused) are not a record's: they are raised by the client outside these
helpers and keep their own class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import DecimalException
from functools import partial
from typing import Any, TypeVar

from passerelle.connectors.errors import ConnectorError, RecordError
from passerelle.i18n.messages import M_, Text

__all__ = ["each_record", "raw_id", "read_record"]

T = TypeVar("T")
_MAX_DETAIL = 200


def read_record(record_id: str | None, read: Callable[[], T]) -> T:
    """``read()``, whose failure becomes a :class:`ConnectorError` naming ``record_id``."""
    try:
        return read()
    except ConnectorError as exc:
        exc.record_id = exc.record_id or record_id
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the shop sent, it is one record's defect
        raise RecordError(
            M_("%(reason)s; check this record in the shop", reason=_reason(exc)),
            record_id=record_id,
        ) from exc


def each_record(
    raws: Iterable[Any],
    translate: Callable[[Any], T],
    id_of: Callable[[Any], str | None] | None = None,
) -> Iterator[T | ConnectorError]:
    """Each raw record translated, or its error in its place (the read goes on)."""
    name = id_of or raw_id
    for raw in raws:
        try:
            record: T | ConnectorError = read_record(name(raw), partial(translate, raw))
        except ConnectorError as exc:
            record = exc
        yield record


def raw_id(raw: Any, key: str = "id") -> str | None:
    """A wire record's id as text, when it has a usable one (never raises)."""
    value = raw.get(key) if isinstance(raw, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        return None
    return str(value)[:_MAX_DETAIL]


def _reason(exc: Exception) -> Text:
    """What went wrong, in a merchant's words where the exception allows it (the
    exception's own words, Python's, stay as they are)."""
    if isinstance(exc, KeyError):
        if not exc.args:
            return M_("a field is missing")
        return M_("the field %(field)s is missing", field=repr(exc.args[0]))
    if isinstance(exc, TypeError | AttributeError):
        return M_("a field has the wrong type (%(error)s)", error=_cut(str(exc)))
    if isinstance(exc, DecimalException):
        return M_("an amount or a quantity is not a number passerelle can hold")
    return _cut(f"{type(exc).__name__}: {exc}")


def _cut(detail: str) -> str:
    return detail if len(detail) <= _MAX_DETAIL else detail[:_MAX_DETAIL] + "…"
