"""Small value conversions of the Webservice: dates, money, and our lines in private notes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["cents", "format_date", "money", "parse_date", "with_line"]


def parse_date(value: Any) -> datetime | None:
    """``YYYY-MM-DD HH:MM:SS`` (the shop's time; read as UTC), or None when empty/zero."""
    try:
        return datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:  # empty, 0000-00-00 00:00:00, or no date at all
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


def with_line(note: str, label: str, value: str) -> str:
    """``note`` with ``<label> : <value>`` as its first line (none when ``value`` is
    empty), in place of the one written before, the merchant's own text kept: customers
    and orders have no free field a merchant sees but their private ``note``."""
    rest = re.sub(rf"^{re.escape(label)}\s*:.*$\n?", "", note or "", flags=re.M).strip()
    return "\n".join(p for p in (f"{label} : {value}" if value else "", rest) if p)
