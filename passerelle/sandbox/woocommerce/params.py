"""Query and body argument parsing with WordPress's own leniency and messages.

WordPress validates arguments against the route's JSON schema
(``rest_validate_value_from_schema``): integers may arrive as numeric
strings, booleans as ``"true"``/``"1"``, arrays as ``a,b`` or ``a[]=x``.
A value that does not fit gives ``rest_invalid_param`` (400) naming the
parameter. Clients that rely on anything looser break on a real shop, so the
sandbox is exactly as lenient and no more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from .errors import invalid_param

__all__ = [
    "SITE_TZ",
    "Params",
    "format_local",
    "format_gmt",
    "now_utc",
    "money",
    "parse_iso_datetime",
    "stored_datetime",
]

#: The demo merchant is French: the site timezone WordPress is configured with.
SITE_TZ = ZoneInfo("Europe/Paris")

_INT_RE = re.compile(r"^-?\d+$")


def now_utc() -> datetime:
    """Current time in UTC, to the second (WordPress stores whole seconds)."""
    return datetime.now(UTC).replace(microsecond=0)


def format_local(moment: datetime | None) -> str | None:
    """``date_x``: site-local time, ISO 8601 *without* offset, as WooCommerce renders it."""
    if moment is None:
        return None
    return moment.astimezone(SITE_TZ).strftime("%Y-%m-%dT%H:%M:%S")


def format_gmt(moment: datetime | None) -> str | None:
    """``date_x_gmt``: the same instant in UTC, also without offset."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def parse_iso_datetime(value: str, *, naive_tz: timezone | ZoneInfo) -> datetime | None:
    """Parse an RFC 3339 / ISO 8601 date-time; a naive value is read in ``naive_tz``.

    WordPress's ``rest_parse_date`` requires a full date *and* time, so a bare
    date is rejected like on a real shop.
    """
    text = value.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?", text):
        return None
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_tz)
    return parsed


def stored_datetime(value: str | None) -> datetime | None:
    """Read back a ``*_gmt`` string stored in state."""
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


class Params:
    """Merged request arguments (query string, JSON body, URL captures)."""

    def __init__(
        self,
        query: Mapping[str, list[str]],
        body: Mapping[str, Any] | None,
        url_params: Mapping[str, Any],
    ) -> None:
        self.query = query
        self.body: dict[str, Any] = dict(body or {})
        self.url = dict(url_params)

    # -- raw access -------------------------------------------------------
    def has(self, name: str) -> bool:
        return (
            name in self.url or name in self.body or name in self.query or f"{name}[]" in self.query
        )

    def raw(self, name: str) -> Any:
        """Value as received: URL capture, else JSON body, else query string."""
        if name in self.url:
            return self.url[name]
        if name in self.body:
            return self.body[name]
        if name in self.query:
            values = self.query[name]
            return values[-1] if values else ""
        if f"{name}[]" in self.query:
            return list(self.query[f"{name}[]"])
        return None

    # -- typed accessors (each raises rest_invalid_param like WordPress) ---
    def integer(
        self,
        name: str,
        default: int | None = None,
        *,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        value = self.raw(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool) or not (
            isinstance(value, int)
            or (isinstance(value, float) and value.is_integer())
            or (isinstance(value, str) and _INT_RE.match(value.strip()))
        ):
            raise invalid_param({name: f"{name} is not of type integer."})
        number = int(value)
        if minimum is not None and maximum is not None and not minimum <= number <= maximum:
            raise invalid_param(
                {name: f"{name} must be between {minimum} (inclusive) and {maximum} (inclusive)"}
            )
        if minimum is not None and number < minimum:
            raise invalid_param({name: f"{name} must be greater than or equal to {minimum}"})
        return number

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", ""):
            return value.lower() in ("true", "1")
        raise invalid_param({name: f"{name} is not of type boolean."})

    def string(self, name: str, default: str | None = None) -> str | None:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise invalid_param({name: f"{name} is not of type string."})
        return value

    def enum(self, name: str, options: Iterable[str], default: str | None = None) -> str | None:
        value = self.string(name, default)
        opts = list(options)
        if value is not None and value not in opts:
            raise invalid_param({name: f"{name} is not one of {', '.join(opts)}."})
        return value

    def string_list(self, name: str) -> list[str] | None:
        """An ``array`` argument: JSON list, ``a,b`` or repeated ``name[]=``."""
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, list):
            return [str(v) for v in value]
        if isinstance(value, (int, float)):
            return [str(value)]
        return [part for part in re.split(r"[,\s]+", str(value)) if part != ""]

    def int_list(self, name: str) -> list[int] | None:
        items = self.string_list(name)
        if items is None:
            return None
        out = []
        for i, item in enumerate(items):
            if not _INT_RE.match(item.strip()):
                raise invalid_param({name: f"{name}[{i}] is not of type integer."})
            out.append(int(item))
        return out

    def enum_list(self, name: str, options: Iterable[str], default: list[str]) -> list[str]:
        items = self.string_list(name)
        if items is None:
            return list(default)
        opts = list(options)
        for i, item in enumerate(items):
            if item not in opts:
                raise invalid_param({name: f"{name}[{i}] is not one of {', '.join(opts)}."})
        return items

    def date(self, name: str, *, gmt: bool) -> datetime | None:
        value = self.string(name)
        if value is None or value == "":
            return None
        parsed = parse_iso_datetime(value, naive_tz=UTC if gmt else SITE_TZ)
        if parsed is None:
            raise invalid_param({name: "Invalid date."})
        return parsed


def money(value: Any, name: str) -> Decimal:
    """A monetary string argument (``"24.90"``). Numbers are refused like the schema does."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise invalid_param({name: f"{name} is not of type string."})
    if value.strip() == "":
        return Decimal(0)
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        return Decimal(0)  # WooCommerce casts a non-numeric price to 0 (wc_format_decimal)
