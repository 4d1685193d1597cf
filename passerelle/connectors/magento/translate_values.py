"""Magento wire values (JSON numbers, UTC dates, custom attributes) as Python values.

Why a module: orders, products and customers read the same shapes
(admin-schema-2.4.9.yaml): amounts are JSON floats, dates UTC
``YYYY-MM-DD HH:MM:SS``, texts and extension fields ``custom_attributes`` rows
``[{attribute_code, value}]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from passerelle.connectors.errors import RecordError
from passerelle.i18n.messages import M_, Text

__all__ = ["custom_attribute", "money", "parse_datetime", "stamp"]

_AN_AMOUNT = M_("an amount")


def money(value: Any, what: Text = _AN_AMOUNT) -> Decimal:
    """A Magento number (a JSON float) as an exact Decimal, rounded to 4 places as stored."""
    if value in (None, ""):
        return Decimal(0)
    try:
        return round(Decimal(str(value)), 4).normalize() + Decimal("0.00")
    except (InvalidOperation, ValueError) as exc:
        raise RecordError(
            M_("%(what)s is not a number: %(value)s", what=what, value=repr(value))
        ) from exc


def stamp(moment: datetime) -> str:
    """A moment as Magento writes and filters dates (UTC ``YYYY-MM-DD HH:MM:SS``)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def parse_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(str(value)[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def custom_attribute(record: Mapping[str, Any], code: str) -> Any:
    return next(
        (
            a.get("value")
            for a in record.get("custom_attributes") or []
            if a.get("attribute_code") == code
        ),
        None,
    )
