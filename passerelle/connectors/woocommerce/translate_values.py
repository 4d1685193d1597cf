"""WooCommerce wire values (money strings, GMT dates, meta rows) as Python values.

Why a module: every translator reads the same few shapes the REST API v3
documents — amounts as strings ("24.90"), ``*_gmt`` dates as ISO strings
without a zone, ``meta_data`` as ``[{id, key, value}]`` rows — and each must
fail the same way, naming the record and the field a merchant can fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from passerelle.connectors.errors import RecordError

__all__ = ["batch_error", "error_code", "format_datetime", "meta_value", "money", "parse_datetime"]


def money(value: Any, *, what: str = "amount") -> Decimal:
    """A WooCommerce amount (string or number) as Decimal; '' counts as 0."""
    if value is None or value == "":
        return Decimal("0")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise RecordError(f"{what} is not a number: {value!r}") from exc


def parse_datetime(value: str | None) -> datetime | None:
    """A ``*_gmt`` ISO string (no zone) as an aware UTC datetime."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """An aware datetime as the ISO 8601 string WooCommerce filters accept."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def meta_value(record: Mapping[str, Any], key: str) -> Any:
    """The value of the first ``meta_data`` row named ``key`` (None when absent).

    ``WC_Data::get_meta`` with ``$single`` returns the first row too.
    """
    for row in record.get("meta_data") or []:
        if isinstance(row, Mapping) and row.get("key") == key:
            return row.get("value")
    return None


def batch_error(answer: Mapping[str, Any], key: str, what: str) -> str | None:
    """The reason a batch item was refused (``{"error": {code, message}}``), or None."""
    error = answer.get("error")
    if not error:
        return None
    message = error.get("message") if isinstance(error, Mapping) else str(error)
    code = error.get("code", "") if isinstance(error, Mapping) else ""
    text = f"WooCommerce refused {what} {key}: {message}"
    return f"{text} [{code}]" if code else text


def error_code(answer: Mapping[str, Any]) -> str:
    """The WP_Error ``code`` of a refused batch item ('' when it was not refused)."""
    error = answer.get("error")
    return str(error.get("code") or "") if isinstance(error, Mapping) else ""
