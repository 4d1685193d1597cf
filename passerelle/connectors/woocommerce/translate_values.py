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
from passerelle.i18n.messages import M_, Message, Text

__all__ = ["batch_error", "error_code", "format_datetime", "meta_value", "money", "parse_datetime"]


_AMOUNT = M_("an amount")


def money(value: Any, *, what: Text = _AMOUNT) -> Decimal:
    """A WooCommerce amount (string or number) as Decimal; '' counts as 0.

    ``what`` names the amount for the merchant (``M_("%(where)s total", …)``).
    """
    if value is None or value == "":
        return Decimal("0")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise RecordError(
            M_("%(what)s is not a number: %(value)s", what=what, value=repr(value))
        ) from exc


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


def batch_error(answer: Mapping[str, Any], record: Text) -> Message | None:
    """The reason a batch item was refused (``{"error": {code, message}}``), or None.

    ``record`` names the item (``M_("product %(key)s", key=…)``); the shop's own
    words and code are kept as they are, in the HTTP client's refusal sentence.
    """
    error = answer.get("error")
    if not error:
        return None
    message = error.get("message") if isinstance(error, Mapping) else str(error)
    code = error.get("code", "") if isinstance(error, Mapping) else ""
    said = {"platform": "WooCommerce", "request": record, "message": message}
    if code:
        return M_("%(platform)s refused %(request)s: %(message)s [%(code)s]", code=code, **said)
    return M_("%(platform)s refused %(request)s: %(message)s", **said)


def error_code(answer: Mapping[str, Any]) -> str:
    """The WP_Error ``code`` of a refused batch item ('' when it was not refused)."""
    error = answer.get("error")
    return str(error.get("code") or "") if isinstance(error, Mapping) else ""
