"""Small value conversions of the Webservice: dates and money."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["cents", "format_date", "money", "parse_date"]


def parse_date(value: Any) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` (the shop's time; read as UTC), or None when empty/zero."""
    text = str(value or "")
    if not text or text.startswith("0000"):
        return None
    try:
        return datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def format_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def money(value: Any) -> Decimal:
    try:
        return Decimal(str(value or 0))
    except InvalidOperation:
        return Decimal(0)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))
